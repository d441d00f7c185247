"""The engine: indicator SQL over an SSD store, for any dates, with the rows behind each value.

Inputs (the SQL contract in catalogue.py): `calendar`, `population` and `gt_points` (one row
per date asked for) are made once per run; `periods` and `period_days` once per period rule,
with every date as its own row, so one query per indicator computes all its points at once.
Indicators with the same SQL share it, and indicators declared as measures of the same rows
(catalogue.Measure) are computed together in one query; queries run side by side on a
cursor per thread. Rows become values in SQL (sums, counts, the median), per period and,
when asked, per group of a breakdown (breakdowns.py); `drill_down` returns the rows behind
one value.

Values are exact: DfE rounding and suppression are presentation (presentation.py).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any, NamedTuple

import duckdb
import holidays
import pyarrow as pa

from goldenthread.analytics import breakdowns
from goldenthread.analytics.catalogue import Breakdown, Indicator, Measure, PeriodRule, Unit

__all__ = ["DrillDown", "Figure", "aggregate", "drill_down", "england_bank_holidays",
           "evaluate", "materialise", "mid_year", "month_ends", "period_start", "points",
           "population_by_mid_year", "prepare", "unit_rows", "value"]

CALENDAR_YEARS_BACK = 30  # working days are counted back this far before the first date
CALENDAR_YEARS_AHEAD = 2


def period_start(rule: PeriodRule, end: dt.date) -> dt.date:
    """The first day of the window that ends on `end` under `rule`."""
    if rule == "year_to_31_march":
        return dt.date(end.year if end.month > 3 else end.year - 1, 4, 1)
    if rule == "year_to_30_september":
        return dt.date(end.year if end.month > 9 else end.year - 1, 10, 1)
    if rule == "three_years_to_31_march":
        return dt.date((end.year if end.month > 3 else end.year - 1) - 2, 4, 1)
    # at_date and rolling_12_months: the 12 months ending on the day
    try:
        return end.replace(year=end.year - 1) + dt.timedelta(days=1)
    except ValueError:  # 29 February
        return dt.date(end.year - 1, 3, 1)


def month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    """The last day of each month that ends from `first` to `last`, both included."""
    out: list[dt.date] = []
    year, month = first.year, first.month
    while True:
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        end = following - dt.timedelta(days=1)
        if end > last:
            return out
        if end >= first:
            out.append(end)
        year, month = following.year, following.month


def points(as_at: dt.date, first: dt.date | None = None,
           last: dt.date | None = None) -> list[dt.date]:
    """An as-at date plus the month ends from `first` to `last` (default: the as-at date)."""
    monthly = month_ends(first, last or as_at) if first is not None else []
    return sorted({as_at, *monthly})


def mid_year(end: dt.date) -> int:
    """The ONS mid-year (30 June) estimate DfE divides by: the one before the date, so a
    year ending 31 March 2025 uses mid-2024."""
    return end.year - 1 if end.month <= 6 else end.year


# -- inputs ------------------------------------------------------------------------------

def england_bank_holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    """`reference.calendar.bank_holidays` for a span of years in one call of the `holidays`
    package (a call a year costs about 40 ms; tests/analytics prove the two agree)."""
    found = holidays.country_holidays("GB", subdiv="ENG",
                                      years=range(first_year, last_year + 1))
    return frozenset(day for day in found if day.weekday() < 5)


@functools.cache
def _calendar(first_year: int, last_year: int) -> pa.Table:
    closed = england_bank_holidays(first_year, last_year)
    days, counts, wd = [], [], 0
    day, last = dt.date(first_year, 1, 1), dt.date(last_year, 12, 31)
    while day <= last:
        if day.weekday() < 5 and day not in closed:
            wd += 1
        days.append(day)
        counts.append(wd)
        day += dt.timedelta(days=1)
    return pa.table({"day": pa.array(days, pa.date32()), "wd": pa.array(counts, pa.int32())})


def _load(con: duckdb.DuckDBPyConnection, name: str, data: pa.Table,
          schema: str | None = None) -> None:
    """`data` as the table `name`: one of `con`'s temp tables, or one in `schema`."""
    con.register(f"{name}_arrow", data)
    table = f"TEMP TABLE {name}" if schema is None else f"TABLE {schema}.{name}"
    con.execute(f"CREATE OR REPLACE {table} AS SELECT * FROM {name}_arrow")
    con.unregister(f"{name}_arrow")


def population_by_mid_year(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """gtx_population as {mid-year: children aged 0-17} (summed: a pooled store has one row
    per council and year); empty when the store has no population."""
    found = con.execute("SELECT mid_year, SUM(children_0_17) FROM gtx_population "
                        "WHERE mid_year IS NOT NULL GROUP BY mid_year").fetchall()
    return {int(year): int(children) for year, children in found if children is not None}


def _population_for(end: dt.date, population: Mapping[int, int]) -> int | None:
    """DfE's mid-year before the date; when ONS has not published it yet, the latest one
    before it (rates for the current year are provisional until then)."""
    wanted = mid_year(end)
    earlier = [year for year in population if year <= wanted]
    return population[max(earlier)] if earlier else None


def _inputs(ends: Sequence[dt.date], children: Sequence[int | None]) -> dict[str, pa.Table]:
    """calendar, population and gt_points: the same for every period rule."""
    return {"calendar": _calendar(min(ends).year - CALENDAR_YEARS_BACK,
                                  max(ends).year + CALENDAR_YEARS_AHEAD),
            "population": pa.table({"period_id": pa.array(range(len(ends)), pa.int32()),
                                    "children_0_17": pa.array(children, pa.int64())}),
            "gt_points": _points_table(ends)}


def _prepare_inputs(con: duckdb.DuckDBPyConnection, ends: Sequence[dt.date],
                    population: Mapping[int, int] | None) -> None:
    known = population_by_mid_year(con) if population is None else dict(population)
    for name, data in _inputs(ends, [_population_for(end, known) for end in ends]).items():
        _load(con, name, data)


def _points_table(ends: Sequence[dt.date]) -> pa.Table:
    return pa.table({"period_id": pa.array(range(len(ends)), pa.int32()),
                     "period_end": pa.array(ends, pa.date32())})


@functools.lru_cache(maxsize=32)
def _period_tables(rule: PeriodRule, ends: tuple[dt.date, ...]) -> tuple[pa.Table, pa.Table]:
    """`periods` and `period_days` (every day of each window) for these ends."""
    starts = [period_start(rule, end) for end in ends]
    ids: list[int] = []
    days: list[dt.date] = []
    for period_id, (first, end) in enumerate(zip(starts, ends, strict=True)):
        span = (end - first).days + 1
        ids += [period_id] * span
        days += [first + dt.timedelta(days=n) for n in range(span)]
    periods = pa.table({"period_id": pa.array(range(len(ends)), pa.int32()),
                        "period_start": pa.array(starts, pa.date32()),
                        "period_end": pa.array(ends, pa.date32())})
    return periods, pa.table({"period_id": pa.array(ids, pa.int32()),
                              "day": pa.array(days, pa.date32())})


def _prepare_periods(con: duckdb.DuckDBPyConnection, rule: PeriodRule,
                     ends: Sequence[dt.date], schema: str | None = None) -> None:
    periods, period_days = _period_tables(rule, tuple(ends))
    _load(con, "periods", periods, schema)
    _load(con, "period_days", period_days, schema)


def prepare(con: duckdb.DuckDBPyConnection, rule: PeriodRule, ends: Sequence[dt.date],
            population: Mapping[int, int] | None = None) -> None:
    """(Re)create the engine's inputs for the given period ends (period_id = position)."""
    _prepare_inputs(con, ends, population)
    _prepare_periods(con, rule, ends)


def materialise(con: duckdb.DuckDBPyConnection) -> None:
    """Read every ssd_*/gtx_* view into memory once, so many queries do not each re-read
    the Parquet files (worth it for a whole-catalogue run; a single figure need not)."""
    views = [name for (name,) in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal "
        "AND (view_name LIKE 'ssd_%' OR view_name LIKE 'gtx_%')").fetchall()]
    for name in views:
        con.execute(f"CREATE TABLE gt_copy AS SELECT * FROM {name}")
        con.execute(f"DROP VIEW {name}")
        con.execute(f"ALTER TABLE gt_copy RENAME TO {name}")


# -- values --------------------------------------------------------------------------------

class Figure(NamedTuple):
    """One value: an indicator at one date, for the whole authority (group None) or for one
    group of a breakdown (`group` its key, `label` what to show). A named tuple: a by-team
    run makes tens of thousands, at a fifth of a frozen dataclass's cost each."""

    indicator: str
    period_end: dt.date
    value: float | None
    numerator: float
    denominator: float
    rows: int
    group: str | None = None
    label: str | None = None
    population: int | None = None


def unit_rows(con: duckdb.DuckDBPyConnection, indicator: Indicator) -> duckdb.DuckDBPyRelation:
    return con.sql(indicator.sql)


def from_sums(unit: Unit, numerator: float, denominator: float, median: float | None,
              population: int | None) -> float | None:
    """The value of sums of rows, by the indicator's unit (catalogue.py's contract)."""
    match unit:
        case "count":
            return numerator
        case "percent":
            return 100 * numerator / denominator if denominator else None
        case "rate_per_10k":
            return 10_000 * numerator / population if population else None
        case "mean" | "ratio":
            return numerator / denominator if denominator else None
        case "median":
            return median
    raise AssertionError(unit)


def aggregate(indicator: Indicator, numerators: Sequence[float], denominators: Sequence[float],
              population: int | None) -> float | None:
    """The value of unit rows held in Python (the engine itself aggregates in SQL)."""
    values = sorted(n for n, d in zip(numerators, denominators, strict=True) if d == 1)
    mid = len(values) // 2
    median = None if not values else values[mid] if len(values) % 2 else \
        (values[mid - 1] + values[mid]) / 2
    return from_sums(indicator.unit, float(sum(numerators)), float(sum(denominators)), median,
                     population)


def _body(sql: str) -> str:
    return sql.strip().rstrip(";")


def _aggregate_sql(sql: str, grouping: breakdowns.Grouping | None, median: bool) -> str:
    """Sums per period (and group) of an indicator's rows; only a median needs the rows'
    values sorted, and only an age band needs the period's end."""
    key = grouping.key if grouping else "CAST(NULL AS VARCHAR)"
    middle = ("MEDIAN(CASE WHEN u.denominator = 1 THEN CAST(u.numerator AS DOUBLE) END)"
              if median else "CAST(NULL AS DOUBLE)")
    joins = " ".join(grouping.joins) if grouping else ""
    periods = "JOIN periods p ON p.period_id = u.period_id" if "p.period_end" in key else ""
    return f"""SELECT u.period_id, {key} AS group_key,
        SUM(CAST(u.numerator AS DOUBLE)) AS numerator,
        SUM(CAST(u.denominator AS DOUBLE)) AS denominator, COUNT(*) AS n, {middle} AS median
    FROM ({sql}) u {periods} {joins}
    GROUP BY u.period_id, group_key"""


def _measures_sql(rows: str, measures: Sequence[Measure], grouping: breakdowns.Grouping | None,
                  medians: Sequence[bool]) -> str:
    """`_aggregate_sql` for several measures of the same rows in one pass: per measure the
    sums, the count of its rows (those it keeps) and, if it needs one, the median."""
    inner, outer = ["m.*"], []
    for k, measure in enumerate(measures):
        inner += [f"CAST({measure.numerator} AS DOUBLE) AS gt_num_{k}",
                  f"CAST({measure.denominator} AS DOUBLE) AS gt_den_{k}"]
        kept = measure.keep.strip().upper() != "TRUE"
        if kept:
            inner.append(f"CASE WHEN {measure.keep} THEN 1 ELSE 0 END AS gt_keep_{k}")
        when = f"u.gt_keep_{k} = 1" if kept else "TRUE"
        middle = (f"MEDIAN(CASE WHEN {when} AND u.gt_den_{k} = 1 THEN u.gt_num_{k} END)"
                  if medians[k] else "CAST(NULL AS DOUBLE)")
        outer += [f"SUM(CASE WHEN {when} THEN u.gt_num_{k} END)" if kept else
                  f"SUM(u.gt_num_{k})",
                  f"SUM(CASE WHEN {when} THEN u.gt_den_{k} END)" if kept else
                  f"SUM(u.gt_den_{k})",
                  f"SUM(u.gt_keep_{k})" if kept else "COUNT(*)", middle]
    key = grouping.key if grouping else "CAST(NULL AS VARCHAR)"
    joins = " ".join(grouping.joins) if grouping else ""
    periods = "JOIN periods p ON p.period_id = u.period_id" if "p.period_end" in key else ""
    return f"""SELECT u.period_id, {key} AS group_key, {", ".join(outer)}
    FROM (SELECT {", ".join(inner)} FROM ({rows}) m) u {periods} {joins}
    GROUP BY u.period_id, group_key"""


def _available(con: duckdb.DuckDBPyConnection, table: str) -> bool:
    return con.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {table} LIMIT 1) t"
                       ).fetchall() != [(0,)]


def _check_breakdown(indicator: Indicator, by: Breakdown | None) -> None:
    if by is not None and by not in indicator.breakdowns:
        allowed = ", ".join(b for b in breakdowns.BREAKDOWNS if b in indicator.breakdowns)
        raise ValueError(f"{indicator.id} cannot be broken down by {by}; allowed: {allowed}")


@dataclass(frozen=True)
class _Query:
    """Indicators with the same rule and SQL (a count and its rate, say), or measures of
    the same rows (`measures`, one per distinct measure): computed in one query."""

    rule: PeriodRule
    sql: str  # the indicators' SQL, or the measures' shared rows
    indicators: tuple[Indicator, ...]
    measures: tuple[Measure, ...] = ()


Rows = list[tuple[Any, ...]]


class _Workers:
    """A cursor on the store per thread. Every cursor reads the run's inputs and the
    breakdown's tables from breakdowns.SHARED, made once on another cursor (`_setup`), and
    finds its period rule's `periods` and `period_days` by its search path; DuckDB runs
    queries without holding the GIL, so two at once use both of a small machine's CPUs."""

    def __init__(self, con: duckdb.DuckDBPyConnection, by: Breakdown | None,
                 ready: Callable[[], object], search_path: Callable[[PeriodRule], str]) -> None:
        self.con, self.by = con, by
        self.ready = ready  # waits until the shared tables are made
        self.search_path = search_path
        self.local = threading.local()
        self.cursors: list[duckdb.DuckDBPyConnection] = []
        self.lock = threading.Lock()

    def cursor(self, rule: PeriodRule) -> duckdb.DuckDBPyConnection:
        cur: duckdb.DuckDBPyConnection | None = getattr(self.local, "cursor", None)
        if cur is None:
            cur = self.con.cursor()
            with self.lock:
                self.cursors.append(cur)
            self.ready()
            self.local.cursor, self.local.rule = cur, None
        if self.local.rule != rule:
            cur.execute(f"SET search_path = '{self.search_path(rule)}'")
            self.local.rule = rule
        return cur

    def run(self, query: _Query) -> dict[str, Rows]:
        """Each indicator's rows: (period_id, group key, numerator, denominator, rows,
        median), a row per period and group that has any of its units."""
        cur = self.cursor(query.rule)
        if not query.measures:
            grouping = None if self.by is None else breakdowns.grouping(
                self.by, _attribution(cur, query.sql))
            median = any(i.unit == "median" for i in query.indicators)
            found = cur.execute(_aggregate_sql(query.sql, grouping, median)).fetchall()
            return {i.id: found for i in query.indicators}
        columns = ("period_id", "person_id", "subject_id", *query.measures[0].attributed)
        grouping = None if self.by is None else breakdowns.grouping(self.by, columns)
        medians = [any(i.unit == "median" for i in query.indicators if i.measure == m)
                   for m in query.measures]
        found = cur.execute(_measures_sql(query.sql, query.measures, grouping, medians)
                            ).fetchall()
        per_measure = [[(row[0], row[1], *row[2 + 4 * k:6 + 4 * k]) for row in found
                        if row[4 + 4 * k]] for k in range(len(query.measures))]
        return {i.id: per_measure[query.measures.index(i.measure)]
                for i in query.indicators}

    def close(self) -> None:
        for cur in self.cursors:
            cur.close()


def _attribution(cur: duckdb.DuckDBPyConnection, sql: str) -> tuple[str, ...]:
    """The SQL's columns when it may give `team_id` or `worker_id` (binding the query costs
    a few ms); none otherwise: no SSD or gtx table has a column of either name, so SQL that
    does not spell one cannot output it."""
    text = sql.lower()
    return breakdowns.unit_columns(cur, sql) if "team_id" in text or "worker_id" in text \
        else ()


def _queries(indicators: Sequence[Indicator], blank: set[str]) -> list[_Query]:
    """One query per rule and SQL, or per rule and shared rows (measures); by rule, so a
    cursor loads each rule's periods once."""
    grouped: dict[tuple[PeriodRule, bool, str, tuple[str, ...]], list[Indicator]] = {}
    for indicator in indicators:
        if indicator.id in blank:
            continue
        measure = indicator.measure
        key = (indicator.period, False, _body(indicator.sql), ()) if measure is None else \
            (indicator.period, True, _body(measure.rows), measure.attributed)
        grouped.setdefault(key, []).append(indicator)
    queries = [_Query(rule, sql, tuple(found),
                      tuple(dict.fromkeys(i.measure for i in found if i.measure is not None)))
               for (rule, _, sql, _), found in grouped.items()]
    return sorted(queries, key=lambda q: q.rule)


def evaluate(con: duckdb.DuckDBPyConnection, indicators: Iterable[Indicator],
             ends: Sequence[dt.date], *, by: Breakdown | None = None,
             population: Mapping[int, int] | None = None,
             progress: Callable[[Indicator], None] | None = None,
             workers: int | None = None) -> list[Figure]:
    """Every indicator at every date (each date its own period under the indicator's rule),
    for the whole authority or, with `by`, per group. An indicator that `needs` a gtx_*
    table the store lacks gives no value. Queries run on `workers` cursors at once (default:
    one more than the machine's CPUs, at most 4). Figures come indicator by indicator, in
    date order."""
    indicators = list(indicators)
    for indicator in indicators:
        _check_breakdown(indicator, by)
    ends = sorted(set(ends))
    if not ends or not indicators:
        return []
    known = population_by_mid_year(con) if population is None else dict(population)
    children = [_population_for(end, known) for end in ends]
    given = {"gtx_population"} if population is not None else set()
    missing = {t for i in indicators for t in i.needs
               if t not in given and not _available(con, t)}
    blank = {i.id for i in indicators if set(i.needs) & missing}
    queries = _queries(indicators, blank)
    made: dict[str, list[Figure]] = {}
    names: dict[str, str] = {}

    def inputs(cur: duckdb.DuckDBPyConnection) -> None:
        _shared_inputs(cur, ends, children, {q.rule for q in queries})

    def breakdown(cur: duckdb.DuckDBPyConnection) -> None:
        if by is not None:
            breakdowns.prepare(cur, [by])
            names.update(breakdowns.labels(cur, by))

    def figures(indicator: Indicator, found: Rows) -> None:
        made[indicator.id] = _figures(indicator, found, ends, children, by, names,
                                      blank=indicator.id in blank)
        if progress is not None:
            progress(indicator)

    # One cursor more than CPUs (at most 4): when the last few queries run, they share every
    # CPU instead of one CPU waiting idle while another finishes a long query alone.
    count = max(1, min(workers or min((os.cpu_count() or 1) + 1, 4), len(queries)))
    _run(con, queries, count, by, _points_table(ends), (inputs, breakdown), figures)
    for indicator in indicators:
        if indicator.id in blank:
            figures(indicator, [])
    return [f for indicator in indicators for f in made[indicator.id]]


def _shared_inputs(cur: duckdb.DuckDBPyConnection, ends: Sequence[dt.date],
                   children: Sequence[int | None], rules: Iterable[PeriodRule]) -> None:
    """calendar and population in breakdowns.SHARED's main schema (gt_points is there
    first: `_run`), and each rule's periods and period_days in a schema named after the
    rule: made once for every cursor of a run (`_search_path`)."""
    for name, data in _inputs(ends, children).items():
        if name != "gt_points":
            _load(cur, name, data, f"{breakdowns.SHARED}.main")
    for rule in rules:
        cur.execute(f"CREATE SCHEMA IF NOT EXISTS {breakdowns.SHARED}.{rule}")
        _prepare_periods(cur, rule, ends, f"{breakdowns.SHARED}.{rule}")


def _search_path(database: str, rule: PeriodRule | None) -> str:
    """Where a cursor finds a rule's inputs (breakdowns.SHARED) and the store's views (in
    the connection's own database, quoted: a database file's name may hold any character)."""
    shared = breakdowns.SHARED
    quoted = '"' + database.replace('"', '""') + '"'
    return ",".join([*([f"{shared}.{rule}"] if rule else []), f"{shared}.main",
                     f"{quoted}.main"]).replace("'", "''")


def _run(con: duckdb.DuckDBPyConnection, queries: Sequence[_Query], count: int,
         by: Breakdown | None, points: pa.Table,
         setup: Sequence[Callable[[duckdb.DuckDBPyConnection], None]],
         figures: Callable[[Indicator, Rows], None]) -> None:
    """The queries on `count` cursors at once, each query's figures made as it finishes
    while the others still run. First the tables they share: `points` as gt_points, then
    each `setup` step on a cursor of its own, all at once while the queries' cursors open
    (the breakdown's allocation, the longest, need not wait for the periods)."""
    # Each query on one DuckDB thread: the queries are small, so threads within one cost
    # more CPU (scheduling, partitioned hash tables) than they save; and sums of fractions
    # (FTEs) come out the same in every run, bit for bit.
    threads = _threads(con)
    con.execute("SET threads = 1")
    database = str(con.execute("SELECT current_database()").fetchall()[0][0])
    con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {breakdowns.SHARED}")
    _load(con, "gt_points", points, f"{breakdowns.SHARED}.main")
    makers = [con.cursor() for _ in setup]
    for cur in makers:
        cur.execute(f"SET search_path = '{_search_path(database, None)}'")
    pool: _Workers | None = None
    try:
        with ThreadPoolExecutor(len(setup)) as once, ThreadPoolExecutor(count) as executor:
            steps = [once.submit(step, cur) for step, cur in zip(setup, makers, strict=True)]
            pool = _Workers(con, by, lambda: [step.result() for step in steps],
                            functools.partial(_search_path, database))
            futures = {executor.submit(pool.run, q): q for q in queries}
            for future in as_completed(futures):
                _collect(futures[future], future.result(), figures)
    finally:
        for cur in makers:
            cur.close()
        if pool is not None:
            pool.close()
        con.execute(f"SET threads = {threads}")


def _threads(con: duckdb.DuckDBPyConnection) -> int:
    found = con.execute("SELECT current_setting('threads')").fetchall()
    return int(found[0][0])


def _collect(query: _Query, found: dict[str, Rows],
             figures: Callable[[Indicator, Rows], None]) -> None:
    for indicator in query.indicators:
        figures(indicator, found[indicator.id])


def _figures(indicator: Indicator, rows: Rows, ends: Sequence[dt.date],
             children: Sequence[int | None], by: Breakdown | None, names: Mapping[str, str],
             *, blank: bool) -> list[Figure]:
    if blank:
        return [Figure(indicator.id, end, None, 0.0, 0.0, 0, population=children[i])
                for i, end in enumerate(ends)]
    unit, found = indicator.unit, list(rows)
    if by is None:  # a period without rows still has a value (a count of 0)
        seen = {row[0] for row in found}
        found += [(i, None, 0.0, 0.0, 0, None) for i in range(len(ends)) if i not in seen]
    # Groups in reading order (breakdowns.sort_key of their labels), ranked once: a by-team
    # run has tens of thousands of figures, so each is sorted by one integer and made as a
    # plain tuple (a named tuple's own constructor is a Python call).
    keys = {row[1] for row in found}
    labels = {key: names.get(key, key) if key is not None else None for key in keys}
    ranked = sorted(keys, key=lambda k: (breakdowns.sort_key(by, labels[k]), k or ""))
    rank = {key: n for n, key in enumerate(ranked)}
    found.sort(key=lambda row: row[0] * len(rank) + rank[row[1]])
    make = tuple.__new__
    return [make(Figure, (indicator.id, ends[period_id],
                          from_sums(unit, num or 0.0, den or 0.0, median, children[period_id]),
                          num or 0.0, den or 0.0, n, key, labels[key], children[period_id]))
            for period_id, key, num, den, n, median in found]


def value(con: duckdb.DuckDBPyConnection, indicator: Indicator, end: dt.date,
          population: Mapping[int, int] | None = None) -> Figure:
    """One indicator at one date for the whole authority (the plain path the tests use);
    population None reads gtx_population."""
    return evaluate(con, [indicator], [end], population=population)[0]


# -- drill-down ----------------------------------------------------------------------------

@dataclass(frozen=True)
class DrillDown:
    """The rows behind one value: one per counted unit, with the groups it falls in."""

    indicator: str
    period_end: dt.date
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]

    def as_dicts(self) -> list[dict[str, object]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _contributes(unit: Unit) -> str:
    """The rows a value is made of: for a count or a rate, those counted; otherwise those
    in the numerator or the denominator."""
    if unit in ("count", "rate_per_10k"):
        return "u.numerator <> 0"
    return "(u.numerator <> 0 OR u.denominator <> 0)"


def drill_down(con: duckdb.DuckDBPyConnection, indicator: Indicator, end: dt.date, *,
               by: Breakdown | None = None, group: str | None = None,
               population: Mapping[int, int] | None = None) -> DrillDown:
    """The children (units) behind `indicator` at `end`: person_id, subject_id, whether the
    unit is in the numerator, its numerator and denominator, and each breakdown the
    indicator has. With `by` and `group`, only the rows in that group (its key)."""
    _check_breakdown(indicator, by)
    if group is not None and by is None:
        raise ValueError("a group needs a breakdown (by) to belong to")
    _prepare_inputs(con, [end], population)
    _prepare_periods(con, indicator.period, [end])
    shown = [b for b in breakdowns.BREAKDOWNS if b in indicator.breakdowns]
    breakdowns.prepare(con, shown)
    columns = breakdowns.unit_columns(con, _body(indicator.sql))
    groupings = {b: breakdowns.grouping(b, columns) for b in shown}
    ids = []
    if "team" in groupings:
        ids.append(f"{groupings['team'].key} AS team_id")
    if "worker" in groupings:
        ids.append(f"{groupings['worker'].key} AS worker_id")
    selected = ", ".join([
        "u.person_id", "u.subject_id",
        "CAST(u.numerator AS DOUBLE) <> 0 AS in_numerator",
        "CAST(u.numerator AS DOUBLE) AS numerator",
        "CAST(u.denominator AS DOUBLE) AS denominator",
        *(f"{g.label} AS {b}" for b, g in groupings.items()), *ids])
    where = [_contributes(indicator.unit)]
    params: list[object] = []
    if by is not None and group is not None:
        grouping = groupings.get(by) or breakdowns.grouping(by, columns)
        groupings.setdefault(by, grouping)
        where.append(f"{grouping.key} = ?")
        params.append(group)
    sql = f"""SELECT {selected}
        FROM ({_body(indicator.sql)}) u JOIN periods p ON p.period_id = u.period_id
        {breakdowns.joins(groupings.values())}
        WHERE {" AND ".join(where)}
        ORDER BY u.person_id, u.subject_id"""
    result = con.execute(sql, params)
    names = tuple(d[0] for d in result.description)
    return DrillDown(indicator.id, end, names, [tuple(r) for r in result.fetchall()])
