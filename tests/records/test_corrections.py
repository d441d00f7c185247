"""Correcting a date other records hang from (records.actions.corrections).

World (tests/world.py): Ella was referred on 8 January 2024; her assessment started that
day; the strategy discussion and section 47 enquiry were on 9 January; the ICPC and her CP
plan and CIN plan began on 25 January; a CP visit on 5 February, a CIN visit on 6 February;
she came into care on 1 June 2024 under the same referral.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

import pytest
from django.core.exceptions import ValidationError

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.core.errors import StaleRecord
from goldenthread.core.models import BaseModel
from goldenthread.records import models as m
from goldenthread.records.actions.base import archive_record
from goldenthread.records.actions.corrections import dependants, do_correct_dates
from tests.world import World, build_world

d = dt.date
M = TypeVar("M", bound=BaseModel)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _one(model: type[M], world: World) -> M:
    return model._default_manager.get(person=world.children["ella"])


def test_a_plan_start_corrected_within_its_frame_is_saved_with_its_reason(
        world: World) -> None:
    """The CIN plan began on 20 January, not 25: still after the referral, still before its
    visit on 6 February. Saved at the next version; the audit trail has the before, the
    after and the reason."""
    plan = _one(m.CINPlan, world)
    sam = world.users["sam"]
    corrected = do_correct_dates(plan, acting_user=sam, expected_version=plan.version,
                                 reason="typed 25 for 20", start_date=d(2024, 1, 20))
    assert (corrected.start_date, corrected.version) == (d(2024, 1, 20), plan.version + 1)
    event = AuditEvent.objects.filter(subject_type="records.cinplan").latest("pk")
    assert event.action == AuditAction.CHANGE and event.actor_id == sam.pk
    assert (event.before["start_date"], event.after["start_date"]) == ("2024-01-25",
                                                                      "2024-01-20")
    assert event.reason == "correction: typed 25 for 20"


def test_a_date_that_would_leave_a_record_outside_is_refused_naming_it(world: World) -> None:
    """Moving the CIN plan's start to 10 February would put its visit of 6 February before
    the plan began: refused, naming the field, the date and the visit; nothing is written."""
    plan = _one(m.CINPlan, world)
    visit = _one(m.CINVisit, world)
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        do_correct_dates(plan, acting_user=world.users["sam"], expected_version=plan.version,
                         reason="wrong", start_date=d(2024, 2, 10))
    message = refused.value.message_dict["start_date"][0]
    assert message.startswith("start_date: 2024-02-10 would put 1 record(s) outside")
    assert f"CIN visit {visit.pk}" in message and "2024-02-06" in message
    plan.refresh_from_db()
    assert plan.start_date == d(2024, 1, 25) and AuditEvent.objects.count() == events


def test_a_referral_date_after_its_assessment_began_is_refused(world: World) -> None:
    """The referral cannot move to 9 January: the assessment began on the 8th."""
    referral = _one(m.Referral, world)
    assessment = _one(m.Assessment, world)
    with pytest.raises(ValidationError) as refused:
        do_correct_dates(referral, acting_user=world.users["sam"],
                         expected_version=referral.version, reason="wrong day",
                         referral_date=d(2024, 1, 9))
    assert f"assessment {assessment.pk}" in refused.value.message_dict["referral_date"][0]


def test_an_archived_record_does_not_stand_in_the_way(world: World) -> None:
    """The CIN visit was recorded in error and archived: the plan's start may then move
    past it."""
    visit = _one(m.CINVisit, world)
    archive_record(visit, acting_user=world.users["sam"], expected_version=visit.version,
                   reason="recorded against the wrong child")
    plan = _one(m.CINPlan, world)
    corrected = do_correct_dates(plan, acting_user=world.users["sam"],
                                 expected_version=plan.version, reason="wrong month",
                                 start_date=d(2024, 2, 10))
    assert corrected.start_date == d(2024, 2, 10)


def test_the_corrected_record_keeps_its_own_rules(world: World) -> None:
    """A CP plan cannot begin before the ICPC that decided it (25 January): its own rule
    refuses the correction, as an ordinary save would."""
    plan = _one(m.CPPlan, world)
    with pytest.raises(ValidationError) as refused:
        do_correct_dates(plan, acting_user=world.users["sam"], expected_version=plan.version,
                         reason="wrong", start_date=d(2024, 1, 20))
    assert "start_date" in refused.value.message_dict


@pytest.mark.parametrize(("dates", "reason", "field", "says"), [
    ({"start_date": d(2024, 1, 20)}, "  ", "reason", "(blank); say why"),
    ({"end_date": d(2024, 3, 1)}, "wrong", "end_date", "what can: start_date"),
    ({}, "wrong", "start_date", "give the corrected date"),
])
def test_bad_requests_are_refused_naming_the_field(world: World, dates: dict[str, dt.date],
                                                   reason: str, field: str, says: str) -> None:
    plan = _one(m.CINPlan, world)
    with pytest.raises(ValidationError) as refused:
        do_correct_dates(plan, acting_user=world.users["sam"], expected_version=plan.version,
                         reason=reason, **dates)
    assert says in refused.value.message_dict[field][0]


def test_a_stale_version_is_refused(world: World) -> None:
    plan = _one(m.CINPlan, world)
    with pytest.raises(StaleRecord):
        do_correct_dates(plan, acting_user=world.users["sam"],
                         expected_version=plan.version - 1, reason="wrong",
                         start_date=d(2024, 1, 20))


def test_dependants_are_found_through_the_models_own_rules(world: World) -> None:
    """The referral's dependants are every record declared WITHIN a referral: here the
    IRO's involvement, the assessment, the discussion, the enquiry, the ICPC, both plans and
    the period of care (Sam's allocation has no referral)."""
    referral = _one(m.Referral, world)
    kinds = sorted({type(row).__name__ for row, _ in dependants(referral)})
    assert kinds == ["Assessment", "CINPlan", "CPPlan", "InitialConference", "Involvement",
                     "PeriodOfCare", "Section47Enquiry", "StrategyDiscussion"]
