"""The generic actions every area builds on: create, change (versioned), archive."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import changed_fields, record_event
from goldenthread.core.errors import StaleRecord, refuse
from goldenthread.core.models import ArchivableModel, BaseModel
from goldenthread.records.models import AssessmentFactor, Person

M = TypeVar("M", bound=BaseModel)

# Set by actions themselves, never by a caller's changes.
PROTECTED_FIELDS = frozenset({"id", "version", "created_at", "created_by", "modified_at",
                              "modified_by", "archived_at", "archived_by", "archive_reason"})


def person_id_of(record: BaseModel) -> int | None:
    """The person a record is about, for locking and for the audit trail."""
    if isinstance(record, Person):
        return record.pk
    if isinstance(record, AssessmentFactor):
        return record.assessment.person_id
    person_id: int | None = getattr(record, "person_id", None)
    return person_id


def lock_person(person_id: int | None) -> None:
    """Serialise writes about one child so cross-record rules (overlaps) cannot race.

    PostgreSQL takes a row lock; SQLite's IMMEDIATE transactions already serialise writers.
    """
    if person_id is not None:
        list(Person.objects.select_for_update().filter(pk=person_id).values_list("pk"))


def _check_field_names(model: type[BaseModel], names: Any) -> None:
    for name in names:
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            raise refuse(name, f"is not a field of {model._meta.verbose_name}") from None
        if field.name in PROTECTED_FIELDS:
            raise refuse(name, "is set by the system and cannot be given")


def _current(record: M, expected_version: int) -> M:
    """The record as it is now, locked; refused if someone saved it since it was read."""
    model = type(record)
    current = model._default_manager.select_for_update().get(pk=record.pk)
    if current.version != expected_version:
        raise StaleRecord(str(model._meta.verbose_name), expected_version, current.version,
                          current.modified_by.get_username() if current.modified_by else "",
                          current.modified_at, current.snapshot())
    return current


def create_record(model: type[M], *, acting_user: User, audit_reason: str = "",
                  **values: Any) -> M:
    """Validate and insert one record, and write its CREATE event, in one transaction.

    `audit_reason` goes to the audit trail; it is not `reason`, which some records hold
    (an SDQ's reason for no score, an early help episode's reason)."""
    _check_field_names(model, values)
    with transaction.atomic():
        record = model(**values)
        lock_person(person_id_of(record))
        record.created_by = record.modified_by = acting_user
        record.full_clean()
        record.save(force_insert=True)
        record_event(actor=acting_user, action=AuditAction.CREATE, subject=record,
                     person_id=person_id_of(record), after=record.snapshot(), reason=audit_reason)
    return record


def change_record(record: M, *, acting_user: User, expected_version: int, audit_reason: str = "",
                  check: Callable[[M], None] | None = None, **changes: Any) -> M:
    """Change fields of a record that is still at `expected_version`; else StaleRecord.
    `check`, if given, sees the changed record after its own rules, before it is saved
    (a correction checks the records that hang from it), and may refuse."""
    model = type(record)
    _check_field_names(model, changes)
    with transaction.atomic():
        lock_person(person_id_of(record))
        current = _current(record, expected_version)
        if isinstance(current, ArchivableModel) and current.is_archived:
            raise ValidationError(f"this {model._meta.verbose_name} was archived on "
                                  f"{current.archived_at:%Y-%m-%d}; it cannot be changed")
        before = current.snapshot()
        for name, value in changes.items():
            setattr(current, name, value)
        current.modified_by = acting_user
        current.full_clean()
        if check is not None:
            check(current)
        current.version = expected_version + 1
        fields = [model._meta.get_field(n).name for n in changes]
        current.save(update_fields=[*fields, "version", "modified_by", "modified_at"])
        old, new = changed_fields(before, current.snapshot())
        record_event(actor=acting_user, action=AuditAction.CHANGE, subject=current,
                     person_id=person_id_of(current), before=old, after=new, reason=audit_reason)
    return current


def archive_record(record: M, *, acting_user: User, expected_version: int, reason: str) -> M:
    """Archive, never delete: who, when and why are kept, and the audit trail says so."""
    if not isinstance(record, ArchivableModel):
        raise TypeError(f"{type(record).__name__} records cannot be archived")
    if not reason.strip():
        raise refuse("archive_reason", "(blank); say why the record is being archived")
    with transaction.atomic():
        lock_person(person_id_of(record))
        current = _current(record, expected_version)
        current.archived_at = timezone.now()
        current.archived_by = current.modified_by = acting_user
        current.archive_reason = reason
        current.version = expected_version + 1
        current.save(update_fields=["archived_at", "archived_by", "archive_reason", "version",
                                    "modified_by", "modified_at"])
        record_event(actor=acting_user, action=AuditAction.ARCHIVE, subject=current,
                     person_id=person_id_of(current), reason=reason,
                     after={"archived_at": current.archived_at.isoformat()})
    return current
