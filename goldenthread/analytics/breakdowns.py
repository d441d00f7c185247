"""Breakdowns: who or what each unit row is attributed to, as SQL over the SSD store.

A unit row (one referral, one child...) is put in a group by the child it is about and
the period's end date:

- `locality`: the top of the `ssd_department` parent chain above the row's team;
- `team`, `worker`: the indicator's own `team_id` / `worker_id` when it outputs them and
  they are filled; otherwise the child's allocated social worker (an `ssd_involvements`
  row in role CW) open at the period end, and that involvement's team; else "Unallocated";
- `age_band`: DfE's bands at the period end (unborn, under 1, 1-4, 5-9, 10-15, 16-17, 18+);
- `sex`, `ethnicity` (DfE's major groups of the ethnicity code), `disability` (any
  `ssd_disability` code other than NONE);
- `legal_status`: the `ssd_legal_status` open at the period end, else "Not looked after".

The engine first creates `gt_points(period_id, period_end)` (one row per date asked for);
`prepare` here adds the small tables these need, once per run. Plain SQL and Python, no
Django (import-linter).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from goldenthread.analytics.catalogue import Breakdown

__all__ = ["ALLOCATED_ROLES", "BREAKDOWNS", "ETHNIC_GROUPS", "SHARED", "Grouping", "grouping",
           "joins", "labels", "prepare", "sort_key", "unit_columns"]

BREAKDOWNS: tuple[Breakdown, ...] = ("locality", "team", "worker", "age_band", "sex",
                                     "ethnicity", "disability", "legal_status")

# invo_professional_role_id of the allocated social worker (our INVOLVEMENT_ROLE list).
ALLOCATED_ROLES: tuple[str, ...] = ("CW",)
UNALLOCATED = "Unallocated"
UNKNOWN = "Unknown"
# The catalogue (an in-memory database attached to the connection) that holds the tables
# the groupings join to, and the engine's inputs for a run (engine._shared_inputs).
SHARED = "gt_breakdown"

# DfE's major ethnic groups, as its CIN and CLA tables group the census codes (Chinese is
# under "Other ethnic group" there).
ETHNIC_GROUPS: Mapping[str, tuple[str, ...]] = {
    "White": ("WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    "Mixed or multiple ethnic groups": ("MWBC", "MWBA", "MWAS", "MOTH"),
    "Asian or Asian British": ("AIND", "APKN", "ABAN", "AOTH"),
    "Black, African, Caribbean or Black British": ("BCRB", "BAFR", "BOTH"),
    "Other ethnic group": ("CHNE", "OOTH"),
    "Refused": ("REFU",),
    "Information not yet obtained": ("NOBT",),
}
SEXES: Mapping[str, tuple[str, ...]] = {"Male": ("M", "1"), "Female": ("F", "2"),
                                        "Not recorded or unborn": ("U", "0"),
                                        "Indeterminate": ("9",)}
# (label, lowest age in whole years, highest): DfE's bands.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0), ("1-4", 1, 4), ("5-9", 5, 9), ("10-15", 10, 15), ("16-17", 16, 17))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _case(expression: str, groups: Mapping[str, tuple[str, ...]], otherwise: str) -> str:
    whens = " ".join(f"WHEN {expression} IN ({', '.join(map(_quote, codes))}) "
                     f"THEN {_quote(label)}" for label, codes in groups.items())
    return f"CASE {whens} ELSE {_quote(otherwise)} END"


def _age(end: str, dob: str) -> str:
    """Completed years on `end` (a 29 February birthday comes on 1 March in other years)."""
    return (f"(EXTRACT(YEAR FROM {end}) - EXTRACT(YEAR FROM {dob}) - CASE WHEN "
            f"EXTRACT(MONTH FROM {end}) * 100 + EXTRACT(DAY FROM {end}) < "
            f"EXTRACT(MONTH FROM {dob}) * 100 + EXTRACT(DAY FROM {dob}) THEN 1 ELSE 0 END)")


def _age_band(end: str) -> str:
    dob = "gp.dob"
    age = _age(end, dob)
    bands = " ".join(f"WHEN {age} BETWEEN {low} AND {high} THEN {_quote(label)}"
                     for label, low, high in AGE_BANDS)
    return (f"CASE WHEN {dob} IS NULL AND gp.expected_dob IS NOT NULL THEN 'Unborn' "
            f"WHEN {dob} IS NULL THEN {_quote(UNKNOWN)} WHEN {dob} > {end} THEN 'Unborn' "
            f"{bands} ELSE '18+' END")


@dataclass(frozen=True)
class Grouping:
    """SQL to put unit rows `u` (joined to `periods p`) in groups: the joins the group's
    key needs, the key, its label (a team's id and name, say; for most breakdowns both the
    same) and the joins only the label needs (the drill-down shows labels; a breakdown's
    figures get theirs from `labels`, once)."""

    joins: tuple[str, ...]
    key: str
    label: str
    label_joins: tuple[str, ...] = ()


def unit_columns(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[str, ...]:
    """The columns an indicator's SQL gives (binds the query; nothing is run)."""
    return tuple(con.sql(sql).columns)


def _team_key(columns: Iterable[str]) -> str:
    return "COALESCE(u.team_id, ga.team_id)" if "team_id" in columns else "ga.team_id"


def _worker_key(columns: Iterable[str]) -> str:
    return "COALESCE(u.worker_id, ga.worker_id)" if "worker_id" in columns else "ga.worker_id"


_PERSON = """LEFT JOIN (SELECT pers_person_id, CAST(pers_dob AS DATE) AS dob,
    CAST(pers_expected_dob AS DATE) AS expected_dob, pers_sex, pers_ethnicity
    FROM ssd_person) gp ON gp.pers_person_id = u.person_id"""
# gt_allocation holds runs of periods with the same allocation (a child keeps a worker for
# months): a fifth of the rows of one per period and child, so the join is cheaper.
_ALLOCATION = (f"LEFT JOIN {SHARED}.gt_allocation ga ON ga.person_id = u.person_id "
               "AND u.period_id BETWEEN ga.first_period AND ga.last_period")
_TEAM = f"LEFT JOIN {SHARED}.gt_team gt ON gt.team_id = {{team}}"


def grouping(breakdown: Breakdown, columns: Iterable[str]) -> Grouping:
    """How rows of an indicator whose SQL gives `columns` are grouped by `breakdown`."""
    columns = tuple(columns)
    team, worker = _team_key(columns), _worker_key(columns)
    match breakdown:
        case "team":
            return Grouping((_ALLOCATION,), f"COALESCE({team}, {_quote(UNALLOCATED)})",
                            f"COALESCE(gt.team_name, {team}, {_quote(UNALLOCATED)})",
                            (_TEAM.format(team=team),))
        case "locality":
            return Grouping((_ALLOCATION, _TEAM.format(team=team)),
                            f"COALESCE(gt.locality_id, {team}, {_quote(UNALLOCATED)})",
                            f"COALESCE(gt.locality_name, {team}, {_quote(UNALLOCATED)})")
        case "worker":
            return Grouping((_ALLOCATION,), f"COALESCE({worker}, {_quote(UNALLOCATED)})",
                            f"COALESCE(gw.prof_professional_name, {worker}, "
                            f"{_quote(UNALLOCATED)})",
                            ("LEFT JOIN ssd_professionals gw "
                             f"ON gw.prof_professional_id = {worker}",))
        case "age_band":
            band = _age_band("p.period_end")
            return Grouping((_PERSON,), band, band)
        case "sex":
            sex = _case("UPPER(TRIM(gp.pers_sex))", SEXES, UNKNOWN)
            return Grouping((_PERSON,), sex, sex)
        case "ethnicity":
            group = _case("UPPER(TRIM(gp.pers_ethnicity))", ETHNIC_GROUPS, UNKNOWN)
            return Grouping((_PERSON,), group, group)
        case "disability":
            label = ("CASE WHEN gd.person_id IS NULL THEN 'Not recorded as disabled' "
                     "ELSE 'Disabled' END")
            return Grouping((f"LEFT JOIN {SHARED}.gt_disabled gd ON gd.person_id = u.person_id",),
                            label, label)
        case "legal_status":
            status = "COALESCE(gl.legal_status, 'Not looked after')"
            return Grouping((f"LEFT JOIN {SHARED}.gt_legal_status gl "
                             "ON gl.period_id = u.period_id "
                             "AND gl.person_id = u.person_id",), status, status)
    raise ValueError(f"breakdown {breakdown!r}; allowed: {', '.join(BREAKDOWNS)}")


def joins(groupings: Iterable[Grouping]) -> str:
    """The joins of several groupings, each once (the drill-down shows every breakdown)."""
    return " ".join(dict.fromkeys(part for item in groupings
                                  for part in (*item.joins, *item.label_joins)))


# -- the small tables the groupings join to ----------------------------------------------

# gt_allocation: each allocation's span of points (the first point on or after its start to
# the last before its end, by ASOF joins of the distinct days, fewer than the allocations,
# to the sorted points) is a run as it is, unless
# the child has another span that shares a point (an extract's overlapping allocations,
# rare, or a row repeated); only those are split into points, keeping the latest-started
# allocation at each. A third of the work of ranking every (point, child) row; the runs may
# be cut differently, the allocation at each point is the same.
_ALLOCATION_SQL = f"""CREATE OR REPLACE TABLE {SHARED}.gt_allocation AS
WITH involvements AS (
    SELECT i.invo_involvements_id AS allocation_id, i.invo_person_id AS person_id,
        i.invo_professional_id AS worker_id, i.invo_professional_team AS team_id,
        CAST(i.invo_involvement_start_date AS DATE) AS start_date,
        CAST(i.invo_involvement_end_date AS DATE) AS end_date
    FROM ssd_involvements i
    WHERE i.invo_professional_role_id IN ({{roles}}) AND i.invo_person_id IS NOT NULL),
firsts AS (
    SELECT d.day, f.period_id FROM (SELECT DISTINCT start_date AS day FROM involvements) d
    ASOF JOIN gt_points f ON f.period_end >= d.day),
lasts AS (
    SELECT d.day, l.period_id
    FROM (SELECT DISTINCT COALESCE(end_date, DATE '9999-12-31') AS day FROM involvements) d
    ASOF JOIN gt_points l ON l.period_end < d.day),
spans AS (
    SELECT v.*, f.period_id AS first_period, l.period_id AS last_period
    FROM involvements v
    JOIN firsts f ON f.day = v.start_date
    JOIN lasts l ON l.day = COALESCE(v.end_date, DATE '9999-12-31')
    WHERE f.period_id <= l.period_id),
sharing AS (
    SELECT s.person_id, s.allocation_id, s.worker_id, s.team_id, s.start_date, s.end_date,
           s.first_period, s.last_period, COUNT(*) AS spans
    FROM spans s JOIN spans o ON o.person_id = s.person_id
     AND o.first_period <= s.last_period AND o.last_period >= s.first_period
    GROUP BY ALL),
overlapping AS (
    SELECT period_id, person_id, worker_id, team_id FROM (
        SELECT pt.period_id, s.person_id, s.worker_id, s.team_id,
            ROW_NUMBER() OVER (PARTITION BY pt.period_id, s.person_id
                               ORDER BY s.start_date DESC, s.allocation_id DESC) AS n
        FROM sharing s
        JOIN gt_points pt ON pt.period_id BETWEEN s.first_period AND s.last_period
        WHERE s.spans > 1) a
    WHERE n = 1)
SELECT person_id, first_period, last_period, worker_id, team_id FROM sharing WHERE spans = 1
UNION ALL
SELECT person_id, period_id, period_id, worker_id, team_id FROM overlapping"""

_LEGAL_SQL = f"""CREATE OR REPLACE TABLE {SHARED}.gt_legal_status AS
SELECT period_id, person_id, legal_status FROM (
    SELECT pt.period_id, l.lega_person_id AS person_id, l.lega_legal_status AS legal_status,
        ROW_NUMBER() OVER (PARTITION BY pt.period_id, l.lega_person_id
                           ORDER BY l.lega_legal_status_start_date DESC,
                                    l.lega_legal_status_id DESC) AS n
    FROM gt_points pt JOIN ssd_legal_status l
      ON CAST(l.lega_legal_status_start_date AS DATE) <= pt.period_end
     AND (l.lega_legal_status_end_date IS NULL
          OR CAST(l.lega_legal_status_end_date AS DATE) > pt.period_end)) a
WHERE n = 1"""

_DISABLED_SQL = f"""CREATE OR REPLACE TABLE {SHARED}.gt_disabled AS
SELECT DISTINCT disa_person_id AS person_id FROM ssd_disability
WHERE disa_disability_code IS NOT NULL AND UPPER(TRIM(disa_disability_code)) <> 'NONE'"""


def _teams(con: duckdb.DuckDBPyConnection) -> pa.Table:
    """Each team with its name and the locality at the top of its parent chain (any depth;
    a loop or a parent missing from the extract stops the climb where it is)."""
    rows = con.execute("SELECT dept_team_id, dept_team_name, dept_team_parent_id, "
                       "dept_team_parent_name FROM ssd_department").fetchall()
    parent = {team: (up, up_name) for team, _, up, up_name in rows}
    name = {team: team_name for team, team_name, _, _ in rows}
    out: dict[str, list[str | None]] = {"team_id": [], "team_name": [], "locality_id": [],
                                        "locality_name": []}
    for team, team_name, _, _ in rows:
        top, top_name, seen = team, team_name, {team}
        while True:
            up, up_name = parent.get(top, (None, None))
            if up is None or up in seen:
                break
            seen.add(up)
            top, top_name = up, name.get(up, up_name)
        for column, value in zip(out, (team, team_name, top, top_name), strict=True):
            out[column].append(value)
    return pa.table(out, schema=pa.schema([(c, pa.string()) for c in out]))


AGE_ORDER = ("Unborn", *(label for label, _, _ in AGE_BANDS), "18+", UNKNOWN)


def sort_key(breakdown: Breakdown | None, label: str | None) -> tuple[int, str]:
    """Groups in reading order: age bands youngest first, otherwise by name, with
    "Unallocated", "Unknown" and the like last."""
    label = label or ""
    if breakdown == "age_band" and label in AGE_ORDER:
        return AGE_ORDER.index(label), ""
    last = label in (UNALLOCATED, UNKNOWN, "Not looked after", "Not recorded as disabled")
    return int(last), label


def labels(con: duckdb.DuckDBPyConnection, breakdown: Breakdown) -> dict[str, str]:
    """What to show for each group key that is an id (teams, localities, workers); other
    breakdowns' keys are their labels. Teams and localities come from gt_team (`prepare`)."""
    if breakdown in ("team", "locality"):
        key, name = ("team_id", "team_name") if breakdown == "team" else \
            ("locality_id", "locality_name")
        found = con.execute(f"SELECT {key}, {name} FROM {SHARED}.gt_team").fetchall()
    elif breakdown == "worker":
        found = con.execute("SELECT prof_professional_id, prof_professional_name "
                            "FROM ssd_professionals").fetchall()
    else:
        return {}
    return {key: label for key, label in found if key is not None and label is not None}


def prepare(con: duckdb.DuckDBPyConnection, needed: Iterable[Breakdown]) -> None:
    """Create the tables the breakdowns in `needed` join to (after `gt_points`, whose
    period_ids follow the dates, as the engine makes it). They go in the in-memory catalogue
    SHARED, which every cursor of `con` sees: made once, read by queries on any of them."""
    needed = set(needed)
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {SHARED}")
    if needed & {"team", "worker", "locality"}:
        con.execute(_ALLOCATION_SQL.format(roles=", ".join(map(_quote, ALLOCATED_ROLES))))
    if needed & {"team", "locality"}:
        con.register("gt_team_arrow", _teams(con))
        con.execute(f"CREATE OR REPLACE TABLE {SHARED}.gt_team AS SELECT * FROM gt_team_arrow")
        con.unregister("gt_team_arrow")
    if "legal_status" in needed:
        con.execute(_LEGAL_SQL)
    if "disability" in needed:
        con.execute(_DISABLED_SQL)
