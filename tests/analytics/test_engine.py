"""The engine's mechanics on hand-written SSD stores: periods, the working-day calendar,
population, many dates at once, indicators that need a gtx table, presentation.

These stores are written straight as SSD tables, as another council's system would send
them (the engine reads SSD extracts, not our records); the indicators' own tests build
their fixtures through the records model instead.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pytest

from goldenthread.analytics.catalogue import LOOKED_AFTER_BREAKDOWNS, Indicator, Unit
from goldenthread.analytics.engine import (
    england_bank_holidays,
    evaluate,
    materialise,
    month_ends,
    period_start,
    points,
    value,
)
from goldenthread.analytics.presentation import show
from goldenthread.reference.calendar import bank_holidays
from goldenthread.ssd.extensions import STORE_TABLES
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.shaping import arrow_table
from goldenthread.ssd.store import connect

D = dt.date


def write_store(folder: Path, tables: Mapping[str, Sequence[Mapping[str, object]]]
                ) -> duckdb.DuckDBPyConnection:
    """An SSD store with these rows (columns not given are NULL), opened."""
    write_tables({name: arrow_table(name, [tuple(row.get(c) for c in
                                                 STORE_TABLES[name].column_names)
                                           for row in rows])
                  for name, rows in tables.items()}, folder)
    return connect(folder)


def make_indicator(ident: str, sql: str, unit: Unit = "count", **values: Any) -> Indicator:
    values.setdefault("breakdowns", LOOKED_AFTER_BREAKDOWNS)
    return Indicator(id=ident, title=ident, definition="test", source="test", unit=unit,
                     higher_is_better=None, period="year_to_31_march", counts="referrals",
                     sql=sql, **values)


# Referrals in the period, attributed to the referral's own team and worker.
REFERRALS_SQL = """SELECT p.period_id, r.cine_person_id AS person_id,
       r.cine_referral_id AS subject_id, CAST(1 AS DOUBLE) AS numerator,
       CAST(1 AS DOUBLE) AS denominator, r.cine_referral_team AS team_id,
       r.cine_referral_worker_id AS worker_id
FROM ssd_cin_episodes r
JOIN periods p ON CAST(r.cine_referral_date AS DATE) BETWEEN p.period_start AND p.period_end"""
REFERRALS = make_indicator("T-REFERRALS", REFERRALS_SQL)
RATE = make_indicator("T-RATE", REFERRALS_SQL, "rate_per_10k")


def referral(ref: str, person: str, on: dt.date, **values: object) -> dict[str, object]:
    return {"cine_referral_id": ref, "cine_person_id": person, "cine_referral_date": on,
            **values}


@pytest.fixture
def store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Three referrals: 31 March 2024 (year to March 2024), 1 April 2024 and 31 March 2025
    (both in the year to March 2025); population mid-2023 1,000 and mid-2024 2,000."""
    return write_store(tmp_path / "s", {
        "ssd_person": [{"pers_person_id": p} for p in ("A", "B")],
        "ssd_cin_episodes": [referral("1", "A", D(2024, 3, 31)), referral("2", "A", D(2024, 4, 1)),
                             referral("3", "B", D(2025, 3, 31))],
        "gtx_population": [{"mid_year": 2023, "children_0_17": 1000},
                           {"mid_year": 2024, "children_0_17": 2000}],
    })


def test_engine_calendar_has_the_reference_bank_holidays() -> None:
    """The engine asks the holidays package for a span of years in one call; it must give
    the same days off as reference.calendar, year by year (substitute days included)."""
    assert england_bank_holidays(2000, 2030) == frozenset().union(
        *(bank_holidays(year) for year in range(2000, 2031)))


def test_period_rules_at_31_march_and_a_leap_day() -> None:
    """A year to 31 March starts on 1 April; a rolling year ending 29 February 2024 starts
    on 1 March 2023 (the day after 28 February, as there is no 29 February 2023)."""
    assert period_start("year_to_31_march", D(2025, 3, 31)) == D(2024, 4, 1)
    assert period_start("year_to_31_march", D(2024, 10, 31)) == D(2024, 4, 1)
    assert period_start("year_to_30_september", D(2025, 9, 30)) == D(2024, 10, 1)
    assert period_start("three_years_to_31_march", D(2025, 3, 31)) == D(2022, 4, 1)
    assert period_start("rolling_12_months", D(2024, 2, 29)) == D(2023, 3, 1)
    assert period_start("at_date", D(2025, 3, 31)) == D(2024, 4, 1)


def test_monthly_points_are_month_ends_plus_the_as_at_date() -> None:
    """From 15 January to 31 March 2024: the ends of January, February (the 29th, a leap
    year) and March; the as-at date is added once, however it falls."""
    assert month_ends(D(2024, 1, 15), D(2024, 3, 31)) == [D(2024, 1, 31), D(2024, 2, 29),
                                                          D(2024, 3, 31)]
    assert points(D(2024, 3, 31), D(2024, 1, 15)) == [D(2024, 1, 31), D(2024, 2, 29),
                                                      D(2024, 3, 31)]
    assert points(D(2024, 3, 15), D(2024, 1, 1), D(2024, 2, 29)) == [
        D(2024, 1, 31), D(2024, 2, 29), D(2024, 3, 15)]
    assert points(D(2025, 3, 31)) == [D(2025, 3, 31)]


def test_count_counts_the_period_boundaries_in(store: duckdb.DuckDBPyConnection) -> None:
    """Year to 31 March 2025: the referrals of 1 April 2024 and 31 March 2025 (both ends of
    the period are in it), not the one of 31 March 2024."""
    figure = value(store, REFERRALS, D(2025, 3, 31))
    assert (figure.value, figure.rows) == (2, 2)


def test_a_store_opened_in_a_database_file_of_any_name(tmp_path: Path,
                                                       store: duckdb.DuckDBPyConnection) -> None:
    """The same store opened in a DuckDB file named with a hyphen and a quote: each cursor
    finds the views in that database by its (quoted) name, and counts the same 2."""
    opened = connect(tmp_path / "s", database=str(tmp_path / "north-west's.duckdb"))
    figure = evaluate(opened, [REFERRALS], [D(2025, 3, 31)], workers=2)[0]
    assert (figure.value, figure.rows) == (2, 2)


def test_rate_divides_by_the_mid_year_before_the_date(store: duckdb.DuckDBPyConnection) -> None:
    """DfE divides the year to 31 March 2025 by mid-2024 (2,000): 2 x 10,000 / 2,000 = 10.
    The year to 31 March 2024 by mid-2023 (1,000): 1 x 10,000 / 1,000 = 10."""
    assert value(store, RATE, D(2025, 3, 31)).value == 10.0
    assert value(store, RATE, D(2024, 3, 31)).value == 10.0


def test_rate_falls_back_to_the_latest_estimate(store: duckdb.DuckDBPyConnection) -> None:
    """31 October 2025 wants mid-2025, which ONS has not published in the store: the latest
    before it (mid-2024, 2,000) is used. Year to date: no referral yet, so 0."""
    figure = value(store, RATE, D(2025, 10, 31))
    assert (figure.population, figure.value) == (2000, 0.0)


def test_population_given_overrides_the_store(store: duckdb.DuckDBPyConnection) -> None:
    """2 referrals over 4,000 children: 5 per 10,000."""
    assert value(store, RATE, D(2025, 3, 31), {2024: 4000}).value == 5.0


def test_rate_without_population_has_no_value(tmp_path: Path) -> None:
    con = write_store(tmp_path / "s", {"ssd_cin_episodes": [referral("1", "A", D(2025, 1, 1))]})
    assert value(con, RATE, D(2025, 3, 31)).value is None


def test_many_dates_in_one_run_equal_each_date_alone(store: duckdb.DuckDBPyConnection) -> None:
    """Every month end of 2024-25 plus 31 March 2024, computed together, gives what each
    date gives computed on its own (period_id keeps the dates apart)."""
    ends = points(D(2024, 3, 31), D(2024, 4, 1), D(2025, 3, 31))
    together = evaluate(store, [REFERRALS, RATE], ends)
    assert len(together) == 2 * len(ends)
    for figure in together:
        alone = value(store, REFERRALS if figure.indicator == "T-REFERRALS" else RATE,
                      figure.period_end)
        assert (figure.value, figure.rows) == (alone.value, alone.rows), figure


def test_an_indicator_needing_a_missing_gtx_table_has_no_value(
        store: duckdb.DuckDBPyConnection) -> None:
    """The store has no gtx_professional: an indicator that needs it reports no value
    rather than a misleading 0."""
    needy = make_indicator("T-NEEDY", REFERRALS_SQL, needs=("gtx_professional",))
    assert value(store, needy, D(2025, 3, 31)).value is None
    assert value(store, REFERRALS, D(2025, 3, 31)).value == 2


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(tmp_path: Path) -> None:
    """Working days 10, 20, 40, 50 (denominator 1) and one row left out (denominator 0,
    numerator 99): median (20 + 40) / 2 = 30."""
    con = write_store(tmp_path / "s", {})
    rows = " UNION ALL ".join(f"SELECT 0 AS period_id, 'P' AS person_id, '{n}' AS subject_id, "
                              f"CAST({n} AS DOUBLE) AS numerator, CAST({d} AS DOUBLE) AS "
                              "denominator" for n, d in ((10, 1), (20, 1), (40, 1), (50, 1),
                                                         (99, 0)))
    median = make_indicator("T-MEDIAN", rows, "median")
    assert value(con, median, D(2025, 3, 31)).value == 30.0


def test_materialised_store_gives_the_same_values(store: duckdb.DuckDBPyConnection) -> None:
    before = [f.value for f in evaluate(store, [REFERRALS, RATE], [D(2025, 3, 31)])]
    materialise(store)
    assert [f.value for f in evaluate(store, [REFERRALS, RATE], [D(2025, 3, 31)])] == before


@pytest.mark.parametrize(("unit", "value_", "numerator", "denominator", "decimals", "shown"), [
    ("percent", 12.25, 49, 400, None, "12.3"),   # halves round up, as DfE's do (not to even)
    ("percent", 66.5, 133, 200, 0, "67"),        # CLA: whole numbers
    ("rate_per_10k", 519.44, 6342, 0, None, "519.4"),
    ("count", 6342, 6342, 6342, None, "6,342"),
    ("count", 3, 3, 3, None, "c"),               # 1 to 5: suppressed
    ("count", 0, 0, 0, None, "0"),               # none is not a small number
    ("percent", 40.0, 4, 10, None, "c"),         # a numerator of 4 could be worked out
    ("percent", 50.0, 6, 12, None, "50.0"),
    ("percent", None, 0, 0, None, "x"),          # no value: not available
])
def test_dfe_presentation(unit: Unit, value_: float | None, numerator: float,
                          denominator: float, decimals: int | None, shown: str) -> None:
    indicator = make_indicator("T", "SELECT 1", unit, dfe_rounding=True, decimals=decimals)
    assert show(indicator, value_, numerator, denominator) == shown


def test_without_dfe_rounding_small_numbers_show() -> None:
    indicator = make_indicator("T", "SELECT 1", "count")
    assert show(indicator, 3, 3, 3) == "3"
    assert show(indicator, None, 0, 0, blank="–") == "–"
