"""Validating a collection year's returns: our rules, and DfE's validators as the referee.

`check(con, year, referee=True)` builds both returns from the SSD store, runs goldenthread's
own rules (`returns.rules`) and, when asked, DfE's validators, and gives every finding with
the child, the record (table and row), the fields and their values, the rule code and
message, and the child's allocated social worker (ssd_involvements, role CW, at the end of
the year, else the last one before it). Findings on the allow-list of known validator
faults are kept apart with the reason.
"""



from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pyarrow as pa

from goldenthread.returns import allowlist, cin_census, ssda903
from goldenthread.returns.referee import Failure, Verdict, referee_903, referee_cin

__all__ = ["Finding", "Outcome", "allocated_workers", "check"]

Source = Literal["goldenthread", "DfE"]


@dataclass(frozen=True)
class Finding:
    source: Source
    return_name: str
    rule: str
    severity: str  # error, query, crashed
    message: str
    child: str | None
    table: str | None
    row: int | None
    fields: tuple[str, ...]
    values: Mapping[str, str | None]
    worker: str | None
    allowed: str | None = None  # the allow-list's reason, when the finding is on it

    def line(self) -> str:
        where = f"{self.table} row {self.row}" if self.table is not None else "whole return"
        shown = ", ".join(f"{k}={v if v is not None else '(blank)'}"
                          for k, v in self.values.items()) or ", ".join(self.fields)
        who = f"child {self.child}" if self.child else "no child"
        worker = f"; worker {self.worker}" if self.worker else ""
        return (f"{self.source} {self.return_name} {self.rule} [{self.severity}] {who}, "
                f"{where}: {shown} - {self.message}{worker}")


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)
    ours_ran: bool = False

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings
                if f.allowed is None and f.severity in ("error", "crashed")]

    @property
    def allowed(self) -> list[Finding]:
        return [f for f in self.findings if f.allowed is not None]

    def by_worker(self, year: int, run_at: str) -> dict[str, object]:
        """The findings as a stored result: each worker's data fixes under their name, so a
        nightly run can feed the pages that show every worker what to correct."""
        workers: dict[str, list[dict[str, object]]] = {}
        for finding in self.findings:
            if finding.allowed is not None:
                continue
            workers.setdefault(finding.worker or "(unallocated)", []).append({
                "source": finding.source, "return": finding.return_name,
                "rule": finding.rule, "severity": finding.severity,
                "child": finding.child, "table": finding.table, "row": finding.row,
                "fields": list(finding.fields), "values": dict(finding.values),
                "message": finding.message})
        return {"year": year, "run_at": run_at, "errors": len(self.errors),
                "allowed": len(self.allowed), "workers": workers}


def allocated_workers(con: duckdb.DuckDBPyConnection, as_at: dt.date) -> dict[str, str]:
    """Child -> "name (SWE number)" of the allocated social worker on `as_at`, or of the
    last one allocated before it."""
    found = con.sql("""
        SELECT i.invo_person_id,
            arg_max(COALESCE(p.prof_professional_name, i.invo_professional_id)
                    || COALESCE(' (' || p.prof_social_worker_registration_no || ')', ''),
                    i.invo_involvement_start_date)
        FROM ssd_involvements i
        LEFT JOIN ssd_professionals p ON p.prof_professional_id = i.invo_professional_id
        WHERE i.invo_professional_role_id = 'CW'
            AND CAST(i.invo_involvement_start_date AS DATE) <= $as_at
        GROUP BY 1""", params={"as_at": as_at}).fetchall()
    return {str(child): str(name) for child, name in found}


def _referee_findings(verdict: Verdict, workers: Mapping[str, str]) -> list[Finding]:
    out: list[Finding] = []
    for failure in verdict.failures:
        entry = allowlist.match_failure(failure, verdict.return_name, verdict.year)
        out.append(_finding(failure, verdict.return_name, workers,
                            entry.reason if entry else None))
    for rule, error in sorted(verdict.crashed.items()):
        entry = allowlist.match_crash(rule, verdict.return_name, verdict.year)
        out.append(Finding("DfE", verdict.return_name, rule, "crashed",
                           f"the rule crashed ({error})", None, None, None, (), {}, None,
                           entry.reason if entry else None))
    return out


def _finding(failure: Failure, return_name: str, workers: Mapping[str, str],
             allowed: str | None) -> Finding:
    return Finding("DfE", return_name, failure.rule, failure.severity, failure.message,
                   failure.child, failure.table, failure.row, failure.fields,
                   failure.values, workers.get(failure.child or ""), allowed)


def _ours(year: int, tables_903: Mapping[str, pa.Table], tables_cin: Mapping[str, pa.Table],
          workers: Mapping[str, str]) -> list[Finding] | None:
    """goldenthread's own rules (returns.rules), when that package is present."""
    try:
        from goldenthread.returns.rules import validate_tables
    except ImportError:  # pragma: no cover - the rules are another part of the work
        return None
    failures = validate_tables(year, ssda903=tables_903, cin=tables_cin)
    return [Finding("goldenthread", f.return_name, f.code, "error", f.message, f.child,
                    f.table, f.row, f.fields, {}, workers.get(f.child or ""))
            for f in failures]


def check(con: duckdb.DuckDBPyConnection, year: int, *, la_ons_code: str, referee: bool,
          step: Callable[[str], None] = lambda _: None) -> Outcome:
    """Build both returns for `year` from the store and validate them."""
    outcome = Outcome()
    step("building the SSDA903 return")
    this_year = ssda903.build(con, year)
    last_year = ssda903.build(con, year - 1, coding_year=year) \
        if year - 1 in ssda903.YEARS else None
    step("building the CIN census")
    census = cin_census.flat_tables(con, year)
    workers = allocated_workers(con, dt.date(year, 3, 31))
    step("running goldenthread's rules")
    ours = _ours(year, this_year, census, workers)
    if ours is not None:
        outcome.ours_ran = True
        outcome.findings.extend(ours)
    if referee:
        step("running DfE's SSDA903 validator")
        verdict = referee_903(this_year, year=year, la_ons_code=la_ons_code,
                              last_year=last_year)
        outcome.verdicts.append(verdict)
        outcome.findings.extend(_referee_findings(verdict, workers))
        step("running DfE's CIN census validator")
        verdict = referee_cin(census, year=year)
        outcome.verdicts.append(verdict)
        outcome.findings.extend(_referee_findings(verdict, workers))
    return outcome
