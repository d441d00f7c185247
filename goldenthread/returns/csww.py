"""The children's social work workforce census (CSWW) as at 30 September, from the SSD.

DfE collects it as XML with two parts (schema: liia-tools' copy of the 2022 CSWW XSD,
spec/social_work_workforce/social_work_workforce_2022.xsd): `CSWWWorker`, one record per
child and family social worker, and `LALevelVacancies`, the LA's totals. We write both as
CSV with DfE's element names as headings (`WORKER_COLUMNS`, `LA_COLUMNS`), and a third
file, the measures DfE publishes from them (reference/indicators.md §7): FTE in post,
agency FTE and rate, starters, leavers and turnover, cases and caseload, ASYE.

Sources: ssd_professionals (Social Work England number), gtx_professional (start and leave
dates, leave reason, FTE, agency, ASYE start, social worker or not, manager),
gtx_team_membership (team manager), ssd_involvements (cases: children allocated, role CW).
The census year ending 30 September `year` runs from 1 October `year - 1`. Dates follow
the workforce indicators (analytics/indicators/workforce.py): in post from the start date
up to the day before the leave date, so a leave date of 1 October means in post on 30
September, leaving in the next year. Worker records: social workers in post on 30
September (LA-employed or agency) and LA-employed social workers who left in the year.
What the SSD does not hold (date of birth, sex, ethnicity, qualification, absence,
vacancies) is left blank: docs/returns.md lists each field's source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from goldenthread.core.spreadsheet import csv_text

__all__ = ["LA_COLUMNS", "SUMMARY_COLUMNS", "WORKER_COLUMNS", "Census", "build",
           "census_dates", "write_csv"]

WORKER_COLUMNS = ("AgencyWorker", "SWENo", "FTE", "PersonBirthDate", "GenderCurrent",
                  "Ethnicity", "QualInst", "QualLevel", "StepUpGrad", "OrgRole",
                  "RoleStartDate", "StartOrigin", "RoleEndDate", "LeaverDestination",
                  "ReasonLeave", "FTE30", "Cases30", "WorkingDaysLost", "ContractWeeks",
                  "FrontlineGrad", "Absat30Sept", "ReasonAbsence", "CFKSSstatus")
LA_COLUMNS = ("NumberOfVacancies", "NoAgencyFTE", "NoAgencyHeadcount")
SUMMARY_COLUMNS = ("measure", "value", "definition")

ASYE_DAYS = 365
# CSWW codes: OrgRole, StartOrigin, LeaverDestination, ReasonLeave, CFKSSstatus.
FIRST_LINE_MANAGER, MIDDLE_MANAGER, CASE_HOLDER, WITHOUT_CASES = "3", "2", "5", "6"
NEWLY_QUALIFIED, ORIGIN_NOT_KNOWN, DESTINATION_NOT_KNOWN = "1", "9", "8"
IN_ASYE = "1"
# Words of a recorded leave reason -> CSWW ReasonLeave code (9: not known).
REASONS = (("voluntary redundan", "2"), ("compulsory redundan", "3"), ("redundan", "2"),
           ("resign", "1"), ("dismiss", "4"), ("retire", "5"), ("deceased", "6"),
           ("died", "6"), ("moved to", "7"), ("other", "8"))


def census_dates(year: int) -> tuple[dt.date, dt.date]:
    """The census year ending 30 September `year`: (1 October before, 30 September)."""
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


_STAFF = """
WITH staff AS (
    SELECT g.prof_professional_id AS id, p.prof_social_worker_registration_no AS swe,
        CAST(g.start_date AS DATE) AS started, CAST(g.leave_date AS DATE) AS left_on,
        g.leave_reason, CAST(g.fte AS DOUBLE) AS fte, COALESCE(g.is_agency, FALSE) AS agency,
        COALESCE(g.is_manager, FALSE) AS manager, CAST(g.asye_start_date AS DATE) AS asye,
        (g.start_date IS NULL OR CAST(g.start_date AS DATE) <= $census)
            AND (g.leave_date IS NULL OR CAST(g.leave_date AS DATE) > $census) AS in_post,
        CAST(g.leave_date AS DATE) BETWEEN $first AND $census
            AND (g.start_date IS NULL OR g.start_date < g.leave_date) AS leaver,
        CAST(g.start_date AS DATE) BETWEEN $first AND $census AS starter
    FROM gtx_professional g
    LEFT JOIN ssd_professionals p ON p.prof_professional_id = g.prof_professional_id
    WHERE g.is_social_worker),
cases AS (
    SELECT invo_professional_id AS id, COUNT(DISTINCT invo_person_id) AS children
    FROM ssd_involvements WHERE invo_professional_role_id = 'CW'
        AND CAST(invo_involvement_start_date AS DATE) <= $census
        AND (invo_involvement_end_date IS NULL
             OR CAST(invo_involvement_end_date AS DATE) > $census)
    GROUP BY 1),
team_manager AS (
    SELECT DISTINCT prof_professional_id AS id FROM gtx_team_membership
    WHERE is_team_manager AND CAST(start_date AS DATE) <= $census
        AND (end_date IS NULL OR CAST(end_date AS DATE) > $census))
SELECT s.*, COALESCE(c.children, 0) AS children, s.id IN (SELECT id FROM team_manager)
    AS team_manager
FROM staff s LEFT JOIN cases c ON c.id = s.id
WHERE s.in_post OR (s.leaver AND NOT s.agency)
ORDER BY s.agency, s.swe, s.id"""


@dataclass(frozen=True)
class Census:
    year: int
    workers: list[tuple[Any, ...]]  # WORKER_COLUMNS
    la: tuple[Any, ...]  # LA_COLUMNS
    summary: list[tuple[str, Any, str]]  # SUMMARY_COLUMNS


def _fte(value: float) -> str:
    """Up to 6 decimal places, as the schema's ftetype allows: 0.5, 1."""
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _reason(text: str | None) -> str:
    lowered = (text or "").lower()
    return next((code for words, code in REASONS if words in lowered), "9")


def _in_asye(asye: dt.date | None, day: dt.date) -> bool:
    return asye is not None and asye <= day and (day - asye).days < ASYE_DAYS


def _worker(row: Mapping[str, Any], census: dt.date) -> tuple[Any, ...]:
    in_post, agency = row["in_post"], row["agency"]
    role = (FIRST_LINE_MANAGER if row["team_manager"] else MIDDLE_MANAGER if row["manager"]
            else CASE_HOLDER if row["children"] else WITHOUT_CASES) if in_post else None
    origin = None
    if row["starter"] and not agency:
        # Newly qualified: their ASYE began with (or after) the job.
        origin = NEWLY_QUALIFIED if row["asye"] and row["asye"] >= row["started"] \
            else ORIGIN_NOT_KNOWN
    leaving = not in_post
    values = {
        "AgencyWorker": "1" if agency else "0", "SWENo": row["swe"],
        "FTE": _fte(row["fte"]) if in_post else "0",
        "OrgRole": role, "RoleStartDate": row["started"], "StartOrigin": origin,
        "RoleEndDate": row["left_on"] if leaving else None,
        "LeaverDestination": DESTINATION_NOT_KNOWN if leaving else None,
        "ReasonLeave": _reason(row["leave_reason"]) if leaving else None,
        # FTE30 carries a leaver's FTE (FTE must be 0 for them): FTE on 30 September or
        # on the last day in post.
        "FTE30": _fte(row["fte"]),
        "Cases30": row["children"] if in_post else None,
        "CFKSSstatus": IN_ASYE if in_post and _in_asye(row["asye"], census) else None,
    }
    return tuple(values.get(column) for column in WORKER_COLUMNS)


def _rate(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _summary(rows: Sequence[Mapping[str, Any]], census: dt.date) -> list[tuple[str, Any, str]]:
    la = [r for r in rows if not r["agency"]]
    in_post = [r for r in la if r["in_post"]]
    agency = [r for r in rows if r["agency"] and r["in_post"]]
    starters = [r for r in la if r["starter"]]
    leavers = [r for r in la if r["leaver"] and not r["in_post"]]
    holders = [r for r in rows if r["in_post"] and r["children"]]
    fte_in_post = sum(r["fte"] for r in in_post)
    agency_fte = sum(r["fte"] for r in agency)
    leaver_fte = sum(r["fte"] for r in leavers)
    cases = sum(r["children"] for r in holders)
    holder_fte = sum(r["fte"] for r in holders)
    asye = [r for r in in_post if _in_asye(r["asye"], census)]
    return [
        ("headcount_in_post", len(in_post), "LA-employed social workers in post on 30 September"),
        ("fte_in_post", round(fte_in_post, 2), "their FTE"),
        ("agency_headcount", len(agency), "agency social workers in post on 30 September"),
        ("agency_fte", round(agency_fte, 2), "their FTE"),
        ("agency_rate", _rate(agency_fte, agency_fte + fte_in_post),
         "agency FTE / (agency FTE + LA-employed FTE in post) x 100"),
        ("starters_headcount", len(starters), "LA-employed social workers who started in the year"),
        ("starters_fte", round(sum(r["fte"] for r in starters), 2), "their FTE"),
        ("leavers_headcount", len(leavers), "LA-employed social workers who left in the year"),
        ("leavers_fte", round(leaver_fte, 2), "their FTE when they left"),
        ("turnover_rate", _rate(leaver_fte, fte_in_post),
         "leavers' FTE / LA-employed FTE in post on 30 September x 100"),
        ("cases", cases, "children allocated to a social worker (role CW) on 30 September"),
        ("case_holder_fte", round(holder_fte, 2),
         "FTE of social workers holding at least one case (LA-employed and agency)"),
        ("caseload", round(cases / holder_fte, 1) if holder_fte else None,
         "cases / case-holders' FTE"),
        ("asye_headcount", len(asye), "LA-employed social workers in their ASYE on 30 September"),
        ("asye_share", _rate(len(asye), len(in_post)),
         "in their ASYE / LA-employed headcount in post x 100"),
        ("vacancies_fte", None, "not held: no record of vacant posts"),
    ]


def build(con: duckdb.DuckDBPyConnection, year: int) -> Census:
    first, census = census_dates(year)
    cursor = con.execute(_STAFF, {"first": first, "census": census})
    names = [d[0] for d in cursor.description]
    rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    # Every agency worker in post is given at worker level, so none is counted only here.
    la = (None, "0.00", 0)
    return Census(year, [_worker(r, census) for r in rows], la, _summary(rows, census))


def _text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def write_csv(census: Census, out: Path) -> list[Path]:
    """csww_<year>_workers.csv, csww_<year>_la.csv and csww_<year>_summary.csv."""
    out.mkdir(parents=True, exist_ok=True)
    files = {
        "workers": (WORKER_COLUMNS, [tuple(map(_text, r)) for r in census.workers]),
        "la": (LA_COLUMNS, [census.la]),
        "summary": (SUMMARY_COLUMNS, census.summary),
    }
    written = []
    for name, (header, rows) in files.items():
        text, _ = csv_text(header, rows)
        path = out / f"csww_{census.year}_{name}.csv"
        path.write_text(text, "utf-8")
        written.append(path)
    return written
