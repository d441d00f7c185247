"""The audit trail is append-only: in Python, and in the database itself."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from goldenthread.accounts.models import User
from goldenthread.audit.models import AppendOnly, AuditAction, AuditEvent
from goldenthread.audit.trail import record_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(social_worker: User) -> AuditEvent:
    return record_event(actor=social_worker, action=AuditAction.VIEW, person_id=42,
                        reason="allocated worker")


def test_an_event_cannot_be_saved_again(event: AuditEvent) -> None:
    event.reason = "something else"
    with pytest.raises(AppendOnly):
        event.save()


def test_an_event_cannot_be_deleted(event: AuditEvent) -> None:
    with pytest.raises(AppendOnly):
        event.delete()


def test_queryset_update_and_delete_are_refused(event: AuditEvent) -> None:
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_raw_update(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_event SET reason = 'tampered' WHERE id = %s", [event.pk])


def test_database_refuses_raw_delete(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_event WHERE id = %s", [event.pk])


def test_the_trail_outlives_the_actor_name(event: AuditEvent, social_worker: User) -> None:
    """The username is stored with the event, so a renamed account cannot rewrite history."""
    social_worker.username = "renamed"
    social_worker.save()
    event.refresh_from_db()
    assert event.actor_username == "sam.social-worker"
