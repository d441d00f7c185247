"""Changing what was recorded: a stale save is refused and shows the other person's change
beside what this user typed; nothing is overwritten. Allocation and transfer of a case,
and an assessment's factors set by ticking boxes.

World: Sam holds Ella's case in team A; Mo manages team A; Bob works in team B.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record
from goldenthread.web.forms.registry import EDITS
from tests.web.recording_support import (
    date_parts,
    page,
    post_step,
    saved,
    summary_messages,
    when_parts,
)
from tests.world import World, build_world, sign_in


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def note_form(subject: str, text: str) -> dict[str, str]:
    return {**when_parts("occurred_at", dt.datetime(2024, 1, 9, 14, 0, tzinfo=dt.UTC)),
            "kind": "home visit", "subject": subject, "text": text}


def test_a_stale_save_is_refused_and_shows_the_other_change(client: Client,
                                                            world: World) -> None:
    """Sam opens Ella's case note (version 1). Mo then corrects its subject. Sam's save,
    still based on version 1, is refused: Mo's subject stays, the page names Mo and shows
    her subject beside Sam's, and Sam's typing is kept with the version now 2."""
    note = m.CaseNote.objects.get(person=world.children["ella"])
    url = reverse("edit_record", args=["casenote", note.pk])
    sign_in(client, world.users["sam"])
    opened = client.get(url)
    assert 'name="version" value="1"' in page(opened)
    change_record(note, acting_user=world.users["mo"], expected_version=1,
                  subject="Seen at home with mum and sister")
    response = client.post(url, {**note_form("Seen at home, mum tearful", "Ella showed me "
                                             "her room. Mum was tearful."), "version": "1"})
    html = page(response)
    assert "Someone else changed this record" in html
    assert "case note was changed by mo" in html
    assert re.search(r"Subject <strong[^>]*>Different</strong></th>\s*"
                     r"<td[^>]*>Seen at home with mum and sister</td>\s*"
                     r"<td[^>]*>Seen at home, mum tearful</td>", html)
    assert 'value="Seen at home, mum tearful"' in html
    assert "Mum was tearful.</textarea>" in html
    assert 'name="version" value="2"' in html
    note.refresh_from_db()
    assert (note.subject, note.version) == ("Seen at home with mum and sister", 2)


def test_saving_again_after_seeing_the_other_change_goes_through(client: Client,
                                                                 world: World) -> None:
    """Having seen Mo's change, Sam saves on version 2: his subject stands, version 3."""
    note = m.CaseNote.objects.get(person=world.children["ella"])
    change_record(note, acting_user=world.users["mo"], expected_version=1, subject="Mo's")
    sign_in(client, world.users["sam"])
    response = client.post(reverse("edit_record", args=["casenote", note.pk]),
                           {**note_form("Sam's", "Ella showed me her room."), "version": "2"})
    assert saved(response, world.children["ella"].pk)
    note.refresh_from_db()
    assert (note.subject, note.version) == ("Sam's", 3)


def test_a_person_is_changed_with_only_the_change_in_the_trail(client: Client,
                                                              world: World) -> None:
    """Ella's preferred name is added: the audit event holds that field, before and after."""
    ella = world.children["ella"]
    sign_in(client, world.users["sam"])
    response = client.post(reverse("edit_record", args=["person", ella.pk]), {
        "forename": "Ella", "surname": "Child", "preferred_name": "Elle",
        **date_parts("date_of_birth", dt.date(2015, 5, 1)), "sex": "F", "ethnicity": "WBRI",
        "version": str(ella.version)})
    assert saved(response, ella.pk)
    event = AuditEvent.objects.filter(subject_type="records.person",
                                      subject_id=str(ella.pk)).latest("pk")
    assert (event.action, event.before, event.after) == (
        AuditAction.CHANGE, {"preferred_name": "", "version": 1},
        {"preferred_name": "Elle", "version": 2})


def test_a_case_is_transferred_from_one_worker_to_another(client: Client,
                                                          world: World) -> None:
    """Mo moves Ella's case from Sam (team A) to Bob (team B) on 3 November 2026: Sam's
    allocation ends that day with the reason, Bob's starts it (half-open dates, as
    caseloads count them)."""
    ella = world.children["ella"]
    bob = m.Professional.objects.get(user=world.users["bob"])
    sign_in(client, world.users["mo"])
    response = post_step(client, ella.pk, "allocation", {
        "professional": str(bob.pk), "team": str(world.teams["team-b"].pk), "role": "CW",
        **date_parts("start_date", dt.date(2026, 11, 3)), "change_reason": "MANAGE"})
    assert saved(response, ella.pk)
    held = m.Involvement.objects.filter(person=ella, role="CW").order_by("start_date")
    assert [(i.professional.user.username, i.start_date, i.end_date, i.change_reason)
            for i in held] == [("sam", dt.date(2024, 1, 8), dt.date(2026, 11, 3), "MANAGE"),
                               ("bob", dt.date(2026, 11, 3), None, "")]


def test_allocating_the_worker_who_holds_the_case_is_refused(client: Client,
                                                             world: World) -> None:
    """Sam already holds Ella's case in team A; the action refuses, beside 'Worker'."""
    ella = world.children["ella"]
    sam = m.Professional.objects.get(user=world.users["sam"])
    sign_in(client, world.users["sam"])
    response = post_step(client, ella.pk, "allocation", {
        "professional": str(sam.pk), "team": str(world.teams["team-a"].pk), "role": "CW",
        **date_parts("start_date", dt.date(2026, 11, 3))})
    assert "Worker: 'Sam Persona' already holds this case" in page(response)


def test_an_assessments_factors_are_set_by_the_boxes_ticked(client: Client,
                                                            world: World) -> None:
    """Ella's assessment had factor 2B; Sam ticks 1A and 3A instead: 2B is archived (not
    deleted), 1A and 3A are added, all in one save."""
    assessment = m.Assessment.objects.get(person=world.children["ella"])
    sign_in(client, world.users["sam"])
    url = reverse("edit_record", args=["assessment", assessment.pk])
    assert 'value="2B" checked' in page(client.get(url))
    response = client.post(url, {
        **date_parts("start_date", assessment.start_date), "child_seen": "yes",
        **date_parts("child_seen_on", dt.date(2024, 1, 9)), "factors": ["1A", "3A"],
        "version": str(assessment.version)})
    assert saved(response, world.children["ella"].pk)
    factors = m.AssessmentFactor.objects.filter(assessment=assessment)
    assert sorted((f.code, f.is_archived) for f in factors) == [("1A", False), ("2B", True),
                                                               ("3A", False)]


def form_as_shown(html: str) -> dict[str, list[str]]:
    """What the browser would post if the form were saved untouched."""
    form = lxml.html.fromstring(html).get_element_by_id("record-form")
    posted: dict[str, list[str]] = {}
    for name, value in form.form_values():
        posted.setdefault(name, []).append(value)
    return posted


def test_every_change_form_saves_what_it_shows(client: Client, world: World) -> None:
    """Each of Ella's records (one of every kind with a change form), opened and saved
    untouched, saves: what a form shows reads back as the same values."""
    ella = world.children["ella"]
    sign_in(client, world.users["sam"])
    menu = page(client.get(reverse("record_menu", args=[ella.pk])))
    urls = re.findall(r'href="(/records/[a-z0-9]+/\d+/edit/)"', menu)
    assert len(urls) == len([slug for slug in EDITS if not slug.startswith("correct-")])
    for url in urls:
        shown = form_as_shown(client.get(url).content.decode())
        response = client.post(url, shown)
        assert saved(response, ella.pk), (url, summary_messages(response))


# -- correcting a date other records hang from ---------------------------------------------

def test_every_correction_form_saves_its_date_with_a_reason(client: Client,
                                                            world: World) -> None:
    """Each of Ella's records with a frame date (referral, discussion, enquiry, ICPC, CP
    and CIN plans) has a correction form on her page of steps; saved with the date shown
    and a reason, each goes through, and the reason is in the audit trail."""
    ella = world.children["ella"]
    sign_in(client, world.users["sam"])
    menu = page(client.get(reverse("record_menu", args=[ella.pk])))
    urls = re.findall(r'href="(/records/correct-[a-z0-9]+/\d+/edit/)"', menu)
    assert len(urls) == 6 and "Correct the date of the referral of" in menu
    for url in urls:
        shown = form_as_shown(client.get(url).content.decode())
        response = client.post(url, {**shown, "archive_reason": "checked against the file"})
        assert saved(response, ella.pk), (url, summary_messages(response))
    assert AuditEvent.objects.filter(reason="correction: checked against the file").count() == 6


def test_a_correction_that_leaves_a_visit_outside_is_refused_beside_the_date(
        client: Client, world: World) -> None:
    """Ella's CIN plan began on 25 January 2024 and she was visited on 6 February: moving
    the start to 10 February is refused beside the date, naming the visit."""
    plan = m.CINPlan.objects.get(person=world.children["ella"])
    sign_in(client, world.users["sam"])
    response = client.post(reverse("edit_record", args=["correct-cinplan", plan.pk]), {
        **date_parts("start_date", dt.date(2024, 2, 10)), "archive_reason": "wrong month",
        "version": str(plan.version)})
    [message] = summary_messages(response)
    assert "2024-02-10 would put 1 record(s) outside the CIN plan: CIN visit" in message
    plan.refresh_from_db()
    assert plan.start_date == dt.date(2024, 1, 25)


def test_a_correction_needs_a_reason(client: Client, world: World) -> None:
    plan = m.CINPlan.objects.get(person=world.children["ella"])
    sign_in(client, world.users["sam"])
    response = client.post(reverse("edit_record", args=["correct-cinplan", plan.pk]), {
        **date_parts("start_date", dt.date(2024, 1, 20)), "version": str(plan.version)})
    [message] = summary_messages(response)
    assert message == "Enter why the date was wrong"
    plan.refresh_from_db()
    assert plan.start_date == dt.date(2024, 1, 25)
