"""Finding a person and reading their record: the child's summary, their records, who has
viewed them. Every page starts from goldenthread.access; the reading is in casework."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from goldenthread.access.actions import record_viewed
from goldenthread.access.policy import access_person, access_record
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.casework.search import Terms, find_people
from goldenthread.casework.summary import case_summary
from goldenthread.core.models import AUDIT_SKIP
from goldenthread.records.models import Person
from goldenthread.web.rules import access_rule, signed_in_user
from goldenthread.web.views.work import STATUS_TAGS, task_url


def read_date(data: QueryDict, name: str, label: str) -> tuple[dt.date | None, dict[str, str],
                                                               str]:
    """A GOV.UK date input (`name`-day, -month, -year): the date (None if all blank), the
    parts as typed, and a message for the error summary ('' if fine)."""
    raw = {part: data.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
    if not any(raw.values()):
        return None, raw, ""
    missing = [part for part in ("day", "month", "year") if not raw[part]]
    if missing:
        return None, raw, f"{label} must include a {missing[0]}"
    if not all(raw[p].isdigit() for p in raw) or len(raw["year"]) != 4:
        return None, raw, f"{label} must be a real date, like 27 3 2015"
    try:
        return dt.date(int(raw["year"]), int(raw["month"]), int(raw["day"])), raw, ""
    except ValueError:
        return None, raw, f"{label} must be a real date, like 27 3 2015"


def child_tabs(child: Person, current: str) -> list[dict[str, Any]]:
    """The sub-navigation of a child's pages."""
    return [{"text": text, "href": reverse(name, args=[child.pk]), "active": name == current}
            for text, name in (("Summary", "person"), ("Chronology", "chronology"),
                               ("Records", "person_records"))]


@access_rule("signed_in")
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """Find a person by name (spelling need not be exact), date of birth, LA id, UPN or NHS
    number; only people the user may see are found, and the search is audited."""
    dob, dob_raw, dob_error = read_date(request.GET, "dob", "Date of birth")
    terms = Terms(name=request.GET.get("name", "").strip(), date_of_birth=dob,
                  identifier=request.GET.get("identifier", "").strip())
    errors = {"dob-day": dob_error} if dob_error else {}
    searched = not errors and not terms.empty
    matches = find_people(signed_in_user(request), terms) if searched else []
    return render(request, "people/search.html",
                  {"terms": terms, "dob": dob_raw, "errors": errors, "searched": searched,
                   "matches": matches}, status=400 if errors else 200)


@access_rule("child_record")
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    """The child's page: the case summary, then family and network."""
    child = access_person(signed_in_user(request), person_id)
    record_viewed(signed_in_user(request), child, page="summary")
    summary = case_summary(child)
    context = {
        "child": child,
        "summary": summary,
        "tabs": child_tabs(child, "person"),
        "tags": STATUS_TAGS, "task_url": task_url,
        "relationships": summary.family,
    }
    return render(request, "people/person.html", context)


@access_rule("child_record")
@require_GET
def person_records(request: HttpRequest, person_id: int) -> HttpResponse:
    """The child's records by kind, newest first, each opening its record page."""
    child = access_person(signed_in_user(request), person_id)
    record_viewed(signed_in_user(request), child, page="records")
    live = {"archived_at__isnull": True}
    context = {
        "child": child,
        "tabs": child_tabs(child, "person_records"),
        "contacts": child.contacts.filter(**live).order_by("-received_at"),
        "referrals": child.referrals.filter(**live).order_by("-referral_date"),
        "assessments": child.assessments.filter(**live).order_by("-start_date"),
        "cin_plans": child.cinplans.filter(**live).order_by("-start_date"),
        "cp_plans": child.cpplans.filter(**live).order_by("-start_date"),
        "periods": child.periodofcares.filter(**live).order_by("-start_date"),
        "missing": child.missingepisodes.filter(**live).order_by("-start_at"),
        "case_notes": child.casenotes.filter(**live).order_by("-occurred_at")[:50],
        "supervisions": child.supervisions.filter(**live).order_by("-supervision_date")[:50],
    }
    return render(request, "people/records.html", context)


@access_rule("child_record")
@require_GET
def viewers(request: HttpRequest, person_id: int) -> HttpResponse:
    """Who has viewed this child's record: the trail of looks, newest first."""
    child = access_person(signed_in_user(request), person_id)
    record_viewed(signed_in_user(request), child, page="viewers")
    events = AuditEvent.objects.filter(
        person_id=str(child.pk),
        action__in=[AuditAction.VIEW, AuditAction.BREAK_GLASS, AuditAction.EXPORT],
    ).order_by("-occurred_at")[:500]
    return render(request, "people/viewers.html", {"child": child, "events": events})


def record_model(record_type: str) -> type[Model]:
    """A records model by its name in the URL, e.g. 'placement'; 404 for anything else."""
    try:
        model = apps.get_model("records", record_type)
    except LookupError:
        raise Http404("No such record") from None
    if not any(f.name == "person" for f in model._meta.concrete_fields):
        raise Http404("No such record")
    return model


@access_rule("child_record")
@require_GET
def record(request: HttpRequest, record_type: str, record_id: int) -> HttpResponse:
    """Any record about a child (a referral, a placement, an SDQ …), field by field."""
    model = record_model(record_type)
    item = access_record(signed_in_user(request), model, record_id)
    child = item.person  # type: ignore[attr-defined]
    record_viewed(signed_in_user(request), child, page=f"record:{record_type}:{item.pk}")
    fields = [(f.verbose_name, getattr(item, f.name)) for f in model._meta.concrete_fields
              if f.name not in AUDIT_SKIP and f.name != "person"]
    return render(request, "people/record.html",
                  {"child": child, "item": item, "label": model._meta.verbose_name,
                   "fields": fields})
