"""The engine: indicator SQL over an SSD store, for any dates, with the rows behind each value.

A first, plain version: `periods`, `calendar` and `population` are set up for the dates
asked for, an indicator's SQL gives its unit rows, and `aggregate` turns rows into a value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import duckdb

from goldenthread.analytics.catalogue import Indicator, PeriodRule
from goldenthread.reference.calendar import bank_holidays

__all__ = ["Figure", "aggregate", "period_start", "prepare", "unit_rows", "value"]


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


def _calendar_rows(first: dt.date, last: dt.date) -> list[tuple[dt.date, int]]:
    holidays = set().union(*(bank_holidays(y) for y in range(first.year, last.year + 1)))
    rows, wd, day = [], 0, first
    while day <= last:
        if day.weekday() < 5 and day not in holidays:
            wd += 1
        rows.append((day, wd))
        day += dt.timedelta(days=1)
    return rows


def prepare(con: duckdb.DuckDBPyConnection, rule: PeriodRule, ends: Sequence[dt.date],
            population: dict[int, int] | None = None) -> None:
    """(Re)create the engine's inputs for the given period ends."""
    con.execute("CREATE OR REPLACE TEMP TABLE periods "
                "(period_id INTEGER, period_start DATE, period_end DATE)")
    con.executemany("INSERT INTO periods VALUES (?, ?, ?)",
                    [(i, period_start(rule, end), end) for i, end in enumerate(ends)])
    con.execute("CREATE OR REPLACE TEMP TABLE calendar (day DATE, wd INTEGER)")
    first = dt.date(min(ends).year - 30, 1, 1)
    last = dt.date(max(ends).year + 2, 12, 31)
    con.executemany("INSERT INTO calendar VALUES (?, ?)", _calendar_rows(first, last))
    con.execute("CREATE OR REPLACE TEMP TABLE population "
                "(period_id INTEGER, children_0_17 BIGINT)")
    population = population or {}
    con.executemany("INSERT INTO population VALUES (?, ?)",
                    [(i, population.get(_mid_year(end))) for i, end in enumerate(ends)])


def _mid_year(end: dt.date) -> int:
    """DfE divides a year ending 31 March by the mid-year estimate before it."""
    return end.year - 1 if end.month <= 6 else end.year


def unit_rows(con: duckdb.DuckDBPyConnection, indicator: Indicator) -> duckdb.DuckDBPyRelation:
    return con.sql(indicator.sql)


@dataclass(frozen=True)
class Figure:
    indicator: str
    period_end: dt.date
    value: float | None
    numerator: float
    denominator: float
    rows: int


def aggregate(indicator: Indicator, numerators: Sequence[float], denominators: Sequence[float],
              population: int | None) -> float | None:
    num, den = float(sum(numerators)), float(sum(denominators))
    match indicator.unit:
        case "count":
            return num
        case "percent":
            return 100 * num / den if den else None
        case "rate_per_10k":
            return 10_000 * num / population if population else None
        case "mean" | "ratio":
            return num / den if den else None
        case "median":
            values = sorted(n for n, d in zip(numerators, denominators, strict=True) if d == 1)
            if not values:
                return None
            mid = len(values) // 2
            return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    raise AssertionError(indicator.unit)


def value(con: duckdb.DuckDBPyConnection, indicator: Indicator, end: dt.date,
          population: dict[int, int] | None = None) -> Figure:
    """One indicator at one date (the plain path the tests use)."""
    prepare(con, indicator.period, [end], population)
    rows = unit_rows(con, indicator).fetchall()
    columns = unit_rows(con, indicator).columns
    num = [float(r[columns.index("numerator")] or 0) for r in rows]
    den = [float(r[columns.index("denominator")] or 0) for r in rows]
    pop = (population or {}).get(_mid_year(end))
    return Figure(indicator.id, end, aggregate(indicator, num, den, pop), sum(num), sum(den),
                  len(rows))
