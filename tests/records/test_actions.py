"""Every write goes through an action: one transaction, an acting user, an audit event
with before/after; a stale save is refused, never overwritten; nothing is deleted."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Model

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.core.errors import StaleRecord
from goldenthread.records.actions.base import archive_record, change_record, create_record
from goldenthread.records.models import Person, Referral, SDQScore
from tests.factories import ReferralFactory, UserFactory

pytestmark = pytest.mark.django_db


def events_for(record: Model) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(subject_type=record._meta.label_lower,
                                          subject_id=str(record.pk)).order_by("id"))


def test_create_writes_one_audit_event_with_the_values(child: Person,
                                                      social_worker: User) -> None:
    referral = create_record(Referral, acting_user=social_worker, person=child,
                             referral_date=dt.date(2024, 6, 3), source="2A")
    [event] = events_for(referral)
    assert event.action == AuditAction.CREATE
    assert event.actor == social_worker and event.actor_username == "sam.social-worker"
    assert event.subject_type == "records.referral"
    assert event.person_id == str(child.pk)
    assert event.after is not None
    assert event.after["referral_date"] == "2024-06-03" and event.after["source"] == "2A"
    assert event.before is None


def test_change_records_only_what_changed_before_and_after(child: Person,
                                                          social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    changed = change_record(referral, acting_user=social_worker, expected_version=1,
                            primary_need="N2", audit_reason="need clarified at assessment")
    assert changed.version == 2
    event = events_for(referral)[-1]
    assert event.action == AuditAction.CHANGE
    assert event.before == {"primary_need": "N1", "version": 1}
    assert event.after == {"primary_need": "N2", "version": 2}
    assert event.reason == "need clarified at assessment"


def test_stale_save_is_refused_and_the_other_change_kept(child: Person,
                                                        social_worker: User) -> None:
    """Sam and her manager open the same referral (version 1). The manager saves first;
    Sam's save, still based on version 1, is refused and names who changed it."""
    manager = UserFactory(username="mo.manager")
    referral = ReferralFactory(person=child)
    change_record(referral, acting_user=manager, expected_version=1, primary_need="N2")
    with pytest.raises(StaleRecord) as excinfo:
        change_record(referral, acting_user=social_worker, expected_version=1,
                      primary_need="N3")
    assert "changed by mo.manager" in str(excinfo.value)
    assert excinfo.value.current_values["primary_need"] == "N2"
    referral.refresh_from_db()
    assert referral.primary_need == "N2" and referral.version == 2


def test_invalid_change_leaves_the_record_and_trail_untouched(child: Person,
                                                            social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    before_events = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        change_record(referral, acting_user=social_worker, expected_version=1,
                      closure_date=dt.date(2024, 1, 1), closure_reason="RC8")
    referral.refresh_from_db()
    assert referral.closure_date is None and referral.version == 1
    assert AuditEvent.objects.count() == before_events


def test_unknown_field_is_refused_by_name(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(ValidationError) as excinfo:
        change_record(referral, acting_user=social_worker, expected_version=1, colour="red")
    assert "colour: is not a field of referral" in str(excinfo.value)


def test_system_fields_cannot_be_set_by_a_caller(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(ValidationError) as excinfo:
        change_record(referral, acting_user=social_worker, expected_version=1, version=7)
    assert "is set by the system" in str(excinfo.value)


def test_archive_needs_a_reason(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(ValidationError) as excinfo:
        archive_record(referral, acting_user=social_worker, expected_version=1, reason="  ")
    assert "say why the record is being archived" in str(excinfo.value)


def test_archive_keeps_the_record_with_who_when_and_why(child: Person,
                                                       social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    archive_record(referral, acting_user=social_worker, expected_version=1,
                   reason="recorded against the wrong child")
    referral.refresh_from_db()
    assert referral.is_archived and referral.archived_by == social_worker
    assert referral.archive_reason == "recorded against the wrong child"
    event = events_for(referral)[-1]
    assert event.action == AuditAction.ARCHIVE
    assert event.reason == "recorded against the wrong child"


def test_archived_record_cannot_be_changed(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    archived = archive_record(referral, acting_user=social_worker, expected_version=1,
                              reason="duplicate")
    with pytest.raises(ValidationError) as excinfo:
        change_record(archived, acting_user=social_worker, expected_version=2,
                      primary_need="N2")
    assert "was archived" in str(excinfo.value)


def test_archived_period_of_care_does_not_block_a_new_one(child: Person,
                                                         social_worker: User) -> None:
    """A period recorded in error and archived no longer counts as open or overlapping."""
    from goldenthread.records.models import PeriodOfCare

    wrong = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                          start_date=dt.date(2024, 4, 1))
    archive_record(wrong, acting_user=social_worker, expected_version=1, reason="wrong child")
    right = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                          start_date=dt.date(2024, 4, 1))
    assert right.pk != wrong.pk


def test_a_record_field_called_reason_is_the_record_s_not_the_audit_trail_s(
        child: Person, social_worker: User) -> None:
    """An SDQ not returned keeps its own reason (SDQ_REASON); the audit reason is separate."""
    sdq = create_record(SDQScore, acting_user=social_worker, person=child,
                        completed_on=dt.date(2024, 6, 1), reason="SDQ2",
                        audit_reason="carer declined")
    assert sdq.reason == "SDQ2"
    assert events_for(sdq)[-1].reason == "carer declined"
