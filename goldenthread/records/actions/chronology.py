"""The impact chronology's hand-made entries: an event no record holds, added by hand, and a
mark that makes a generated event significant (or not), with what it meant for the child.

A mark names its record (`record_type`, the model's name, and `record_id`) and the event's
date, since one record can hold several events (a referral and its closure). Marking the
same event again changes its mark rather than adding another.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.db import transaction

from goldenthread.accounts.models import User
from goldenthread.core.errors import StaleRecord, refuse, show
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.models import ChronologyEntry, Person

HAND_ADDED = "chronologyentry"


@transaction.atomic
def do_add_chronology_event(person: Person, *, event_date: dt.date, title: str, impact: str,
                            acting_user: User, significant: bool = True) -> ChronologyEntry:
    """An event no record holds (a parent's imprisonment, a school move)."""
    if not title.strip():
        raise refuse("title", "(blank); say what happened")
    return create_record(ChronologyEntry, acting_user=acting_user, person=person,
                         event_date=event_date, title=title.strip(), impact=impact.strip(),
                         significant=significant)


def _check_record(person: Person, record_type: str, record_id: int) -> None:
    """The record a mark names must be one of this child's records, not archived."""
    try:
        model = apps.get_model("records", record_type)
    except LookupError:
        raise refuse("record_type", f"{show(record_type)} is not a kind of record") from None
    if model is ChronologyEntry or not any(f.name == "person"
                                           for f in model._meta.concrete_fields):
        raise refuse("record_type", f"{show(record_type)} is not a record of a child's "
                                    "journey that can be marked")
    if not model._default_manager.filter(pk=record_id, person=person,
                                         archived_at__isnull=True).exists():
        raise refuse("record_id", f"{show(record_id)} is not a current "
                                  f"{model._meta.verbose_name} of this child")


@transaction.atomic
def do_mark_event(person: Person, *, record_type: str, record_id: int, event_date: dt.date,
                  title: str, significant: bool, impact: str, acting_user: User,
                  expected_version: int | None = None) -> ChronologyEntry:
    """Mark an event of the chronology significant or not. For a hand-added event
    (`record_type` 'chronologyentry') the entry itself changes. `expected_version` is the
    version of the mark the user saw (None: they saw none); a mark made or changed since is
    refused (StaleRecord), so nobody's words about the event are overwritten."""
    if record_type == HAND_ADDED:
        entry = ChronologyEntry.objects.filter(pk=record_id, person=person, record_type="",
                                               archived_at__isnull=True).first()
        if entry is None:
            raise refuse("record_id", f"{show(record_id)} is not an event added to this "
                                      "child's chronology")
        return change_record(entry, acting_user=acting_user,
                             expected_version=expected_version or entry.version,
                             significant=significant, impact=impact.strip())
    _check_record(person, record_type, record_id)
    mark = ChronologyEntry.objects.filter(person=person, record_type=record_type,
                                          record_id=record_id, event_date=event_date,
                                          archived_at__isnull=True).order_by("-pk").first()
    if mark is None:
        return create_record(ChronologyEntry, acting_user=acting_user, person=person,
                             record_type=record_type, record_id=record_id,
                             event_date=event_date, title=title, impact=impact.strip(),
                             significant=significant)
    if expected_version is None:
        # Someone marked this event after the user opened the chronology: theirs stands.
        raise StaleRecord(str(ChronologyEntry._meta.verbose_name), 0, mark.version,
                          mark.modified_by.get_username() if mark.modified_by else "",
                          mark.modified_at, mark.snapshot())
    return change_record(mark, acting_user=acting_user, expected_version=expected_version,
                         significant=significant, impact=impact.strip())
