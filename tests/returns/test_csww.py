"""The children's social work workforce census at 30 September 2025 (the year from
1 October 2024), on one team recorded through the actions; the answers are worked out
from `_council`'s staff, and the published measures agree with the workforce indicators.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.returns import csww
from goldenthread.ssd.store import connect
from tests.analytics.harness import figure
from tests.analytics.recording import child, professional
from tests.factories import TeamFactory
from tests.returns.store_support import frozen_folders

pytestmark = pytest.mark.django_db

d = dt.date
CENSUS = d(2025, 9, 30)
LONG_AGO = d(2020, 1, 6)


def _council(user: User, snapshot: Callable[[str], Path]) -> None:
    """Social workers, 1.0 FTE and LA-employed unless said, in one team:
    Ana (3 cases: Lea, Mo, Pam; Pia's allocation ended on 30 Sep itself), Bo (joined
    1 Oct 2024 with his ASYE; 1 case: Rae), Cy (0.5 FTE, no cases), Hal (leave date
    1 Oct 2025: in post on the 30th), Tim (team manager, no cases), Di (agency; 2 cases:
    Sol, Tia), Gil (resigned, leave date 15 Mar 2025), Ivo (leave date 1 Oct 2024, the
    year's first day), Zoe (left 1 Apr 2024), Jan (joins 1 Oct 2025), Ray (agency, left
    1 Jun 2025); and Fay, a family support worker (not a social worker)."""
    team = TeamFactory(acting_user=user)
    staff: dict[str, m.Professional] = {}
    for name, values in (
            ("Ana", {}), ("Bo", {"start": d(2024, 10, 1), "asye_start": d(2024, 10, 1)}),
            ("Cy", {"fte": "0.50"}), ("Hal", {"leave": d(2025, 10, 1)}), ("Tim", {}),
            ("Di", {"agency": True, "start": d(2024, 1, 1)}), ("Gil", {"leave": d(2025, 3, 15)}),
            ("Ivo", {"leave": d(2024, 10, 1)}), ("Zoe", {"leave": d(2024, 4, 1)}),
            ("Jan", {"start": d(2025, 10, 1)}),
            ("Ray", {"agency": True, "leave": d(2025, 6, 1)}), ("Fay", {"social_worker": False})):
        start = values.pop("start", LONG_AGO)
        staff[name] = professional(name, user, start=start, **values)
        create_record(m.TeamMembership, acting_user=user, professional=staff[name], team=team,
                      start_date=start, end_date=values.get("leave"),
                      is_team_manager=name == "Tim")
    for worker, children in (("Ana", ("Lea", "Mo", "Pam")), ("Bo", ("Rae",)),
                             ("Di", ("Sol", "Tia"))):
        for name in children:
            create_record(m.Involvement, acting_user=user, person=child(name), role="CW",
                          professional=staff[worker], team=team, start_date=d(2025, 2, 3))
    create_record(m.Involvement, acting_user=user, person=child("Pia"), role="CW",
                  professional=staff["Ana"], team=team, start_date=d(2025, 2, 3),
                  end_date=CENSUS)
    snapshot("store")


@pytest.fixture(scope="module")
def store(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Path:
    return frozen_folders(django_db_blocker, tmp_path_factory, d(2025, 12, 31),
                          _council)["store"]


@pytest.fixture(scope="module")
def census(store: Path) -> csww.Census:
    return csww.build(connect(store), 2025)


def _workers(census: csww.Census) -> dict[str, dict[str, Any]]:
    """Worker rows by name: the SWE number is made from the name (tests.analytics.recording
    .professional), except for those recorded without one: Bo (in his ASYE) and Di (agency)."""
    numbers = {f"SW{sum(map(ord, n)) * 97 % 10**6}": n
               for n in ("Ana", "Cy", "Hal", "Tim", "Gil", "Ivo")}
    rows = [dict(zip(csww.WORKER_COLUMNS, row, strict=True)) for row in census.workers]
    return {numbers.get(r["SWENo"] or "", "agency" if r["AgencyWorker"] == "1" else "Bo"): r
            for r in rows}


def test_census_dates() -> None:
    assert csww.census_dates(2025) == (d(2024, 10, 1), d(2025, 9, 30))


def test_who_is_in_the_census(census: csww.Census) -> None:
    """In post on 30 Sep: Ana, Bo, Cy, Hal, Tim and Di (agency); leavers in the year: Gil
    and Ivo. Not Zoe (left before), Jan (not yet), Ray (agency, left) nor Fay."""
    workers = _workers(census)
    assert sorted(workers) == ["Ana", "Bo", "Cy", "Gil", "Hal", "Ivo", "Tim", "agency"]
    assert workers["agency"]["AgencyWorker"] == "1" and workers["Ana"]["AgencyWorker"] == "0"


def test_leaver_has_no_fte_at_30_september(census: csww.Census) -> None:
    """Gil resigned: FTE 0, FTE30 1 (his FTE when he left), end date and reason 1."""
    gil = _workers(census)["Gil"]
    assert (gil["FTE"], gil["FTE30"], gil["RoleEndDate"], gil["ReasonLeave"]) == \
        ("0", "1", d(2025, 3, 15), "1")
    assert gil["Cases30"] is None and gil["OrgRole"] is None


def test_cases_role_and_asye(census: csww.Census) -> None:
    """Ana holds 3 cases (not Pia, whose allocation ended on the 30th); Bo 1 and in his
    ASYE, a newly qualified starter; Cy none; Tim manages the team."""
    workers = _workers(census)
    assert (workers["Ana"]["Cases30"], workers["Ana"]["OrgRole"]) == (3, "5")
    assert (workers["Bo"]["Cases30"], workers["Bo"]["CFKSSstatus"],
            workers["Bo"]["StartOrigin"]) == (1, "1", "1")
    assert (workers["Cy"]["FTE"], workers["Cy"]["OrgRole"]) == ("0.5", "6")
    assert workers["Tim"]["OrgRole"] == "3" and workers["Ana"]["StartOrigin"] is None


def test_published_measures(census: csww.Census) -> None:
    """LA-employed in post: Ana 1 + Bo 1 + Cy 0.5 + Hal 1 + Tim 1 = 4.5 FTE (5 people).
    Agency: Di 1.0 -> 1 / 5.5 = 18.2%. Leavers Gil + Ivo = 2.0 FTE -> 2 / 4.5 = 44.4%.
    Cases 3 + 1 + 2 = 6 over case-holders Ana, Bo, Di = 3.0 FTE: 2.0. ASYE: Bo, 1 of 5."""
    summary = {measure: value for measure, value, _ in census.summary}
    assert (summary["fte_in_post"], summary["headcount_in_post"]) == (4.5, 5)
    assert summary["agency_rate"] == 18.2
    assert (summary["leavers_fte"], summary["turnover_rate"]) == (2.0, 44.4)
    assert (summary["starters_headcount"], summary["cases"], summary["caseload"]) == (1, 6, 2.0)
    assert summary["asye_share"] == 20.0 and summary["vacancies_fte"] is None


def test_measures_agree_with_the_workforce_indicators(store: Path,
                                                      census: csww.Census) -> None:
    summary = {measure: value for measure, value, _ in census.summary}
    con = connect(store)
    assert figure(con, "WF-CASELOAD", CENSUS).value == pytest.approx(summary["caseload"])
    assert figure(con, "WF-TURNOVER", CENSUS).value == pytest.approx(summary["turnover_rate"],
                                                                     abs=0.05)
    assert figure(con, "WF-AGENCY-RATE", CENSUS).value == pytest.approx(
        summary["agency_rate"], abs=0.05)


def test_command_writes_three_csv_files(store: Path, tmp_path: Path) -> None:
    call_command("returns", "csww", "--year", "2025", "--out", str(tmp_path),
                 "--store", str(store))
    with (tmp_path / "csww_2025_workers.csv").open() as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == csww.WORKER_COLUMNS and len(rows) == 9
    assert (tmp_path / "csww_2025_la.csv").read_text().splitlines() == [
        "NumberOfVacancies,NoAgencyFTE,NoAgencyHeadcount", ",0.00,0"]


@pytest.mark.parametrize("year", ["2O25", "1999", "2999"])
def test_command_refuses_a_bad_year(store: Path, tmp_path: Path, year: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("returns", "csww", "--year", year, "--out", str(tmp_path),
                     "--store", str(store))
    assert refused.value.returncode == 2 and str(refused.value).startswith("--year")
