"""The lists a step's links are chosen from: staff and teams of the council, and the child's
own records. Only what is listed can be posted (fields.ModelChoice)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Model, Q
from django.utils import timezone

from goldenthread.records.models import (
    CLAReview,
    Contact,
    Involvement,
    Professional,
    Team,
    TeamKind,
    TeamMembership,
)
from goldenthread.reference.codes import code_list
from goldenthread.web.forms.steps import Run

Listed = Sequence[tuple[Model, str]]


def when(value: object) -> str:
    """A date or date-time as the pages show it."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return ""


def describe_code(list_id: str, code: str) -> str:
    found = code_list(list_id).get(code) if code else None
    return found.description if found is not None else code


def _working(run: Run) -> Q:
    return Q(archived_at__isnull=True) & (Q(leave_date__isnull=True)
                                          | Q(leave_date__gte=run.today))


def professionals(run: Run) -> Listed:
    """Staff still working for the council, by surname."""
    staff = Professional.objects.filter(_working(run)).order_by("surname", "forename", "pk")
    return [(p, f"{p.name} ({p.job_title})") for p in staff]


def managers(run: Run) -> Listed:
    """Staff who manage: marked as managers, or a team's manager today."""
    team_managers = TeamMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=run.today), is_team_manager=True,
        start_date__lte=run.today, archived_at__isnull=True).values("professional_id")
    staff = Professional.objects.filter(_working(run)).filter(
        Q(is_manager=True) | Q(pk__in=team_managers)).order_by("surname", "forename", "pk")
    return [(p, f"{p.name} ({p.job_title})") for p in staff]


def teams(run: Run) -> Listed:
    """Teams (not services or localities) that have not closed."""
    found = Team.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=run.today),
                                kind=TeamKind.TEAM, archived_at__isnull=True).order_by("name")
    return [(t, t.name) for t in found]


def me(run: Run) -> Professional | None:
    return run.me


def my_team(run: Run) -> Team | None:
    if run.me is None:
        return None
    membership = TeamMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=run.today), professional=run.me,
        start_date__lte=run.today, archived_at__isnull=True).select_related("team").first()
    return membership.team if membership is not None else None


def me_if_manager(run: Run) -> Professional | None:
    return run.me if run.me is not None and any(p.pk == run.me.pk for p, _ in managers(run)) \
        else None


def allocated_worker(run: Run) -> Professional | None:
    current = Involvement.objects.filter(person=run.child, role="CW", end_date__isnull=True,
                                         archived_at__isnull=True).select_related(
        "professional").first()
    return current.professional if current is not None else None


# The child's own records.

def contacts(run: Run) -> Listed:
    return [(c, f"Contact received {when(c.received_at)} "
                f"({describe_code('REFERRAL_SOURCE', c.source)})") for c in run.journey.contacts]


def contact_for_referral(run: Run) -> Contact | None:
    """The latest contact decided as a referral, else the latest contact."""
    decided = [c for c in run.journey.contacts if c.decision in ("REFERRAL", "CP_ENQUIRY")]
    found = decided or run.journey.contacts
    return found[0] if found else None


def discussions(run: Run) -> Listed:
    return [(d, f"Strategy discussion of {when(d.held_on)} "
                f"({'section 47 agreed' if d.section_47_agreed else 'no section 47'})")
            for d in run.journey.on_open_referral(run.journey.discussions)]


def latest_discussion(run: Run) -> Model | None:
    found = discussions(run)
    return found[0][0] if found else None


def enquiries(run: Run) -> Listed:
    return [(e, f"Section 47 enquiry from {when(e.start_date)}")
            for e in run.journey.on_open_referral(run.journey.enquiries)]


def latest_enquiry(run: Run) -> Model | None:
    found = enquiries(run)
    return found[0][0] if found else None


def conferences_awaiting_plan(run: Run) -> Listed:
    return [(c, f"Initial conference of {when(c.conference_date)}")
            for c in run.journey.conferences_awaiting_plan]


def first_conference_awaiting_plan(run: Run) -> Model | None:
    found = conferences_awaiting_plan(run)
    return found[0][0] if found else None


def cla_reviews(run: Run) -> Listed:
    period = run.journey.open_period
    if period is None:
        return []
    found = CLAReview.objects.filter(period=period, archived_at__isnull=True) \
        .order_by("-due_date")
    return [(r, f"Review due {when(r.due_date)}"
                + (f", held {when(r.review_date)}" if r.review_date else "")) for r in found]
