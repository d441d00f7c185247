"""The adoption scorecard (A1, A2, A10, A3) on a small council recorded through the actions.

One store; the three years to 31 March 2025 (1 April 2022 to 31 March 2025), which hold
29 February 2024.
"""

from __future__ import annotations

import datetime as dt

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
from tests.analytics.recording import child, frozen_store, unit_rows_at, who

pytestmark = pytest.mark.django_db

d = dt.date
YEAR_END = d(2025, 3, 31)


def adoption(name: str, born: dt.date, entered: dt.date, user: User, *,
             order: dt.date | None, matched: dt.date, placed: dt.date,
             adopted: dt.date, by_carers: bool = False) -> None:
    """Care from `entered`; a placement order (legal status E1) on `order`; matched; placed
    for adoption (A5 with the foster carers, RNE T; else A6, or A4 without an order); and
    adopted (E11) on `adopted`."""
    person = child(name, born)
    period = do_start_period_of_care(person, start_date=entered, legal_status="C1",
                                     cin_need="N1", placement=PlacementDetails("U4", "PR1"),
                                     acting_user=user)
    if order:
        do_change_legal_status(period, on=order, legal_status="E1", acting_user=user)
    kind = "A5" if by_carers else "A6" if order else "A4"
    do_change_placement(period, on=placed, placement=PlacementDetails(kind, "PR1"),
                        reason_place_change="CARPL", reason_new_episode="T" if by_carers
                        else "P", acting_user=user)
    create_record(m.Permanence, acting_user=user, person=person, period=period,
                  placement_order_date=order, matched_date=matched,
                  placed_for_adoption_date=placed, adopted_by_foster_carer=by_carers,
                  permanence_order_date=adopted, permanence_order_type="ADOPTION")
    do_end_period_of_care(period, on=adopted, reason_ceased="E11", acting_user=user)


def _council(user: User) -> None:
    """Ada: entered care 1 Jan 2022; placement order 1 Jun 2022; matched 1 Oct 2022; placed
        1 Nov 2022; adopted 1 May 2023. A1 304 days; A2 122.
    Bob: entered 1 Mar 2023; matched 15 Aug 2023, before the placement order of 1 Sep
        2023; placed 1 Mar 2024; adopted 1 Sep 2024. A1 366 days (29 Feb 2024 between);
        A2 0.
    Cat: entered 1 Mar 2022 into foster care; placement order 10 Jan 2023; matched 1 May
        2023; placed for adoption with the same foster carers 1 Jun 2023; adopted by them
        15 Jan 2024. A1 457 days; A10 0 (with them since entering care); A2 111.
    Dan: adopted 15 Mar 2022, before the three years. Eva: adopted 10 Apr 2025, after.
    Gem: entered 15 Jan 2023; matched 1 Nov 2023; placed with consent (no placement order)
        1 Dec 2023; adopted 1 Jun 2024. A1 320 days; not in A2.
    Hugo: left care on a special guardianship order (E45) on 1 Jul 2023: not adopted."""
    adoption("Ada", d(2020, 1, 1), d(2022, 1, 1), user, order=d(2022, 6, 1),
             matched=d(2022, 10, 1), placed=d(2022, 11, 1), adopted=d(2023, 5, 1))
    adoption("Bob", d(2021, 6, 1), d(2023, 3, 1), user, order=d(2023, 9, 1),
             matched=d(2023, 8, 15), placed=d(2024, 3, 1), adopted=d(2024, 9, 1))
    adoption("Cat", d(2022, 2, 2), d(2022, 3, 1), user, order=d(2023, 1, 10),
             matched=d(2023, 5, 1), placed=d(2023, 6, 1), adopted=d(2024, 1, 15),
             by_carers=True)
    adoption("Dan", d(2019, 1, 1), d(2020, 6, 1), user, order=d(2021, 1, 4),
             matched=d(2021, 3, 1), placed=d(2021, 4, 1), adopted=d(2022, 3, 15))
    adoption("Eva", d(2021, 7, 7), d(2023, 5, 1), user, order=d(2024, 2, 1),
             matched=d(2024, 6, 1), placed=d(2024, 7, 1), adopted=d(2025, 4, 10))
    adoption("Gem", d(2021, 8, 8), d(2023, 1, 15), user, order=None,
             matched=d(2023, 11, 1), placed=d(2023, 12, 1), adopted=d(2024, 6, 1))
    hugo = do_start_period_of_care(child("Hugo", d(2018, 9, 9)), start_date=d(2022, 5, 1),
                                   legal_status="C2", cin_need="N1",
                                   placement=PlacementDetails("U1", "PR1"), acting_user=user)
    do_end_period_of_care(hugo, on=d(2023, 7, 1), reason_ceased="E45", acting_user=user)


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _council)


def test_a1_mean_days_from_care_to_adoptive_family(council: duckdb.DuckDBPyConnection) -> None:
    """Adopted 1 Apr 2022-31 Mar 2025: Ada 304, Bob 366, Cat 457, Gem 320 days; Dan and Eva
    fall outside the three years and Hugo was not adopted. (304 + 366 + 457 + 320) / 4 =
    361.75 days, under the 426-day threshold."""
    assert who(council, "ADOPTION-A1", YEAR_END) == ["LA-ada", "LA-bob", "LA-cat", "LA-gem"]
    assert figure(council, "ADOPTION-A1", YEAR_END).value == 361.75


def test_a1_counts_29_february(council: duckdb.DuckDBPyConnection) -> None:
    """Bob entered care on 1 Mar 2023 and was placed on 1 Mar 2024: 366 calendar days."""
    assert ("LA-bob", 366) in _rows(council, "ADOPTION-A1")


def test_a10_starts_the_clock_with_the_foster_carers_who_adopt(
        council: duckdb.DuckDBPyConnection) -> None:
    """Cat was adopted by the foster carers she went to on entering care: 0 days, not 457.
    (304 + 366 + 0 + 320) / 4 = 247.5."""
    assert ("LA-cat", 0) in _rows(council, "ADOPTION-A10")
    assert figure(council, "ADOPTION-A10", YEAR_END).value == 247.5


def test_a2_match_before_authority_is_0_days(council: duckdb.DuckDBPyConnection) -> None:
    """Ada 122, Bob 0 (matched before the order), Cat 111; Gem had no placement order.
    233 / 3 = 77.7 days."""
    assert _rows(council, "ADOPTION-A2") == [("LA-ada", 122), ("LA-bob", 0), ("LA-cat", 111)]
    assert figure(council, "ADOPTION-A2", YEAR_END).value == pytest.approx(233 / 3)


def test_a3_within_14_months(council: duckdb.DuckDBPyConnection) -> None:
    """Placed within 426 days of entering care: Ada, Bob, Gem; not Cat (457): 75%."""
    assert who(council, "ADOPTION-A3", YEAR_END, counted=True) == ["LA-ada", "LA-bob",
                                                                   "LA-gem"]
    assert figure(council, "ADOPTION-A3", YEAR_END).value == 75


def _rows(con: duckdb.DuckDBPyConnection, indicator_id: str) -> list[tuple[str, float]]:
    """(child, days) behind a mean, sorted."""
    return sorted((str(r["person_id"]), r["numerator"])
                  for r in unit_rows_at(con, indicator_id, YEAR_END))
