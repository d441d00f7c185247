"""Runs DfE's validators on tables given as JSON, inside the referee's own virtualenv.

This file is executed by the referee's Python (pandas<2, numpy<1.25, csc-validator-be-903,
csc-validator-be-cin), never imported by goldenthread or by the test process. It reads one
JSON document on stdin::

    {"return": "903" | "cin", "year": "2026", "la": "E08000003",
     "datasets": {name: {"tables": {table: {"columns": [...], "rows": [[...], ...]}},
                         "rules": [code, ...] | null}}}

and writes one JSON document on stdout: ``{name: {"issues": [[code, table, row, child], ...],
"crashed": [code, ...]}}``. Tables are handed to the validators' Python API as DataFrames,
the way their own readers would have left them; their slow file readers are never used.
"""

import contextlib
import io
import json
import logging
import os
import sys

os.environ.setdefault("QLACREF_PC_INSECURE", "True")
logging.disable(logging.CRITICAL)


def _frame(pd, table, columns=None):
    frame = pd.DataFrame(table["rows"], columns=table["columns"], dtype=object)
    if columns is not None:
        for column in columns:
            if column not in frame.columns:
                frame[column] = None
        frame = frame[columns]
    return frame


def _read_903(pd, np, column_names, tables):
    """The tables as DfE's CSV reader leaves them: text, blanks missing, upper case."""
    dfs = {}
    for table, content in tables.items():
        columns = column_names[table]
        position = {column: i for i, column in enumerate(content["columns"])}
        rows = []
        for row in content["rows"]:
            values = [row[position[c]] if c in position else None for c in columns]
            rows.append([v.upper() if isinstance(v, str) and v != "" else np.nan for v in values])
        dfs[table] = pd.DataFrame(rows, columns=columns, dtype=object)
    if "Header" in dfs and "UASC" in dfs:
        header = dfs["Header"]
        header["UASC"] = np.where(header["CHILD"].isin(dfs["UASC"]["CHILD"]), "1", "0")
    return dfs


def _postcode_fields(pd, frames, la):
    """PL_LA, PL_LOCATION and PL_DISTANCE for every pair of postcodes in any dataset.

    DfE's datastore derives them row by row from the two postcodes alone; deriving them once
    for all datasets, with DfE's own function, saves a 0.5 s postcode merge per dataset.
    """
    from lac_validator.datastore import _add_postcode_derived_fields

    pairs = [f["Episodes"][["HOME_POST", "PL_POST"]] for f in frames.values() if "Episodes" in f]
    if not pairs:
        return pd.DataFrame(columns=["HOME_POST", "PL_POST"])
    unique = pd.concat(pairs).drop_duplicates().reset_index(drop=True)
    with contextlib.redirect_stdout(io.StringIO()):
        derived = _add_postcode_derived_fields(unique, la)
    return derived[["HOME_POST", "PL_POST", "PL_LA", "PL_LOCATION", "PL_DISTANCE"]]


def run_903(request, out):
    import numpy as np
    import pandas as pd
    from lac_validator.config import column_names
    from lac_validator.datastore import copy_datastore, create_datastore
    from lac_validator.rules.ruleset_utils import get_year_ruleset

    registry = get_year_ruleset(request["year"])
    metadata = {
        "collectionYear": request["year"],
        "localAuthority": request["la"],
        "file_format": "csv",
    }
    frames = {
        name: _read_903(pd, np, column_names, dataset["tables"])
        for name, dataset in request["datasets"].items()
    }
    derived = _postcode_fields(pd, frames, request["la"])
    results = {}
    for name, dataset in request["datasets"].items():
        dfs = frames[name]
        with contextlib.redirect_stdout(io.StringIO()):
            store = create_datastore(
                {table: frame for table, frame in dfs.items() if table != "Episodes"}, metadata
            )
        if "Episodes" in dfs:
            episodes = dfs["Episodes"].reset_index()
            episodes = episodes.merge(derived, on=["HOME_POST", "PL_POST"], how="left")
            store["Episodes"] = episodes.set_index("index").rename_axis(None)
        wanted = dataset.get("rules")
        issues, crashed = [], []
        for code, rule in registry.items():
            if wanted is not None and code not in wanted:
                continue
            try:
                with contextlib.redirect_stdout(io.StringIO()):
                    result = rule.func(copy_datastore(store))
            except Exception:  # a crashing DfE rule is reported, not fatal
                crashed.append(code)
                continue
            for table, rows in (result or {}).items():
                for row in rows:
                    if row is None or (isinstance(row, float) and np.isnan(row)):
                        continue
                    child = None
                    if table in dfs and "CHILD" in dfs[table] and row in dfs[table].index:
                        child = dfs[table].at[row, "CHILD"]
                    issues.append([code, table, int(row), child])
        results[name] = {"issues": issues, "crashed": crashed}
    json.dump(results, out)


_CIN_TABLES = [
    "Header", "ChildIdentifiers", "ChildCharacteristics", "ChildProtectionPlans",
    "CINdetails", "CINplanDates", "Reviews", "Section47", "Assessments",
    "AssessmentFactorsList", "Disabilities",
]
_ID_COLUMNS = ("CINdetailsID", "AssessmentID", "CPPID")


def run_cin(request, out):
    import pandas as pd
    from cin_validator import cin_validator
    from cin_validator.ingress import XMLtoCSV
    from cin_validator.rules.ruleset_utils import get_year_ruleset

    registry = get_year_ruleset(request["year"])
    results = {}
    for name, dataset in request["datasets"].items():
        tables = {}
        for table in _CIN_TABLES:
            columns = list(getattr(XMLtoCSV, table).columns)
            content = dataset["tables"].get(table, {"columns": columns, "rows": []})
            frame = _frame(pd, content, columns).replace({None: pd.NA})
            for column in _ID_COLUMNS:
                if column in frame.columns:
                    frame[column] = frame[column].astype(object)
            tables[table] = frame
        # as XMLtoCSV leaves it: each assessment carries the list of its factors
        factors = tables["AssessmentFactorsList"]
        keys = ["LAchildID", "CINdetailsID", "AssessmentID"]
        grouped = factors.groupby(keys)["AssessmentFactor"].apply(list).to_dict()
        assessments = tables["Assessments"]
        assessments["AssessmentFactors"] = [
            grouped.get(tuple(row), pd.NA) for row in assessments[keys].itertuples(index=False)
        ]
        data = cin_validator.process_data(tables)
        with contextlib.redirect_stdout(io.StringIO()) as captured:
            validator = cin_validator.CinValidator(data, registry, dataset.get("rules"))
        crashed = [
            line.split()[3].rstrip(":")
            for line in captured.getvalue().splitlines()
            if line.startswith("Error with rule")
        ]
        issues = []
        report = validator.full_issue_df
        for row in report.itertuples(index=False):
            child = None if pd.isna(row.child_id) else str(row.child_id)
            issues.append([str(row.rule_code), row.tables_affected, int(row.row_id), child])
        la_level = validator.multichild_issues
        for code in la_level.get("rule_code", pd.Series(dtype=object)).dropna().unique():
            issues.append([str(code), None, None, None])
        results[name] = {"issues": issues, "crashed": crashed}
    json.dump(results, out)


def main():
    request = json.load(sys.stdin)
    runner = run_903 if request["return"] == "903" else run_cin
    runner(request, sys.stdout)


if __name__ == "__main__":
    main()
