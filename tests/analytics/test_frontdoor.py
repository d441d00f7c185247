"""Front-door indicators on a small council recorded through the actions and projected.

Reporting year 1 April 2024 to 31 March 2025; 20,000 children aged 0-17 in mid-2024 and
10,000 in mid-2023 (ChildPopulation records). Every person is invented.

    Amy  contact 3 Jun 2024 (decided: referral); two referrals on 3 Jun 2024: the first
         closed that day with no further action, the second open
    Ivy  contacts 1 Jul 2024 (decided: NFA), 1 Aug 2024 (undecided), and 31 Mar 2025 at
         23:30 UTC, which is 00:30 on 1 April in the UK (so next year's)
    Dan  referral Fri 15 Nov 2024; assessment Mon 18 Nov 2024, authorised Thu 23 Jan 2025:
         45 working days (25 and 26 December and 1 January are bank holidays; counting
         weekdays alone it would be 48), and 46 from the referral
    Eve  as Dan, authorised Fri 24 Jan 2025: 46 working days (47 from the referral)
    Fay  referral and assessment 6 Jan 2025, authorised the same day: not in need (0 days)
    Gus  referral 31 Mar 2025 (the year's last day); Hal 1 Apr 2025 (next year's first)
    Ben  referrals 28 Feb 2023 and 29 Feb 2024; Cara 27 Feb 2023 and 29 Feb 2024
    Jo   early help from 1 Sep 2024; Kim from 1 Apr 2024; Lou from 31 Mar 2024 (last year)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.db import connection, transaction

from goldenthread.accounts.models import User, system_user
from goldenthread.analytics.catalogue import catalogue
from goldenthread.analytics.engine import drill_down, evaluate
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.ssd.store import connect
from tests.analytics.harness import figure, store_from_records
from tests.factories import PersonFactory, ProfessionalFactory

D = dt.date
YEAR_2025, YEAR_2024 = D(2025, 3, 31), D(2024, 3, 31)
pytestmark = pytest.mark.django_db


def _child(name: str) -> m.Person:
    return PersonFactory(forename=name, surname="Example", la_person_id=f"FD-{name.lower()}",
                         date_of_birth=D(2014, 4, 4))


def _refer(user: User, person: m.Person, on: dt.date, **values: Any) -> m.Referral:
    return create_record(m.Referral, acting_user=user, person=person, referral_date=on,
                         source="5A", primary_need="N1", **values)


def _assess(user: User, referral: m.Referral, start: dt.date, authorised: dt.date,
            manager: m.Professional, **values: Any) -> m.Assessment:
    return create_record(m.Assessment, acting_user=user, person=referral.person,
                         referral=referral, start_date=start, completed_on=authorised,
                         authorised_on=authorised, authorised_by=manager, **values)


def _contact(user: User, person: m.Person, at: dt.datetime, decision: str = "") -> None:
    decided: dict[str, Any] = {"decision": decision, "decided_at": at, "level_of_need": "3",
               "decision_rationale": "threshold met"} if decision else {}
    create_record(m.Contact, acting_user=user, person=person, received_at=at, source="5A",
                  **decided)


def _build(user: User) -> None:
    manager = ProfessionalFactory(forename="Mina", surname="Manager", staff_id="FD-MGR")
    for year, children in ((2024, 20_000), (2023, 10_000)):
        create_record(m.ChildPopulation, acting_user=user, mid_year=year,
                      children_0_17=children, source="test")
    amy, ivy = _child("Amy"), _child("Ivy")
    _contact(user, amy, dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC), "REFERRAL")
    _refer(user, amy, D(2024, 6, 3), is_nfa=True, closure_date=D(2024, 6, 3),
           closure_reason="RC8")
    _refer(user, amy, D(2024, 6, 3))
    _contact(user, ivy, dt.datetime(2024, 7, 1, 9, 0, tzinfo=dt.UTC), "NFA")
    _contact(user, ivy, dt.datetime(2024, 8, 1, 9, 0, tzinfo=dt.UTC))
    _contact(user, ivy, dt.datetime(2025, 3, 31, 23, 30, tzinfo=dt.UTC), "NFA")
    for name, authorised in (("Dan", D(2025, 1, 23)), ("Eve", D(2025, 1, 24))):
        _assess(user, _refer(user, _child(name), D(2024, 11, 15)), D(2024, 11, 18), authorised,
                manager)
    fay = _refer(user, _child("Fay"), D(2025, 1, 6))
    _assess(user, fay, D(2025, 1, 6), D(2025, 1, 6), manager, outcome_nfa=True)
    _refer(user, _child("Gus"), D(2025, 3, 31))
    _refer(user, _child("Hal"), D(2025, 4, 1))
    for name, first in (("Ben", D(2023, 2, 28)), ("Cara", D(2023, 2, 27))):
        person = _child(name)
        _refer(user, person, first, closure_date=D(2023, 3, 10), closure_reason="RC7")
        _refer(user, person, D(2024, 2, 29))
    for name, start in (("Jo", D(2024, 9, 1)), ("Kim", D(2024, 4, 1)), ("Lou", D(2024, 3, 31))):
        create_record(m.EarlyHelpEpisode, acting_user=user, person=_child(name),
                      start_date=start, organisation="Primary school")


@pytest.fixture(scope="module")
def store(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    """Recorded and projected once for the module, then the records are rolled back."""
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"not a test database: {name}"
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        _build(system_user())
        con = store_from_records(tmp_path_factory.mktemp("frontdoor"), D(2025, 6, 1))
        transaction.set_rollback(True)
    yield con
    con.close()


def value(con: duckdb.DuckDBPyConnection, indicator: str, as_at: dt.date = YEAR_2025
          ) -> float | None:
    return figure(con, indicator, as_at).value


def test_referrals_count_both_of_a_childs_referrals_on_one_day(
        store: duckdb.DuckDBPyConnection) -> None:
    """Amy 2, Dan, Eve, Fay and Gus (31 March is in the year): 6. Hal's (1 April) is next
    year's; Ben's and Cara's (February 2024) last year's."""
    assert value(store, "FD-REFERRALS") == 6


def test_referral_rate_divides_by_mid_2024(store: duckdb.DuckDBPyConnection) -> None:
    """6 x 10,000 / 20,000 = 3.0; the year to March 2024: 2 x 10,000 / 10,000 = 2.0."""
    assert value(store, "FD-REFERRAL-RATE") == pytest.approx(3.0)
    assert value(store, "FD-REFERRAL-RATE", YEAR_2024) == pytest.approx(2.0)


def test_second_referral_on_the_same_day_is_a_re_referral(
        store: duckdb.DuckDBPyConnection) -> None:
    """Amy's second referral of 3 June follows one of the same day: 1 of 6 = 16.7%."""
    found = figure(store, "FD-REREFERRALS", YEAR_2025)
    assert (found.numerator, found.denominator) == (1, 6)


def test_re_referral_looks_back_over_a_leap_day(store: duckdb.DuckDBPyConnection) -> None:
    """29 February 2024 looks back to 28 February 2023: Ben's earlier referral is within
    12 months (366 days before), Cara's of 27 February 2023 is not: 1 of 2 = 50%."""
    assert value(store, "FD-REREFERRALS", YEAR_2024) == 50.0


def test_referrals_with_no_further_action(store: duckdb.DuckDBPyConnection) -> None:
    """Amy's first referral: 1 of 6."""
    assert value(store, "FD-REFERRAL-NFA") == pytest.approx(100 / 6)


def test_referrals_assessed_not_in_need(store: duckdb.DuckDBPyConnection) -> None:
    """Fay's: 1 of 6 referrals; of the 3 assessments authorised (Dan, Eve, Fay), 1 = 33.3%."""
    assert value(store, "FD-NOT-IN-NEED") == pytest.approx(100 / 6)
    assert value(store, "FD-NOT-IN-NEED-OF-ASSESSMENTS") == pytest.approx(100 / 3)


def test_assessments_within_45_working_days_skip_christmas(
        store: duckdb.DuckDBPyConnection) -> None:
    """Dan 45 working days (in time: only because the three bank holidays are not working
    days), Eve 46 (late), Fay 0 (in time): 2 of 3."""
    found = figure(store, "FD-ASSESSMENT-45WD", YEAR_2025)
    assert (found.numerator, found.denominator) == (2, 3)


def test_assessments_within_45_working_days_of_the_referral(
        store: duckdb.DuckDBPyConnection) -> None:
    """From the referral (Friday 15 November) Dan takes 46 and Eve 47: only Fay in time."""
    found = figure(store, "FD-ASSESSMENT-45WD-FROM-REFERRAL", YEAR_2025)
    assert (found.numerator, found.denominator) == (1, 3)


def test_median_assessment_duration(store: duckdb.DuckDBPyConnection) -> None:
    """0, 45 and 46 working days: the median is 45."""
    assert value(store, "FD-ASSESSMENT-MEDIAN-WD") == 45


def test_contacts_are_dated_in_uk_time(store: duckdb.DuckDBPyConnection) -> None:
    """Amy's and Ivy's of July and August: 3. Ivy's of 23:30 UTC on 31 March is 00:30 BST
    on 1 April, so next year's."""
    assert value(store, "FD-CONTACTS") == 3


def test_contact_conversion_leaves_out_undecided_contacts(
        store: duckdb.DuckDBPyConnection) -> None:
    """Decided: Amy's (referral) and Ivy's of July (NFA); August's is undecided: 1 of 2."""
    assert value(store, "FD-CONTACT-CONVERSION") == 50.0


def test_contact_conversion_reads_any_spelling_of_the_outcome(tmp_path: Path) -> None:
    """An imported extract may write its outcome JSON with spaces, the flag anywhere, or the
    flag's words in a comment. Seven contacts in May 2024: flag "Y" first and compact, later
    and spaced (referrals); "N" first and compact, spaced, or "NO" (not "N", not "Y"); "N"
    after a comment quoting a "Y" flag (escaped, so not the flag); one undecided: 2 of 6
    decided became a referral, 33.3%."""
    outcomes = ['{"NEW_REFERRAL_FLAG":"Y","NFA_FLAG":"N"}',
                '{ "NFA_FLAG": "N", "NEW_REFERRAL_FLAG" : "Y" }',
                '{"NEW_REFERRAL_FLAG":"N","NFA_FLAG":"Y"}',
                '{"NEW_REFERRAL_FLAG": "N"}',
                '{"NEW_REFERRAL_FLAG":"NO"}',
                '{"COMMENTS":"was \\"NEW_REFERRAL_FLAG\\":\\"Y\\"","NEW_REFERRAL_FLAG":"N"}',
                None]
    folder = tmp_path / "imported"
    folder.mkdir()
    pq.write_table(pa.table({
        "cont_contact_id": [f"C{n}" for n in range(7)],
        "cont_person_id": [f"P{n}" for n in range(7)],
        "cont_contact_date": [dt.datetime(2024, 5, 1 + n, 10) for n in range(7)],
        "cont_contact_outcome_json": outcomes}), folder / "ssd_contacts.parquet")
    assert figure(connect(folder), "FD-CONTACT-CONVERSION", YEAR_2025).value == \
        pytest.approx(100 * 2 / 6)


def test_early_help_assessments_started_in_the_year(store: duckdb.DuckDBPyConnection) -> None:
    """Jo's and Kim's (1 April, the first day); Lou's (31 March 2024) is last year's."""
    assert value(store, "FD-EARLY-HELP-ASSESSMENTS") == 2


def test_drill_down_lists_every_referral(store: duckdb.DuckDBPyConnection) -> None:
    """Six rows, Amy's two referrals both there, each with its own id."""
    rows = drill_down(store, catalogue()["FD-REFERRALS"], YEAR_2025).as_dicts()
    assert len(rows) == 6
    amy = [r for r in rows if r["person_id"] == "FD-amy"]
    assert len(amy) == 2 and amy[0]["subject_id"] != amy[1]["subject_id"]


def test_every_front_door_figure_has_its_drill_down(store: duckdb.DuckDBPyConnection) -> None:
    """For each front-door indicator at both year ends, the drill-down adds up to the
    figure: a count's rows are its value; a percentage's marked rows are its numerator."""
    front_door = [i for i in catalogue().values() if i.id.startswith("FD-")]
    for found in evaluate(store, front_door, [YEAR_2024, YEAR_2025]):
        indicator = catalogue()[found.indicator]
        rows = drill_down(store, indicator, found.period_end).as_dicts()
        if indicator.unit in ("count", "rate_per_10k"):
            assert len(rows) == found.numerator, found
        if indicator.unit == "percent":
            assert sum(bool(r["in_numerator"]) for r in rows) == found.numerator, found
            assert len(rows) == found.denominator, found
