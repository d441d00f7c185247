"""The synthetic authority at test scale, as an SSD store the returns tests share.

Generated once per test session through the records model (scale 0.05, seed 7, the years to
31 March 2026, as tests/synth does), projected into a Parquet store, and rolled back at
once: the store is files, so no other test ever sees the synthetic records.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
from django.db import connection, transaction

from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect
from goldenthread.synth.profile import load_profile
from goldenthread.synth.run import generate

SCALE = 0.05
YEARS = {"start_year": 2020, "end_year": 2026}
TODAY = dt.date(2026, 4, 1)
_built: dict[str, Path] = {}


def store(blocker: Any, folder: Path) -> Path:
    """The store's folder (built on the first call of the session, into `folder`)."""
    if "store" not in _built:
        name = str(connection.settings_dict["NAME"])
        assert "test" in name or "memory" in name, f"not a test database: {name}"
        with blocker.unblock(), transaction.atomic():
            generate(load_profile("manchester"), scale=SCALE, seed=7, replace=False, **YEARS)
            tables = project(today=TODAY)
            transaction.set_rollback(True)
        write_tables(tables, folder / "store")
        _built["store"] = folder / "store"
    return _built["store"]


def open_store(blocker: Any, folder: Path) -> duckdb.DuckDBPyConnection:
    return connect(store(blocker, folder))
