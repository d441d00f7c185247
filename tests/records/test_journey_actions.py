"""The multi-record steps of a child's journey keep the SSDA903 and CIN shapes true."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from goldenthread.accounts.models import User
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.cla import (
    PlacementDetails,
    do_change_legal_status,
    do_change_placement,
    do_end_period_of_care,
    do_start_period_of_care,
)
from goldenthread.records.actions.journey import (
    do_allocate_worker,
    do_close_referral,
    do_record_initial_conference,
    do_start_cp_plan,
)
from goldenthread.records.models import (
    CINPlan,
    CLAEpisode,
    Involvement,
    PeriodOfCare,
    Person,
    Placement,
    Section47Enquiry,
    StrategyDiscussion,
)
from tests.factories import ProfessionalFactory, ReferralFactory, TeamFactory

pytestmark = pytest.mark.django_db

FOSTER = PlacementDetails(placement_type="U4", provider="PR1", postcode="M14 5RX")
RESIDENTIAL = PlacementDetails(placement_type="K2", provider="PR3", urn="SC123456",
                               postcode="OL1 1AA")


def start_care(child: Person, user: User) -> PeriodOfCare:
    return do_start_period_of_care(child, start_date=dt.date(2024, 4, 1), legal_status="V2",
                                   cin_need="N1", placement=FOSTER, acting_user=user)


def test_coming_into_care_opens_period_placement_and_first_episode(
        child: Person, social_worker: User) -> None:
    period = start_care(child, social_worker)
    [episode] = period.episodes.all()
    assert episode.reason_new_episode == "S" and episode.legal_status == "V2"
    assert episode.placement.placement_type == "U4"
    assert episode.start_date == period.start_date == episode.placement.start_date


def test_placement_move_closes_with_x1_and_opens_p(child: Person, social_worker: User) -> None:
    """Moved to a children's home on 1 August: the foster episode ends X1 that day and
    the next begins with RNE P, carrying the legal status."""
    period = start_care(child, social_worker)
    do_change_placement(period, on=dt.date(2024, 8, 1), placement=RESIDENTIAL,
                        reason_place_change="CARPL", acting_user=social_worker)
    first, second = CLAEpisode.objects.filter(period=period).order_by("start_date")
    assert (first.end_date, first.reason_ceased) == (dt.date(2024, 8, 1), "X1")
    assert first.placement.change_reason == "CARPL"
    assert (second.start_date, second.reason_new_episode, second.legal_status) == \
        (dt.date(2024, 8, 1), "P", "V2")
    assert second.placement.placement_type == "K2"


def test_failed_move_changes_nothing(child: Person, social_worker: User) -> None:
    """A move to an invalid placement type is refused whole: the foster placement and its
    episode stay open, as they were."""
    period = start_care(child, social_worker)
    with pytest.raises(ValidationError):
        do_change_placement(period, on=dt.date(2024, 8, 1),
                            placement=PlacementDetails(placement_type="QQ"),
                            reason_place_change="CARPL", acting_user=social_worker)
    assert Placement.objects.filter(period=period).count() == 1
    episode = CLAEpisode.objects.get(period=period)
    assert episode.end_date is None and episode.version == 1


def test_legal_status_change_opens_an_l_episode_in_the_same_placement(
        child: Person, social_worker: User) -> None:
    period = start_care(child, social_worker)
    new = do_change_legal_status(period, on=dt.date(2024, 6, 10), legal_status="C1",
                                 acting_user=social_worker)
    assert new.reason_new_episode == "L" and new.legal_status == "C1"
    assert new.placement_id == period.placements.get().pk


def test_leaving_care_closes_episode_placement_and_period(child: Person,
                                                         social_worker: User) -> None:
    period = start_care(child, social_worker)
    do_end_period_of_care(period, on=dt.date(2024, 12, 20), reason_ceased="E13",
                          acting_user=social_worker)
    period.refresh_from_db()
    episode = period.episodes.get()
    assert period.end_date == episode.end_date == episode.placement.end_date == \
        dt.date(2024, 12, 20)
    assert episode.reason_ceased == "E13"


def test_x1_cannot_end_a_period_of_care(child: Person, social_worker: User) -> None:
    period = start_care(child, social_worker)
    with pytest.raises(ValidationError) as excinfo:
        do_end_period_of_care(period, on=dt.date(2024, 12, 20), reason_ceased="X1",
                              acting_user=social_worker)
    assert "'X1' means the child stays in care" in str(excinfo.value)


def test_icpc_target_is_15_working_days_after_the_strategy_discussion(
        child: Person, social_worker: User) -> None:
    """Strategy discussion Thursday 19 Dec 2024. Working days after it: 20 (1), 23 (2),
    24 (3); 25 and 26 Dec are bank holidays; 27 (4), 30 (5), 31 (6); 1 Jan is a bank
    holiday; 2 (7), 3 (8), 6 (9), 7 (10), 8 (11), 9 (12), 10 (13), 13 (14), 14 (15).
    Target: Tuesday 14 January 2025."""
    referral = ReferralFactory(person=child, referral_date=dt.date(2024, 12, 18))
    discussion = create_record(StrategyDiscussion, acting_user=social_worker, person=child,
                               referral=referral, held_on=dt.date(2024, 12, 19),
                               section_47_agreed=True)
    s47 = create_record(Section47Enquiry, acting_user=social_worker, person=child,
                        referral=referral, strategy_discussion=discussion,
                        start_date=dt.date(2024, 12, 19))
    conference = do_record_initial_conference(referral, section_47=s47,
                                              conference_date=dt.date(2025, 1, 9),
                                              cp_plan_decided=True, acting_user=social_worker)
    assert conference.target_date == dt.date(2025, 1, 14)
    plan = do_start_cp_plan(conference, start_date=dt.date(2025, 1, 9), category="EMO",
                            acting_user=social_worker)
    assert plan.initial_category == plan.latest_category == "EMO"


def test_referral_with_an_open_plan_cannot_close(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    create_record(CINPlan, acting_user=social_worker, person=child, referral=referral,
                  start_date=dt.date(2024, 7, 1))
    with pytest.raises(ValidationError) as excinfo:
        do_close_referral(referral, on=dt.date(2024, 9, 1), reason="RC1",
                          acting_user=social_worker)
    assert "still has an open CIN plan from 2024-07-01" in str(excinfo.value)


def test_closing_a_referral_ends_its_allocations(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    worker, team = ProfessionalFactory(), TeamFactory()
    do_allocate_worker(child, professional=worker, team=team, on=dt.date(2024, 6, 4),
                       referral=referral, acting_user=social_worker)
    do_close_referral(referral, on=dt.date(2024, 9, 1), reason="RC1",
                      acting_user=social_worker)
    involvement = Involvement.objects.get(person=child)
    assert involvement.end_date == dt.date(2024, 9, 1)


def test_transfer_ends_the_old_allocation_the_day_the_new_begins(
        child: Person, social_worker: User) -> None:
    """Ella's case moves from the assessment team to a locality team on 1 July: two dated
    involvements, so caseloads on any day and changes of worker can both be counted."""
    first, second = ProfessionalFactory(), ProfessionalFactory()
    do_allocate_worker(child, professional=first, team=TeamFactory(), on=dt.date(2024, 6, 4),
                       acting_user=social_worker)
    do_allocate_worker(child, professional=second, team=TeamFactory(), on=dt.date(2024, 7, 1),
                       change_reason="TSPROC", acting_user=social_worker)
    old, new = Involvement.objects.filter(person=child).order_by("start_date")
    assert (old.end_date, old.change_reason) == (dt.date(2024, 7, 1), "TSPROC")
    assert (new.start_date, new.end_date) == (dt.date(2024, 7, 1), None)


def test_two_allocated_social_workers_at_once_are_refused(child: Person,
                                                         social_worker: User) -> None:
    team = TeamFactory()
    create_record(Involvement, acting_user=social_worker, person=child,
                  professional=ProfessionalFactory(), team=team, role="CW",
                  start_date=dt.date(2024, 6, 4))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Involvement, acting_user=social_worker, person=child,
                      professional=ProfessionalFactory(), team=team, role="CW",
                      start_date=dt.date(2024, 6, 10))
    assert "allocated social workers (role CW) for one child must not overlap" in \
        str(excinfo.value)


def test_an_iro_runs_alongside_the_social_worker(child: Person, social_worker: User) -> None:
    team = TeamFactory()
    create_record(Involvement, acting_user=social_worker, person=child,
                  professional=ProfessionalFactory(), team=team, role="CW",
                  start_date=dt.date(2024, 6, 4))
    iro = create_record(Involvement, acting_user=social_worker, person=child,
                        professional=ProfessionalFactory(job_title="IRO"), team=team,
                        role="IRO", start_date=dt.date(2024, 6, 10))
    assert iro.pk is not None


def test_team_must_sit_inside_a_service_or_locality(social_worker: User) -> None:
    from goldenthread.records.models import Team

    with pytest.raises(ValidationError) as excinfo:
        create_record(Team, acting_user=social_worker, code="T1", name="Floating team",
                      kind="team")
    assert "(blank) is only allowed for a locality" in str(excinfo.value)
