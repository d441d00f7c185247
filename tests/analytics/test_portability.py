"""Every indicator's SQL is portable: it transpiles from DuckDB to Spark SQL with sqlglot
(raising on anything it cannot carry over) and runs on DuckDB against an empty store, for
the whole authority, by each breakdown it allows, and as a drill-down."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest
import sqlglot

from goldenthread.analytics.breakdowns import BREAKDOWNS
from goldenthread.analytics.catalogue import Breakdown, Indicator, catalogue
from goldenthread.analytics.engine import drill_down, evaluate, value
from goldenthread.ssd.store import connect

INDICATORS = list(catalogue().values())


@pytest.fixture(scope="module")
def empty(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    folder: Path = tmp_path_factory.mktemp("empty-store")
    return connect(folder)


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.id)
def test_transpiles_to_spark(indicator: Indicator) -> None:
    spark = sqlglot.transpile(indicator.sql, read="duckdb", write="spark",
                              error_level=sqlglot.ErrorLevel.RAISE)
    assert len(spark) == 1 and spark[0].upper().startswith(("SELECT", "WITH"))


@pytest.mark.parametrize("indicator", INDICATORS, ids=lambda i: i.id)
def test_runs_on_an_empty_store(indicator: Indicator,
                                empty: duckdb.DuckDBPyConnection) -> None:
    """No rows: a count is 0, anything divided by nothing has no value, an indicator that
    needs a gtx table the store lacks has no value; no drill-down rows."""
    end = dt.date(2025, 3, 31)
    found = value(empty, indicator, end, {2024: 10_000})
    assert found.rows == 0
    lacking = set(indicator.needs) - {"gtx_population"}
    assert found.value == (0 if indicator.unit in ("count", "rate_per_10k") and not lacking
                           else None)
    assert drill_down(empty, indicator, end).rows == []


@pytest.mark.parametrize("by", BREAKDOWNS)
def test_breakdowns_run_on_an_empty_store(by: Breakdown,
                                          empty: duckdb.DuckDBPyConnection) -> None:
    """Every indicator that has the breakdown: no rows, so no groups."""
    having = [i for i in INDICATORS if by in i.breakdowns]
    found = evaluate(empty, having, [dt.date(2025, 3, 31)], by=by, population={2024: 1})
    assert [f for f in found if f.rows] == []


def test_catalogue_is_whole() -> None:
    """Every area module is there and ids are unique (register refuses a repeat)."""
    ids = [i.id for i in INDICATORS]
    assert len(ids) == len(set(ids))
    assert any(i.startswith("FD-") for i in ids)
