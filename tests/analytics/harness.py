"""Indicator fixtures are built through the records model and projected, so every
indicator's test runs on SQLite and on PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from goldenthread.analytics.catalogue import catalogue
from goldenthread.analytics.engine import Figure, value
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect


def store_from_records(tmp_path: Path, today: dt.date) -> duckdb.DuckDBPyConnection:
    """Project the test database as it stands into a Parquet store and open it."""
    folder = tmp_path / "ssd-store"
    write_tables(project(today=today), folder)
    return connect(folder)


def figure(con: duckdb.DuckDBPyConnection, indicator_id: str, as_at: dt.date,
           population: dict[int, int] | None = None) -> Figure:
    return value(con, catalogue()[indicator_id], as_at, population)
