"""The referee: DfE's own validators, run on our return tables in their own virtualenv.

DfE's validators (`csc-validator-be-903`, `csc-validator-be-cin`) pin pandas<2 and
numpy<1.25, so they live in `.venv-referee` (`make referee`, pinned in
requirements/referee.txt), not in goldenthread's environment. `referee_903` and `referee_cin`
write the tables as CSV files into a temporary folder and run `referee_runner.py` with that
virtualenv's Python, in that folder (903's package writes a log file into the current
directory); the runner hands the tables to the validators' Python API and answers in JSON.

Tables are Arrow tables named and shaped as the return's (`ssda903.build`,
`cin_census.flat_tables`). A date column is written as the return writes it (903
dd/mm/YYYY, CIN ISO); a text column is written as it is, so a test can inject a malformed
date as text.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

__all__ = ["RUNNER", "Failure", "RefereeUnavailable", "Verdict", "available", "referee_903",
           "referee_cin", "referee_cin_xml", "referee_python"]

RUNNER = Path(__file__).with_name("referee_runner.py")
ROOT = Path(__file__).resolve().parents[2]
Severity = Literal["error", "query"]


class RefereeUnavailable(RuntimeError):
    """`.venv-referee` is missing (run `make referee`) or the runner failed outright."""


@dataclass(frozen=True)
class Failure:
    """One place a DfE rule fails: `table` and `row` (0-based, in the table as given) are
    None for a return-level (LA-level) rule; `values` are that row's values of `fields`."""

    rule: str
    message: str
    severity: Severity
    child: str | None
    table: str | None
    row: int | None
    fields: tuple[str, ...]
    values: Mapping[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """What the referee said about one return. `crashed` maps a rule code to the error it
    raised (a crashing rule is reported, never fatal); `skipped` rules lacked a table."""

    return_name: Literal["903", "cin"]
    year: int
    failures: tuple[Failure, ...]
    crashed: Mapping[str, str]
    skipped: tuple[str, ...]
    ran: tuple[str, ...]
    seconds: float

    @property
    def errors(self) -> tuple[Failure, ...]:
        return tuple(f for f in self.failures if f.severity == "error")

    def rules_failed(self) -> set[str]:
        return {f.rule for f in self.failures}


def referee_python() -> Path:
    """The referee virtualenv's Python: $GOLDENTHREAD_REFEREE_PYTHON, else .venv-referee."""
    override = os.environ.get("GOLDENTHREAD_REFEREE_PYTHON")
    return Path(override) if override else ROOT / ".venv-referee" / "bin" / "python"


def available() -> bool:
    return referee_python().exists()


def _text_column(column: pa.ChunkedArray, date_format: str) -> pa.ChunkedArray:
    if pa.types.is_date(column.type) or pa.types.is_timestamp(column.type):
        return pc.strftime(column, format=date_format)
    if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
        return column
    return pc.cast(column, pa.string())


def _write(table: pa.Table, path: Path, date_format: str) -> None:
    columns = [_text_column(table.column(i), date_format) for i in range(table.num_columns)]
    pa_csv.write_csv(pa.table(columns, names=table.column_names), path,
                     pa_csv.WriteOptions(quoting_style="needed"))


def _run(job: dict[str, Any], tables: Mapping[str, pa.Table],
         last_year: Mapping[str, pa.Table] | None, date_format: str,
         timeout: float) -> dict[str, Any]:
    python = referee_python()
    if not python.exists():
        raise RefereeUnavailable(f"no referee virtualenv at {python}: run `make referee`")
    with tempfile.TemporaryDirectory(prefix="gt-referee-") as folder:
        work = Path(folder)
        for key, given in (("tables", tables), ("last_year", last_year or {})):
            job[key] = {}
            for name, table in given.items():
                path = work / f"{key}-{name}.csv"
                _write(table, path, date_format)
                job[key][name] = str(path)
        (work / "job.json").write_text(json.dumps(job), encoding="utf-8")
        done = subprocess.run(  # noqa: S603 - fixed argv, no shell
            [str(python), str(RUNNER), "job.json", "result.json"], cwd=work,
            capture_output=True, text=True, timeout=timeout, check=False,
            env={**os.environ, "PYTHONPATH": "", "PYTHONWARNINGS": "ignore"})
        result_path = work / "result.json"
        if done.returncode != 0 or not result_path.exists():
            tail = "\n".join(done.stderr.strip().splitlines()[-15:])
            raise RefereeUnavailable(f"the referee failed (exit {done.returncode}):\n{tail}")
        found: dict[str, Any] = json.loads(result_path.read_text(encoding="utf-8"))
        return found


def _verdict(name: Literal["903", "cin"], year: int, raw: dict[str, Any]) -> Verdict:
    failures = tuple(Failure(rule=f["rule"], message=f["message"], severity=f["severity"],
                             child=f["child"], table=f["table"], row=f["row"],
                             fields=tuple(f["fields"]), values=f["values"])
                     for f in raw["failures"])
    return Verdict(name, year, failures, raw["crashed"], tuple(raw["skipped"]),
                   tuple(raw["ran"]), float(raw["seconds"]))


def referee_903(tables: Mapping[str, pa.Table], *, year: int, la_ons_code: str,
                last_year: Mapping[str, pa.Table] | None = None,
                rules: Iterable[str] | None = None, timeout: float = 900) -> Verdict:
    """DfE's SSDA903 validator (ruleset for the collection year ending 31 March `year`) on
    this year's tables and, when given, last year's (the cross-year rules need them).
    `la_ons_code`: the council's ONS code (E08000003 style), compared with placement LAs."""
    job = {"return": "903", "year": year, "local_authority": la_ons_code,
           "rules": sorted(rules) if rules is not None else None}
    return _verdict("903", year, _run(job, tables, last_year, "%d/%m/%Y", timeout))


def referee_cin(tables: Mapping[str, pa.Table], *, year: int,
                rules: Iterable[str] | None = None, timeout: float = 900) -> Verdict:
    """DfE's CIN census validator (ruleset for the census year ending 31 March `year`) on
    the census's flat tables, as `cin_census.flat_tables` gives them."""
    job = {"return": "cin", "year": year, "local_authority": None,
           "rules": sorted(rules) if rules is not None else None}
    return _verdict("cin", year, _run(job, tables, None, "%Y-%m-%d", timeout))


def referee_cin_xml(path: Path, *, year: int, rules: Iterable[str] | None = None,
                    timeout: float = 900) -> Verdict:
    """The same validator reading a census XML file with its own reader: minutes for a few
    thousand children (its reader is quadratic); for checking that `referee_cin` on our
    tables says what DfE's tool says on our file."""
    job = {"return": "cin", "year": year, "local_authority": None, "xml": str(path.resolve()),
           "rules": sorted(rules) if rules is not None else None}
    return _verdict("cin", year, _run(job, {}, None, "%Y-%m-%d", timeout))

