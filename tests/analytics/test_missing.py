"""Missing-from-home-and-care indicators on a small council recorded through the actions.

One store; the year is 1 April 2024 to 31 March 2025. Times are recorded in UTC and the SSD
gives them in UK local time (an hour later in summer); no incident here changes day by it.
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
    do_end_period_of_care,
    do_start_period_of_care,
)
from tests.analytics.harness import figure
from tests.analytics.recording import child, frozen_store, who

pytestmark = pytest.mark.django_db

d = dt.date
YEAR_END = d(2025, 3, 31)


def at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def care(person: m.Person, start: dt.date, user: User, status: str = "C2") -> m.PeriodOfCare:
    return do_start_period_of_care(person, start_date=start, legal_status=status,
                                   cin_need="N1", placement=PlacementDetails("U4", "PR1"),
                                   acting_user=user)


def missing(person: m.Person, start: dt.datetime, back: dt.datetime | None, user: User, *,
            kind: str = "M", offered: bool = False, accepted: bool | None = None) -> None:
    create_record(m.MissingEpisode, acting_user=user, person=person, episode_type=kind,
                  start_at=start, end_at=back,
                  rhi_offered_at=back + dt.timedelta(hours=20) if offered and back else None,
                  rhi_accepted=accepted)


def _council(user: User) -> None:
    """Mia (b. 2010): looked after since 1 Jan 2024. Missing 20 Mar 2024 (last year);
        1 May 2024, back 2 May (RHI offered, accepted); 10 Jun 2024, back that day (offered,
        declined); away without authorisation (A) 15 Jul 2024; missing from the evening
        of 31 Mar 2025, back the next morning; 1 Apr 2025 is next year's.
    Noe (b. 2011): at home. Missing 1 Sep 2024, back that day (no RHI offered); 30 Mar
        2025, back 2 Apr 2025.
    Ola (b. 1 Oct 2006): at home; missing 1 Aug 2024, back 2 Aug (offered, accepted); 1 Dec
        2024, aged 18.
    Pip (b. 2009): looked after 1 Apr-1 Oct 2024. Missing 1 Jun 2024 while in care, back
        that day (offered, no answer); 5 Nov 2024 at home, back 6 Nov (not offered).
    Quin (b. 2012): short breaks (V3) since 1 Apr 2024. Missing 8 Aug 2024, back 9 Aug
        (offered, declined); missing the morning of 31 Mar 2025, back that evening.
    Rex (b. 2013): looked after since 1 Jun 2023; never missing."""
    mia = child("Mia", d(2010, 1, 1))
    care(mia, d(2024, 1, 1), user)
    missing(mia, at(d(2024, 3, 20), 14), at(d(2024, 3, 21), 9), user)
    missing(mia, at(d(2024, 5, 1), 14), at(d(2024, 5, 2), 9), user, offered=True, accepted=True)
    missing(mia, at(d(2024, 6, 10), 14), at(d(2024, 6, 10), 20), user, offered=True,
            accepted=False)
    missing(mia, at(d(2024, 7, 15), 14), at(d(2024, 7, 15), 20), user, kind="A")
    missing(mia, at(d(2025, 3, 31), 19), at(d(2025, 4, 1), 9), user)
    missing(mia, at(d(2025, 4, 1), 14), at(d(2025, 4, 1), 18), user)
    noe = child("Noe", d(2011, 2, 2))
    missing(noe, at(d(2024, 9, 1), 14), at(d(2024, 9, 1), 20), user)
    missing(noe, at(d(2025, 3, 30), 14), at(d(2025, 4, 2), 9), user)
    ola = child("Ola", d(2006, 10, 1))
    missing(ola, at(d(2024, 8, 1), 14), at(d(2024, 8, 2), 9), user, offered=True,
            accepted=True)
    missing(ola, at(d(2024, 12, 1), 14), at(d(2024, 12, 2), 9), user)
    pip = child("Pip", d(2009, 3, 3))
    do_end_period_of_care(care(pip, d(2024, 4, 1), user), on=d(2024, 10, 1),
                          reason_ceased="E4A", acting_user=user)
    missing(pip, at(d(2024, 6, 1), 14), at(d(2024, 6, 1), 20), user, offered=True)
    missing(pip, at(d(2024, 11, 5), 14), at(d(2024, 11, 6), 9), user)
    quin = child("Quin", d(2012, 4, 4))
    care(quin, d(2024, 4, 1), user, status="V3")
    missing(quin, at(d(2024, 8, 8), 14), at(d(2024, 8, 9), 9), user, offered=True,
            accepted=False)
    missing(quin, at(d(2025, 3, 31), 8), at(d(2025, 3, 31), 21), user)
    care(child("Rex", d(2013, 5, 5)), d(2023, 6, 1), user)


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _council)


def test_missing_incidents_of_all_children(council: duckdb.DuckDBPyConnection) -> None:
    """Missing (M) incidents beginning 1 Apr 2024-31 Mar 2025: Mia 3 (1 May, 10 Jun,
    31 Mar), Noe 2, Ola 1 (1 Aug), Pip 2, Quin 2 = 10. Mia's 20 Mar 2024 and 1 Apr 2025 fall
    outside the year and her 15 July absence was away (A), not missing."""
    assert figure(council, "MISSING-INCIDENTS", YEAR_END).value == 10


def test_a_young_person_who_turns_18_mid_year(council: duckdb.DuckDBPyConnection) -> None:
    """Ola turned 18 on 1 Oct 2024: her 1 Aug incident counts, her 1 Dec one does not."""
    assert who(council, "MISSING-INCIDENTS", YEAR_END).count("LA-ola") == 1


def test_children_who_went_missing(council: duckdb.DuckDBPyConnection) -> None:
    """Mia, Noe, Ola, Pip and Quin each went missing in the year, from home or care: 5."""
    assert who(council, "MISSING-CHILDREN", YEAR_END) == ["LA-mia", "LA-noe", "LA-ola",
                                                          "LA-pip", "LA-quin"]


def test_incidents_per_child_who_went_missing(council: duckdb.DuckDBPyConnection) -> None:
    """Their 10 incidents in the 12 months to 31 Mar 2025 are 2.0 per child."""
    assert figure(council, "MISSING-INCIDENTS-PER-CHILD", YEAR_END).value == 2


def test_missing_incidents_while_looked_after(council: duckdb.DuckDBPyConnection) -> None:
    """Mia's 3 in the year and Pip's 1 Jun (in care) = 4. Pip's 5 Nov was after care ended;
    Quin's began while on short breaks; Noe and Ola were never looked after."""
    assert who(council, "MISSING-CLA-INCIDENTS", YEAR_END) == ["LA-mia"] * 3 + ["LA-pip"]


def test_looked_after_children_who_went_missing(council: duckdb.DuckDBPyConnection) -> None:
    """Looked after at some time in the 12 months to 31 Mar 2025: Mia, Pip, Rex (Quin was
    only ever on short breaks) = 3; Mia and Pip went missing while in care: 66.7%."""
    assert who(council, "MISSING-CLA-CHILDREN-PCT", YEAR_END) == ["LA-mia", "LA-pip",
                                                                  "LA-rex"]
    assert figure(council, "MISSING-CLA-CHILDREN-PCT", YEAR_END).value == pytest.approx(
        200 / 3)


def test_incidents_per_looked_after_child_who_went_missing(
        council: duckdb.DuckDBPyConnection) -> None:
    """4 incidents while looked after, 2 children (Mia 3, Pip 1): 2.0 per child."""
    assert figure(council, "MISSING-CLA-INCIDENTS-PER-CHILD", YEAR_END).value == 2


def test_children_missing_at_the_date(council: duckdb.DuckDBPyConnection) -> None:
    """At the end of 31 Mar 2025: Mia (gone since that evening) and Noe (gone since 30 March)
    are missing; Quin came back that evening. Of them, only Mia is looked after."""
    assert who(council, "MISSING-AT-DATE", YEAR_END) == ["LA-mia", "LA-noe"]
    assert who(council, "MISSING-CLA-AT-DATE", YEAR_END) == ["LA-mia"]


def test_return_home_interviews_offered(council: duckdb.DuckDBPyConnection) -> None:
    """Incidents that ended 1 Apr 2024-31 Mar 2025: Mia 1 May and 10 Jun, Noe 1 Sep, Ola
    1 Aug, Pip 1 Jun and 5 Nov, Quin 8 Aug and 31 Mar = 8 (Mia's and Noe's March 2025
    incidents ended in April). Offered after Mia's two, Ola's, Pip's 1 Jun and Quin's 8
    Aug = 5 of 8 = 62.5%."""
    result = figure(council, "MISSING-RHI-OFFERED", YEAR_END)
    assert (result.numerator, result.denominator, result.value) == (5, 8, 62.5)


def test_return_home_interviews_accepted(council: duckdb.DuckDBPyConnection) -> None:
    """Of the 5 offered, accepted after Mia's 1 May and Ola's 1 Aug; Mia and Quin declined
    and Pip's answer is not recorded: 2 of 5 = 40%."""
    result = figure(council, "MISSING-RHI-ACCEPTED", YEAR_END)
    assert (result.numerator, result.denominator, result.value) == (2, 5, 40)
