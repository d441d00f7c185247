"""My work: what is due for each child, from the statutory timescales, and who sees it.

NOW is Thursday 20 February 2025 (tests/casework/conftest.py). Working days skip weekends
and England's bank holidays; "soon" means due within the next 7 days.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from goldenthread.access.actions import do_restrict_record
from goldenthread.casework.tasks import Due, Kind, Task, due_status, my_work
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.actions.cla import PlacementDetails, do_start_period_of_care
from goldenthread.records.actions.journey import (
    do_record_initial_conference,
    do_start_cp_plan,
)
from tests.casework.conftest import NOW, Desk, kinds, tasks_for
from tests.factories import UserFactory

D = dt.date


def the(tasks: list[Task], kind: Kind) -> Task:
    found = [t for t in tasks if t.kind == kind]
    assert len(found) == 1, f"expected one {kind} task, got {kinds(tasks)}"
    return found[0]


@pytest.mark.parametrize(("due", "expected"), [
    (D(2025, 2, 19), Due.OVERDUE), (D(2025, 2, 20), Due.SOON), (D(2025, 2, 27), Due.SOON),
    (D(2025, 2, 28), Due.LATER)])
def test_a_task_is_overdue_due_within_seven_days_or_later(due: dt.date, expected: Due) -> None:
    assert due_status(due, D(2025, 2, 20)) == expected


# Assessments: 45 working days from the referral.

def test_assessment_due_counts_the_christmas_bank_holidays(desk: Desk) -> None:
    """Referral Friday 20 December 2024: 45 working days skip 25, 26 December and 1 January,
    so the assessment is due Wednesday 26 February 2025, not Friday 21 February. On 20
    February that is due within the week."""
    child = desk.child()
    referral = desk.referral(child, D(2024, 12, 20))
    task = the(tasks_for(desk.sam, child), Kind.ASSESSMENT)
    assert (task.due, task.status) == (D(2025, 2, 26), Due.SOON)
    assert (task.record_type, task.record_id) == ("referral", referral.pk)
    late = the(tasks_for(desk.sam, child, now=dt.datetime(2025, 2, 27, 9, tzinfo=dt.UTC)),
               Kind.ASSESSMENT)
    assert late.status == Due.OVERDUE


def test_an_authorised_assessment_is_no_longer_a_task(desk: Desk) -> None:
    child = desk.child()
    referral = desk.referral(child, D(2025, 1, 6))
    create_record(m.Assessment, acting_user=desk.sam, person=child, referral=referral,
                  start_date=D(2025, 1, 6), completed_on=D(2025, 2, 10),
                  authorised_on=D(2025, 2, 12), authorised_by=desk.olly_pro)
    assert kinds(tasks_for(desk.sam, child)) == []
    assert kinds(tasks_for(desk.mo, child)) == []


def test_a_submitted_assessment_waits_for_the_manager_not_the_worker(desk: Desk) -> None:
    """Completed (submitted) on 10 February, not authorised: the manager's task, due at the
    end of the same 45 working days (6 January 2025 + 45 = 10 March 2025)."""
    child = desk.child()
    referral = desk.referral(child, D(2025, 1, 6))
    assessment = create_record(m.Assessment, acting_user=desk.sam, person=child,
                               referral=referral, start_date=D(2025, 1, 6),
                               completed_on=D(2025, 2, 10))
    assert kinds(tasks_for(desk.sam, child)) == []
    task = the(tasks_for(desk.mo, child), Kind.AUTHORISE_ASSESSMENT)
    assert (task.due, task.record_type, task.record_id) == (D(2025, 3, 10), "assessment",
                                                            assessment.pk)


def test_a_referral_closed_is_no_longer_a_task(desk: Desk) -> None:
    child = desk.child()
    referral = desk.referral(child, D(2025, 1, 6))
    change_record(referral, acting_user=desk.sam, expected_version=referral.version,
                  closure_date=D(2025, 1, 20), closure_reason="RC8")
    assert tasks_for(desk.sam, child) == []


# Child protection: ICPC within 15 working days of the strategy discussion.

def _strategy(desk: Desk, child: m.Person, on: dt.date) -> tuple[m.Referral,
                                                                  m.Section47Enquiry]:
    referral = desk.referral(child, on)
    create_record(m.Assessment, acting_user=desk.sam, person=child, referral=referral,
                  start_date=on, completed_on=on, authorised_on=on,
                  authorised_by=desk.olly_pro)
    discussion = create_record(m.StrategyDiscussion, acting_user=desk.sam, person=child,
                               referral=referral, held_on=on, section_47_agreed=True)
    s47 = create_record(m.Section47Enquiry, acting_user=desk.sam, person=child,
                        referral=referral, strategy_discussion=discussion, start_date=on)
    return referral, s47


def test_icpc_due_fifteen_working_days_after_the_strategy_discussion(desk: Desk) -> None:
    """Strategy discussion Monday 3 February 2025: 15 working days is Monday 24 February."""
    child = desk.child()
    _strategy(desk, child, D(2025, 2, 3))
    task = the(tasks_for(desk.sam, child), Kind.ICPC)
    assert (task.due, task.status, task.record_type) == (D(2025, 2, 24), Due.SOON,
                                                         "strategydiscussion")


def test_a_conference_held_ends_the_icpc_task(desk: Desk) -> None:
    child = desk.child()
    referral, s47 = _strategy(desk, child, D(2025, 2, 3))
    do_record_initial_conference(referral, section_47=s47, conference_date=D(2025, 2, 18),
                                 cp_plan_decided=False, acting_user=desk.sam)
    assert Kind.ICPC not in {t.kind for t in tasks_for(desk.sam, child)}


def test_an_enquiry_needing_no_conference_ends_the_icpc_task(desk: Desk) -> None:
    child = desk.child()
    _, s47 = _strategy(desk, child, D(2025, 2, 3))
    change_record(s47, acting_user=desk.sam, expected_version=s47.version,
                  end_date=D(2025, 2, 14), icpc_required=False)
    assert Kind.ICPC not in {t.kind for t in tasks_for(desk.sam, child)}


def _cp_plan(desk: Desk, child: m.Person, on: dt.date) -> m.CPPlan:
    referral, s47 = _strategy(desk, child, on)
    icpc = do_record_initial_conference(referral, section_47=s47, conference_date=on,
                                        cp_plan_decided=True, acting_user=desk.sam)
    return do_start_cp_plan(icpc, start_date=on, category="NEG", acting_user=desk.sam)


def test_cp_review_three_months_from_the_conference_then_six_monthly(desk: Desk) -> None:
    """ICPC and plan on 2 December 2024: first review by 2 March 2025 (later than a week
    away). After a review on 14 February 2025 the next is due 14 August 2025."""
    child = desk.child()
    plan = _cp_plan(desk, child, D(2024, 12, 2))
    task = the(tasks_for(desk.sam, child), Kind.CP_REVIEW)
    assert (task.due, task.status) == (D(2025, 3, 2), Due.LATER)
    create_record(m.CPReview, acting_user=desk.sam, person=child, cp_plan=plan,
                  due_date=D(2025, 3, 2), review_date=D(2025, 2, 14), plan_continues=True)
    assert the(tasks_for(desk.sam, child), Kind.CP_REVIEW).due == D(2025, 8, 14)


def test_cp_visit_every_ten_working_days_by_local_policy(desk: Desk) -> None:
    """No visit since the plan began on 2 December 2024: due 16 December, long overdue.
    After a visit on Monday 10 February 2025: due Monday 24 February."""
    child = desk.child()
    plan = _cp_plan(desk, child, D(2024, 12, 2))
    task = the(tasks_for(desk.sam, child), Kind.CP_VISIT)
    assert (task.due, task.status) == (D(2024, 12, 16), Due.OVERDUE)
    create_record(m.CPVisit, acting_user=desk.sam, person=child, cp_plan=plan,
                  visit_date=D(2025, 2, 10), seen=True)
    task = the(tasks_for(desk.sam, child), Kind.CP_VISIT)
    assert (task.due, task.status) == (D(2025, 2, 24), Due.SOON)


def test_a_child_already_on_a_plan_is_not_conferenced_again(desk: Desk) -> None:
    """A new strategy discussion while a plan is open leads to the review conference."""
    child = desk.child()
    plan = _cp_plan(desk, child, D(2024, 12, 2))
    create_record(m.StrategyDiscussion, acting_user=desk.sam, person=child,
                  referral=plan.referral, held_on=D(2025, 2, 10), section_47_agreed=True)
    assert Kind.ICPC not in {t.kind for t in tasks_for(desk.sam, child)}


# Looked after: reviews, visits, SDQ, permanence plan.

def _in_care(desk: Desk, child: m.Person, on: dt.date, *, place: str = "U3",
             legal_status: str = "C2") -> m.PeriodOfCare:
    return do_start_period_of_care(child, start_date=on, legal_status=legal_status,
                                   cin_need="N1", acting_user=desk.sam,
                                   placement=PlacementDetails(placement_type=place,
                                                              provider="PR1",
                                                              postcode="M8 9AB",
                                                              distance_miles=Decimal("2.0")))


def test_coming_into_care_starts_review_visit_sdq_and_permanence_clocks(desk: Desk) -> None:
    """Into care Monday 3 February 2025: first review in 20 working days (3 March), a
    visit within a week of the placement (10 February: overdue), an SDQ a month after
    entry (3 March), a permanence plan by the second review (3 months after the first's
    due date: 3 June)."""
    child = desk.child()
    period = _in_care(desk, child, D(2025, 2, 3))
    tasks = tasks_for(desk.sam, child)
    assert the(tasks, Kind.CLA_REVIEW).due == D(2025, 3, 3)
    visit = the(tasks, Kind.CLA_VISIT)
    assert (visit.due, visit.status, visit.record_type) == (D(2025, 2, 10), Due.OVERDUE,
                                                            "placement")
    assert the(tasks, Kind.SDQ).due == D(2025, 3, 3)
    assert the(tasks, Kind.PERMANENCE_PLAN).due == D(2025, 6, 3)
    assert {t.record_id for t in tasks if t.kind != Kind.CLA_VISIT} == {period.pk}


def test_after_the_first_review_the_second_is_due_in_three_months(desk: Desk) -> None:
    """First review held 25 February 2025: the second by 25 May 2025, and the permanence
    plan by then too."""
    child = desk.child()
    period = _in_care(desk, child, D(2025, 2, 3))
    create_record(m.CLAReview, acting_user=desk.sam, person=child, period=period,
                  due_date=D(2025, 3, 3), review_date=D(2025, 2, 18))
    tasks = tasks_for(desk.sam, child)
    assert the(tasks, Kind.CLA_REVIEW).due == D(2025, 5, 18)
    assert the(tasks, Kind.PERMANENCE_PLAN).due == D(2025, 5, 18)


def test_a_permanence_plan_recorded_ends_its_task(desk: Desk) -> None:
    child = desk.child()
    period = _in_care(desk, child, D(2025, 2, 3))
    create_record(m.PermanencePlan, acting_user=desk.sam, person=child, period=period,
                  plan="RETURN_HOME", decided_on=D(2025, 2, 10))
    assert Kind.PERMANENCE_PLAN not in {t.kind for t in tasks_for(desk.sam, child)}


def test_visits_six_weekly_in_the_first_year_then_three_monthly_if_long_term(
        desk: Desk) -> None:
    """Placed 1 January 2024; last visit 10 January 2025, after the placement's first
    year. Long-term fostering (U4): next visit within 3 months, 10 April 2025. Otherwise
    (U3) within 6 weeks, 21 February 2025."""
    long_term, short_term = desk.child(), desk.child()
    for child, place in ((long_term, "U4"), (short_term, "U3")):
        period = _in_care(desk, child, D(2024, 1, 1), place=place)
        create_record(m.CLAVisit, acting_user=desk.sam, person=child, period=period,
                      visit_date=D(2025, 1, 10), seen=True)
    assert the(tasks_for(desk.sam, long_term), Kind.CLA_VISIT).due == D(2025, 4, 10)
    assert the(tasks_for(desk.sam, short_term), Kind.CLA_VISIT).due == D(2025, 2, 21)


def test_an_sdq_waits_for_the_fourth_birthday_and_stops_at_seventeen(desk: Desk) -> None:
    """Born 1 June 2022 and in care from 3 February 2025: the SDQ is due on the 4th
    birthday, 1 June 2026. Born 1 January 2008: 17 before the SDQ falls due, so none."""
    toddler = desk.child(born=D(2022, 6, 1))
    _in_care(desk, toddler, D(2025, 2, 3))
    assert the(tasks_for(desk.sam, toddler), Kind.SDQ).due == D(2026, 6, 1)
    older = desk.child(born=D(2008, 1, 1))
    _in_care(desk, older, D(2025, 2, 3))
    assert Kind.SDQ not in {t.kind for t in tasks_for(desk.sam, older)}


def test_an_sdq_done_makes_the_next_due_a_year_later(desk: Desk) -> None:
    child = desk.child()
    _in_care(desk, child, D(2024, 1, 8))
    create_record(m.SDQScore, acting_user=desk.sam, person=child, completed_on=D(2024, 2, 8),
                  score=12)
    assert the(tasks_for(desk.sam, child), Kind.SDQ).due == D(2025, 2, 8)


def test_short_breaks_make_no_looked_after_tasks(desk: Desk) -> None:
    """Legal status V3 (a series of short breaks) follows other regulations."""
    child = desk.child()
    _in_care(desk, child, D(2025, 2, 3), legal_status="V3")
    assert tasks_for(desk.sam, child) == []


# Missing: a return home interview within 72 hours.

def _missing(desk: Desk, child: m.Person, returned: dt.datetime, **more: object) -> None:
    create_record(m.MissingEpisode, acting_user=desk.sam, person=child, episode_type="M",
                  start_at=returned - dt.timedelta(hours=20), end_at=returned, **more)


def test_rhi_due_seventy_two_hours_after_the_return(desk: Desk) -> None:
    """Back at 09:00 on 18 February 2025: the interview is due by 09:00 on 21 February,
    within the week. Back at 09:00 on 16 February: due 09:00 on 19 February, overdue at
    noon on the 20th."""
    recent, earlier = desk.child(), desk.child()
    _missing(desk, recent, dt.datetime(2025, 2, 18, 9, tzinfo=dt.UTC))
    _missing(desk, earlier, dt.datetime(2025, 2, 16, 9, tzinfo=dt.UTC))
    task = the(tasks_for(desk.sam, recent), Kind.RHI)
    assert task.due_at == dt.datetime(2025, 2, 21, 9, tzinfo=dt.UTC)
    assert task.status == Due.SOON
    assert the(tasks_for(desk.sam, earlier), Kind.RHI).status == Due.OVERDUE


def test_an_interview_offered_or_a_return_long_ago_is_no_task(desk: Desk) -> None:
    offered, long_ago = desk.child(), desk.child()
    back = dt.datetime(2025, 2, 18, 9, tzinfo=dt.UTC)
    _missing(desk, offered, back, rhi_offered_at=back + dt.timedelta(hours=30))
    _missing(desk, long_ago, dt.datetime(2025, 1, 2, 9, tzinfo=dt.UTC))
    assert tasks_for(desk.sam, offered) == []
    assert tasks_for(desk.sam, long_ago) == []


# Who sees what.

def test_a_manager_sees_the_teams_children_and_can_pick_one_worker(desk: Desk) -> None:
    child = desk.child()
    desk.referral(child, D(2025, 1, 6))
    work = my_work(desk.mo, now=NOW)
    assert work.is_manager
    assert [c.person_id for c in work.children] == [child.pk]
    assert work.children[0].worker_name == desk.sam_pro.name
    assert desk.sam_pro.pk in [w for w, _ in work.workers]
    assert [c.person_id for c in my_work(desk.mo, now=NOW,
                                         worker=desk.sam_pro.pk).children] == [child.pk]
    # Olly is not in Mo's teams: choosing him shows none of Olly's children.
    theirs = desk.child(to=desk.olly_pro)
    assert my_work(desk.mo, now=NOW, worker=desk.olly_pro.pk).children == []
    assert theirs.pk not in [c.person_id for c in my_work(desk.mo, now=NOW).children]


def test_a_worker_sees_only_their_own_children(desk: Desk) -> None:
    mine = desk.child()
    theirs = desk.child(to=desk.olly_pro)
    assert [c.person_id for c in my_work(desk.sam, now=NOW).children] == [mine.pk]
    assert [c.person_id for c in my_work(desk.olly, now=NOW).children] == [theirs.pk]
    assert not my_work(desk.sam, now=NOW).is_manager


def test_an_outsider_sees_nothing(desk: Desk) -> None:
    """No team, no allocation, no professional record: an empty page."""
    desk.referral(desk.child(), D(2025, 1, 6))
    outsider = UserFactory(username="otto")
    work = my_work(outsider, now=NOW)
    assert (work.children, work.is_manager, work.workers) == ([], False, [])


def test_a_restricted_child_is_not_listed_without_a_grant(desk: Desk) -> None:
    child = desk.child()
    do_restrict_record(child, reason="child of a member of staff", acting_user=desk.mo)
    assert my_work(desk.sam, now=NOW).children == []
    assert my_work(desk.mo, now=NOW).children == []


def test_the_queries_do_not_grow_with_the_number_of_children(desk: Desk) -> None:
    """One child or six, each with a referral, a CP plan and a period of care: the same
    number of queries (set-based, never one per child)."""
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            my_work(desk.mo, now=NOW)
        return len(queries)

    def busy_child() -> None:
        child = desk.child()
        _cp_plan(desk, child, D(2024, 12, 2))
        _in_care(desk, child, D(2025, 1, 6))
        _missing(desk, child, dt.datetime(2025, 2, 18, 9, tzinfo=dt.UTC))

    busy_child()
    one = count()
    for _ in range(5):
        busy_child()
    assert count() == one
    assert len(my_work(desk.mo, now=NOW).children) == 6
