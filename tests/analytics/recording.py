"""Building indicator fixtures: a child's journey recorded through the actions, then one
projected store per fixture.

`frozen_store` records inside a transaction, projects, and rolls the records back, so a
module-scoped fixture can build its own small council without touching the next one's
(the audit trail refuses the DELETE a flush would need). Every person is invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import duckdb
import pytest
from django.db import connection, transaction

from goldenthread.accounts.models import User, system_user
from goldenthread.analytics.catalogue import catalogue
from goldenthread.analytics.engine import drill_down
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.actions.journey import do_record_initial_conference, do_start_cp_plan
from tests.analytics.harness import store_from_records
from tests.factories import PersonFactory


def frozen_store(blocker: pytest.FixtureRequest, folders: pytest.TempPathFactory,
                 today: dt.date, build: Callable[[User], object]) -> duckdb.DuckDBPyConnection:
    """Record with `build(user)`, project into a store, then roll the records back."""
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    with blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        build(system_user())
        con = store_from_records(folders.mktemp("store"), today)
        transaction.set_rollback(True)
    return con


def population(mid_year: int, children: int, user: User) -> m.ChildPopulation:
    """The ONS mid-year estimate rates divide by (gtx_population in the store)."""
    return create_record(m.ChildPopulation, acting_user=user, mid_year=mid_year,
                         children_0_17=children, source="synthetic")


def child(name: str, born: dt.date | None = dt.date(2015, 5, 1),
          expected: dt.date | None = None) -> m.Person:
    person: m.Person = PersonFactory(forename=name, surname="Example",
                                     la_person_id=f"LA-{name.lower()}", date_of_birth=born,
                                     expected_date_of_birth=expected)
    return person


def refer(person: m.Person, on: dt.date, user: User, **values: Any) -> m.Referral:
    return create_record(m.Referral, acting_user=user, person=person, referral_date=on,
                         source="5A", primary_need="N1", **values)


def enquiry(referral: m.Referral, start: dt.date, user: User,
            **values: Any) -> m.Section47Enquiry:
    return create_record(m.Section47Enquiry, acting_user=user, person=referral.person,
                         referral=referral, start_date=start, **values)


def conference(referral: m.Referral, s47: m.Section47Enquiry | None, on: dt.date, user: User,
               *, plan: bool = True, transfer_in: bool = False) -> m.InitialConference:
    return do_record_initial_conference(referral, section_47=s47, conference_date=on,
                                        cp_plan_decided=plan, is_transfer_in=transfer_in,
                                        acting_user=user)


def cp_plan(referral: m.Referral, start: dt.date, user: User, *, end: dt.date | None = None,
            other_la: bool = False, s47_start: dt.date | None = None) -> m.CPPlan:
    """An enquiry (from `s47_start`, default the plan's start), its conference on the plan's
    start date, and the plan; ended on `end` if given."""
    s47 = enquiry(referral, s47_start or start, user)
    icpc = conference(referral, s47, start, user)
    plan = do_start_cp_plan(icpc, start_date=start, category="NEG", acting_user=user,
                            is_other_la=other_la)
    return end_plan(plan, end, user) if end else plan


def end_plan(plan: m.CPPlan, on: dt.date, user: User) -> m.CPPlan:
    return change_record(plan, acting_user=user, expected_version=plan.version, end_date=on)


def professional(name: str, user: User, *, fte: str = "1.00", agency: bool = False,
                 social_worker: bool = True, asye_start: dt.date | None = None,
                 start: dt.date = dt.date(2020, 1, 6),
                 leave: dt.date | None = None) -> m.Professional:
    registration = "" if agency or asye_start or not social_worker else \
        f"SW{sum(map(ord, name)) * 97 % 10**6}"
    return create_record(m.Professional, acting_user=user, staff_id=f"S-{name}", forename=name,
                         surname="Worker", swe_registration_number=registration,
                         job_title="Social worker" if social_worker else "Family support",
                         is_social_worker=social_worker, fte=Decimal(fte), is_agency=agency,
                         asye_start=asye_start, start_date=start, leave_date=leave,
                         leave_reason="Resigned" if leave else "")


def unit_rows_at(con: duckdb.DuckDBPyConnection, indicator_id: str,
                 as_at: dt.date) -> list[dict[str, Any]]:
    """The drill-down: the rows behind the indicator's value at one date, as dicts."""
    return drill_down(con, catalogue()[indicator_id], as_at).as_dicts()


def who(con: duckdb.DuckDBPyConnection, indicator_id: str, as_at: dt.date,
        *, counted: bool = False) -> list[str]:
    """The people behind a figure, sorted; `counted` keeps only rows in the numerator."""
    return sorted(str(row["person_id"]) for row in unit_rows_at(con, indicator_id, as_at)
                  if not counted or row["numerator"])
