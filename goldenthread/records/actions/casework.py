"""Steps of recording a child's journey that the generic actions do not say alone: a contact
for a child not yet known, a referral with its allocation, an assessment with its factors,
and a manager's authorisation. Each is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from goldenthread.accounts.models import User
from goldenthread.core.errors import refuse, show
from goldenthread.records.actions.base import archive_record, change_record, create_record
from goldenthread.records.actions.journey import do_allocate_worker
from goldenthread.records.models import (
    Assessment,
    AssessmentFactor,
    Contact,
    Person,
    Professional,
    Referral,
    Team,
    TeamMembership,
)

# People first recorded here get an LA id of this shape; other systems' ids are kept as given.
LA_ID_PREFIX = "GT"
LA_ID_DIGITS = 7


def next_la_person_id() -> str:
    """The next free id of our own shape (GT0000001, …); the unique constraint is the guard
    if two people are recorded at the same instant."""
    pattern = rf"^{LA_ID_PREFIX}[0-9]{{{LA_ID_DIGITS}}}$"
    latest = (Person.objects.filter(la_person_id__regex=pattern)
              .order_by("-la_person_id").values_list("la_person_id", flat=True).first())
    number = int(latest[len(LA_ID_PREFIX):]) + 1 if latest else 1
    return f"{LA_ID_PREFIX}{number:0{LA_ID_DIGITS}d}"


@transaction.atomic
def do_record_contact_for_new_person(*, person: dict[str, Any], contact: dict[str, Any],
                                     acting_user: User) -> Contact:
    """A contact about a child not yet known: the person and the contact are saved together
    or not at all."""
    values = dict(person)
    if values.get("date_of_birth") is None and values.get("expected_date_of_birth") is None:
        raise refuse("date_of_birth", "(blank) and no expected date of birth; give the date of "
                                      "birth, or the expected date for an unborn child")
    if not values.get("la_person_id"):
        values["la_person_id"] = next_la_person_id()
    new = create_record(Person, acting_user=acting_user, **values)
    return create_record(Contact, acting_user=acting_user, person=new, **contact)


@transaction.atomic
def do_open_referral(person: Person, *, referral_date: dt.date, source: str, acting_user: User,
                     contact: Contact | None = None, primary_need: str = "",
                     team: Team | None = None, worker: Professional | None = None,
                     ) -> Referral:
    """Open a referral (CIN episode); with a worker and team, allocate the case to them from
    the referral date, as one step."""
    if worker is not None and team is None:
        raise refuse("team", f"(blank) but {show(worker.name)} is named as the worker; choose "
                             "the team that holds the case")
    referral = create_record(Referral, acting_user=acting_user, person=person, contact=contact,
                             referral_date=referral_date, source=source,
                             primary_need=primary_need, team=team, worker=worker)
    if worker is not None and team is not None:
        do_allocate_worker(person, professional=worker, team=team, on=referral_date,
                           acting_user=acting_user, referral=referral)
    return referral


def _set_factors(assessment: Assessment, codes: Iterable[str], acting_user: User) -> None:
    wanted = list(dict.fromkeys(codes))
    current = {f.code: f for f in assessment.factors.filter(archived_at__isnull=True)}
    for code, factor in current.items():
        if code not in wanted:
            archive_record(factor, acting_user=acting_user, expected_version=factor.version,
                           reason="removed when the assessment was updated")
    for code in wanted:
        if code not in current:
            create_record(AssessmentFactor, acting_user=acting_user, assessment=assessment,
                          code=code)


@transaction.atomic
def do_update_assessment(assessment: Assessment, *, acting_user: User, expected_version: int,
                         factors: Iterable[str] | None = None, **changes: Any) -> Assessment:
    """Change an assessment and, when given, set its factors (CIN census
    FactorsIdentifiedAtAssessment) to exactly those codes. Authorisation is not changed here:
    see do_authorise_assessment."""
    for name in ("authorised_on", "authorised_by"):
        if name in changes:
            raise refuse(name, "is set only by a manager's authorisation")
    updated = change_record(assessment, acting_user=acting_user,
                            expected_version=expected_version, **changes)
    if factors is not None:
        _set_factors(updated, factors, acting_user)
    return updated


def authorising_manager(user: User, on: dt.date) -> Professional | None:
    """The user's professional record if they may authorise an assessment on `on`: a manager
    in the workforce (is_manager, or team manager on that day) or in a role that manages
    staff; None otherwise."""
    professional = Professional.objects.filter(user=user, archived_at__isnull=True).first()
    if professional is None:
        return None
    if professional.is_manager or "manages_staff" in user.access.get("flags", []):
        return professional
    manages_a_team = TeamMembership.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gt=on), professional=professional,
        is_team_manager=True, start_date__lte=on, archived_at__isnull=True).exists()
    return professional if manages_a_team else None


@transaction.atomic
def do_authorise_assessment(assessment: Assessment, *, on: dt.date, acting_user: User,
                            expected_version: int) -> Assessment:
    """A manager signs off a completed assessment; nobody else may."""
    manager = authorising_manager(acting_user, on)
    if manager is None:
        raise refuse("authorised_by", f"{show(acting_user.get_username())} is not a manager; "
                                      "only a team or service manager may authorise an "
                                      "assessment")
    if assessment.completed_on is None:
        raise refuse("authorised_on", f"{show(on)}: the assessment has not been completed; "
                                      "it is authorised after the worker completes it")
    if on < assessment.completed_on:
        raise refuse("authorised_on", f"{show(on)} is before the assessment was completed "
                                      f"({show(assessment.completed_on)}); it must be on or "
                                      "after it")
    return change_record(assessment, acting_user=acting_user, expected_version=expected_version,
                         authorised_on=on, authorised_by=manager)
