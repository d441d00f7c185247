"""Helpers of the recording pages: naming a record, the child's records that can be changed,
and the contact for a child not yet known (with its duplicate check)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from goldenthread.casework.search import Duplicates, possible_duplicates
from goldenthread.core.models import AUDIT_SKIP
from goldenthread.records.actions.casework import do_record_contact_for_new_person
from goldenthread.records.models import Contact, Person
from goldenthread.web.forms.choices import when
from goldenthread.web.forms.edits import CORRECTION_PREFIX, EDITS
from goldenthread.web.forms.form import RecordForm
from goldenthread.web.forms.steps import Run, Step

CHANGEABLE_PER_KIND = 10
DUPLICATES_SHOWN = 10
CONFIRM_NEW = "confirm_new"


def _event_date(record: Model) -> dt.date | dt.datetime | None:
    """A record's own date (its life event: a conference's date, a visit's date), else its
    first date, for naming it."""
    for name in getattr(record, "LIFE_EVENTS", ()):
        value = getattr(record, name, None)
        if isinstance(value, dt.date):
            return value
    for field in record._meta.concrete_fields:
        if field.name in AUDIT_SKIP or field.name == "archived_at":
            continue
        if isinstance(field, models.DateField):
            value = getattr(record, field.name)
            if value is not None:
                return value  # type: ignore[no-any-return]
    return None


def record_label(record: Model) -> str:
    """E.g. 'referral of 08/01/2024', or the person's name."""
    if isinstance(record, Person):
        return f"details of {record.full_name}"
    name = str(record._meta.verbose_name)
    day = _event_date(record)
    return f"{name} of {when(day)}" if day is not None else name


def changeable_records(child: Person) -> list[dict[str, Any]]:
    """The child's records that have a change form, newest first within each kind."""
    rows = [{"text": f"Change the {record_label(child)}",
             "href": reverse("edit_record", args=["person", child.pk])}]
    for slug, step in EDITS.items():
        if step.model is Person:
            continue
        found = step.model._default_manager.filter(person=child, archived_at__isnull=True) \
            .order_by("-pk")[:CHANGEABLE_PER_KIND]
        correcting = slug.startswith(CORRECTION_PREFIX)
        rows += [{"text": f"Correct the date of the {record_label(r)}" if correcting else
                  f"Change the {record_label(r)}",
                  "href": reverse("edit_record", args=[slug, r.pk])} for r in found]
    return rows


def duplicates_of(run: Run, values: dict[str, Any]) -> Duplicates:
    """Who may already be this child (casework.search, within the user's reach), and how
    many other records outside it match."""
    return possible_duplicates(
        run.user, forename=values.get("forename", ""), surname=values.get("surname", ""),
        date_of_birth=values.get("date_of_birth") or values.get("expected_date_of_birth"),
        nhs_number=values.get("nhs_number", ""), upn=values.get("upn", ""))


def new_contact_page(request: HttpRequest, run: Run, contact_step: Step,
                     person_step: Step) -> HttpResponse | Person:
    """The new person's details and the contact, saved together; the Person when saved."""
    person_fields, contact_fields = person_step.build(run), contact_step.build(run)
    posted = request.method == "POST"
    form = RecordForm([*person_fields, *contact_fields],
                      data=request.POST if posted else None)
    duplicates = Duplicates(visible=[], elsewhere=0)
    if posted and form.is_valid():
        person = {f.name: form.values[f.name] for f in person_fields}
        contact = {f.name: form.values[f.name] for f in contact_fields}
        if request.POST.get(CONFIRM_NEW) != "yes":
            duplicates = duplicates_of(run, person)
        if not (duplicates.visible or duplicates.elsewhere):
            try:
                with transaction.atomic():
                    saved: Contact = do_record_contact_for_new_person(
                        person=person, contact=contact, acting_user=run.user)
            except ValidationError as error:
                form.refuse(error)
            else:
                return saved.person
    shown = form.shown()
    return render(request, "recording/new_contact.html", {
        "form": form, "summary": form.summary(),
        "person_fields": shown[:len(person_fields)], "contact_fields": shown[len(person_fields):],
        "duplicates": duplicates.visible[:DUPLICATES_SHOWN], "elsewhere": duplicates.elsewhere,
        "checked": bool(duplicates.visible or duplicates.elsewhere),
        "confirm_new": CONFIRM_NEW, "step": contact_step})
