"""Finding a child and reading their record. Every page starts from goldenthread.access."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from goldenthread.access.actions import record_searched, record_viewed
from goldenthread.access.policy import access_person, access_record, visible_people
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.core.models import AUDIT_SKIP
from goldenthread.records.models import Involvement
from goldenthread.web.rules import access_rule, signed_in_user

SEARCH_LIMIT = 50


@access_rule("signed_in")
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"visible_count": visible_people(signed_in_user(request)).count()}
    return render(request, "home.html", context)


@access_rule("signed_in")
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    terms = {k: request.GET.get(k, "").strip() for k in ("name", "identifier")}
    people = []
    if any(terms.values()):
        found = visible_people(signed_in_user(request))
        for word in terms["name"].split():
            found = found.filter(Q(forename__icontains=word) | Q(surname__icontains=word)
                                 | Q(preferred_name__icontains=word))
        if terms["identifier"]:
            ident = terms["identifier"].replace(" ", "").upper()
            found = found.filter(Q(la_person_id=terms["identifier"]) | Q(upn=ident)
                                 | Q(former_upn=ident) | Q(nhs_number=ident))
        people = list(found.order_by("surname", "forename")[:SEARCH_LIMIT])
        record_searched(signed_in_user(request), terms=terms, results=len(people))
    return render(request, "people/search.html", {"terms": terms, "people": people})


@access_rule("child_record")
@require_GET
def person(request: HttpRequest, person_id: int) -> HttpResponse:
    child = access_person(signed_in_user(request), person_id)
    record_viewed(signed_in_user(request), child, page="summary")
    context = {
        "child": child,
        "allocations": Involvement.objects.filter(person=child, end_date__isnull=True,
                                                  archived_at__isnull=True)
        .select_related("professional", "team"),
        "referrals": child.referrals.filter(archived_at__isnull=True).order_by("-referral_date"),
        "periods": child.periodofcares.filter(archived_at__isnull=True).order_by("-start_date"),
        "cp_plans": child.cpplans.filter(archived_at__isnull=True).order_by("-start_date"),
        "relationships": child.relationships.filter(archived_at__isnull=True)
        .select_related("relative"),
    }
    return render(request, "people/person.html", context)


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
