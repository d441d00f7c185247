"""Measures over shared rows (catalogue.Measure) and the `period_days` input: indicators
computed together in one query give what each gives alone, by its own SQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from goldenthread.analytics.catalogue import Indicator, Measure
from goldenthread.analytics.engine import Figure, evaluate, points, value
from goldenthread.ssd.extensions import STORE_TABLES
from tests.analytics.test_engine import make_indicator, referral, write_store

D = dt.date

# Referrals in the period (equi-join on the day), with their own team and NFA flag.
ROWS = """SELECT pd.period_id, r.cine_person_id AS person_id, r.cine_referral_id AS subject_id,
       r.cine_referral_team AS team_id, r.cine_referral_nfa AS nfa,
       CAST(r.cine_referral_date AS DATE) AS referral_date
FROM ssd_cin_episodes r
JOIN period_days pd ON pd.day = CAST(r.cine_referral_date AS DATE)"""
ATTRIBUTED = ("team_id",)
MEASURES = {
    "T-COUNT": ("count", Measure(ROWS, attributed=ATTRIBUTED)),
    "T-NFA-SHARE": ("percent", Measure(ROWS, "CASE WHEN nfa = 'Y' THEN 1 ELSE 0 END",
                                       attributed=ATTRIBUTED)),
    "T-NFA": ("count", Measure(ROWS, keep="nfa = 'Y'", attributed=ATTRIBUTED)),
    # the day of the month: a median of the rows a measure keeps (not the NFA ones)
    "T-DAY-MEDIAN": ("median", Measure(ROWS, "EXTRACT(DAY FROM referral_date)",
                                       keep="COALESCE(nfa, 'N') <> 'Y'",
                                       attributed=ATTRIBUTED)),
}


def _measured(ident: str) -> Indicator:
    unit, measure = MEASURES[ident]
    return make_indicator(ident, "", unit, measure=measure)  # type: ignore[arg-type]


def _plain(ident: str) -> Indicator:
    """The same indicator by its own SQL (the unit rows the measure stands for)."""
    unit, measure = MEASURES[ident]
    return make_indicator(ident, measure.sql, unit)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    """Five referrals in 2024-25: team T1 has two (one NFA), T2 two (none NFA), one has no
    team (so its child's allocation, none here: "Unallocated") and is NFA."""
    return write_store(tmp_path / "s", {
        "ssd_person": [{"pers_person_id": p} for p in ("A", "B", "C")],
        "ssd_cin_episodes": [
            referral("1", "A", D(2024, 4, 3), cine_referral_team="T1"),
            referral("2", "A", D(2024, 9, 14), cine_referral_team="T1",
                     cine_referral_nfa="Y"),
            referral("3", "B", D(2024, 12, 20), cine_referral_team="T2"),
            referral("4", "B", D(2025, 3, 31), cine_referral_team="T2"),
            referral("5", "C", D(2025, 2, 1), cine_referral_nfa="Y")],
    })


def _key(figure: Figure) -> tuple[object, ...]:
    return (figure.indicator, figure.period_end, figure.group, figure.value, figure.numerator,
            figure.denominator, figure.rows)


@pytest.mark.parametrize("by", [None, "team"])
def test_measures_together_equal_each_alone_and_their_own_sql(
        store: duckdb.DuckDBPyConnection, by: str | None) -> None:
    ends = points(D(2025, 3, 31), D(2024, 4, 1))
    together = evaluate(store, [_measured(i) for i in MEASURES], ends, by=by)  # type: ignore[arg-type]
    for ident in MEASURES:
        mine = [_key(f) for f in together if f.indicator == ident]
        assert mine == [_key(f) for f in evaluate(store, [_measured(ident)], ends, by=by)]  # type: ignore[arg-type]
        assert mine == [_key(f) for f in evaluate(store, [_plain(ident)], ends, by=by)]  # type: ignore[arg-type]


def test_a_measure_counts_only_the_rows_it_keeps(store: duckdb.DuckDBPyConnection) -> None:
    """Year to 31 March 2025: 5 referrals, 2 NFA (40%); by team, T2 has no NFA referral, so
    no T2 group for the NFA count, while the count and the share have one."""
    end = D(2025, 3, 31)
    assert value(store, _measured("T-COUNT"), end).value == 5
    assert value(store, _measured("T-NFA-SHARE"), end).value == 40.0
    assert value(store, _measured("T-NFA"), end).rows == 2
    # days 3, 20 and 31 (the NFA referrals, on the 14th and the 1st, left out)
    assert value(store, _measured("T-DAY-MEDIAN"), end).value == 20
    by_team = evaluate(store, [_measured(i) for i in MEASURES], [end], by="team")
    groups = {(f.indicator, f.group): f.value for f in by_team}
    assert groups[("T-COUNT", "T2")] == 2 and groups[("T-NFA-SHARE", "T2")] == 0.0
    assert ("T-NFA", "T2") not in groups
    assert groups[("T-NFA", "T1")] == 1 and groups[("T-NFA", "Unallocated")] == 1


def test_period_days_holds_every_day_of_each_window(tmp_path: Path) -> None:
    """Year to 31 March 2024: 366 days (a leap year), 1 April 2023 and 31 March 2024 among
    them; year to 31 October 2024: 1 April to 31 October, 214 days."""
    con = write_store(tmp_path / "s", {})
    days = make_indicator("T-DAYS", """SELECT pd.period_id, 'P' AS person_id, 'd' AS subject_id,
        CAST(COUNT(*) AS DOUBLE) AS numerator,
        CAST(SUM(CASE WHEN pd.day IN (p.period_start, p.period_end) THEN 1 ELSE 0 END)
             AS DOUBLE) AS denominator
        FROM period_days pd JOIN periods p ON p.period_id = pd.period_id
        GROUP BY pd.period_id""", "count")
    found = {f.period_end: (f.numerator, f.denominator)
             for f in evaluate(con, [days], [D(2024, 3, 31), D(2024, 10, 31)])}
    assert found == {D(2024, 3, 31): (366, 2), D(2024, 10, 31): (214, 2)}


def test_an_indicator_has_sql_or_a_measure() -> None:
    with pytest.raises(ValueError, match="not both"):
        make_indicator("T-BOTH", "SELECT 1", measure=MEASURES["T-COUNT"][1])
    with pytest.raises(ValueError, match="no sql"):
        make_indicator("T-NEITHER", "")


def test_evaluate_puts_the_connections_threads_back(store: duckdb.DuckDBPyConnection) -> None:
    """Side by side, each query runs on one DuckDB thread; the caller's setting returns."""
    store.execute("SET threads = 3")
    two_queries = [_measured("T-COUNT"), _plain("T-NFA")]
    evaluate(store, two_queries, [D(2025, 3, 31)], workers=2)
    assert store.execute("SELECT current_setting('threads')").fetchall() == [(3,)]


def test_no_store_table_has_a_team_id_or_worker_id_column() -> None:
    """The engine binds an indicator's SQL to look for `team_id` / `worker_id` only when its
    text spells one (engine._attribution); that holds while no table has such a column."""
    named = {column.lower() for table in STORE_TABLES.values() for column in table.column_names}
    assert not named & {"team_id", "worker_id"}
