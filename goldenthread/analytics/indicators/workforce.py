"""Social work workforce: caseloads, changes of social worker, turnover, agency and ASYE
(reference/indicators.md §7; DfE's children's social work workforce (CSWW) collection;
seeds 000, 002 and 004).

A case is a child allocated to a social worker: an `ssd_involvements` row in the allocated
worker's role (`breakdowns.ALLOCATED_ROLES`, CW) open on the day ([start, end)); siblings
count separately, as in the CSWW. A case-holding social worker holds at least one.

Staff dates, FTE, agency and ASYE come from `gtx_professional`; a worker's team from
`gtx_team_membership` (the membership open on the day, the latest-joined if several), or,
failing that, the team of the cases they hold. A professional is in post from their start
date up to the day before their leave date ([start, leave)), so a leave date of 1 October
means they were in post on 30 September and left in the next year. In their ASYE means on
or after the ASYE start and less than 365 days after it (Professional.in_asye_on).

Not declared: the vacancy rate (FTE vacancies / (vacancies + FTE in post)). It needs a
record of vacant posts, which neither the SSD nor the records hold; a figure made up from
leavers or establishment guesses would mislead a scrutiny committee.
"""

from __future__ import annotations

from goldenthread.analytics.breakdowns import ALLOCATED_ROLES
from goldenthread.analytics.catalogue import (
    WORKFORCE_BREAKDOWNS,
    Benchmark,
    Indicator,
    Measure,
    register,
)

CSWW = "DfE Children's social work workforce (CSWW) indicators, year to 30 September"
ROLES = "(" + ", ".join(f"'{role}'" for role in ALLOCATED_ROLES) + ")"
ASYE_DAYS = 365
OPEN = "DATE '9999-12-31'"  # the end of an allocation still open (a range join, no OR)

# Allocations: every allocated-worker involvement, dates as dates (`open_until`: the end,
# or a date far off while open).
_ALLOCATIONS = f"""allocations AS (
    SELECT i.invo_involvements_id AS allocation_id, i.invo_person_id AS person_id,
           i.invo_professional_id AS worker_id, i.invo_professional_team AS team_id,
           CAST(i.invo_involvement_start_date AS DATE) AS start_date,
           COALESCE(CAST(i.invo_involvement_end_date AS DATE), {OPEN}) AS open_until
    FROM ssd_involvements i
    WHERE i.invo_professional_role_id IN {ROLES})"""

# Each child's current allocation at the period end (the latest, should an extract overlap):
# an allocation's span of periods (by two ASOF joins) is used whole unless the child has
# another span sharing a period (rare); only those are ranked period by period. As
# breakdowns' gt_allocation, and cheaper than ranking every (period, child) row.
_CURRENT = f"""{_ALLOCATIONS},
spans AS (
    SELECT a.*, f.period_id AS first_period, l.period_id AS last_period
    FROM allocations a
    ASOF JOIN periods f ON f.period_end >= a.start_date
    ASOF JOIN periods l ON l.period_end < a.open_until
    WHERE f.period_id <= l.period_id),
sharing AS (
    SELECT s.*, COUNT(*) AS spans
    FROM spans s JOIN spans o ON o.person_id IS NOT DISTINCT FROM s.person_id
     AND o.first_period <= s.last_period AND o.last_period >= s.first_period
    GROUP BY ALL),
current_allocation AS (
    SELECT p.period_id, p.period_start, p.period_end, s.allocation_id, s.person_id,
           s.worker_id, s.team_id, s.start_date, s.open_until
    FROM sharing s JOIN periods p ON p.period_id BETWEEN s.first_period AND s.last_period
    WHERE s.spans = 1
    UNION ALL
    SELECT period_id, period_start, period_end, allocation_id, person_id, worker_id, team_id,
           start_date, open_until FROM (
        SELECT p.period_id, p.period_start, p.period_end, s.allocation_id, s.person_id,
               s.worker_id, s.team_id, s.start_date, s.open_until,
               ROW_NUMBER() OVER (PARTITION BY p.period_id, s.person_id
                                  ORDER BY s.start_date DESC, s.allocation_id DESC) AS latest
        FROM sharing s JOIN periods p ON p.period_id BETWEEN s.first_period AND s.last_period
        WHERE s.spans > 1) o
    WHERE latest = 1)"""


def _in_asye(day: str) -> str:
    start = "CAST(g.asye_start_date AS DATE)"
    return (f"({start} IS NOT NULL AND {start} <= {day} "
            f"AND DATE_DIFF('day', {start}, {day}) < {ASYE_DAYS})")


def _in_post(day: str) -> str:
    return (f"(g.start_date IS NULL OR CAST(g.start_date AS DATE) <= {day}) "
            f"AND (g.leave_date IS NULL OR CAST(g.leave_date AS DATE) > {day})")


# `staff(period_id, worker_id, on_day, ...)` -> the team each worker was in on that day.
_TEAMS = """teams AS (
    SELECT * FROM (
        SELECT s.period_id, s.worker_id, m.dept_team_id AS team_id,
               ROW_NUMBER() OVER (PARTITION BY s.period_id, s.worker_id
                                  ORDER BY m.start_date DESC, m.dept_team_id) AS latest
        FROM staff s
        JOIN gtx_team_membership m ON m.prof_professional_id = s.worker_id
         AND CAST(m.start_date AS DATE) <= s.on_day
         AND (m.end_date IS NULL OR CAST(m.end_date AS DATE) > s.on_day)) t
    WHERE latest = 1)"""


# Rows per case-holding social worker: children held over FTE, and whether in their ASYE
# (the three caseload measures, computed in one query).
CASELOAD_ROWS = f"""WITH {_CURRENT},
cases AS (
    SELECT period_id, period_end, worker_id, COUNT(DISTINCT person_id) AS children,
           MIN(team_id) AS case_team
    FROM current_allocation GROUP BY period_id, period_end, worker_id),
staff AS (
    SELECT c.period_id, c.worker_id, c.period_end AS on_day, c.children, c.case_team,
           CAST(g.fte AS DOUBLE) AS fte, {_in_asye("c.period_end")} AS in_asye
    FROM cases c JOIN gtx_professional g ON g.prof_professional_id = c.worker_id
    WHERE g.is_social_worker),
{_TEAMS}
SELECT s.period_id, CAST(NULL AS VARCHAR) AS person_id, s.worker_id AS subject_id,
       s.children, s.fte, s.in_asye, COALESCE(t.team_id, s.case_team) AS team_id, s.worker_id
FROM staff s LEFT JOIN teams t ON t.period_id = s.period_id AND t.worker_id = s.worker_id"""
_ATTRIBUTED = ("team_id", "worker_id")


def _caseload(which: str) -> Measure:
    """Children held over FTE, of the case-holding social workers for whom `which` holds."""
    return Measure(CASELOAD_ROWS, "children", "fte", keep=which, attributed=_ATTRIBUTED)


# Per child allocated at the period end (one row per current allocation: it is in its own
# history): the social workers they had in the 12 months to then (allocations open on any
# day of the window) and the changes of worker in it (an allocation starting in the window
# to a different worker from the one before; a team move with the same worker is no
# change, nor is the first allocation). Grouped by period and child alone: each has one
# current allocation, so its other columns need no hashing.
HISTORY_ROWS = f"""WITH {_CURRENT},
ordered AS (
    SELECT a.*, LAG(a.worker_id) OVER (PARTITION BY a.person_id
                                       ORDER BY a.start_date, a.allocation_id) AS previous_worker
    FROM allocations a
    WHERE a.person_id IN (SELECT person_id FROM current_allocation)),
history AS (
    SELECT c.period_id, c.person_id, ANY_VALUE(c.allocation_id) AS allocation_id,
           ANY_VALUE(c.team_id) AS team_id, ANY_VALUE(c.worker_id) AS worker_id,
           COUNT(DISTINCT a.worker_id) AS workers,
           SUM(CASE WHEN a.start_date >= c.period_start AND a.previous_worker IS NOT NULL
                         AND a.previous_worker <> a.worker_id THEN 1 ELSE 0 END) AS changes
    FROM current_allocation c
    JOIN ordered a ON a.person_id = c.person_id AND a.start_date <= c.period_end
     AND a.open_until > c.period_start
    GROUP BY c.period_id, c.person_id)
SELECT period_id, person_id, allocation_id AS subject_id, workers, changes, team_id, worker_id
FROM history"""

ALLOCATED = Measure(HISTORY_ROWS, attributed=_ATTRIBUTED)
THREE_OR_MORE_WORKERS = Measure(HISTORY_ROWS, "CASE WHEN workers >= 3 THEN 1 ELSE 0 END",
                                attributed=_ATTRIBUTED)
WORKER_CHANGES = Measure(HISTORY_ROWS, "changes", attributed=_ATTRIBUTED)


def _staff_rows(staff: str, numerator: str, denominator: str) -> str:
    """Rows per professional from a `staff(period_id, worker_id, on_day, ...)` CTE body."""
    return f"""WITH staff AS ({staff}),
{_TEAMS}
SELECT s.period_id, CAST(NULL AS VARCHAR) AS person_id, s.worker_id AS subject_id,
       CAST({numerator} AS DOUBLE) AS numerator, CAST({denominator} AS DOUBLE) AS denominator,
       t.team_id, s.worker_id
FROM staff s LEFT JOIN teams t ON t.period_id = s.period_id AND t.worker_id = s.worker_id"""


_LA_SOCIAL_WORKERS = "g.is_social_worker AND NOT COALESCE(g.is_agency, FALSE)"

# LA-employed social workers in post at the period end (denominator: their FTE) and those
# who left in the period (numerator: their FTE, in their team on their last day).
TURNOVER = _staff_rows(f"""
    SELECT p.period_id, g.prof_professional_id AS worker_id, p.period_end AS on_day,
           0 AS leaving, g.fte AS in_post
    FROM gtx_professional g JOIN periods p ON {_in_post("p.period_end")}
    WHERE {_LA_SOCIAL_WORKERS}
    UNION ALL
    SELECT p.period_id, g.prof_professional_id, CAST(g.leave_date - INTERVAL 1 DAY AS DATE),
           g.fte, 0
    FROM gtx_professional g
    JOIN periods p ON CAST(g.leave_date AS DATE) BETWEEN p.period_start AND p.period_end
    WHERE {_LA_SOCIAL_WORKERS}
      AND (g.start_date IS NULL OR g.start_date < g.leave_date)""", "s.leaving", "s.in_post")

AGENCY = _staff_rows(f"""
    SELECT p.period_id, g.prof_professional_id AS worker_id, p.period_end AS on_day,
           CASE WHEN COALESCE(g.is_agency, FALSE) THEN g.fte ELSE 0 END AS agency, g.fte
    FROM gtx_professional g JOIN periods p ON {_in_post("p.period_end")}
    WHERE g.is_social_worker""", "s.agency", "s.fte")

ASYE_SHARE = _staff_rows(f"""
    SELECT p.period_id, g.prof_professional_id AS worker_id, p.period_end AS on_day,
           CASE WHEN {_in_asye("p.period_end")} THEN 1 ELSE 0 END AS in_asye
    FROM gtx_professional g JOIN periods p ON {_in_post("p.period_end")}
    WHERE {_LA_SOCIAL_WORKERS}""", "s.in_asye", "1")


def _benchmarks(england: float, manchester: float, sn25: float,
                sn21: float) -> tuple[Benchmark, ...]:
    return (Benchmark("England", "2025", england), Benchmark("Manchester", "2025", manchester),
            Benchmark("SN25 mean", "2025", sn25), Benchmark("SN21 mean", "2025", sn21))


_CASELOAD = ("Children allocated to a social worker at the date divided by the FTE of the "
             "social workers holding them (those holding at least one case, LA-employed or "
             "agency)")
_SEED_004 = ("Seed 004 (weekly caseload report: ASYE and experienced social workers' average "
             "caseloads, by locality, team and worker); seed 002")
_SEED_000_ASYE = ("Seed 000 (January 2016): 33% of social workers newly qualified; target "
                  "at most 25%")
_STAFF = ("gtx_professional",)

register(
    Indicator(
        id="WF-CASELOAD", title="Caseload per case-holding social worker (FTE)",
        definition=f"{_CASELOAD}. One row per worker: by worker it is their cases per FTE; "
                   "by team or locality, the team's cases over its case-holders' FTE.",
        source=f"{CSWW}; {_SEED_004}", unit="ratio", higher_is_better=False,
        period="at_date", counts="case-holding social workers", measure=_caseload("TRUE"),
        breakdowns=WORKFORCE_BREAKDOWNS, benchmarks=_benchmarks(15.2, 14.7, 15.4, 15.0),
        dfe_rounding=True, needs=_STAFF),
    Indicator(
        id="WF-CASELOAD-ASYE", title="Caseload per FTE: social workers in their ASYE",
        definition=f"{_CASELOAD}, for social workers in their assessed and supported year in "
                   f"employment (less than {ASYE_DAYS} days since its start).",
        source=_SEED_004, unit="ratio", higher_is_better=False, period="at_date",
        counts="case-holding social workers", measure=_caseload("in_asye"),
        breakdowns=WORKFORCE_BREAKDOWNS, needs=_STAFF),
    Indicator(
        id="WF-CASELOAD-EXPERIENCED", title="Caseload per FTE: experienced social workers",
        definition=f"{_CASELOAD}, for social workers not in their ASYE (Manchester's caseload "
                   "guidance expects ASYE caseloads 10% lower than these).",
        source=_SEED_004, unit="ratio", higher_is_better=False, period="at_date",
        counts="case-holding social workers", measure=_caseload("NOT in_asye"),
        breakdowns=WORKFORCE_BREAKDOWNS, needs=_STAFF),
    Indicator(
        id="WF-ALLOCATED", title="Children allocated to a social worker",
        definition="Children with an allocated social worker at the date, each once, in the "
                   "allocation's team and with its worker: by worker, each worker's caseload.",
        source=f"{CSWW} (cases); {_SEED_004}", unit="count", higher_is_better=None,
        period="at_date", counts="children", measure=ALLOCATED),
    Indicator(
        id="WF-THREE-PLUS-WORKERS",
        title="Children with 3 or more social workers in 12 months",
        definition="Of the children allocated to a social worker at the date, the percentage "
                   "who had three or more different social workers in the 12 months to then.",
        source="Seed 000 (children have too many changes of social worker); Ofsted ILACS",
        unit="percent", higher_is_better=False, period="at_date", counts="children",
        measure=THREE_OR_MORE_WORKERS),
    Indicator(
        id="WF-WORKER-CHANGES", title="Changes of social worker per child in 12 months",
        definition="For the children allocated to a social worker at the date, the mean number "
                   "of changes of social worker in the 12 months to then: allocations starting "
                   "in those months to a different worker from the one before (the first "
                   "allocation and a team move with the same worker are not changes).",
        source="Seed 000; SSDA903 social worker episodes (SW_REASON)", unit="mean",
        higher_is_better=False, period="at_date", counts="children", measure=WORKER_CHANGES),
    Indicator(
        id="WF-TURNOVER", title="Social worker turnover rate",
        definition="FTE of LA-employed social workers who left in the year to the date, as a "
                   "percentage of the FTE of LA-employed social workers in post at the date "
                   "(agency workers are in neither).",
        source=CSWW, unit="percent", higher_is_better=False, period="year_to_30_september",
        counts="social workers", sql=TURNOVER, breakdowns=WORKFORCE_BREAKDOWNS,
        benchmarks=_benchmarks(11.8, 13.2, 10.8, 10.5), dfe_rounding=True, needs=_STAFF),
    Indicator(
        id="WF-AGENCY-RATE", title="Agency social worker rate",
        definition="FTE of agency social workers in post at the date as a percentage of the "
                   "FTE of all social workers in post (agency and LA-employed).",
        source=CSWW, unit="percent", higher_is_better=False, period="at_date",
        counts="social workers", sql=AGENCY, breakdowns=WORKFORCE_BREAKDOWNS,
        benchmarks=_benchmarks(13.0, 5.9, 12.7, 9.5), dfe_rounding=True, needs=_STAFF),
    Indicator(
        id="WF-ASYE-SHARE", title="Social workers in their ASYE",
        definition=f"Of the LA-employed social workers in post at the date (headcount), the "
                   f"percentage in their assessed and supported year in employment (less than "
                   f"{ASYE_DAYS} days since its start). No national figure.",
        source=_SEED_000_ASYE, unit="percent", higher_is_better=False, period="at_date",
        counts="social workers", sql=ASYE_SHARE, breakdowns=WORKFORCE_BREAKDOWNS,
        target=25.0, target_source=_SEED_000_ASYE, needs=_STAFF),
)
