"""Fixtures for the Annex A, DfE API and CSWW tests: a small council recorded through the
actions, projected into SSD store folders, then rolled back (as tests/analytics/recording.py
does), so a module-scoped fixture does not leak into the next module. Every person is
invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection, transaction

from goldenthread.accounts.models import User, system_user
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project


def project_to(folder: Path, today: dt.date) -> Path:
    """The test database as it stands, projected into an SSD store folder."""
    write_tables(project(today=today), folder)
    return folder


def frozen_folders(blocker: pytest.FixtureRequest, folders: pytest.TempPathFactory,
                   today: dt.date, build: Callable[[User, Callable[[str], Path]], object],
                   ) -> dict[str, Path]:
    """Record with `build(user, snapshot)`, where `snapshot(name)` projects the records as
    they stand into a store folder; then roll the records back. Returns the folders."""
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    stores: dict[str, Path] = {}

    def snapshot(label: str) -> Path:
        stores[label] = project_to(folders.mktemp(label), today)
        return stores[label]

    with blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build(system_user(), snapshot)
        transaction.set_rollback(True)
    return stores
