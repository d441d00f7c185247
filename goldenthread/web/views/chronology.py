"""The child's impact chronology: read it (all events or the significant ones), add an event
by hand, mark an event significant or not. The chronology is built in casework; the writes
are records actions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from goldenthread.access.actions import record_viewed
from goldenthread.access.policy import access_person
from goldenthread.casework.chronology import add_event, chronology, find_event, mark_event
from goldenthread.core.errors import StaleRecord
from goldenthread.web.rules import access_rule, signed_in_user
from goldenthread.web.views.people import child_tabs, read_date

FIELD_ANCHORS = {"event_date": "event_date-day", "title": "title", "impact": "impact",
                 "significant": "significant", "event": "significant"}


def _errors(exc: ValidationError) -> dict[str, str]:
    """A refusal's messages by the id of the field they belong to."""
    if not hasattr(exc, "error_dict"):
        return {"significant": " ".join(exc.messages)}
    return {FIELD_ANCHORS.get(name, name): " ".join(messages)
            for name, messages in exc.message_dict.items()}


@access_rule("child_record")
@require_GET
def chronology_page(request: HttpRequest, person_id: int) -> HttpResponse:
    child = access_person(signed_in_user(request), person_id)
    record_viewed(signed_in_user(request), child, page="chronology")
    significant_only = request.GET.get("significant") == "1"
    return render(request, "people/chronology.html", {
        "child": child, "tabs": child_tabs(child, "chronology"),
        "events": chronology(child, significant_only=significant_only),
        "significant_only": significant_only, "saved": request.GET.get("saved", ""),
    })


@access_rule("recording")
@require_http_methods(["GET", "POST"])
def chronology_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """Add an event no record holds (e.g. a parent's imprisonment, a school move)."""
    user = signed_in_user(request)
    child = access_person(user, person_id)
    values = {"title": "", "impact": ""}
    day = {"day": "", "month": "", "year": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        event_date, day, date_error = read_date(request.POST, "event_date", "Date of the event")
        if date_error:
            errors["event_date-day"] = date_error
        if not values["title"]:
            errors["title"] = "Enter what happened"
        if not errors:
            try:
                add_event(child, event_date=event_date, title=values["title"],
                          impact=values["impact"], acting_user=user)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                return redirect(reverse("chronology", args=[child.pk]) + "?saved=added")
    else:
        record_viewed(user, child, page="chronology:add")
    return render(request, "people/chronology_add.html",
                  {"child": child, "values": values, "day": day, "errors": errors},
                  status=400 if errors else 200)


@access_rule("recording")
@require_http_methods(["GET", "POST"])
def chronology_mark(request: HttpRequest, person_id: int) -> HttpResponse:
    """Mark one event of the chronology significant or not, and say what it meant."""
    user = signed_in_user(request)
    child = access_person(user, person_id)
    data = request.POST if request.method == "POST" else request.GET
    try:
        event = find_event(child, data.get("event", ""))
    except ValidationError:
        raise Http404("No such event") from None
    values = {"significant": "yes" if event.significant else "no", "impact": event.impact,
              "version": "" if event.mark_version is None else str(event.mark_version)}
    errors: dict[str, str] = {}
    stale: StaleRecord | None = None
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        if values["significant"] not in ("yes", "no"):
            errors["significant"] = "Choose whether this event is significant"
        version = int(values["version"]) if values["version"].isdigit() else None
        if not errors:
            try:
                mark_event(child, event.key, significant=values["significant"] == "yes",
                           impact=values["impact"], acting_user=user, expected_version=version)
            except StaleRecord as exc:
                # Keep what they typed; the next save is against the version now shown.
                stale = exc
                errors["significant"] = str(exc)
                values["version"] = str(exc.current_version)
            except ValidationError as exc:
                errors = _errors(exc)
            else:
                return redirect(reverse("chronology", args=[child.pk]) + "?saved=marked")
    else:
        record_viewed(user, child, page="chronology:mark")
    status = 409 if stale else 400 if errors else 200
    return render(request, "people/chronology_mark.html",
                  {"child": child, "event": event, "values": values, "errors": errors,
                   "stale": stale}, status=status)
