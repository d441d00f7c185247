"""Break-glass access, its review by managers, and the analysts' pseudonymised export."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from goldenthread.access.actions import do_break_glass, record_exported
from goldenthread.access.models import BreakGlass
from goldenthread.access.policy import service_team_ids, user_team_ids
from goldenthread.access.pseudonymise import birth_month, postcode_district, pseudonym
from goldenthread.core.spreadsheet import csv_text
from goldenthread.records.models import (
    Address,
    CPPlan,
    Involvement,
    PeriodOfCare,
    Person,
    Referral,
    TeamMembership,
)
from goldenthread.web.rules import access_rule, signed_in_user

REVIEW_WINDOW = dt.timedelta(days=90)


@access_rule("break_glass")
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    errors: dict[str, str] = {}
    values = {"la_person_id": "", "reason": ""}
    if request.method == "POST":
        values = {k: request.POST.get(k, "").strip() for k in values}
        # Missing, archived and restricted records get the same answer: nothing to open.
        child = Person.objects.filter(la_person_id=values["la_person_id"],
                                      archived_at__isnull=True, is_restricted=False).first()
        if child is None:
            errors["la_person_id"] = (f"la_person_id: {values['la_person_id']!r} is not a "
                                      "record you can open this way; check the id")
        else:
            try:
                do_break_glass(signed_in_user(request), child, reason=values["reason"])
            except ValidationError as exc:
                errors.update({k: " ".join(v) for k, v in exc.message_dict.items()})
            else:
                return redirect("person", person_id=child.pk)
    return render(request, "oversight/break_glass.html", {"errors": errors, "values": values},
                  status=400 if errors else 200)


@access_rule("manager")
@require_GET
def break_glass_review(request: HttpRequest) -> HttpResponse:
    """Managers see every break-glass look taken by staff in their service."""
    today = timezone.localdate()
    teams = service_team_ids(user_team_ids(signed_in_user(request), today))
    staff_users = TeamMembership.objects.filter(team_id__in=teams).values(
        "professional__user_id")
    uses = (BreakGlass.objects.filter(user_id__in=staff_users,
                                      started_at__gte=timezone.now() - REVIEW_WINDOW)
            .select_related("user", "person"))
    return render(request, "oversight/break_glass_review.html", {"uses": uses})


@access_rule("analyst")
@require_GET
def pseudonymised_people(request: HttpRequest) -> HttpResponse:
    """Every unrestricted child with a referral, pseudonymised, as CSV."""
    people = (Person.objects.filter(archived_at__isnull=True, is_restricted=False)
              .filter(Exists(Referral.objects.filter(person=OuterRef("pk"))))
              .annotate(looked_after=Exists(PeriodOfCare.objects.filter(
                            person=OuterRef("pk"), end_date__isnull=True)),
                        on_cp_plan=Exists(CPPlan.objects.filter(person=OuterRef("pk"),
                                                                end_date__isnull=True)))
              .order_by("pk"))
    teams = dict(Involvement.objects.filter(end_date__isnull=True, role="CW")
                 .values_list("person_id", "team__name"))
    postcodes = dict(Address.objects.filter(end_date__isnull=True, address_type="HOME")
                     .values_list("person_id", "postcode"))
    header = ["pseudonym", "birth_month", "sex", "ethnicity", "postcode_district",
              "looked_after", "on_cp_plan", "allocated_team"]
    rows = ([pseudonym(p.pk), birth_month(p.date_of_birth), p.sex, p.ethnicity,
             postcode_district(postcodes.get(p.pk, "")), p.looked_after, p.on_cp_plan,
             teams.get(p.pk, "")] for p in people.iterator())
    text, count = csv_text(header, rows)
    record_exported(signed_in_user(request), export="pseudonymised_people", row_count=count)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="pseudonymised-people.csv"'
    return response
