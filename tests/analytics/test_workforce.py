"""Workforce indicators on one small council recorded through the actions.

The census date is 30 September 2025 (the CSWW's), the year 1 October 2024 to 30 September
2025; each docstring works the answer out from the staff and children in `_council`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.analytics.catalogue import Breakdown, catalogue
from goldenthread.analytics.engine import evaluate
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record, create_record
from tests.analytics.harness import figure
from tests.analytics.recording import child, frozen_store, professional, who
from tests.factories import ServiceFactory, TeamFactory

pytestmark = pytest.mark.django_db

CENSUS = dt.date(2025, 9, 30)
LONG_AGO = dt.date(2020, 1, 6)
d = dt.date


def _council(user: User) -> None:
    """Staff (social workers, 1.0 FTE and LA-employed unless said), in two teams of one
    service in one locality:
    team A: Ana (experienced; 4 cases), Bo (ASYE from 1 Oct 2024, joined then; 2 cases),
            Gil (left 15 Mar 2025), Hal (0.5 FTE, leave date 1 Oct 2025; no cases),
            Zoe (joined with her ASYE on 1 Mar 2023, left 1 Apr 2024)
    team B: Cy (0.5 FTE, ASYE from 30 Sep 2024, joined then; 3 cases), Di (agency, joined
            1 Jan 2024; 1 case), Ed (no cases), Ivo (leave date 1 Oct 2024), Jan (joins
            1 Oct 2025)
    Children allocated (role CW) at 30 Sep 2025, all in their worker's team unless said:
      Ana: Lea (Ed 1 Jan 2024, then Ana from 1 Sep 2025), Mo (Ana in team A from 1 Jan
           2025, then Ana in team B from 1 Jul 2025), Pam, Quy
      Bo:  Kai (Gil 1 Jan 2024, Ana from 1 Dec 2024, Bo from 1 Jun 2025), Rae
      Cy:  Ned (Ivo 2 Jan 2023, Ed from 1 Aug 2024, Cy from 1 Feb 2025), Sol, Tia
      Di:  Uri
    Vic was Di's from 1 Jan to 1 Aug 2025 and is allocated to no one now."""
    service = ServiceFactory(acting_user=user)  # one locality over both teams
    team_a, team_b = (TeamFactory(acting_user=user, parent=service) for _ in "AB")
    staff: dict[str, m.Professional] = {}

    def hire(name: str, team: m.Team, *, start: dt.date = LONG_AGO,
             leave: dt.date | None = None, **values: Any) -> None:
        staff[name] = professional(name, user, start=start, leave=leave, **values)
        create_record(m.TeamMembership, acting_user=user, professional=staff[name], team=team,
                      start_date=start, end_date=leave)

    hire("Ana", team_a)
    hire("Bo", team_a, start=d(2024, 10, 1), asye_start=d(2024, 10, 1))
    hire("Gil", team_a, leave=d(2025, 3, 15))
    hire("Hal", team_a, fte="0.50", leave=d(2025, 10, 1))
    hire("Zoe", team_a, start=d(2023, 3, 1), asye_start=d(2023, 3, 1), leave=d(2024, 4, 1))
    hire("Cy", team_b, fte="0.50", start=d(2024, 9, 30), asye_start=d(2024, 9, 30))
    hire("Di", team_b, agency=True, start=d(2024, 1, 1))
    hire("Ed", team_b)
    hire("Ivo", team_b, leave=d(2024, 10, 1))
    hire("Jan", team_b, start=d(2025, 10, 1))

    def allocate(name: str, *moves: tuple[str, m.Team, dt.date]) -> None:
        """Allocations one after another, each ending the day the next begins."""
        person = child(name)
        ends = [on for _, _, on in moves[1:]] + [None]
        for (worker, team, on), end in zip(moves, ends, strict=True):
            create_record(m.Involvement, acting_user=user, person=person, role="CW",
                          professional=staff[worker], team=team, start_date=on, end_date=end)

    allocate("Lea", ("Ed", team_b, d(2024, 1, 1)), ("Ana", team_a, d(2025, 9, 1)))
    allocate("Mo", ("Ana", team_a, d(2025, 1, 1)), ("Ana", team_b, d(2025, 7, 1)))
    allocate("Pam", ("Ana", team_a, d(2025, 2, 3)))
    allocate("Quy", ("Ana", team_a, d(2025, 2, 3)))
    allocate("Kai", ("Gil", team_a, d(2024, 1, 1)), ("Ana", team_a, d(2024, 12, 1)),
             ("Bo", team_a, d(2025, 6, 1)))
    allocate("Rae", ("Bo", team_a, d(2025, 2, 3)))
    allocate("Ned", ("Ivo", team_b, d(2023, 1, 2)), ("Ed", team_b, d(2024, 8, 1)),
             ("Cy", team_b, d(2025, 2, 1)))
    allocate("Sol", ("Cy", team_b, d(2025, 2, 3)))
    allocate("Tia", ("Cy", team_b, d(2025, 2, 3)))
    allocate("Uri", ("Di", team_b, d(2025, 2, 3)))
    allocate("Vic", ("Di", team_b, d(2025, 1, 6)))
    vic = m.Involvement.objects.get(person__la_person_id="LA-vic")
    change_record(vic, acting_user=user, expected_version=vic.version, end_date=d(2025, 8, 1))


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 12, 31), _council)


def _by(con: duckdb.DuckDBPyConnection, indicator_id: str,
        by: Breakdown) -> dict[str, float | None]:
    """The indicator at the census date per group of a breakdown, by the group's label."""
    found = evaluate(con, [catalogue()[indicator_id]], [CENSUS], by=by)
    return {str(f.label): f.value for f in found}


def test_caseload_per_case_holding_fte(council: duckdb.DuckDBPyConnection) -> None:
    """Cases: Ana 4, Bo 2, Cy 3, Di 1 = 10 children; their FTE 1 + 1 + 0.5 + 1 (Di, agency,
    counts) = 3.5; Ed and Hal hold no cases. 10 / 3.5 = 2.857."""
    result = figure(council, "WF-CASELOAD", CENSUS)
    assert (result.numerator, result.denominator) == (10, 3.5)
    assert result.value == pytest.approx(10 / 3.5)


def test_caseload_by_team(council: duckdb.DuckDBPyConnection) -> None:
    """Team A: Ana 4 + Bo 2 over 2.0 FTE = 3.0 (Ana is a member of team A, though Mo's case
    sits in team B). Team B: Cy 3 + Di 1 over 1.5 FTE = 2.667."""
    assert sorted(v for v in _by(council, "WF-CASELOAD", "team").values() if v is not None) \
        == pytest.approx([4 / 1.5, 3.0])


def test_caseload_by_locality(council: duckdb.DuckDBPyConnection) -> None:
    """Both teams are in one locality: all 10 cases over all 3.5 FTE."""
    assert list(_by(council, "WF-CASELOAD", "locality").values()) == [pytest.approx(10 / 3.5)]


def test_asye_caseload_apart_from_experienced(council: duckdb.DuckDBPyConnection) -> None:
    """In their ASYE on 30 Sep 2025: Bo (day 364 of it): 2 cases / 1.0 FTE = 2.0. Cy's ASYE
    began 30 Sep 2024, so 30 Sep 2025 is day 365, the first after it: she is experienced
    with Ana and Di: (4 + 3 + 1) / (1 + 0.5 + 1) = 3.2."""
    assert figure(council, "WF-CASELOAD-ASYE", CENSUS).value == pytest.approx(2.0)
    assert figure(council, "WF-CASELOAD-EXPERIENCED", CENSUS).value == pytest.approx(3.2)


def test_children_allocated_by_worker(council: duckdb.DuckDBPyConnection) -> None:
    """10 children are allocated (not Vic, whose allocation ended 1 August); Ana holds 4."""
    assert figure(council, "WF-ALLOCATED", CENSUS).value == 10
    assert "LA-vic" not in who(council, "WF-ALLOCATED", CENSUS)
    assert _by(council, "WF-ALLOCATED", "worker")["Ana Worker"] == 4


def test_three_or_more_social_workers_in_12_months(council: duckdb.DuckDBPyConnection) -> None:
    """In the 12 months to 30 Sep 2025 Kai had Gil (to 1 Dec 2024), Ana and Bo: 3. Lea had
    Ed and Ana: 2; Ned Ed and Cy: 2 (Ivo's allocation ended before the window); Mo only
    Ana, in two teams. 1 of 10 = 10%."""
    assert who(council, "WF-THREE-PLUS-WORKERS", CENSUS, counted=True) == ["LA-kai"]
    assert figure(council, "WF-THREE-PLUS-WORKERS", CENSUS).value == pytest.approx(10.0)


def test_mean_changes_of_social_worker(council: duckdb.DuckDBPyConnection) -> None:
    """Changes in the 12 months from 1 Oct 2024: Kai 2 (to Ana, to Bo), Lea 1 (to Ana), Ned
    1 (to Cy; his move from Ivo to Ed in August 2024 is before the window). Mo's move
    between teams with Ana is not a change. (2 + 1 + 1) / 10 children = 0.4."""
    assert figure(council, "WF-WORKER-CHANGES", CENSUS).value == pytest.approx(0.4)


def test_turnover_in_the_year_to_30_september(council: duckdb.DuckDBPyConnection) -> None:
    """LA-employed social workers in post on 30 Sep 2025: Ana 1, Bo 1, Cy 0.5, Ed 1, Hal 0.5
    (her leave date is 1 October) = 4.0 FTE. Leavers in the year: Gil 1.0 (15 Mar 2025)
    and Ivo 1.0 (leave date 1 Oct 2024, the year's first day). Di is agency; Zoe left in
    April 2024. 2.0 / 4.0 = 50%."""
    result = figure(council, "WF-TURNOVER", CENSUS)
    assert (result.numerator, result.denominator) == (2.0, 4.0)
    assert result.value == pytest.approx(50.0)


def test_agency_rate(council: duckdb.DuckDBPyConnection) -> None:
    """In post: Ana 1, Bo 1, Cy 0.5, Di 1 (agency), Ed 1, Hal 0.5 = 5.0 FTE; agency 1.0:
    20%. Jan joins on 1 October."""
    assert figure(council, "WF-AGENCY-RATE", CENSUS).value == pytest.approx(20.0)


def test_share_in_their_asye(council: duckdb.DuckDBPyConnection) -> None:
    """LA-employed social workers in post: Ana, Bo, Cy, Ed, Hal = 5; in their ASYE: Bo.
    20%, within seed 000's 25% limit."""
    assert figure(council, "WF-ASYE-SHARE", CENSUS).value == pytest.approx(20.0)


def test_asye_year_in_a_leap_year(council: duckdb.DuckDBPyConnection) -> None:
    """Zoe's ASYE began 1 Mar 2023. On 28 Feb 2024 she is on day 364 of it; 29 Feb 2024 is
    day 365, the first after it (a calendar year would have run to 29 February). In post
    then (LA-employed social workers): Ana, Ed, Gil, Hal, Ivo, Zoe = 6."""
    assert figure(council, "WF-ASYE-SHARE", d(2024, 2, 28)).value == pytest.approx(100 / 6)
    assert figure(council, "WF-ASYE-SHARE", d(2024, 2, 29)).value == 0
