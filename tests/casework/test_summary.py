"""The case summary at the top of the child's page, read on 2 November 2026 (the persona
council's today). Ella (tests/world.py) is looked after under a full care order, also on CIN
and CP plans, allocated to Sam in Team A, with Ira as her IRO."""

from __future__ import annotations

import datetime as dt

from goldenthread.casework.summary import case_summary
from goldenthread.casework.tasks import Kind
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from tests.factories import PersonFactory
from tests.world import World

NOW = dt.datetime(2026, 11, 2, 12, tzinfo=dt.UTC)


def test_who_the_child_is_and_where_she_is_now(world: World) -> None:
    summary = case_summary(world.children["ella"], now=NOW)
    assert summary.age == 11  # born 1 May 2015
    assert summary.status == "Looked after"
    assert summary.legal_status == "Full care order"
    assert [p.title for p in summary.plans] == ["Child in need plan", "Child protection plan",
                                                "Looked after"]
    assert "Placement:" in summary.plans[-1].detail


def test_who_holds_the_case(world: World) -> None:
    summary = case_summary(world.children["ella"], now=NOW)
    assert summary.allocated is not None
    assert (summary.allocated.name, summary.allocated.team) == ("Sam Persona", "team-a team")
    assert [(w.name, w.role) for w in summary.others] == [("Ira Persona",
                                                           "Independent reviewing officer")]


def test_key_dates(world: World) -> None:
    """Referral 8 January 2024; last visit the looked-after visit of 7 June 2024 (later
    than the CIN and CP visits of February); next review the looked-after review due three
    months after the first, held 27 June 2024: 27 September 2024."""
    summary = case_summary(world.children["ella"], now=NOW)
    assert summary.referral_date == dt.date(2024, 1, 8)
    assert summary.last_visit == (dt.date(2024, 6, 7), "looked-after visit")
    assert summary.next_review is not None
    assert (summary.next_review.kind, summary.next_review.due) == (Kind.CLA_REVIEW,
                                                                   dt.date(2024, 9, 27))
    assert summary.tasks and all(t.person_id == world.children["ella"].pk
                                 for t in summary.tasks)


def test_alerts(world: World) -> None:
    """Ella is a care leaver (eligible) with no disability; she came back from her missing
    episode. Dina's record is restricted."""
    ella = world.children["ella"]
    assert [a.code for a in case_summary(ella, now=NOW).alerts] == ["care_leaver"]
    assert [a.code for a in case_summary(world.children["dina"], now=NOW).alerts] \
        == ["restricted"]


def test_a_child_missing_now_and_a_disability_are_alerts(world: World) -> None:
    ben = world.children["ben"]
    create_record(m.MissingEpisode, acting_user=world.users["bob"], person=ben,
                  episode_type="M", start_at=dt.datetime(2026, 11, 1, 22, tzinfo=dt.UTC))
    create_record(m.PersonDisability, acting_user=world.users["bob"], person=ben, code="MOB")
    alerts = {a.code: a.text for a in case_summary(ben, now=NOW).alerts}
    assert alerts["missing"] == "Missing now: since 01/11/2026 22:00"
    assert alerts["disability"].startswith("Disability: Mobility")


def test_an_unborn_child(db: None) -> None:
    baby = PersonFactory(date_of_birth=None, expected_date_of_birth=dt.date(2027, 1, 15))
    summary = case_summary(baby, now=NOW)
    assert [a.text for a in summary.alerts] == ["Unborn: expected 15/01/2027"]
    assert summary.age is None


def test_a_person_with_no_case(db: None) -> None:
    summary = case_summary(PersonFactory(), now=NOW)
    assert (summary.status, summary.allocated, summary.plans, summary.tasks) == (
        "No open case", None, [], [])
