"""The impact chronology: every significant event of Ella's journey from the records, in
date order; marked and hand-added events; the significant-only view. Ella is the persona of
tests/world.py with one record of every kind."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from goldenthread.casework.chronology import (
    Event,
    add_event,
    chronology,
    find_event,
    mark_event,
)
from goldenthread.core.errors import StaleRecord
from goldenthread.records import models as m
from goldenthread.records.actions.chronology import do_mark_event
from tests.helpers import refusal
from tests.world import World


def titled(events: list[Event], title: str) -> Event:
    found = [e for e in events if e.title == title]
    assert len(found) == 1, f"{title!r}: {[e.title for e in events]}"
    return found[0]


def test_the_journey_is_told_in_date_order(world: World) -> None:
    """Early help (September 2023), the school move added by hand (December), the contact
    and its decision, the referral, the strategy discussion, the conference and the plan,
    care (June 2024), a missing episode (February 2025), leaving for a care leaver's
    support (May 2025)."""
    events = chronology(world.children["ella"])
    days = [e.on for e in events]
    assert days == sorted(days)
    titles = [e.title.split(":")[0] for e in events]
    journey = ["Early help started", "Moved school mid-year", "Early help ended",
               "Contact received", "Front-door decision", "Referral", "Strategy discussion",
               "Initial child protection conference",
               "Child protection plan started", "Came into care", "Missing", "Care leaver"]
    positions = [titles.index(t) for t in journey]
    assert positions == sorted(positions)


def test_events_of_one_day_follow_the_journey(world: World) -> None:
    """8 January 2024: the contact at 09:00 and its decision at 15:00 come before the
    referral and allocation made the same day; the conference on 25 January comes before
    the plan it decided."""
    titles = [e.title for e in chronology(world.children["ella"])]
    same_day = [t for t in titles if t in ("Contact received", "Referral",
                                           "Allocated to Sam Persona")]
    assert same_day == ["Contact received", "Referral", "Allocated to Sam Persona"]
    assert titles.index("Initial child protection conference") \
        < titles.index("Child protection plan started")


def test_each_event_names_the_record_it_comes_from(world: World) -> None:
    ella = world.children["ella"]
    referral = ella.referrals.get()
    event = titled(chronology(ella), "Referral")
    assert (event.record_type, event.record_id, event.on) == ("referral", referral.pk,
                                                              dt.date(2024, 1, 8))
    assert event.detail.startswith("From ")  # the source's description, not its code


def test_turning_points_are_significant_routine_steps_are_not(world: World) -> None:
    events = chronology(world.children["ella"])
    assert titled(events, "Referral").significant
    assert titled(events, "Came into care").significant
    assert not titled(events, "Assessment started").significant
    assert not titled(events, "Looked-after review").significant


def test_significant_only_leaves_out_the_rest(world: World) -> None:
    ella = world.children["ella"]
    every = chronology(ella)
    significant = chronology(ella, significant_only=True)
    assert significant == [e for e in every if e.significant]
    assert 0 < len(significant) < len(every)


def test_a_case_note_appears_only_when_marked_significant(world: World) -> None:
    """Ella's case note of 9 January 2024 is not significant, so it is not in her
    chronology; a note written as significant is."""
    ella = world.children["ella"]
    assert "Seen at home with mum" not in [e.title for e in chronology(ella)]
    from goldenthread.records.actions.base import create_record

    create_record(m.CaseNote, acting_user=world.users["sam"], person=ella,
                  occurred_at=dt.datetime(2024, 3, 1, 10, tzinfo=dt.UTC), kind="phone call",
                  subject="Mum disclosed a new partner", text="Checks requested.",
                  significant=True)
    assert titled(chronology(ella, significant_only=True),
                  "Mum disclosed a new partner").at is not None


def test_marking_an_event_significant_records_a_mark_with_its_impact(world: World) -> None:
    ella, sam = world.children["ella"], world.users["sam"]
    started = titled(chronology(ella), "Assessment started")
    mark = mark_event(ella, started.key, significant=True, impact="First time Ella spoke "
                      "about home", acting_user=sam)
    assert (mark.record_type, mark.record_id, mark.event_date) == ("assessment",
                                                                   started.record_id, started.on)
    marked = titled(chronology(ella, significant_only=True), "Assessment started")
    assert marked.marked and marked.impact == "First time Ella spoke about home"


def test_unmarking_takes_a_turning_point_out_of_the_significant_view(world: World) -> None:
    ella, sam = world.children["ella"], world.users["sam"]
    review = titled(chronology(ella), "Child protection review")
    mark_event(ella, review.key, significant=True, impact="", acting_user=sam)
    marked = titled(chronology(ella), "Child protection review")
    mark_event(ella, marked.key, significant=False, impact="", acting_user=sam,
               expected_version=marked.mark_version)
    assert "Child protection review" not in [e.title for e in
                                             chronology(ella, significant_only=True)]
    assert m.ChronologyEntry.objects.filter(person=ella, record_type="cpreview").count() == 1


def test_a_mark_made_since_the_page_was_opened_is_not_overwritten(world: World) -> None:
    """Sam opens the chronology (no mark yet); Mo marks the event with his words; Sam's
    mark is refused, naming Mo, so Mo's words are not lost."""
    ella = world.children["ella"]
    seen_by_sam = titled(chronology(ella), "Looked-after review")
    mark_event(ella, seen_by_sam.key, significant=True, impact="Ella chaired part of it",
               acting_user=world.users["mo"])
    with pytest.raises(StaleRecord, match="mo"):
        mark_event(ella, seen_by_sam.key, significant=False, impact="",
                   acting_user=world.users["sam"], expected_version=seen_by_sam.mark_version)
    assert titled(chronology(ella), "Looked-after review").impact == "Ella chaired part of it"


def test_an_event_added_by_hand_joins_the_chronology(world: World) -> None:
    ella = world.children["ella"]
    add_event(ella, event_date=dt.date(2024, 9, 1), title="Father sent to prison",
              impact="Lost weekly contact", acting_user=world.users["sam"])
    event = titled(chronology(ella, significant_only=True), "Father sent to prison")
    assert event.hand_added and event.impact == "Lost weekly contact"
    assert (event.record_type, event.on) == ("chronologyentry", dt.date(2024, 9, 1))


def test_an_event_added_by_hand_can_be_unmarked(world: World) -> None:
    ella = world.children["ella"]
    moved = titled(chronology(ella), "Moved school mid-year")
    mark_event(ella, moved.key, significant=False, impact="", acting_user=world.users["sam"],
               expected_version=moved.mark_version)
    assert not titled(chronology(ella), "Moved school mid-year").significant
    assert m.ChronologyEntry.objects.filter(person=ella).count() == 1  # changed, not added


def test_an_event_needs_a_date_and_a_title(world: World) -> None:
    ella, sam = world.children["ella"], world.users["sam"]
    with pytest.raises(ValidationError) as no_date:
        add_event(ella, event_date=None, title="Something", impact="", acting_user=sam)
    assert "event_date" in refusal(no_date, "event_date")
    with pytest.raises(ValidationError) as no_title:
        add_event(ella, event_date=dt.date(2024, 9, 1), title="  ", impact="", acting_user=sam)
    assert "say what happened" in refusal(no_title, "title")


def test_a_mark_cannot_name_another_childs_record(world: World) -> None:
    """Ben's referral is not Ella's: the mark is refused and nothing is written."""
    ella, ben = world.children["ella"], world.children["ben"]
    from goldenthread.records.actions.base import create_record

    bens = create_record(m.Referral, acting_user=world.users["bob"], person=ben,
                         referral_date=dt.date(2024, 3, 4), source="2A", primary_need="N1")
    with pytest.raises(ValidationError) as refused:
        do_mark_event(ella, record_type="referral", record_id=bens.pk,
                      event_date=dt.date(2024, 3, 4), title="Referral", significant=True,
                      impact="", acting_user=world.users["sam"])
    assert "is not a current referral of this child" in refusal(refused, "record_id")
    with pytest.raises(ValidationError) as unknown:
        do_mark_event(ella, record_type="spaceship", record_id=1, event_date=dt.date(2024, 3, 4),
                      title="x", significant=True, impact="", acting_user=world.users["sam"])
    assert "'spaceship' is not a kind of record" in refusal(unknown, "record_type")
    assert not m.ChronologyEntry.objects.filter(record_id=bens.pk).exists()


def test_a_key_that_is_not_an_event_is_refused(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        find_event(world.children["ella"], "referral:999999:2024-01-08")
    assert "is not an event in this child's chronology" in refusal(refused, "event")


def test_another_childs_events_never_appear(world: World) -> None:
    """Ben has only his allocation to Bob; nothing of Ella's leaks into his chronology."""
    assert [e.title for e in chronology(world.children["ben"])] == ["Allocated to Bob Persona"]
