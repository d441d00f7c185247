"""Steps of the CIN and child protection journey that touch more than one record."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from goldenthread.accounts.models import User
from goldenthread.core.errors import refuse, show
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.models import (
    CPPlan,
    InitialConference,
    Involvement,
    Person,
    Professional,
    Referral,
    Team,
)
from goldenthread.reference.timescales import icpc_due


@transaction.atomic
def do_record_initial_conference(referral: Referral, *, conference_date: dt.date,
                                 cp_plan_decided: bool, acting_user: User,
                                 section_47: object = None, is_transfer_in: bool = False,
                                 chair: Professional | None = None) -> InitialConference:
    """Record an ICPC; its target date follows from the strategy discussion, not from typing."""
    target = None
    discussion = getattr(section_47, "strategy_discussion", None)
    if discussion is not None:
        target = icpc_due(discussion.held_on)
    return create_record(InitialConference, acting_user=acting_user, person=referral.person,
                         referral=referral, section_47=section_47, is_transfer_in=is_transfer_in,
                         target_date=target, conference_date=conference_date,
                         cp_plan_decided=cp_plan_decided, chair=chair)


def do_start_cp_plan(conference: InitialConference, *, start_date: dt.date, category: str,
                     acting_user: User, is_other_la: bool = False) -> CPPlan:
    return create_record(CPPlan, acting_user=acting_user, person=conference.person,
                         referral=conference.referral, initial_conference=conference,
                         start_date=start_date, initial_category=category,
                         latest_category=category, is_other_la=is_other_la)


@transaction.atomic
def do_close_referral(referral: Referral, *, on: dt.date, reason: str,
                      acting_user: User) -> Referral:
    """Close a CIN episode. Plans and care still open under it must end first."""
    still_open = [
        *(f"child protection plan from {show(p.start_date)}" for p in
          referral.cp_plans.filter(end_date__isnull=True, archived_at__isnull=True)),
        *(f"CIN plan from {show(p.start_date)}" for p in
          referral.cin_plans.filter(end_date__isnull=True, archived_at__isnull=True)),
        *(f"period of care from {show(p.start_date)}" for p in
          referral.periods_of_care.filter(end_date__isnull=True, archived_at__isnull=True)),
    ]
    if still_open:
        raise refuse("closure_date", f"{show(on)}: the referral still has an open "
                                     f"{'; '.join(still_open)}; end it before closing")
    for involvement in referral.involvements.filter(end_date__isnull=True,
                                                    archived_at__isnull=True):
        change_record(involvement, acting_user=acting_user, expected_version=involvement.version,
                      end_date=on, change_reason="")
    return change_record(referral, acting_user=acting_user, expected_version=referral.version,
                         closure_date=on, closure_reason=reason)


@transaction.atomic
def do_allocate_worker(person: Person, *, professional: Professional, team: Team, on: dt.date,
                       acting_user: User, role: str = "CW", referral: Referral | None = None,
                       change_reason: str = "") -> Involvement:
    """Allocate (or transfer) a case: the current holder's involvement ends the same day."""
    current = Involvement.objects.filter(person=person, role=role, end_date__isnull=True,
                                         archived_at__isnull=True).first()
    if current is not None:
        if current.professional_id == professional.pk and current.team_id == team.pk:
            raise refuse("professional", f"{show(professional.name)} already holds this case")
        change_record(current, acting_user=acting_user, expected_version=current.version,
                      end_date=on, change_reason=change_reason)
    return create_record(Involvement, acting_user=acting_user, person=person,
                         professional=professional, team=team, role=role, referral=referral,
                         start_date=on)
