"""On SQLite a large load into an empty table builds the table's plain indexes after its
rows: afterwards the schema is exactly as before, the indexes hold every row, and a load
that fails leaves them in place (the drop is rolled back with the rest)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goldenthread.accounts.models import system_user
from goldenthread.records import models as m
from goldenthread.records.actions import bulk
from goldenthread.synth.world import new

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the indexes are built later only on SQLite")


def schema() -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name")
        return list(cursor.fetchall())


def contact_batch(children: int, each: int) -> list[tuple[type[Any], list[Any]]]:
    people = [new(m.Person, la_person_id=f"GTS{n:07d}", forename="Ada", surname="Test",
                  sex="F", ethnicity="WBRI", date_of_birth=dt.date(2012, 1, 1))
              for n in range(children)]
    contacts = [new(m.Contact, person=person,
                    received_at=dt.datetime(2021, 1, 1 + k, 9, tzinfo=dt.UTC),
                    source="6", decision="NFA", level_of_need="1", decision_rationale="None",
                    decided_at=dt.datetime(2021, 1, 1 + k, 11, tzinfo=dt.UTC))
                for person in people for k in range(each)]
    return [(m.Person, people), (m.Contact, contacts)]


def test_indexes_are_rebuilt_the_same_and_hold_every_row(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "INDEX_LATER_FROM", 50)
    before = schema()
    with CaptureQueriesContext(connection) as queries:
        bulk.do_bulk_load(contact_batch(30, 3), acting_user=system_user(), reason="test")
    dropped = [q["sql"] for q in queries if q["sql"].startswith("DROP INDEX")]
    assert dropped  # the contact table's (90 rows) were built after; Person's (30) were not
    assert all("contact" in sql for sql in dropped)
    assert schema() == before
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA integrity_check")
        assert cursor.fetchall() == [("ok",)]
    # Read through the person index: every contact is found by it.
    found = m.Contact.objects.filter(person__la_person_id__startswith="GTS").count()
    assert found == 90


def test_a_table_with_rows_keeps_its_indexes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "INDEX_LATER_FROM", 1)
    first = contact_batch(2, 1)
    bulk.do_bulk_load(first, acting_user=system_user(), reason="test")
    second = contact_batch(2, 1)
    for n, person in enumerate(second[0][1]):
        person.la_person_id = f"GTS9{n:06d}"
    with CaptureQueriesContext(connection) as queries:
        bulk.do_bulk_load(second, acting_user=system_user(), reason="test")
    assert not [q for q in queries if q["sql"].startswith("DROP INDEX")]


def test_a_failed_load_leaves_the_indexes_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "INDEX_LATER_FROM", 1)
    before = schema()
    real_insert = bulk._insert

    def failing(model: Any, objs: Any, user: Any, now: Any) -> None:
        real_insert(model, objs, user, now)
        if model is m.Contact:
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(bulk, "_insert", failing)
    with pytest.raises(RuntimeError):
        bulk.do_bulk_load(contact_batch(3, 2), acting_user=system_user(), reason="test")
    assert schema() == before
    assert not m.Contact.objects.exists()
