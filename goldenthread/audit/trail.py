"""Writing to the audit trail. Actions call `record_event` inside their own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from goldenthread.audit.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.db.models import Model

    from goldenthread.accounts.models import User


def record_event(*, actor: User, action: AuditAction, subject: Model | None = None,
                 person_id: object = "", reason: str = "",
                 before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                 detail: dict[str, Any] | None = None) -> AuditEvent:
    subject_type = subject_id = ""
    if subject is not None:
        subject_type = subject._meta.label_lower
        subject_id = str(subject.pk)
    return AuditEvent.objects.create(
        actor=actor, actor_username=actor.get_username(), action=action,
        subject_type=subject_type, subject_id=subject_id,
        person_id="" if person_id in (None, "") else str(person_id), reason=reason,
        before=before, after=after, detail=detail or {},
    )


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any],
                                                                         dict[str, Any]]:
    """Only what changed, so the trail says what an edit did rather than everything."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
