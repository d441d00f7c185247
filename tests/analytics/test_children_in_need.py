"""Children in need indicators on one small council recorded through the actions.

The year is 1 April 2024 to 31 March 2025; each docstring works the answer out from the
children listed in `_council`.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.journey import do_close_referral
from tests.analytics.harness import figure
from tests.analytics.recording import (
    child,
    frozen_store,
    population,
    professional,
    refer,
    unit_rows_at,
    who,
)
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

YEAR_END = dt.date(2025, 3, 31)
d = dt.date


def _close(referral: m.Referral, on: dt.date, reason: str, user: User) -> None:
    do_close_referral(m.Referral.objects.get(pk=referral.pk), on=on, reason=reason,
                      acting_user=user)


def _council(user: User) -> None:
    """Ann: referred 10 Jan 2025, awaiting assessment (started 15 Jan, not authorised).
    Ben: referred 28 Mar 2025 with no further action (ReferralNFA); closed 2 Apr (RC7).
    Cat: referred 3 Mar 2025; assessed, no further action (authorised 25 Mar); closed 10 Apr
         2025 as assessed not in need (RC8).
    Dan: referred 1 Sep 2024 (assessment authorised 30 Sep); closed 31 Mar 2025 (RC7).
    Eve: referred 1 Jun 2024 (assessment authorised 10 Jul); CIN plan from 1 Aug 2024 with
         Mel in team T; closed 1 Apr 2025 (RC7).
    Fin: unborn (expected 1 Jun 2025), referred 20 Feb 2025.
    Gia: born 10 Nov 2006 (18 on 10 Nov 2024), referred 1 Jun 2024 (assessment authorised
         20 Jun), CIN plan 1 Jul 2024-31 Mar 2025; the episode is still open.
    Hue: an episode 1 May-1 Nov 2023 (assessment authorised 1 Jun 2023, no further action;
         CIN plan 1 Jun-1 Nov 2023) and another from 1 Feb 2025 (assessment authorised
         20 Feb; CIN plan from 1 Mar 2025).
    Ida: referred 1 Apr 2025.
    Jo:  referred, assessed (no further action, authorised) and closed RC8 on 1 Apr 2024.
    Mid-2024 population: 20,000 children aged 0-17."""
    population(2024, 20_000, user)
    mel = professional("Mel", user)
    team = TeamFactory(acting_user=user)

    def assess(referral: m.Referral, start: dt.date, authorised: dt.date | None,
               *, nfa: bool = False) -> None:
        create_record(m.Assessment, acting_user=user, person=referral.person, referral=referral,
                      start_date=start, authorised_on=authorised,
                      authorised_by=mel if authorised else None, outcome_nfa=nfa)

    def cin_plan(referral: m.Referral, start: dt.date, end: dt.date | None = None) -> None:
        create_record(m.CINPlan, acting_user=user, person=referral.person, referral=referral,
                      start_date=start, end_date=end, team=team, worker=mel)

    assess(refer(child("Ann"), d(2025, 1, 10), user), d(2025, 1, 15), None)
    _close(refer(child("Ben"), d(2025, 3, 28), user, is_nfa=True), d(2025, 4, 2), "RC7", user)
    cat = refer(child("Cat"), d(2025, 3, 3), user)
    assess(cat, d(2025, 3, 3), d(2025, 3, 25), nfa=True)
    _close(cat, d(2025, 4, 10), "RC8", user)
    dan = refer(child("Dan"), d(2024, 9, 1), user)
    assess(dan, d(2024, 9, 2), d(2024, 9, 30))
    _close(dan, YEAR_END, "RC7", user)
    eve = refer(child("Eve"), d(2024, 6, 1), user)
    assess(eve, d(2024, 6, 1), d(2024, 7, 10))
    cin_plan(eve, d(2024, 8, 1), d(2025, 4, 1))
    _close(eve, d(2025, 4, 1), "RC7", user)
    refer(child("Fin", born=None, expected=d(2025, 6, 1)), d(2025, 2, 20), user)
    gia = refer(child("Gia", born=d(2006, 11, 10)), d(2024, 6, 1), user)
    assess(gia, d(2024, 6, 1), d(2024, 6, 20))
    cin_plan(gia, d(2024, 7, 1), YEAR_END)
    hue = child("Hue")
    first = refer(hue, d(2023, 5, 1), user)
    assess(first, d(2023, 5, 1), d(2023, 6, 1), nfa=True)
    cin_plan(first, d(2023, 6, 1), d(2023, 11, 1))
    _close(first, d(2023, 11, 1), "RC7", user)
    second = refer(hue, d(2025, 2, 1), user)
    assess(second, d(2025, 2, 1), d(2025, 2, 20))
    cin_plan(second, d(2025, 3, 1))
    refer(child("Ida"), d(2025, 4, 1), user)
    jo = refer(child("Jo"), d(2024, 4, 1), user)
    assess(jo, d(2024, 4, 1), d(2024, 4, 1), nfa=True)
    _close(jo, d(2024, 4, 1), "RC8", user)


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _council)


def test_children_in_need_at_the_date(council: duckdb.DuckDBPyConnection) -> None:
    """Open at 31 Mar 2025: Ann (awaiting assessment), Eve (closes 1 April), Fin (unborn),
    Gia, Hue (second episode) = 5. Not Ben (no further action), Cat (assessed not in need),
    Dan (closed that day), Ida (referred 1 April), Jo (closed a year ago)."""
    assert who(council, "CIN-COUNT", YEAR_END) == ["LA-ann", "LA-eve", "LA-fin", "LA-gia",
                                                   "LA-hue"]
    assert figure(council, "CIN-COUNT", YEAR_END).value == 5


def test_a_referral_with_no_further_action_is_not_an_episode_of_need(
        council: duckdb.DuckDBPyConnection) -> None:
    """Ben's referral of 28 March was still open on 31 March, but it led to no further
    action."""
    assert "LA-ben" not in who(council, "CIN-COUNT", YEAR_END)


def test_an_episode_closed_as_not_in_need_is_left_out(council: duckdb.DuckDBPyConnection) -> None:
    """Cat's episode was open on 31 March (closed 10 April), but closed RC8: assessed and
    found not to be in need."""
    assert "LA-cat" not in who(council, "CIN-COUNT", YEAR_END)


def test_a_young_person_of_18_with_an_open_episode_counts(
        council: duckdb.DuckDBPyConnection) -> None:
    """Gia turned 18 on 10 Nov 2024; her episode is open at 31 March, so she is counted, as
    DfE's "16 and over" band counts young people of 18 and over."""
    assert "LA-gia" in who(council, "CIN-COUNT", YEAR_END)


def test_children_in_need_rate(council: duckdb.DuckDBPyConnection) -> None:
    """5 children / 20,000 (mid-2024) x 10,000 = 2.5."""
    assert figure(council, "CIN-RATE", YEAR_END).value == pytest.approx(2.5)


def test_children_on_a_cin_plan(council: duckdb.DuckDBPyConnection) -> None:
    """Open at 31 Mar 2025: Eve's (to 1 April) and Hue's (from 1 March) = 2. Gia's ended on
    31 March; Hue's 2023 plan long before."""
    assert who(council, "CIN-PLANS", YEAR_END) == ["LA-eve", "LA-hue"]


def test_cin_plans_are_attributed_to_their_worker(council: duckdb.DuckDBPyConnection) -> None:
    """Both plans are Mel's, in team T: the rows carry her id and the team's."""
    [(mel, team)] = council.execute(
        "SELECT prof_professional_id, (SELECT MIN(dept_team_id) FROM ssd_department "
        "WHERE dept_team_name LIKE 'Team %') FROM ssd_professionals "
        "WHERE prof_professional_name = 'Mel Worker'").fetchall()
    rows = unit_rows_at(council, "CIN-PLANS", YEAR_END)
    assert {(r["team_id"], r["worker_id"]) for r in rows} == {(team, mel)}


def test_assessments_ending_in_no_further_action(council: duckdb.DuckDBPyConnection) -> None:
    """Authorised in the year with no further action: Cat (25 Mar 2025) and Jo (1 Apr 2024,
    the first day) = 2. Hue's was authorised in June 2023."""
    assert who(council, "CIN-ASSESSMENTS-NFA", YEAR_END) == ["LA-cat", "LA-jo"]


def test_share_of_assessments_ending_in_no_further_action(
        council: duckdb.DuckDBPyConnection) -> None:
    """Authorised in the year: Cat, Dan, Eve, Gia, Hue (February), Jo = 6 (Ann's is not
    authorised yet); 2 with no further action = 33.3%, against seed 002's target of 20%."""
    result = figure(council, "CIN-ASSESSMENTS-NFA-PCT", YEAR_END)
    assert (result.numerator, result.denominator) == (2, 6)
    assert result.value == pytest.approx(100 / 3)
