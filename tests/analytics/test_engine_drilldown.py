"""The drill-down adds up to the figure, for every indicator in the catalogue.

On the persona council (tests/world.py: Ella's whole journey in care, Ben, Cara and Dina
allocated, Evan's contact) projected as a store, at two dates. For each figure:

- a count's drill-down has exactly as many rows as the count (one row per counted unit);
- a percentage's rows in the numerator are its numerator, and its rows its denominator;
- every unit's rows add up to the figure's numerator and denominator.

And the same on a pooled store of two councils (pooling.py): ids never meet.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.db import connection, transaction

from goldenthread.analytics.catalogue import catalogue
from goldenthread.analytics.engine import drill_down, evaluate, value
from goldenthread.analytics.pooling import connect_pooled
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect
from tests.analytics.test_engine import REFERRALS, referral, write_store
from tests.world import TODAY, build_world

DATES = (dt.date(2026, 3, 31), dt.date(2026, 10, 31))


@pytest.fixture(scope="module")
def persona_store(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
                  tmp_path_factory: pytest.TempPathFactory) -> Path:
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build_world()
        tables = project(today=TODAY)
        transaction.set_rollback(True)
    folder = tmp_path_factory.mktemp("personas") / "store"
    write_tables(tables, folder)
    return folder


@pytest.mark.django_db
def test_every_drill_down_adds_up_to_its_figure(persona_store: Path) -> None:
    con = connect(persona_store)
    known = catalogue()
    checked = 0
    for found in evaluate(con, known.values(), DATES, population={2024: 10_000,
                                                                  2025: 10_000}):
        indicator = known[found.indicator]
        rows = drill_down(con, indicator, found.period_end, population={2024: 10_000})
        numerators = [float(str(r[rows.columns.index("numerator")])) for r in rows.rows]
        denominators = [float(str(r[rows.columns.index("denominator")])) for r in rows.rows]
        where = f"{found.indicator} at {found.period_end}"
        assert sum(numerators) == pytest.approx(found.numerator), where
        if indicator.unit == "count":
            assert len(rows.rows) == found.value, where
        if indicator.unit == "percent":
            marked = sum(bool(r[rows.columns.index("in_numerator")]) for r in rows.rows)
            assert marked == found.numerator, where
            assert sum(denominators) == pytest.approx(found.denominator), where
        checked += bool(rows.rows)
    assert checked > 0  # the personas' journey gives some figures rows to check


def test_pooled_stores_keep_each_councils_ids_apart(tmp_path: Path) -> None:
    """Two councils whose systems both number their first child "A" and her referral "1":
    pooled, the region has 2 referrals by 2 children, each id marked with its council."""
    stores = {}
    for la, children in (("352", 1000), ("353", 3000)):
        stores[la] = tmp_path / la
        write_store(stores[la], {
            "ssd_person": [{"pers_person_id": "A"}],
            "ssd_cin_episodes": [referral("1", "A", dt.date(2024, 6, 1))],
            "gtx_population": [{"mid_year": 2024, "children_0_17": children}]}).close()
    con = connect_pooled(stores)
    end = dt.date(2025, 3, 31)
    found = value(con, REFERRALS, end)
    assert (found.value, found.population) == (2, 4000)
    rows = drill_down(con, REFERRALS, end).as_dicts()
    assert sorted((str(r["person_id"]), str(r["subject_id"])) for r in rows) == [
        ("352:A", "352:1"), ("353:A", "353:1")]
    assert con.execute("SELECT DISTINCT la FROM ssd_person ORDER BY la").fetchall() == [
        ("352",), ("353",)]


def test_pooling_refuses_a_folder_that_is_not_there(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"no SSD store at .*nowhere \(council 354\)"):
        connect_pooled({"354": tmp_path / "nowhere"})
