"""Child protection indicators on small councils recorded through the actions.

Four stores, each built once: enquiries and conferences, plans, reviews, visits. The year
is 1 April 2024 to 31 March 2025 unless a test says otherwise; each docstring works the
answer out from the children listed in its store's fixture.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record, create_record
from tests.analytics.harness import figure
from tests.analytics.recording import (
    child,
    conference,
    cp_plan,
    end_plan,
    enquiry,
    frozen_store,
    population,
    refer,
    unit_rows_at,
    who,
)

pytestmark = pytest.mark.django_db

YEAR_END = dt.date(2025, 3, 31)
TODAY = dt.date(2025, 6, 30)
d = dt.date


def _enquiries(user: User) -> None:
    """Amir: S47 Thu 19 Dec 2024, ICPC Tue 14 Jan 2025 (no plan).
    Bea: S47 Tue 7 May 2024, ICPC Mon 10 Jun 2024.
    Cal: S47 9 Sep 2024, ICPC 20 Sep 2024; the S47's start later corrected to 23 Sep 2024,
         which leaves the ICPC dated before its enquiry (the model refuses such an ICPC at
         entry; a correction or an imported extract can still carry one).
    Dee: S47 1 Jul 2024 with ICPC 12 Jul 2024; a second S47 1 Oct 2024, ICPC 29 Oct 2024.
    Eli: S47 Fri 15 Mar 2024 (last year), ICPC Tue 2 Apr 2024, after Easter.
    Fay: a transfer-in conference on 4 Nov 2024 (no S47).
    Gus: S47 31 Mar 2025, no ICPC yet. Hal: S47 1 Apr 2025 (next year).
    Mid-2024 population (the year to 31 March 2025's): 12,000 children aged 0-17."""
    population(2024, 12_000, user)
    amir = refer(child("Amir"), d(2024, 12, 2), user)
    conference(amir, enquiry(amir, d(2024, 12, 19), user), d(2025, 1, 14), user, plan=False)
    bea = refer(child("Bea"), d(2024, 5, 1), user)
    conference(bea, enquiry(bea, d(2024, 5, 7), user), d(2024, 6, 10), user, plan=False)
    cal = refer(child("Cal"), d(2024, 9, 2), user)
    s47 = enquiry(cal, d(2024, 9, 9), user)
    conference(cal, s47, d(2024, 9, 20), user, plan=False)
    change_record(s47, acting_user=user, expected_version=s47.version, start_date=d(2024, 9, 23))
    dee = refer(child("Dee"), d(2024, 7, 1), user)
    conference(dee, enquiry(dee, d(2024, 7, 1), user), d(2024, 7, 12), user, plan=False)
    conference(dee, enquiry(dee, d(2024, 10, 1), user), d(2024, 10, 29), user, plan=False)
    eli = refer(child("Eli"), d(2024, 3, 11), user)
    conference(eli, enquiry(eli, d(2024, 3, 15), user), d(2024, 4, 2), user, plan=False)
    fay = refer(child("Fay"), d(2024, 11, 1), user)
    conference(fay, None, d(2024, 11, 4), user, plan=False, transfer_in=True)
    enquiry(refer(child("Gus"), d(2025, 3, 27), user), d(2025, 3, 31), user)
    enquiry(refer(child("Hal"), d(2025, 3, 27), user), d(2025, 4, 1), user)


@pytest.fixture(scope="module")
def enquiries(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
              tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, TODAY, _enquiries)


def test_section_47_enquiries_started_in_the_year(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Started 1 Apr 2024-31 Mar 2025: Amir, Bea, Cal (23 Sep), Dee twice, Gus on the last
    day = 6. Eli's began in March 2024 and Hal's on 1 April 2025: not this year."""
    assert figure(enquiries, "CP-S47-STARTED", YEAR_END).value == 6
    assert who(enquiries, "CP-S47-STARTED", YEAR_END) == [
        "LA-amir", "LA-bea", "LA-cal", "LA-dee", "LA-dee", "LA-gus"]


def test_section_47_rate_per_10000(enquiries: duckdb.DuckDBPyConnection) -> None:
    """6 enquiries / 12,000 children (mid-2024) x 10,000 = 5.0."""
    assert figure(enquiries, "CP-S47-RATE", YEAR_END).value == pytest.approx(5.0)


def test_conferences_held_in_the_year(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Held in the year: Amir, Bea, Cal, Dee twice, and Eli (2 April 2024, though her S47
    began the year before) = 6. Fay's transfer-in conference is not an ICPC here."""
    assert figure(enquiries, "CP-ICPC-HELD", YEAR_END).value == 6
    assert "LA-fay" not in who(enquiries, "CP-ICPC-HELD", YEAR_END)


def test_icpc_before_its_enquiry_is_counted_but_not_banded(
        enquiries: duckdb.DuckDBPyConnection) -> None:
    """Cal's ICPC (20 Sep) is dated before his S47 (23 Sep): it is one of the 6 ICPCs held
    but is not among the 5 put in the timeliness bands."""
    assert "LA-cal" in who(enquiries, "CP-ICPC-HELD", YEAR_END)
    banded = who(enquiries, "CP-ICPC-15WD", YEAR_END)
    assert "LA-cal" not in banded and len(banded) == 5


def test_bank_holidays_inside_the_15_working_days(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Amir: from Thu 19 Dec 2024 to Tue 14 Jan 2025 are 18 weekdays, but 25 and 26 Dec and
    1 Jan are bank holidays: 15 working days, so on time."""
    [amir] = [r for r in unit_rows_at(enquiries, "CP-ICPC-MEDIAN-WD", YEAR_END)
              if r["person_id"] == "LA-amir"]
    assert amir["numerator"] == 15
    assert "LA-amir" in who(enquiries, "CP-ICPC-15WD", YEAR_END, counted=True)


def test_each_enquiry_is_counted_separately(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Dee's two enquiries each reach a conference: 9 working days (1-12 July) on time and 20
    (1-29 October) late; both are in the bands, one in the numerator."""
    dee = [r for r in unit_rows_at(enquiries, "CP-ICPC-MEDIAN-WD", YEAR_END)
           if r["person_id"] == "LA-dee"]
    assert sorted(r["numerator"] for r in dee) == [9, 20]
    assert who(enquiries, "CP-ICPC-15WD", YEAR_END, counted=True).count("LA-dee") == 1


def test_icpc_within_15_working_days(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Banded: Amir 15 (in), Bea 23 (7 May-10 Jun, Spring bank holiday 27 May: late), Dee 9
    (in) and 20 (late), Eli 10 (Fri 15 Mar-Tue 2 Apr 2024 over Good Friday and Easter
    Monday: in). 3 of 5 = 60%."""
    result = figure(enquiries, "CP-ICPC-15WD", YEAR_END)
    assert (result.numerator, result.denominator) == (3, 5)
    assert result.value == pytest.approx(60.0)


def test_median_working_days_to_icpc(enquiries: duckdb.DuckDBPyConnection) -> None:
    """Working days 9, 10, 15, 20, 23: the median is 15."""
    assert figure(enquiries, "CP-ICPC-MEDIAN-WD", YEAR_END).value == 15


def _plans(user: User) -> None:
    """Ivy: plan 1 Jun 2022-15 Jun 2024, then a second plan from 1 Feb 2025 (open).
    Jon: plan from 1 Apr 2023 (open): 730 days at 31 Mar 2025, but 29 Feb 2024 makes two
         calendar years 1 Apr 2025.
    Kit: plan from 31 Mar 2023 (open): two years exactly on 31 Mar 2025.
    Lou: unborn (expected 20 May 2025), plan from 10 Mar 2025.
    Max: born 10 Nov 2006 (18 on 10 Nov 2024), plan from 1 Sep 2024 never ended.
    Ned: plan 1 May 2024-31 Mar 2025 (ended on the last day of the year).
    Oli: another council's plan 1 Jan-1 Jul 2021; this council's plan from 1 Dec 2024.
    Pia: another council's plan from 1 Jan 2025 (open).
    Rex: plan 1 Jan-1 Mar 2023; a second plan from 1 Apr 2024 (open).
    Mid-2024 population: 12,000 children aged 0-17."""
    population(2024, 12_000, user)
    ivy = refer(child("Ivy"), d(2022, 5, 3), user)
    cp_plan(ivy, d(2022, 6, 1), user, end=d(2024, 6, 15))
    cp_plan(ivy, d(2025, 2, 1), user)
    cp_plan(refer(child("Jon"), d(2023, 3, 1), user), d(2023, 4, 1), user)
    cp_plan(refer(child("Kit"), d(2023, 3, 1), user), d(2023, 3, 31), user)
    lou = refer(child("Lou", born=None, expected=d(2025, 5, 20)), d(2025, 3, 3), user)
    cp_plan(lou, d(2025, 3, 10), user)
    cp_plan(refer(child("Max", born=d(2006, 11, 10)), d(2024, 8, 20), user), d(2024, 9, 1),
            user)
    cp_plan(refer(child("Ned"), d(2024, 4, 22), user), d(2024, 5, 1), user, end=YEAR_END)
    oli = refer(child("Oli"), d(2020, 12, 1), user)
    cp_plan(oli, d(2021, 1, 1), user, end=d(2021, 7, 1), other_la=True)
    cp_plan(oli, d(2024, 12, 1), user)
    cp_plan(refer(child("Pia"), d(2024, 12, 20), user), d(2025, 1, 1), user, other_la=True)
    rex = refer(child("Rex"), d(2022, 12, 1), user)
    cp_plan(rex, d(2023, 1, 1), user, end=d(2023, 3, 1))
    cp_plan(rex, d(2024, 4, 1), user)


@pytest.fixture(scope="module")
def plans(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, TODAY, _plans)


def test_children_on_a_plan_at_the_date(plans: duckdb.DuckDBPyConnection) -> None:
    """On a plan at 31 Mar 2025: Ivy (second plan), Jon, Kit, Lou, Oli, Rex = 6. Not Max
    (18 since November), Ned (ended that day), Pia (another council's plan)."""
    assert who(plans, "CP-ON-PLAN", YEAR_END) == [
        "LA-ivy", "LA-jon", "LA-kit", "LA-lou", "LA-oli", "LA-rex"]


def test_an_unborn_child_on_a_plan_counts(plans: duckdb.DuckDBPyConnection) -> None:
    """Lou is not yet born (expected 20 May 2025) and is on a plan from 10 March."""
    assert "LA-lou" in who(plans, "CP-ON-PLAN", YEAR_END)


def test_a_child_who_turns_18_leaves_the_count(plans: duckdb.DuckDBPyConnection) -> None:
    """Max is on a plan at 31 Oct 2024 (aged 17) but not at 31 Mar 2025 (18 on 10 Nov),
    though his plan was never ended. At 31 Oct 2024: Jon, Kit, Max, Ned, Rex."""
    assert who(plans, "CP-ON-PLAN", d(2024, 10, 31)) == [
        "LA-jon", "LA-kit", "LA-max", "LA-ned", "LA-rex"]
    assert "LA-max" not in who(plans, "CP-ON-PLAN", YEAR_END)


def test_plan_rate_per_10000(plans: duckdb.DuckDBPyConnection) -> None:
    """6 children / 12,000 x 10,000 = 5.0."""
    assert figure(plans, "CP-ON-PLAN-RATE", YEAR_END).value == pytest.approx(5.0)


def test_plans_started_in_the_year(plans: duckdb.DuckDBPyConnection) -> None:
    """This council's plans starting in the year: Ivy (1 Feb), Lou, Max, Ned, Oli (1 Dec),
    Rex (1 Apr 2024) = 6; Pia's is another council's."""
    assert figure(plans, "CP-PLANS-STARTED", YEAR_END).value == 6
    assert "LA-pia" not in who(plans, "CP-PLANS-STARTED", YEAR_END)


def test_plans_ended_after_two_years(plans: duckdb.DuckDBPyConnection) -> None:
    """Ended in the year: Ivy's first plan (1 Jun 2022-15 Jun 2024, over 2 years) and Ned's
    (11 months): 1 of 2 = 50%."""
    result = figure(plans, "CP-ENDED-2YRS", YEAR_END)
    assert (result.numerator, result.denominator, result.value) == (1, 2, 50.0)


def test_two_years_open_in_a_leap_year(plans: duckdb.DuckDBPyConnection) -> None:
    """Of the 6 on a plan, only Kit's (from 31 Mar 2023) is two years old at 31 Mar 2025.
    Jon's (from 1 Apr 2023) has run 730 days, but with 29 Feb 2024 inside, two calendar
    years end on 1 Apr 2025: not yet. 1 of 6 = 16.7%."""
    assert who(plans, "CP-OPEN-2YRS", YEAR_END, counted=True) == ["LA-kit"]
    assert figure(plans, "CP-OPEN-2YRS", YEAR_END).value == pytest.approx(100 / 6)


def test_second_or_subsequent_plans(plans: duckdb.DuckDBPyConnection) -> None:
    """Of the 6 plans started, a child's second or later: Ivy (plan 2), Oli (after another
    council's plan in 2021) and Rex (plan 2) = 50%."""
    assert who(plans, "CP-SECOND-PLAN", YEAR_END, counted=True) == ["LA-ivy", "LA-oli",
                                                                      "LA-rex"]
    assert figure(plans, "CP-SECOND-PLAN", YEAR_END).value == pytest.approx(50.0)


def test_second_plans_within_two_years(plans: duckdb.DuckDBPyConnection) -> None:
    """Ivy's previous plan ended 15 Jun 2024 (7 months before), Rex's 1 Mar 2023 (13
    months before); Oli's in 2021, over 3 years before. 2 of 6 = 33.3%."""
    assert who(plans, "CP-SECOND-PLAN-2YRS", YEAR_END, counted=True) == ["LA-ivy", "LA-rex"]
    assert figure(plans, "CP-SECOND-PLAN-2YRS", YEAR_END).value == pytest.approx(100 / 3)


def _review(plan: m.CPPlan, on: dt.date, due: dt.date, user: User) -> None:
    create_record(m.CPReview, acting_user=user, person=plan.person, cp_plan=plan, due_date=due,
                  review_date=on, plan_continues=True)


def _reviews(user: User) -> None:
    """Quin: ICPC and plan 30 Nov 2023; reviews 29 Feb 2024 (3 months from 30 November is
         29 February in a leap year), 28 Aug 2024 and 20 Feb 2025.
    Ray: plan 1 Oct 2024; first review 3 Jan 2025 (due 1 Jan).
    Sue: plan 1 Jun 2024; review 15 Aug 2024, none since (the next was due 15 Feb 2025).
    Tom: plan 1 Feb 2025: not 3 months old at 31 March.
    Uma: plan 1 Jan 2024-1 Mar 2025; reviews 28 Mar 2024 and 20 Sep 2024 (next due 20 Mar
         2025, after the plan ended).
    Vic: plan 1 Jan-1 Mar 2024, ended before the year.
    Wes: plan 1 Sep 2024; review 25 Nov 2024."""
    quin = cp_plan(refer(child("Quin"), d(2023, 11, 20), user), d(2023, 11, 30), user)
    for on in (d(2024, 2, 29), d(2024, 8, 28), d(2025, 2, 20)):
        _review(quin, on, on, user)
    _review(cp_plan(refer(child("Ray"), d(2024, 9, 20), user), d(2024, 10, 1), user),
            d(2025, 1, 3), d(2025, 1, 1), user)
    _review(cp_plan(refer(child("Sue"), d(2024, 5, 20), user), d(2024, 6, 1), user),
            d(2024, 8, 15), d(2024, 9, 1), user)
    cp_plan(refer(child("Tom"), d(2025, 1, 20), user), d(2025, 2, 1), user)
    uma = cp_plan(refer(child("Uma"), d(2023, 12, 20), user), d(2024, 1, 1), user)
    _review(uma, d(2024, 3, 28), d(2024, 4, 1), user)
    _review(uma, d(2024, 9, 20), d(2024, 9, 28), user)
    end_plan(m.CPPlan.objects.get(pk=uma.pk), d(2025, 3, 1), user)
    cp_plan(refer(child("Vic"), d(2023, 12, 20), user), d(2024, 1, 1), user,
            end=d(2024, 3, 1))
    _review(cp_plan(refer(child("Wes"), d(2024, 8, 20), user), d(2024, 9, 1), user),
            d(2024, 11, 25), d(2024, 12, 1), user)


@pytest.fixture(scope="module")
def reviews(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, TODAY, _reviews)


def test_plans_due_a_review_in_the_year(reviews: duckdb.DuckDBPyConnection) -> None:
    """Plans open at 31 March or ended in the year that had run 3 months: Quin, Ray, Sue,
    Uma, Wes. Tom's is 2 months old; Vic's ended in March 2024."""
    assert who(reviews, "CP-REVIEWS-IN-TIME", YEAR_END) == [
        "LA-quin", "LA-ray", "LA-sue", "LA-uma", "LA-wes"]


def test_first_review_three_calendar_months_in_a_leap_year(
        reviews: duckdb.DuckDBPyConnection) -> None:
    """Quin's first review on 29 Feb 2024 is the last day of 3 months from 30 Nov 2023 (91
    days: a 90-day rule would call it late); then 28 Aug 2024 and 20 Feb 2025, each within
    6 months; the next is due 20 Aug 2025. On time."""
    assert "LA-quin" in who(reviews, "CP-REVIEWS-IN-TIME", YEAR_END, counted=True)


def test_reviews_within_timescales(reviews: duckdb.DuckDBPyConnection) -> None:
    """On time: Quin, Uma (her next review fell due after her plan ended), Wes (25 Nov, due
    1 Dec). Late: Ray (3 Jan, due 1 Jan), Sue (overdue since 15 Feb 2025). 3 of 5 = 60%."""
    assert who(reviews, "CP-REVIEWS-IN-TIME", YEAR_END, counted=True) == [
        "LA-quin", "LA-uma", "LA-wes"]
    assert figure(reviews, "CP-REVIEWS-IN-TIME", YEAR_END).value == pytest.approx(60.0)


VISITS_ON = d(2025, 3, 31)  # a Monday


def _visit(plan: m.CPPlan, on: dt.date, user: User, *, seen: bool = True,
           alone: bool = False) -> None:
    create_record(m.CPVisit, acting_user=user, person=plan.person, cp_plan=plan, visit_date=on,
                  seen=seen, seen_alone=alone)


def _visits(user: User) -> None:
    """Xan: plan 1 Jan 2025; seen alone Mon 17 Mar 2025 (10 working days before 31 March).
    Yas: plan 1 Jan 2025; seen, not alone, Fri 14 Mar; a visit on 20 Mar where she was not
         seen.
    Zak: plan from 24 Mar 2025, not visited yet.
    Lou: unborn (expected 20 May 2025), plan from 10 Mar 2025."""
    xan = cp_plan(refer(child("Xan"), d(2024, 12, 16), user), d(2025, 1, 1), user)
    _visit(xan, d(2025, 1, 10), user, alone=True)
    _visit(xan, d(2025, 3, 17), user, alone=True)
    yas = cp_plan(refer(child("Yas"), d(2024, 12, 16), user), d(2025, 1, 1), user)
    _visit(yas, d(2025, 3, 14), user)
    _visit(yas, d(2025, 3, 20), user, seen=False)
    cp_plan(refer(child("Zak"), d(2025, 3, 17), user), d(2025, 3, 24), user)
    lou = refer(child("Lou", born=None, expected=d(2025, 5, 20)), d(2025, 3, 3), user)
    cp_plan(lou, d(2025, 3, 10), user)


@pytest.fixture(scope="module")
def visits(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, TODAY, _visits)


def test_unborn_children_are_not_due_visits(visits: duckdb.DuckDBPyConnection) -> None:
    """Lou is on a plan but not born: not among the children due visits (Xan, Yas, Zak)."""
    assert who(visits, "CP-VISITS-IN-TIME", VISITS_ON) == ["LA-xan", "LA-yas", "LA-zak"]


def test_visits_within_ten_working_days(visits: duckdb.DuckDBPyConnection) -> None:
    """Xan's last visit (17 Mar) is due again on 31 Mar, the 10th working day: on time.
    Yas was last seen on Fri 14 Mar (the visit of the 20th did not see her), due again
    Fri 28 Mar: overdue. Zak's plan began 24 Mar: first visit due 7 Apr. 2 of 3 = 66.7%."""
    assert who(visits, "CP-VISITS-IN-TIME", VISITS_ON, counted=True) == ["LA-xan", "LA-zak"]
    assert figure(visits, "CP-VISITS-IN-TIME", VISITS_ON).value == pytest.approx(200 / 3)


def test_seen_alone_at_the_last_visit(visits: duckdb.DuckDBPyConnection) -> None:
    """Visited and seen under the plan: Xan (alone) and Yas (not alone); Zak not yet
    visited. 1 of 2 = 50%."""
    assert who(visits, "CP-VISITS-SEEN-ALONE", VISITS_ON) == ["LA-xan", "LA-yas"]
    assert figure(visits, "CP-VISITS-SEEN-ALONE", VISITS_ON).value == pytest.approx(50.0)
