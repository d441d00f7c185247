"""One projection of the persona council (tests/world.py), shared by the SSD tests.

Built once per module inside a transaction that is rolled back at the end (the audit trail
refuses the DELETE a flush would need), on top of build_world():

- Ella's care: placement move on 3 July 2024 (still C2), legal status E1 from 9 Sep 2024
- archived: Ella's conviction; Ella's CP plan (so its visit and review lose their parent);
  Finn, a whole person, with his contact
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pytest
from django.db import connection, transaction

from goldenthread.accounts.models import system_user
from goldenthread.records import models as m
from goldenthread.records.actions.base import archive_record, create_record
from goldenthread.records.actions.cla import (
    PlacementDetails,
    do_change_legal_status,
    do_change_placement,
)
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from tests.factories import PersonFactory
from tests.world import TODAY, build_world


@dataclass
class Projected:
    tables: dict[str, pa.Table]
    windowed: dict[str, pa.Table]
    folder: Path
    ids: dict[str, str]

    def rows(self, table: str) -> list[dict[str, object]]:
        return self.tables[table].to_pylist()  # type: ignore[no-any-return]


def _archive(record: m.Person | object) -> None:
    archive_record(record, acting_user=system_user(), expected_version=record.version,  # type: ignore[attr-defined, type-var]
                   reason="recorded in error")


@pytest.fixture(scope="module")
def projected(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> Iterator[Projected]:
    # pytest-django sets up the test database only for tests marked django_db: every module
    # using this fixture must be, or this would run on the development database.
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        world = build_world()
        user = system_user()
        ella = world.children["ella"]
        period = m.PeriodOfCare.objects.get(person=ella)
        do_change_placement(period, on=dt.date(2024, 7, 3), reason_place_change="CARPL",
                            placement=PlacementDetails(placement_type="U4", provider="PR1",
                                                       postcode="M8 9AB",
                                                       distance_miles=Decimal("3.0")),
                            acting_user=user)
        do_change_legal_status(period, on=dt.date(2024, 9, 9), legal_status="E1",
                               acting_user=user)
        _archive(m.Conviction.objects.get(person=ella))
        plan = m.CPPlan.objects.get(person=ella)
        _archive(plan)
        finn = PersonFactory(forename="Finn", surname="Archived", la_person_id="LA-finn")
        create_record(m.Contact, acting_user=user, person=finn, source="5A",
                      received_at=dt.datetime(2026, 10, 1, 10, 0, tzinfo=dt.UTC))
        _archive(finn)
        ids = {"ella_referral": str(m.Referral.objects.get(person=ella).pk),
               "cp_plan": str(plan.pk),
               "sam": str(world.users["sam"].professional.pk),
               "ira": str(world.users["ira"].professional.pk)}
        tables = project(today=TODAY)
        windowed = project(today=TODAY, window_years=1)
        transaction.set_rollback(True)
    folder = tmp_path_factory.mktemp("ssd") / "store"
    write_tables(tables, folder)
    return Projected(tables, windowed, folder, ids)
