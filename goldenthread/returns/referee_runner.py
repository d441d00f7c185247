"""Runs DfE's validators inside the referee's own virtualenv (`.venv-referee`).

Executed by `.venv-referee/bin/python` as a script, never imported by goldenthread: it needs
pandas 1.5 and numpy 1.24 (the validators' pins), which goldenthread's environment does not
have. `goldenthread.returns.referee` starts it in a subprocess, in an empty temporary
working directory (903's package writes a log file into the current directory):

    python referee_runner.py JOB.json RESULT.json

JOB.json: {"return": "903" | "cin", "year": 2025, "local_authority": "E08000003",
"rules": null or [codes], "tables": {name: csv path}, "last_year": {name: csv path}}; for
CIN, "xml": a census file instead of tables makes DfE's own XML reader read it (slow: only
to check that our tables and that reader agree).
Each CSV has the return's columns; empty cells are missing values.

The tables go straight to the validators' Python API as the DataFrames their own readers
would have made (upper-cased strings for 903; for CIN the flat tables their XML reader makes,
with the first review date of each plan only, as that reader keeps). Their file readers are
not used: CIN's XML reader takes minutes for a few thousand children.

RESULT.json: {"failures": [{rule, message, severity, child, table, row, fields, values}],
"crashed": {rule: error}, "skipped": [rules], "ran": [rules], "seconds": float}.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import logging
import sys
import time
from typing import Any

import pandas as pd  # type: ignore[import-untyped]

ID_COLUMNS = ("CINdetailsID", "AssessmentID", "CPPID")


def _read(path: str) -> Any:
    """Every cell as text; an empty cell is missing."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
    return frame.where(frame != "", pd.NA)


def _text(value: Any) -> str | None:
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return str(value.strftime("%Y-%m-%d"))
    return str(value)


def _values(frame: Any, row: int, fields: list[str]) -> dict[str, str | None]:
    return {f: _text(frame.iloc[row][f]) for f in fields if f in frame.columns}


# -- SSDA903 -----------------------------------------------------------------------------------

def _read_903(paths: dict[str, str], suffix: str) -> dict[str, Any]:
    from numpy import nan  # the validators' own missing value for 903
    out = {}
    for name, path in paths.items():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[])
        frame = frame.where(frame != "", nan).astype(object)
        for column in frame.columns:  # as their CSV reader: all text upper-cased
            frame[column] = frame[column].str.upper()
        out[name + suffix] = frame
    for header, uasc in (("Header", "UASC"), ("Header_last", "UASC_last")):
        if header in out and uasc in out:  # as their reader: UASC 1/0 from the UASC table
            found = out[header]["CHILD"].isin(out[uasc]["CHILD"])
            out[header]["UASC"] = found.map({True: "1", False: "0"})
    return out


def _only_our_postcodes(frames: dict[str, Any]) -> None:
    """Keep only the postcodes our episodes use in the validator's postcode table (2.7M
    rows): every lookup of ours finds the same row, and each join takes a moment instead
    of seconds."""
    from lac_validator import datastore  # type: ignore[import-not-found]

    ours: set[str] = set()
    for name in ("Episodes", "Episodes_last"):
        for column in ("HOME_POST", "PL_POST"):
            if name in frames:
                ours.update(frames[name][column].dropna().str.upper().str.replace(" ", ""))
    table = datastore.postcodes
    table.load_postcodes({code[0] for code in ours if code})
    found = table.dataframe
    table._df = found[found["pcd_abbr"].isin(ours)].reset_index(drop=True)


def run_903(job: dict[str, Any]) -> dict[str, Any]:
    from lac_validator.datastore import copy_datastore, create_datastore  # type: ignore[import-not-found]
    from lac_validator.rules.ruleset_utils import get_year_ruleset  # type: ignore[import-not-found]

    frames = {**_read_903(job["tables"], ""), **_read_903(job.get("last_year") or {}, "_last")}
    _only_our_postcodes(frames)
    metadata = {"collectionYear": str(job["year"]), "localAuthority": job["local_authority"],
                "file_format": "csv"}
    store = create_datastore(frames, metadata)
    registry = get_year_ruleset(str(job["year"]))
    wanted = set(job.get("rules") or registry)
    failures: list[dict[str, Any]] = []
    crashed: dict[str, str] = {}
    skipped: list[str] = []
    ran: list[str] = []
    for code, rule in registry.items():
        if str(code) not in wanted:
            continue
        printed = io.StringIO()  # some rules print(): keep it out of our output
        try:
            with contextlib.redirect_stdout(printed):
                result = rule.func(copy_datastore(store))
        except Exception as error:
            crashed[str(code)] = f"{type(error).__name__}: {error}"
            continue
        if result == {}:
            skipped.append(str(code))
            continue
        ran.append(str(code))
        for table, rows in result.items():
            frame = frames[table] if table in frames else store[table]
            fields = [f for f in (rule.affected_fields or []) if f in frame.columns]
            for row in sorted({int(r) for r in rows if pd.notna(r)}):
                position = frame.index.get_loc(row)
                failures.append({
                    "rule": str(code), "message": rule.message or "", "severity": "error",
                    "child": _text(frame.iloc[position].get("CHILD")), "table": table,
                    "row": int(position), "fields": fields,
                    "values": _values(frame, position, fields)})
    return {"failures": failures, "crashed": crashed, "skipped": skipped, "ran": ran}


# -- CIN census --------------------------------------------------------------------------------

def _cin_frames(paths: dict[str, str]) -> dict[str, Any]:
    """The tables XMLtoCSV would make from our XML, built from our flat tables."""
    frames = {name: _read(path) for name, path in paths.items()}
    for frame in frames.values():
        for column in ID_COLUMNS:
            if column in frame.columns:  # Python ints in an object column, as their reader
                frame[column] = pd.Series([int(v) for v in frame[column]], index=frame.index,
                                          dtype=object)
    # Their reader keeps the first CPPreviewDate of each plan's <Reviews> block only.
    reviews = frames["Reviews"]
    frames["Reviews"] = reviews.drop_duplicates(
        ["LAchildID", "CINdetailsID", "CPPID"]).reset_index(drop=True)
    # Assessments carry their factors as a list (missing when there are none).
    factors = frames["AssessmentFactorsList"].groupby(
        ["LAchildID", "CINdetailsID", "AssessmentID"], sort=False)["AssessmentFactor"]
    lists = {key: list(codes) for key, codes in factors}
    assessments = frames["Assessments"]
    keys = zip(assessments["LAchildID"], assessments["CINdetailsID"],
               assessments["AssessmentID"], strict=True)
    assessments["AssessmentFactors"] = pd.Series(
        [lists.get(key, pd.NA) for key in keys], index=assessments.index, dtype=object)
    return frames


def _issue_locations(ctx: Any) -> tuple[str, Any]:
    """As CinValidator.process_issues: the kind of issue the rule pushed most of."""
    kinds = [ctx.type_zero_issues, ctx.type_one_issues, ctx.type_two_issues,
             ctx.type_three_issues, ctx.la_level_issues]
    sizes = [len(k) for k in kinds]
    if max(sizes) == 0:
        return "passed", None
    index = sizes.index(max(sizes))
    return ("la" if index == 4 else "child"), kinds[index]


def _cin_read_xml(path: str) -> dict[str, Any]:
    """DfE's own XML reader (slow: for checking that our tables read the same)."""
    import xml.etree.ElementTree as ET

    from cin_validator.cin_validator import convert_data  # type: ignore[import-not-found]

    return dict(convert_data(ET.parse(path).getroot()))  # noqa: S314 - our own file


def run_cin(job: dict[str, Any]) -> dict[str, Any]:
    from cin_validator.cin_validator import enum_keys, process_data
    from cin_validator.rule_engine import RuleContext  # type: ignore[import-not-found]
    from cin_validator.rules.ruleset_utils import get_year_ruleset  # type: ignore[import-not-found]

    raw_frames = _cin_read_xml(job["xml"]) if job.get("xml") else _cin_frames(job["tables"])
    frames = process_data(raw_frames)
    raw = copy.deepcopy(frames)
    data = enum_keys(frames)
    registry = get_year_ruleset(str(job["year"]))
    wanted = set(job.get("rules") or [str(r.code) for r in registry.values()])
    failures: list[dict[str, Any]] = []
    crashed: dict[str, str] = {}
    ran: list[str] = []
    for rule in registry.values():
        code = str(rule.code)
        if code not in wanted:
            continue
        ctx = RuleContext(rule)
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                rule.func(copy.deepcopy(data), ctx)
            outcome, issues = _issue_locations(ctx)
        except Exception as error:
            crashed[code] = f"{type(error).__name__}: {error}"
            continue
        ran.append(code)
        severity = "query" if getattr(rule.rule_type, "name", "") == "QUERY" else "error"
        base = {"rule": code, "message": rule.message or "", "severity": severity}
        if outcome == "la":
            failures.append({**base, "child": None, "table": None, "row": None,
                             "fields": [], "values": {}})
            continue
        if outcome == "passed":
            continue
        grouped: dict[tuple[str, int], list[str]] = {}
        for table, column, row in zip(issues["tables_affected"], issues["columns_affected"],
                                      issues["ROW_ID"], strict=True):
            fields = grouped.setdefault((str(table), int(row)), [])
            if str(column) not in fields:
                fields.append(str(column))
        for (table, row), fields in sorted(grouped.items()):
            frame = raw[table]
            child = _text(frame.iloc[row]["LAchildID"]) if "LAchildID" in frame.columns \
                else None
            failures.append({**base, "child": child, "table": table, "row": row,
                             "fields": fields, "values": _values(frame, row, fields)})
    return {"failures": failures, "crashed": crashed, "skipped": [], "ran": ran}


def main(job_path: str, result_path: str) -> None:
    logging.disable(logging.CRITICAL)  # the validators log every rule at INFO
    with open(job_path, encoding="utf-8") as handle:
        job = json.load(handle)
    started = time.perf_counter()
    result = run_903(job) if job["return"] == "903" else run_cin(job)
    result["seconds"] = round(time.perf_counter() - started, 3)
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
