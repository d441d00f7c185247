"""Looked-after indicators on small councils recorded through the CLA actions.

Three stores, each built once: care and placements (year to 31 March 2025), reviews and
permanence plans, and visits (both year to 31 March 2024, so 29 February 2024 falls inside).
Each docstring works its answer out from the children listed in its store's fixture.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.cla import (
    PlacementDetails,
    do_change_legal_status,
    do_change_placement,
    do_end_period_of_care,
    do_start_period_of_care,
)
from tests.analytics.harness import figure
from tests.analytics.recording import child, frozen_store, who

pytestmark = pytest.mark.django_db

d = dt.date
YEAR_END = d(2025, 3, 31)
POPULATION = {2024: 2_000}  # mid-2024 children aged 0-17: the year to 31 March 2025's


def place(kind: str = "U4", miles: str | None = "5.0") -> PlacementDetails:
    provider = "PR0" if kind == "P1" else "" if kind[0] in "TZ" else "PR1"
    return PlacementDetails(placement_type=kind, provider=provider,
                            distance_miles=None if miles is None else Decimal(miles))


def care(name: str, born: dt.date, start: dt.date, user: User, *, status: str = "C2",
         kind: str = "U4", miles: str | None = "5.0") -> m.PeriodOfCare:
    return do_start_period_of_care(child(name, born), start_date=start, legal_status=status,
                                   cin_need="N1", placement=place(kind, miles),
                                   acting_user=user)


def again(period: m.PeriodOfCare, start: dt.date, user: User) -> m.PeriodOfCare:
    """The same child's next period of care."""
    return do_start_period_of_care(period.person, start_date=start, legal_status="V2",
                                   cin_need="N1", placement=place(), acting_user=user)


def move(period: m.PeriodOfCare, on: dt.date, user: User, *, kind: str = "U4",
         miles: str | None = "5.0", rne: str = "P") -> None:
    do_change_placement(period, on=on, placement=place(kind, miles), reason_place_change="CARPL",
                        reason_new_episode=rne, acting_user=user)


def status(period: m.PeriodOfCare, on: dt.date, code: str, user: User) -> None:
    do_change_legal_status(period, on=on, legal_status=code, acting_user=user)


def leave(period: m.PeriodOfCare, on: dt.date, user: User, reason: str = "E4A") -> None:
    do_end_period_of_care(period, on=on, reason_ceased=reason, acting_user=user)


# -- care and placements: the year 1 April 2024 to 31 March 2025 ---------------------------

def _care(user: User) -> None:
    """Ann (b. 2012): in care since 1 Jun 2021, one placement 25.0 miles away.
    Ben (b. 2014): starts 1 May 2024; moves 1 Aug and 15 Nov 2024; C2 from 2 Dec 2024
        (legal status only); last placement exactly 20.0 miles away.
    Cas (b. 2013): starts 10 Apr 2024 on C1; C2 1 Jun 2024 (legal status only); moves
        1 Sep 2024; E1 6 Jan 2025 (legal status only): 4 episodes, 2 placements.
    Dev (b. 2014): starts 1 Apr 2024 (the first day of the year); hospital (T1) 1-8 Jul
        2024, then back with foster carers: placements U4, T1, U4.
    Eve (b. 15 Sep 2006): in care since 1 Mar 2022; turns 18 and leaves care on 15 Sep 2024.
    Fin (b. 2016): in care 1 Feb 2024 to 31 Mar 2025, leaving on the last day of the year.
    Gus (b. 2015): in care 1 Jun-1 Aug 2024 (moved 1 Jul), home, then again from
        1 Nov 2024: 3 placements in two periods of care.
    Hal (b. 2019): placed with parents (P1) since 1 Jan 2023: no distance recorded.
    Ivy (b. 2011): in care since 1 Jan 2020, moved 10 Jan 2024 to a placement 30.5 miles away.
    Jay (b. 1 Mar 2009): in care since 2019, one placement; 16 on 1 Mar 2025.
    Kim (b. 2018): fostered since 1 Sep 2021; E1 1 Sep 2024; placed for adoption with
        the same foster carers (A5, RNE T) on 1 Oct 2024.
    Lee (b. 2013): in care since 1 Oct 2022: 2.5 years on 1 Apr 2025, one day after the date.
    Sid (b. 2010): short breaks (V3) from 1 Oct 2024, still open.
    Tia (b. 2012): one short break (V4) 1-3 May 2024."""
    care("Ann", d(2012, 1, 10), d(2021, 6, 1), user, miles="25.0")
    ben = care("Ben", d(2014, 3, 3), d(2024, 5, 1), user, status="C1", kind="U6")
    move(ben, d(2024, 8, 1), user)
    move(ben, d(2024, 11, 15), user, miles="20.0")
    status(ben, d(2024, 12, 2), "C2", user)
    cas = care("Cas", d(2013, 7, 7), d(2024, 4, 10), user, status="C1", kind="U6")
    status(cas, d(2024, 6, 1), "C2", user)
    move(cas, d(2024, 9, 1), user)
    status(cas, d(2025, 1, 6), "E1", user)
    dev = care("Dev", d(2014, 1, 1), d(2024, 4, 1), user, miles="4.0")
    move(dev, d(2024, 7, 1), user, kind="T1", miles=None)
    move(dev, d(2024, 7, 8), user, miles="4.0")
    leave(care("Eve", d(2006, 9, 15), d(2022, 3, 1), user, kind="K2"), d(2024, 9, 15), user,
          "E17")
    leave(care("Fin", d(2016, 6, 6), d(2024, 2, 1), user), d(2025, 3, 31), user)
    gus = care("Gus", d(2015, 2, 2), d(2024, 6, 1), user, status="V2", kind="U6")
    move(gus, d(2024, 7, 1), user)
    leave(gus, d(2024, 8, 1), user)
    again(gus, d(2024, 11, 1), user)
    care("Hal", d(2019, 9, 9), d(2023, 1, 1), user, kind="P1", miles=None)
    ivy = care("Ivy", d(2011, 5, 5), d(2020, 1, 1), user)
    move(ivy, d(2024, 1, 10), user, miles="30.5")
    care("Jay", d(2009, 3, 1), d(2019, 6, 1), user, miles="1.0")
    kim = care("Kim", d(2018, 1, 1), d(2021, 9, 1), user, miles="8.0")
    status(kim, d(2024, 9, 1), "E1", user)
    move(kim, d(2024, 10, 1), user, kind="A5", miles="8.0", rne="T")
    care("Lee", d(2013, 3, 3), d(2022, 10, 1), user, miles="12.0")
    care("Sid", d(2010, 2, 2), d(2024, 10, 1), user, status="V3")
    leave(care("Tia", d(2012, 12, 12), d(2024, 5, 1), user, status="V4"), d(2024, 5, 3), user,
          "E8")
    create_record(m.ChildPopulation, acting_user=user, mid_year=2024, children_0_17=2_000,
                  source="synthetic")


@pytest.fixture(scope="module")
def placements(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _care)


LOOKED_AFTER_AT_YEAR_END = ["LA-ann", "LA-ben", "LA-cas", "LA-dev", "LA-gus", "LA-hal",
                            "LA-ivy", "LA-jay", "LA-kim", "LA-lee"]


def test_children_looked_after_at_the_date(placements: duckdb.DuckDBPyConnection) -> None:
    """At 31 March 2025: Ann, Ben, Cas, Dev, Gus, Hal, Ivy, Jay, Kim, Lee = 10. Eve left at
    18 in September; Fin's care ended on 31 March itself; Tia's short break ended in May."""
    assert figure(placements, "CLA-COUNT", YEAR_END).value == 10
    assert who(placements, "CLA-COUNT", YEAR_END) == LOOKED_AFTER_AT_YEAR_END


def test_short_breaks_are_not_counted_as_looked_after(
        placements: duckdb.DuckDBPyConnection) -> None:
    """Sid is accommodated under short breaks (V3) from 1 October 2024, so he is not looked
    after for DfE on 1 December 2024 or 31 March 2025; Tia is not counted on 2 May 2024, in
    the middle of her one short break (V4)."""
    assert "LA-sid" not in who(placements, "CLA-COUNT", YEAR_END)
    assert "LA-tia" not in who(placements, "CLA-COUNT", d(2024, 5, 2))
    assert "LA-sid" not in who(placements, "CLA-COUNT", d(2024, 12, 1))


def test_rate_per_10000_children(placements: duckdb.DuckDBPyConnection) -> None:
    """10 children looked after at 31 March 2025 in a population of 2,000 (mid-2024):
    10 / 2,000 x 10,000 = 50 per 10,000."""
    assert figure(placements, "CLA-RATE", YEAR_END, POPULATION).value == 50


def test_starts_count_each_child_once_and_not_short_breaks(
        placements: duckdb.DuckDBPyConnection) -> None:
    """Started 1 Apr 2024-31 Mar 2025: Ben (1 May), Cas (10 Apr), Dev (1 Apr, the first
    day), Gus (1 Jun and again 1 Nov: once) = 4. Sid's and Tia's periods began on short
    breaks; everyone else came into care before the year."""
    assert who(placements, "CLA-STARTED", YEAR_END) == ["LA-ben", "LA-cas", "LA-dev",
                                                        "LA-gus"]


def test_starts_per_10000_children(placements: duckdb.DuckDBPyConnection) -> None:
    """4 children started in the year in a population of 2,000: 20 per 10,000."""
    assert figure(placements, "CLA-STARTED-RATE", YEAR_END, POPULATION).value == 20


def test_ceased_includes_a_child_who_turned_18_and_the_last_day(
        placements: duckdb.DuckDBPyConnection) -> None:
    """Ceased in the year: Eve (at 18, 15 Sep 2024), Fin (31 Mar 2025), Gus (1 Aug 2024)
    = 3. Tia's short break ended on 3 May 2024: not counted."""
    assert who(placements, "CLA-CEASED", YEAR_END) == ["LA-eve", "LA-fin", "LA-gus"]
    assert figure(placements, "CLA-CEASED", YEAR_END).value == 3


def test_three_or_more_placements_in_the_year(placements: duckdb.DuckDBPyConnection) -> None:
    """Of the 10 looked after at 31 March 2025: Ben (3 placements) and Gus (2 in his first
    period of care, 1 in his second) = 2 of 10 = 20%."""
    result = figure(placements, "CLA-3PLUS-PLACEMENTS", YEAR_END)
    assert (result.numerator, result.denominator, result.value) == (2, 10, 20)
    assert who(placements, "CLA-3PLUS-PLACEMENTS", YEAR_END, counted=True) == ["LA-ben",
                                                                              "LA-gus"]


def test_a_legal_status_change_is_not_a_new_placement(
        placements: duckdb.DuckDBPyConnection) -> None:
    """Cas had 4 episodes in the year (S, L, P, L) but only the P episode moved her: 2
    placements, so she is not among those with 3 or more."""
    assert "LA-cas" not in who(placements, "CLA-3PLUS-PLACEMENTS", YEAR_END, counted=True)
    assert "LA-cas" in who(placements, "CLA-3PLUS-PLACEMENTS", YEAR_END)


def test_a_temporary_placement_is_not_counted(placements: duckdb.DuckDBPyConnection) -> None:
    """Dev went into hospital (T1) for a week and back: U4, T1, U4 are 2 placements."""
    assert "LA-dev" not in who(placements, "CLA-3PLUS-PLACEMENTS", YEAR_END, counted=True)


def test_long_term_stability(placements: duckdb.DuckDBPyConnection) -> None:
    """Under 16 and looked after 2.5 years at 31 March 2025 (care began by 30 Sep 2022):
    Ann, Ivy, Kim (Jay is 16; Lee began 1 Oct 2022; Hal 2023; the rest later) = 3.
    Same placement 2 years: Ann yes; Ivy moved in January 2024, no; Kim was placed for
    adoption with her foster carers (A5) on 1 Oct 2024, and that foster placement began in
    2021, so yes. 2 of 3 = 66.7%."""
    result = figure(placements, "CLA-LONG-TERM-STABILITY", YEAR_END)
    assert who(placements, "CLA-LONG-TERM-STABILITY", YEAR_END) == ["LA-ann", "LA-ivy",
                                                                   "LA-kim"]
    assert who(placements, "CLA-LONG-TERM-STABILITY", YEAR_END, counted=True) == ["LA-ann",
                                                                                 "LA-kim"]
    assert result.value == pytest.approx(200 / 3)


def test_placed_more_than_20_miles_from_home(placements: duckdb.DuckDBPyConnection) -> None:
    """Of the 10 looked after at 31 March 2025, Ann (25.0) and Ivy (30.5) live more than 20
    miles from home; Ben's 20.0 is not more than 20. 2 of 10 = 20%."""
    assert figure(placements, "CLA-PLACED-OVER-20-MILES", YEAR_END).value == 20
    assert who(placements, "CLA-PLACED-OVER-20-MILES", YEAR_END, counted=True) == [
        "LA-ann", "LA-ivy"]


def test_distance_not_known(placements: duckdb.DuckDBPyConnection) -> None:
    """Hal, placed with parents, has no distance: 1 of 10 = 10%."""
    assert figure(placements, "CLA-DISTANCE-NOT-KNOWN", YEAR_END).value == 10
    assert who(placements, "CLA-DISTANCE-NOT-KNOWN", YEAR_END, counted=True) == ["LA-hal"]


# -- reviews and permanence plans: the 12 months to 31 March 2024 ---------------------------

REVIEW_YEAR_END = d(2024, 3, 31)


def review(period: m.PeriodOfCare, held: dt.date, user: User, *,
           cancelled: bool = False) -> m.CLAReview:
    return create_record(m.CLAReview, acting_user=user, person=period.person, period=period,
                         due_date=held, review_date=held, cancelled=cancelled)


def plan(period: m.PeriodOfCare, decided: dt.date, user: User, *,
         end: dt.date | None = None) -> None:
    create_record(m.PermanencePlan, acting_user=user, person=period.person, period=period,
                  plan="LONG_TERM_FOSTER", decided_on=decided, end_date=end)


def _reviews(user: User) -> None:
    """Ava: in care Mon 4 Dec 2023; first review Thu 4 Jan 2024, the 20th working day after
        (25 and 26 Dec and 1 Jan are bank holidays).
    Bo: in care 6 Nov 2023; reviews 30 Nov 2023 and Thu 29 Feb 2024 (3 months after 30
        November is 29 February in a leap year); a permanence plan decided 29 Feb 2024.
    Cy: in care 6 Nov 2023; reviews 30 Nov 2023 and 1 Mar 2024 (a day late); a permanence
        plan decided 15 Mar 2024, after the second review.
    Di: in care 10 Jan 2022; reviews 4 Feb 2022, 4 May 2022, 1 Nov 2022, 1 May 2023 (6
        months to the day), 2 Nov 2023 (a day late); a plan 4 May 2022 that ended 1 Dec 2023.
    Ed: in care Fri 1 Sep 2023; first review 20 Sep 2023; no second by 31 Mar 2024 (due 20
        Dec 2023).
    Flo: in care Mon 5 Feb 2024; first review Tue 5 Mar 2024, one working day late.
    Gia: in care 11 Mar 2024; no review yet (due 10 Apr 2024).
    Hux: in care 1 Feb 2024; a review on 27 Feb 2024 that was cancelled (due 29 Feb).
    Jo: in care 3 Jul 2023; reviews 28 Jul and 26 Oct 2023; a permanence plan 1 Aug 2023.
    Sol: short breaks (V3) from 1 Jun 2023; a review 1 Sep 2023; a plan 1 Sep 2023."""
    ava = care("Ava", d(2015, 1, 1), d(2023, 12, 4), user)
    review(ava, d(2024, 1, 4), user)
    bo = care("Bo", d(2014, 2, 2), d(2023, 11, 6), user)
    review(bo, d(2023, 11, 30), user)
    review(bo, d(2024, 2, 29), user)
    plan(bo, d(2024, 2, 29), user)
    cy = care("Cy", d(2014, 3, 3), d(2023, 11, 6), user)
    review(cy, d(2023, 11, 30), user)
    review(cy, d(2024, 3, 1), user)
    plan(cy, d(2024, 3, 15), user)
    di = care("Di", d(2012, 4, 4), d(2022, 1, 10), user)
    for held in (d(2022, 2, 4), d(2022, 5, 4), d(2022, 11, 1), d(2023, 5, 1), d(2023, 11, 2)):
        review(di, held, user)
    plan(di, d(2022, 5, 4), user, end=d(2023, 12, 1))
    review(care("Ed", d(2013, 5, 5), d(2023, 9, 1), user), d(2023, 9, 20), user)
    review(care("Flo", d(2016, 6, 6), d(2024, 2, 5), user), d(2024, 3, 5), user)
    care("Gia", d(2017, 7, 7), d(2024, 3, 11), user)
    review(care("Hux", d(2011, 8, 8), d(2024, 2, 1), user), d(2024, 2, 27), user, cancelled=True)
    jo = care("Jo", d(2010, 9, 9), d(2023, 7, 3), user)
    review(jo, d(2023, 7, 28), user)
    review(jo, d(2023, 10, 26), user)
    plan(jo, d(2023, 8, 1), user)
    sol = care("Sol", d(2012, 10, 10), d(2023, 6, 1), user, status="V3")
    review(sol, d(2023, 9, 1), user)
    plan(sol, d(2023, 9, 1), user)


@pytest.fixture(scope="module")
def reviews(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2024, 6, 30), _reviews)


def test_reviews_within_timescale(reviews: duckdb.DuckDBPyConnection) -> None:
    """Held 1 Apr 2023-31 Mar 2024: Ava 1 (in time), Bo 2 (both), Cy 2 (first only), Di 2
    (1 May only), Ed 1 (in time), Flo 1 (late), Jo 2 (both) = 11 reviews, 8 in time:
    72.7%. Hux's review was cancelled; Sol is on short breaks."""
    result = figure(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END)
    assert (result.numerator, result.denominator) == (8, 11)
    assert result.value == pytest.approx(800 / 11)


def test_bank_holidays_inside_the_first_review_window(reviews: duckdb.DuckDBPyConnection) -> None:
    """Ava's first review on 4 Jan 2024 is the 20th working day after 4 Dec 2023 only
    because Christmas Day, Boxing Day and New Year's Day are not working days: in time.
    Flo's on 5 Mar 2024 is the 21st after 5 Feb: late."""
    in_time = who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END, counted=True)
    assert "LA-ava" in in_time
    assert "LA-flo" not in in_time


def test_second_review_due_on_29_february(reviews: duckdb.DuckDBPyConnection) -> None:
    """First reviews on 30 Nov 2023: the second is due by 29 Feb 2024 (a leap year). Bo's
    on 29 February is in time (both his reviews count); Cy's on 1 March is not (only her
    first does)."""
    in_time = who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END, counted=True)
    assert in_time.count("LA-bo") == 2
    assert in_time.count("LA-cy") == 1


def test_later_reviews_within_6_months(reviews: duckdb.DuckDBPyConnection) -> None:
    """Di's fourth review on 1 May 2023 is 6 months to the day after 1 Nov 2022 (in time);
    her fifth on 2 Nov 2023 is a day past 6 months. Two of her reviews in the year, one
    in time."""
    rows = who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END)
    assert rows.count("LA-di") == 2
    assert who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END, counted=True).count("LA-di") == 1


def test_a_cancelled_review_is_not_held(reviews: duckdb.DuckDBPyConnection) -> None:
    """Hux's only review was cancelled: it is not among the reviews held."""
    assert "LA-hux" not in who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END)


def test_reviews_overdue_at_the_date(reviews: duckdb.DuckDBPyConnection) -> None:
    """On 31 March 2024: Hux's first review is overdue (due 29 Feb; the one he had was
    cancelled) and Ed's second (due 20 Dec 2023). Gia's first is not due until 10 April;
    everyone else's next is in the future; Sol is on short breaks. 2."""
    assert who(reviews, "CLA-REVIEWS-OVERDUE", REVIEW_YEAR_END) == ["LA-ed", "LA-hux"]


def test_short_break_reviews_are_left_out(reviews: duckdb.DuckDBPyConnection) -> None:
    """Sol's review on 1 Sep 2023 was 3 months after her short breaks began: not a
    looked-after review for these timescales, so not counted at all."""
    assert "LA-sol" not in who(reviews, "CLA-REVIEWS-IN-TIME", REVIEW_YEAR_END)


def test_permanence_plan_by_the_second_review(reviews: duckdb.DuckDBPyConnection) -> None:
    """Second reviews held in the 12 months to 31 Mar 2024: Bo (29 Feb; plan the same
    day: yes), Cy (1 Mar; plan 15 Mar: no), Jo (26 Oct 2023; plan 1 Aug: yes). Di's second
    review was in 2022. 2 of 3 = 66.7%."""
    result = figure(reviews, "CLA-PERMANENCE-PLAN-BY-SECOND-REVIEW", REVIEW_YEAR_END)
    assert who(reviews, "CLA-PERMANENCE-PLAN-BY-SECOND-REVIEW", REVIEW_YEAR_END,
               counted=True) == ["LA-bo", "LA-jo"]
    assert result.value == pytest.approx(200 / 3)


def test_children_with_a_permanence_plan(reviews: duckdb.DuckDBPyConnection) -> None:
    """On 31 Mar 2024: Bo, Cy and Jo have a plan in force; Di's ended on 1 Dec 2023; Sol's
    is for short breaks. 3 of the 9 looked after (Ava, Bo, Cy, Di, Ed, Flo, Gia, Hux, Jo)
    = 33.3%."""
    assert who(reviews, "CLA-WITH-PERMANENCE-PLAN", REVIEW_YEAR_END) == ["LA-bo", "LA-cy",
                                                                        "LA-jo"]
    assert figure(reviews, "CLA-WITH-PERMANENCE-PLAN-PCT", REVIEW_YEAR_END).value == \
        pytest.approx(100 / 3)


# -- visits: the 12 months to 31 March 2024 -------------------------------------------------

def visit(period: m.PeriodOfCare, on: dt.date, user: User, *, seen: bool = True) -> None:
    create_record(m.CLAVisit, acting_user=user, person=period.person, period=period,
                  visit_date=on, seen=seen)


def _visits(user: User) -> None:
    """Vic: in care 4 Dec 2023; seen 8 Dec 2023 (4 days), 19 Jan 2024 (42 days), 5 Mar 2024
        (46 days).
    Wes: in care since 10 Jan 2022 (more than a year); seen 20 Jan 2023, 20 Apr 2023
        (3 months), 21 Jul 2023 (a day late), 20 Oct 2023, 29 Nov 2023, 29 Feb 2024 (3
        months after 29 November in a leap year).
    Xan: in care 1 Sep 2023; seen 5 Sep 2023; visited but not seen 10 Oct 2023; seen 20 Oct
        2023 (45 days after 5 September); nothing since.
    Yas: in care 20 Mar 2024; no visit by 31 March (11 days).
    Zed: short breaks (V3) from 1 Jun 2023; seen 1 Sep 2023."""
    vic = care("Vic", d(2015, 1, 1), d(2023, 12, 4), user)
    for on in (d(2023, 12, 8), d(2024, 1, 19), d(2024, 3, 5)):
        visit(vic, on, user)
    wes = care("Wes", d(2012, 2, 2), d(2022, 1, 10), user)
    for on in (d(2023, 1, 20), d(2023, 4, 20), d(2023, 7, 21), d(2023, 10, 20),
               d(2023, 11, 29), d(2024, 2, 29)):
        visit(wes, on, user)
    xan = care("Xan", d(2010, 3, 3), d(2023, 9, 1), user)
    visit(xan, d(2023, 9, 5), user)
    visit(xan, d(2023, 10, 10), user, seen=False)
    visit(xan, d(2023, 10, 20), user)
    care("Yas", d(2016, 4, 4), d(2024, 3, 20), user)
    visit(care("Zed", d(2011, 5, 5), d(2023, 6, 1), user, status="V3"), d(2023, 9, 1), user)


@pytest.fixture(scope="module")
def visits(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2024, 6, 30), _visits)


def test_visits_within_timescale(visits: duckdb.DuckDBPyConnection) -> None:
    """Seen 1 Apr 2023-31 Mar 2024: Vic 3 (8 Dec and 19 Jan in time), Wes 5 (all but 21 Jul),
    Xan 2 (5 Sep only) = 10 visits, 7 in time = 70%. Zed is on short breaks."""
    result = figure(visits, "CLA-VISITS-IN-TIME", REVIEW_YEAR_END)
    assert (result.numerator, result.denominator, result.value) == (7, 10, 70)


def test_three_monthly_visits_after_the_first_year_across_29_february(
        visits: duckdb.DuckDBPyConnection) -> None:
    """Wes, in care more than a year: 20 Apr 2023 and 29 Feb 2024 are each 3 months after
    the visit before (29 Feb only because 2024 is a leap year); 21 Jul 2023 is a day late."""
    rows = who(visits, "CLA-VISITS-IN-TIME", REVIEW_YEAR_END)
    in_time = who(visits, "CLA-VISITS-IN-TIME", REVIEW_YEAR_END, counted=True)
    assert (rows.count("LA-wes"), in_time.count("LA-wes")) == (5, 4)


def test_a_visit_without_seeing_the_child_does_not_count(
        visits: duckdb.DuckDBPyConnection) -> None:
    """Xan was visited but not seen on 10 Oct 2023: his two visits in the year are 5 Sep
    and 20 Oct, and the second is measured from 5 Sep (45 days, late)."""
    assert who(visits, "CLA-VISITS-IN-TIME", REVIEW_YEAR_END).count("LA-xan") == 2
    assert who(visits, "CLA-VISITS-IN-TIME", REVIEW_YEAR_END, counted=True).count(
        "LA-xan") == 1


def test_visits_overdue_at_the_date(visits: duckdb.DuckDBPyConnection) -> None:
    """On 31 March 2024: Xan, in his first year of care, was last seen 20 Oct 2023 (more
    than 6 weeks); Yas has been in care 11 days without a visit. Vic (26 days since) and
    Wes (3 months from 29 Feb) are within time; Zed is on short breaks."""
    assert who(visits, "CLA-VISITS-OVERDUE", REVIEW_YEAR_END) == ["LA-xan", "LA-yas"]
