"""Recording through the browser's forms: each step saves through its action with an audit
event; what the model refuses comes back beside the field with everything typed kept; codes
are those valid on the event's date; nothing is half-saved.

World: Sam (social worker, team A) holds Ella's case (a whole journey recorded) and, in
these tests, fresh children allocated to him a month ago.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from tests.web.recording_support import (
    date_parts,
    fresh_child,
    latest_event,
    page,
    post_step,
    saved,
    step_url,
    summary_links,
    summary_messages,
    today,
    when_parts,
)
from tests.world import World, build_world, sign_in


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def sam(client: Client, world: World) -> Client:
    return sign_in(client, world.users["sam"])


def test_a_case_note_saves_through_its_action_with_an_audit_event(sam: Client,
                                                                  world: World) -> None:
    """Sam writes a case note for Ella: one CaseNote, and a CREATE event by Sam holding it."""
    ella = world.children["ella"]
    moment = dt.datetime(2026, 10, 20, 14, 30, tzinfo=dt.UTC)
    response = post_step(sam, ella.pk, "case-note", {
        **when_parts("occurred_at", moment), "kind": "home visit", "subject": "After school",
        "text": "Ella talked about her new school.", "significant": "yes"})
    assert saved(response, ella.pk)
    note = m.CaseNote.objects.get(person=ella, subject="After school")
    assert (note.occurred_at, note.significant) == (moment, True)
    event = latest_event("casenote")
    assert (event.action, event.actor_username, event.subject_id) == \
        (AuditAction.CREATE, "sam", str(note.pk))
    assert event.after is not None
    assert event.after["text"] == "Ella talked about her new school."


def test_an_impossible_date_comes_back_with_the_summary_and_what_was_typed(
        sam: Client, world: World) -> None:
    """31 February is no date: the summary says so, links to the day box, and every box and
    the subject keep what Sam typed. Nothing is saved."""
    ella = world.children["ella"]
    before = m.CaseNote.objects.count()
    response = post_step(sam, ella.pk, "case-note", {
        "occurred_at-day": "31", "occurred_at-month": "2", "occurred_at-year": "2026",
        "occurred_at-time": "10:15", "kind": "phone call", "subject": "Call with school",
        "text": "Spoke to the head."})
    assert response.status_code == 200
    assert summary_messages(response) == ["When the work happened must be a real date, like "
                                          "27 3 2024"]
    assert summary_links(response) == ["occurred_at-day"]
    html = page(response)
    for name, value in (("occurred_at-day", "31"), ("occurred_at-month", "2"),
                        ("occurred_at-time", "10:15"), ("subject", "Call with school")):
        assert re.search(rf'name="{name}" type="text" value="{value}"', html), name
    assert "Spoke to the head.</textarea>" in html
    assert "govuk-form-group--error" in html
    assert m.CaseNote.objects.count() == before


def test_a_date_the_model_refuses_is_shown_beside_its_field(sam: Client,
                                                            world: World) -> None:
    """Ella was born on 1 May 2015; a missing episode starting in 2014 is refused by the
    model's life-event rule, in its words, beside 'When the child went missing'."""
    ella = world.children["ella"]
    before = m.MissingEpisode.objects.count()
    response = post_step(sam, ella.pk, "missing-episode", {
        "episode_type": "M",
        **when_parts("start_at", dt.datetime(2014, 3, 1, 20, 0, tzinfo=dt.UTC)),
        **when_parts("end_at", dt.datetime(2014, 3, 2, 8, 0, tzinfo=dt.UTC))})
    assert summary_messages(response) == [
        "When the child went missing: 2014-03-01 is before the child's date of birth "
        "2015-05-01; it must be on or after the date of birth"]
    assert summary_links(response) == ["start_at-day"]
    assert 'id="start_at-error"' in page(response)
    assert m.MissingEpisode.objects.count() == before


def test_the_front_door_decision_needs_its_rationale(client: Client, world: World) -> None:
    """Fran decides Evan's contact is a referral but gives no rationale: the model's rule
    (a decision needs its date, level of need and rationale) comes back beside the
    rationale, and the contact stays undecided."""
    evan = world.children["evan"]
    contact = m.Contact.objects.get(person=evan)
    sign_in(client, world.users["fran"])
    response = post_step(client, evan.pk, "contact-decision", {
        "decision": "REFERRAL", "level_of_need": "3",
        **when_parts("decided_at", dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)),
        "decided_by": str(m.Professional.objects.get(user=world.users["fran"]).pk)},
        record=contact.pk, version=contact.version)
    assert summary_messages(response) == [
        "Rationale for the decision: (blank) but the decision is 'REFERRAL'; a front-door "
        "decision needs its date, level of need and rationale"]
    contact.refresh_from_db()
    assert contact.decision == ""


def test_a_decision_with_its_rationale_is_saved_as_a_change(client: Client,
                                                            world: World) -> None:
    """With the rationale the decision saves: a CHANGE event holding only what changed."""
    evan = world.children["evan"]
    contact = m.Contact.objects.get(person=evan)
    fran = m.Professional.objects.get(user=world.users["fran"])
    sign_in(client, world.users["fran"])
    response = post_step(client, evan.pk, "contact-decision", {
        "decision": "ADVICE", "level_of_need": "1", "decision_rationale": "Mum asked for advice",
        **when_parts("decided_at", dt.datetime(2026, 11, 1, 15, 0, tzinfo=dt.UTC)),
        "decided_by": str(fran.pk)}, record=contact.pk, version=contact.version)
    assert saved(response, evan.pk)
    event = latest_event("contact")
    assert event.action == AuditAction.CHANGE
    assert event.after == {"decision": "ADVICE", "level_of_need": "1",
                           "decision_rationale": "Mum asked for advice",
                           "decided_at": "2026-11-01T15:00:00+00:00", "decided_by_id": fran.pk,
                           "version": 2}


def test_codes_offered_are_those_valid_on_the_events_date(sam: Client, world: World) -> None:
    """PLACE 'Z1' (other placement) ended on 31 March 2025. Today it is not offered; when
    the date typed is 1 June 2024 (and the form comes back for another reason) it is."""
    child = fresh_child(world, "Zak", born=dt.date(2012, 1, 1), allocated_on=today()
                        - dt.timedelta(days=900))
    response = sam.get(step_url(child.pk, "period-of-care"))
    assert 'value="Z1"' not in page(response)
    assert 'value="Z11"' in page(response)
    response = post_step(sam, child.pk, "period-of-care",
                         date_parts("start_date", dt.date(2024, 6, 1)))
    assert 'value="Z1"' in page(response)
    assert 'value="Z11"' not in page(response)


def test_a_code_not_valid_on_the_date_is_refused_saying_what_is_allowed(
        sam: Client, world: World) -> None:
    """Z1 on 1 June 2025 is refused by the code check with the allowed list; the choice
    stays selected, marked as not valid on that day; no period of care is started."""
    child = fresh_child(world, "Zoe", born=dt.date(2012, 1, 1),
                        allocated_on=dt.date(2025, 1, 6))
    response = post_step(sam, child.pk, "period-of-care", {
        **date_parts("start_date", dt.date(2025, 6, 1)), "legal_status": "C2",
        "cin_need": "N1", "placement_type": "Z1"})
    [message] = summary_messages(response)
    assert message.startswith("Placement type: 'Z1' is a PLACE code only valid until "
                              "2025-03-31 (not on 2025-06-01); allowed: ")
    assert "Z11" in message
    assert re.search(r'value="Z1" selected>[^<]*\(not valid on 01/06/2025\)', page(response))
    assert not m.PeriodOfCare.objects.filter(person=child).exists()


def test_a_refused_step_saves_nothing_of_its_parts(sam: Client, world: World) -> None:
    """A move for Ella to a placement with a postcode that is not one: the action ends the
    old episode and placement before it creates the new one, and the refusal undoes it all."""
    ella = world.children["ella"]
    period = m.PeriodOfCare.objects.get(person=ella)
    episode = period.episodes.get()
    response = post_step(sam, ella.pk, "placement-change", {
        **date_parts("start_date", dt.date(2024, 9, 2)), "reason_new_episode": "P",
        "change_reason": "CARPL", "placement_type": "U4", "postcode": "NOTAPC"})
    assert summary_messages(response) == [
        "Postcode of the placement: 'NOTAPC' is not a UK postcode; use the full postcode, "
        "e.g. 'M1 1AA'"]
    episode.refresh_from_db()
    assert (episode.end_date, episode.version) == (None, 1)
    assert period.placements.count() == 1


def test_a_step_that_does_not_fit_the_child_says_what_it_needs(sam: Client,
                                                               world: World) -> None:
    """No conference has decided on a plan for a fresh child: the CP plan step answers 409
    and says what it needs, and the page of steps does not offer it."""
    child = fresh_child(world, "Cai", born=dt.date(2016, 2, 2),
                        allocated_on=today() - dt.timedelta(days=30))
    response = sam.get(step_url(child.pk, "cp-plan"))
    assert response.status_code == 409
    assert "an initial conference decided on a plan that is not yet recorded" in page(response)
    menu = sam.get(f"/people/{child.pk}/record/")
    assert step_url(child.pk, "cp-plan") + '"' not in page(menu)


def test_a_link_to_a_record_outside_the_offered_list_is_refused(sam: Client,
                                                                 world: World) -> None:
    """A referral for a fresh child naming Ella's contact (an id typed by hand) is refused:
    only the child's own contacts are offered."""
    child = fresh_child(world, "Dee", born=dt.date(2016, 2, 2),
                        allocated_on=today() - dt.timedelta(days=30))
    ellas = m.Contact.objects.filter(person=world.children["ella"]).first()
    assert ellas is not None
    response = post_step(sam, child.pk, "referral", {
        "contact": str(ellas.pk), **date_parts("referral_date", today()), "source": "2A"})
    assert summary_messages(response) == [
        "The contact it came from: choose one of the options listed"]
    assert not m.Referral.objects.filter(person=child).exists()


def test_every_recording_page_has_a_title_heading_and_button(sam: Client,
                                                             world: World) -> None:
    """Each step available for Ella opens with its heading and its button text."""
    from goldenthread.web.forms.registry import STEPS
    from goldenthread.web.forms.state import child_state

    ella = world.children["ella"]
    state = child_state(ella)
    for step in STEPS.values():
        if not step.is_available(state):
            continue
        response = sam.get(step_url(ella.pk, step.slug))
        assert response.status_code == 200, step.slug
        assert step.title in page(response)
        assert step.submit in page(response)
    assert AuditEvent.objects.filter(actor_username="sam", action=AuditAction.VIEW,
                                     detail__page="record:case-note").exists()


def test_the_page_of_steps_follows_the_childs_journey(sam: Client, world: World) -> None:
    """A fresh child with no referral: a referral can be recorded, an assessment cannot.
    Once the referral is saved, an assessment can be started and a referral cannot."""
    child = fresh_child(world, "Eve", born=dt.date(2016, 2, 2),
                        allocated_on=today() - dt.timedelta(days=30))
    menu = page(sam.get(f"/people/{child.pk}/record/"))  # steps not available have no link
    assert f'href="{step_url(child.pk, "referral")}"' in menu
    assert f'href="{step_url(child.pk, "assessment")}"' not in menu
    assert saved(post_step(sam, child.pk, "referral", {
        **date_parts("referral_date", today()), "source": "2A"}), child.pk)
    menu = page(sam.get(f"/people/{child.pk}/record/"))
    assert f'href="{step_url(child.pk, "assessment")}"' in menu
    assert f'href="{step_url(child.pk, "referral")}"' not in menu
