"""Care leavers aged 17-18 and 19-21 (SSDA903 OC3) on a small council recorded through the
actions. One store, projected on 30 June 2025; figures at 31 March 2025, so a contact counts
when it fell between 1 April 2024 and 31 March 2025."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from tests.analytics.harness import figure
from tests.analytics.recording import child, frozen_store, professional, unit_rows_at, who
from tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

d = dt.date
YEAR_END = d(2025, 3, 31)


def leaver(name: str, born: dt.date, user: User, *statuses: tuple[str, dt.date],
           adviser: m.Professional | None = None, team: m.Team | None = None) -> m.Person:
    """A young person with care-leaver statuses, each from its date to the next one's."""
    person = child(name, born)
    for (status, start), (_, end) in zip(statuses, (*statuses[1:], ("", None)), strict=True):
        create_record(m.CareLeaver, acting_user=user, person=person, eligibility=status,
                      start_date=start, end_date=end, personal_adviser=adviser, team=team)
    return person


def contact(person: m.Person, on: dt.date, user: User, in_touch: str = "YES",
            activity: str = "", accommodation: str = "") -> None:
    create_record(m.CareLeaverContact, acting_user=user, person=person, contact_date=on,
                  in_touch=in_touch, activity=activity, accommodation=accommodation)


def _council(user: User) -> None:
    """Ali (b. 10 Jan 2007, 18): former relevant from 10 Jan 2025; seen 1 Feb 2025: in
        touch, in education (F2), with relatives, suitable (B1). Personal adviser Pat, of
        the leaving care team.
    Bel (b. 10 Oct 2007, 17): relevant (left care at 17) from 1 Nov 2024; seen 1 Dec 2024:
        in touch, not in EET (G5), with relatives, not suitable (B2).
    Con (b. 31 Mar 2006): 19 on 31 Mar 2025 itself; former relevant; seen 1 Sep 2024: in
        touch, in training (F5), semi-independent, suitable (D1).
    Dee (b. 2004, 20): former relevant; contact 6 May 2024: not in touch.
    Ewan (b. 2 Feb 2003, 22): former relevant; seen 1 Jun 2024 (F1, U1).
    Fred (b. 2005, 19): former relevant; last seen 1 Feb 2024, before the 12 months.
    Gail (b. 2008, 17): eligible (still looked after); seen 1 Dec 2024 (F2, C1).
    Hank (b. 2005, 19): former relevant; seen 1 Oct 2024 (F2, U1), then refused contact on
        1 May 2025, after the date: the SSD keeps only that latest contact.
    Ivan (b. 2005, 19): former relevant; seen only on 20 Apr 2025, after the date: in
        touch, in training (F5), in his own flat, suitable (U1)."""
    team = TeamFactory(code="LEAVING", name="Leaving care")
    pat = professional("Pat", user)
    ali = leaver("Ali", d(2007, 1, 10), user, ("ELIGIBLE", d(2023, 4, 10)),
                 ("FORMER_RELEVANT", d(2025, 1, 10)), adviser=pat, team=team)
    contact(ali, d(2025, 2, 1), user, "YES", "F2", "B1")
    bel = leaver("Bel", d(2007, 10, 10), user, ("ELIGIBLE", d(2023, 10, 10)),
                 ("RELEVANT", d(2024, 11, 1)))
    contact(bel, d(2024, 12, 1), user, "YES", "G5", "B2")
    con = leaver("Con", d(2006, 3, 31), user, ("FORMER_RELEVANT", d(2024, 3, 31)))
    contact(con, d(2024, 9, 1), user, "YES", "F5", "D1")
    contact(leaver("Dee", d(2004, 5, 5), user, ("FORMER_RELEVANT", d(2022, 5, 5))),
            d(2024, 5, 6), user, "NO")
    contact(leaver("Ewan", d(2003, 2, 2), user, ("FORMER_RELEVANT", d(2021, 2, 2))),
            d(2024, 6, 1), user, "YES", "F1", "U1")
    contact(leaver("Fred", d(2005, 6, 6), user, ("FORMER_RELEVANT", d(2023, 6, 6))),
            d(2024, 2, 1), user, "YES", "F1", "U1")
    contact(leaver("Gail", d(2008, 1, 1), user, ("ELIGIBLE", d(2024, 1, 1))),
            d(2024, 12, 1), user, "YES", "F2", "C1")
    hank = leaver("Hank", d(2005, 9, 9), user, ("FORMER_RELEVANT", d(2023, 9, 9)))
    contact(hank, d(2024, 10, 1), user, "YES", "F2", "U1")
    contact(hank, d(2025, 5, 1), user, "REFU")
    contact(leaver("Ivan", d(2005, 7, 7), user, ("FORMER_RELEVANT", d(2023, 7, 7))),
            d(2025, 4, 20), user, "YES", "F5", "U1")


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _council)


def test_17_18_cohort_leaves_out_young_people_still_in_care(
        council: duckdb.DuckDBPyConnection) -> None:
    """Aged 17-18 on 31 March 2025 and relevant or former relevant: Ali and Bel. Gail is
    17 but still looked after (eligible); Con turned 19 that day."""
    assert who(council, "CL-17-18-IN-TOUCH", YEAR_END) == ["LA-ali", "LA-bel"]


def test_17_18_in_touch(council: duckdb.DuckDBPyConnection) -> None:
    """Ali and Bel were both in touch in the 12 months: 100%."""
    assert figure(council, "CL-17-18-IN-TOUCH", YEAR_END).value == 100


def test_17_18_in_education_employment_or_training(council: duckdb.DuckDBPyConnection) -> None:
    """Ali is in education (F2); Bel is not (G5): 50%."""
    assert who(council, "CL-17-18-EET", YEAR_END, counted=True) == ["LA-ali"]
    assert figure(council, "CL-17-18-EET", YEAR_END).value == 50


def test_17_18_suitable_accommodation(council: duckdb.DuckDBPyConnection) -> None:
    """Ali's B1 is suitable; Bel's B2 is not: 50%."""
    assert who(council, "CL-17-18-SUITABLE-ACCOMMODATION", YEAR_END, counted=True) == [
        "LA-ali"]


def test_a_young_person_moves_up_an_age_group_on_their_birthday(
        council: duckdb.DuckDBPyConnection) -> None:
    """Con is 18 on 30 March 2025 and 19 on 31 March."""
    assert "LA-con" in who(council, "CL-17-18-IN-TOUCH", d(2025, 3, 30))
    assert "LA-con" not in who(council, "CL-17-18-IN-TOUCH", YEAR_END)
    assert "LA-con" in who(council, "CL-19-21-IN-TOUCH", YEAR_END)


def test_19_21_in_touch_needs_a_contact_since_the_12_months_began(
        council: duckdb.DuckDBPyConnection) -> None:
    """Aged 19-21: Con, Dee, Fred, Hank, Ivan (Ewan is 22). In touch: Con, and Ivan, whose
    only contact came after the date (the SSD's latest contact stands in). Dee was not in
    touch; Fred's contact was before the 12 months; Hank's latest contact, the only one the
    SSD keeps, is his refusal in May 2025. 2 of 5 = 40%."""
    assert who(council, "CL-19-21-IN-TOUCH", YEAR_END) == ["LA-con", "LA-dee", "LA-fred",
                                                            "LA-hank", "LA-ivan"]
    assert who(council, "CL-19-21-IN-TOUCH", YEAR_END, counted=True) == ["LA-con",
                                                                       "LA-ivan"]
    assert figure(council, "CL-19-21-IN-TOUCH", YEAR_END).value == 40


def test_19_21_eet_and_accommodation(council: duckdb.DuckDBPyConnection) -> None:
    """Con (F5, D1) and Ivan (F5, U1) are the two of the five known to be in training and
    suitably housed: 40% each."""
    assert who(council, "CL-19-21-EET", YEAR_END, counted=True) == ["LA-con", "LA-ivan"]
    assert figure(council, "CL-19-21-SUITABLE-ACCOMMODATION", YEAR_END).value == 40


def test_rows_name_the_team_and_personal_adviser(council: duckdb.DuckDBPyConnection) -> None:
    """Ali's row is attributed to the leaving care team and to Pat, her personal adviser."""
    [ali] = [r for r in unit_rows_at(council, "CL-17-18-EET", YEAR_END)
             if r["person_id"] == "LA-ali"]
    team = council.execute("SELECT dept_team_id FROM ssd_department "
                           "WHERE dept_team_name = 'Leaving care'").fetchone()
    pat = council.execute("SELECT prof_professional_id FROM ssd_professionals "
                          "WHERE prof_professional_name = 'Pat Worker'").fetchone()
    assert team is not None and pat is not None
    assert (ali["team_id"], ali["worker_id"]) == (team[0], pat[0])
