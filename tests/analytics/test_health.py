"""Health of looked-after children (SSDA903 OC2) on a small council recorded through the
actions. One store; the 12 months to 31 March 2025, so the cohort is the children looked
after on 31 March 2025 whose care began on or before 1 April 2024."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.bulk import do_bulk_load
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
COHORT = ["LA-amy", "LA-bea", "LA-dot", "LA-eli", "LA-fay", "LA-ivo"]


def looked_after(name: str, born: dt.date, start: dt.date, user: User, *,
                 status: str = "C2") -> m.Person:
    person = child(name, born)
    do_start_period_of_care(person, start_date=start, legal_status=status, cin_need="N1",
                            placement=PlacementDetails("U4", "PR1"), acting_user=user)
    return person


def check(person: m.Person, kind: str, on: dt.date, user: User, *, done: bool = True) -> None:
    create_record(m.HealthCheck, acting_user=user, person=person, check_type=kind,
                  check_date=on, completed=done)


def sdq(person: m.Person, on: dt.date, user: User, score: int | None,
        reason: str = "") -> None:
    # create_record's own `reason` (the audit reason) would take SDQScore.reason, so the
    # record goes through the bulk action, which validates it the same way.
    record = m.SDQScore(person=person, completed_on=on, score=score, reason=reason)
    do_bulk_load([(m.SDQScore, [record])], acting_user=user, reason="indicator fixture")


def immunised(person: m.Person, on: dt.date, user: User, *, up_to_date: bool = True) -> None:
    create_record(m.Immunisation, acting_user=user, person=person, up_to_date=up_to_date,
                  as_at=on)


def _council(user: User) -> None:
    """Amy (b. 2015): in care since 1 Jan 2023; health assessment, dental check and
        immunisations up to date on 1 Jun 2024; SDQ 20 on 1 Jun 2024, 12 on 1 Feb 2025.
    Bea (b. 2012): in care since 1 Apr 2024, the first day; health assessment 20 Apr 2024
        not completed (refused); dental check 1 Dec 2023; immunisations not up to date
        (1 Jun 2024); SDQ 18 on 1 May 2024.
    Cal (b. 2013): in care since 2 Apr 2024, a day short of the 12 months; assessed.
    Dot (b. 2021): in care since 5 May 2022; health assessment on 31 Mar 2025; an
        IMMUNISATION check 9 Sep 2024.
    Eli (b. 1 Jun 2008, 16): in care since 2020; health assessment 1 Oct 2024; the SDQ was
        refused by the carers (SDQ2) on 1 Oct 2024.
    Fay (b. 1 Sep 2007, 17 in September 2024): in care since 2020; health assessment and
        dental check 8 Aug 2024; SDQ 25 on 1 Jul 2024; immunisations up to date as at
        15 Apr 2025, after the date (the SSD keeps only the latest status).
    Gil (b. 2014): short breaks (V3) since 2023; health assessment 1 Jun 2024.
    Hana (b. 2011): in care 2022 to 31 Mar 2025; health assessment 1 Jun 2024.
    Ivo (b. 2016): in care since 2022; immunisations up to date as at 1 Feb 2023."""
    amy = looked_after("Amy", d(2015, 3, 3), d(2023, 1, 1), user)
    for kind in ("HEALTH_ASSESSMENT", "DENTAL"):
        check(amy, kind, d(2024, 6, 1), user)
    immunised(amy, d(2024, 6, 1), user)
    sdq(amy, d(2024, 6, 1), user, 20)
    sdq(amy, d(2025, 2, 1), user, 12)
    bea = looked_after("Bea", d(2012, 4, 4), d(2024, 4, 1), user)
    check(bea, "HEALTH_ASSESSMENT", d(2024, 4, 20), user, done=False)
    check(bea, "DENTAL", d(2023, 12, 1), user)
    immunised(bea, d(2024, 6, 1), user, up_to_date=False)
    sdq(bea, d(2024, 5, 1), user, 18)
    check(looked_after("Cal", d(2013, 5, 5), d(2024, 4, 2), user), "HEALTH_ASSESSMENT",
          d(2024, 5, 1), user)
    dot = looked_after("Dot", d(2021, 6, 6), d(2022, 5, 5), user)
    check(dot, "HEALTH_ASSESSMENT", d(2025, 3, 31), user)
    check(dot, "IMMUNISATION", d(2024, 9, 9), user)
    eli = looked_after("Eli", d(2008, 6, 1), d(2020, 7, 7), user)
    check(eli, "HEALTH_ASSESSMENT", d(2024, 10, 1), user)
    sdq(eli, d(2024, 10, 1), user, None, "SDQ2")
    fay = looked_after("Fay", d(2007, 9, 1), d(2020, 8, 8), user)
    for kind in ("HEALTH_ASSESSMENT", "DENTAL"):
        check(fay, kind, d(2024, 8, 8), user)
    sdq(fay, d(2024, 7, 1), user, 25)
    immunised(fay, d(2025, 4, 15), user)
    check(looked_after("Gil", d(2014, 9, 9), d(2023, 9, 9), user, status="V3"),
          "HEALTH_ASSESSMENT", d(2024, 6, 1), user)
    hana = looked_after("Hana", d(2011, 10, 10), d(2022, 1, 1), user)
    check(hana, "HEALTH_ASSESSMENT", d(2024, 6, 1), user)
    do_end_period_of_care(m.PeriodOfCare.objects.get(person=hana), on=d(2025, 3, 31),
                          reason_ceased="E4A", acting_user=user)
    immunised(looked_after("Ivo", d(2016, 11, 11), d(2022, 2, 2), user), d(2023, 2, 1), user)


@pytest.fixture(scope="module")
def council(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    return frozen_store(django_db_blocker, tmp_path_factory, d(2025, 6, 30), _council)


def test_the_cohort_is_looked_after_for_the_whole_12_months(
        council: duckdb.DuckDBPyConnection) -> None:
    """Amy, Bea (from 1 April 2024 itself), Dot, Eli, Fay, Ivo. Not Cal (from 2 April), Gil
    (short breaks) or Hana (left care on 31 March)."""
    assert who(council, "HEALTH-ASSESSMENT", YEAR_END) == COHORT


def test_annual_health_assessment(council: duckdb.DuckDBPyConnection) -> None:
    """Assessed in the 12 months: Amy, Dot (on the last day), Eli, Fay = 4 of 6 = 66.7%.
    Bea refused hers (not completed); Ivo had none."""
    assert who(council, "HEALTH-ASSESSMENT", YEAR_END, counted=True) == [
        "LA-amy", "LA-dot", "LA-eli", "LA-fay"]
    assert figure(council, "HEALTH-ASSESSMENT", YEAR_END).value == pytest.approx(400 / 6)


def test_dental_check(council: duckdb.DuckDBPyConnection) -> None:
    """Amy and Fay = 2 of 6 = 33.3%. Bea's check was in December 2023, before the 12
    months."""
    assert who(council, "HEALTH-DENTAL", YEAR_END, counted=True) == ["LA-amy", "LA-fay"]
    assert figure(council, "HEALTH-DENTAL", YEAR_END).value == pytest.approx(100 / 3)


def test_immunisations_up_to_date(council: duckdb.DuckDBPyConnection) -> None:
    """Amy (status up to date, June 2024), Dot (an immunisation check, September 2024) and
    Fay (up to date as at 15 April 2025: recorded after the date, it stands in for the
    status then) = 3 of 6 = 50%. Bea's status is 'not up to date'; Ivo's is from February
    2023, before the 12 months."""
    assert who(council, "HEALTH-IMMUNISATIONS", YEAR_END, counted=True) == [
        "LA-amy", "LA-dot", "LA-fay"]
    assert figure(council, "HEALTH-IMMUNISATIONS", YEAR_END).value == 50


def test_sdq_average_uses_each_childs_latest_score(council: duckdb.DuckDBPyConnection) -> None:
    """Aged 5-16 on 31 March 2025: Amy, Bea, Eli (16), Ivo; not Dot (3) or Fay (17). Scores:
    Amy's latest is 12 (her 20 came first), Bea 18; Eli's carers refused, Ivo had none.
    (12 + 18) / 2 = 15.0."""
    assert who(council, "HEALTH-SDQ-AVERAGE", YEAR_END) == ["LA-amy", "LA-bea"]
    assert figure(council, "HEALTH-SDQ-AVERAGE", YEAR_END).value == 15


def test_sdq_received(council: duckdb.DuckDBPyConnection) -> None:
    """2 of the 4 aged 5-16 (Amy, Bea) have a score; a refusal (SDQ2) is no score: 50%."""
    assert who(council, "HEALTH-SDQ-RECEIVED", YEAR_END) == ["LA-amy", "LA-bea", "LA-eli",
                                                             "LA-ivo"]
    assert figure(council, "HEALTH-SDQ-RECEIVED", YEAR_END).value == 50


def test_sdq_cause_for_concern(council: duckdb.DuckDBPyConnection) -> None:
    """Of the 2 scored, Bea's 18 is 17 or more; Amy's latest 12 is normal: 50%."""
    assert who(council, "HEALTH-SDQ-CONCERN", YEAR_END, counted=True) == ["LA-bea"]
    assert figure(council, "HEALTH-SDQ-CONCERN", YEAR_END).value == 50
