"""Who may record what: a child outside a user's reach answers 404 on every recording URL,
as a child who does not exist would; only a manager may authorise an assessment.

World: Ella's case is held by Sam in team A (North service); Olly works in team C (South),
so Ella is out of his reach; Dina is allocated to Sam but restricted with no grant; Mo
manages team A.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.accounts.models import Role
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record
from goldenthread.web.forms.registry import EDITS, STEPS
from tests.web.recording_support import (
    date_parts,
    latest_event,
    page,
    post_step,
    saved,
    step_url,
    summary_messages,
)
from tests.world import World, build_world, sign_in


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def completed_assessment(world: World) -> m.Assessment:
    """Ella's assessment, completed on 20 February 2024 and waiting for a manager."""
    assessment = m.Assessment.objects.get(person=world.children["ella"])
    return change_record(assessment, acting_user=world.users["sam"],
                         expected_version=assessment.version,
                         completed_on=dt.date(2024, 2, 20))


def recording_urls(child: m.Person) -> list[str]:
    """Every recording URL about this child: the page of steps, each step, and the change
    form of each of the child's records."""
    urls = [reverse("record_menu", args=[child.pk])]
    urls += [step_url(child.pk, slug) for slug in STEPS]
    urls.append(reverse("edit_record", args=["person", child.pk]))
    for slug, step in EDITS.items():
        if step.model is m.Person:
            continue
        urls += [reverse("edit_record", args=[slug, pk]) for pk in
                 step.model._default_manager.filter(person=child).values_list("pk", flat=True)]
    return urls


def test_an_outsider_gets_404_on_every_recording_url_of_a_child_she_cannot_see(
        client: Client, world: World) -> None:
    """Olly (team C) opens, and posts to, every recording URL about Ella (one record of
    every type): each answers 404, and nothing of Ella's changes."""
    ella = world.children["ella"]
    urls = recording_urls(ella)
    assert len(urls) > len(STEPS) + len(EDITS)  # one change form per record of Ella's
    versions = {(t, pk): v for t, pk, v in (
        (step.model, *row) for step in EDITS.values() if step.model is not m.Person
        for row in step.model._default_manager.filter(person=ella).values_list("pk",
                                                                                "version"))}
    sign_in(client, world.users["olly"])
    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[1:]:  # the page of steps only reads
        assert client.post(url, {"version": "1", **date_parts("end_date", dt.date(2026, 1, 1))}
                           ).status_code == 404, url
    after = {(t, pk): v for t, pk, v in (
        (step.model, *row) for step in EDITS.values() if step.model is not m.Person
        for row in step.model._default_manager.filter(person=ella).values_list("pk",
                                                                                "version"))}
    assert after == versions


def test_a_restricted_child_is_404_even_to_her_allocated_worker(client: Client,
                                                                world: World) -> None:
    """Dina is allocated to Sam but restricted, and Sam has no grant."""
    dina = world.children["dina"]
    sign_in(client, world.users["sam"])
    for url in recording_urls(dina):
        assert client.get(url).status_code == 404, url


def test_a_social_worker_cannot_authorise_an_assessment(client: Client, world: World) -> None:
    """Sam completed Ella's assessment; he is not a manager, so his authorisation is
    refused with the reason, the assessment stays unauthorised, and his page of steps does
    not offer it."""
    assessment = completed_assessment(world)
    sign_in(client, world.users["sam"])
    ella = world.children["ella"]
    menu = client.get(reverse("record_menu", args=[ella.pk]))
    assert f"{step_url(ella.pk, 'assessment-authorise')}?record=" not in page(menu)
    response = post_step(client, ella.pk, "assessment-authorise",
                         date_parts("authorised_on", dt.date(2024, 2, 22)),
                         record=assessment.pk, version=assessment.version)
    assert summary_messages(response) == [
        "Authorised by: 'sam' is not a manager; only a team or service manager may authorise "
        "an assessment"]
    assessment.refresh_from_db()
    assert (assessment.authorised_on, assessment.authorised_by_id) == (None, None)


def test_a_team_manager_authorises_an_assessment(client: Client, world: World) -> None:
    """Mo manages team A: her authorisation saves, naming her, with a CHANGE event."""
    assessment = completed_assessment(world)
    ella = world.children["ella"]
    sign_in(client, world.users["mo"])
    menu = client.get(reverse("record_menu", args=[ella.pk]))
    assert f"{step_url(ella.pk, 'assessment-authorise')}?record={assessment.pk}" in page(menu)
    response = post_step(client, ella.pk, "assessment-authorise",
                         date_parts("authorised_on", dt.date(2024, 2, 22)),
                         record=assessment.pk, version=assessment.version)
    assert saved(response, ella.pk)
    assessment.refresh_from_db()
    mo = m.Professional.objects.get(user=world.users["mo"])
    assert (assessment.authorised_on, assessment.authorised_by_id) == (dt.date(2024, 2, 22),
                                                                        mo.pk)
    event = latest_event("assessment")
    assert (event.action, event.actor_username) == (AuditAction.CHANGE, "mo")


def test_authorisation_cannot_come_before_completion(client: Client, world: World) -> None:
    """Completed on 20 February, so Mo cannot authorise it on the 19th."""
    assessment = completed_assessment(world)
    sign_in(client, world.users["mo"])
    response = post_step(client, world.children["ella"].pk, "assessment-authorise",
                         date_parts("authorised_on", dt.date(2024, 2, 19)),
                         record=assessment.pk, version=assessment.version)
    assert summary_messages(response) == [
        "Date authorised: 2024-02-19 is before the assessment was completed (2024-02-20); it "
        "must be on or after it"]


# -- roles that read but do not record ------------------------------------------------------

READING_ROLES = {"qa_auditor", "performance_analyst", "partner_referrer", "system_admin"}


def test_practitioners_record_and_auditors_analysts_and_administrators_do_not(
        world: World) -> None:
    assert {r.code for r in Role.objects.filter(may_record=False)} == READING_ROLES
    assert "may_record" in world.users["sam"].access["flags"]
    assert "may_record" not in world.users["queenie"].access["flags"]


def test_a_reading_role_gets_404_on_every_recording_url_though_she_sees_the_child(
        client: Client, world: World) -> None:
    """Queenie, the QA auditor, may see every child and reads Ella's file; her role does
    not record. Every recording URL about Ella, the chronology's add and mark pages and the
    new-contact page answer her 404, to a GET and a POST, and nothing is written."""
    ella = world.children["ella"]
    sign_in(client, world.users["queenie"])
    assert client.get(reverse("person", args=[ella.pk])).status_code == 200
    urls = [*recording_urls(ella), reverse("chronology_add", args=[ella.pk]),
            reverse("chronology_mark", args=[ella.pk]), reverse("new_contact")]
    last_event = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    entries = m.ChronologyEntry.objects.count()
    for url in urls:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": "1", "title": "Moved school", "significant": "yes",
                                 **date_parts("event_date", dt.date(2026, 1, 5))}
                           ).status_code == 404, url
    # Nothing written: no record, no chronology entry, not even a look at a page.
    assert AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() == \
        last_event
    assert m.ChronologyEntry.objects.count() == entries


def test_a_reading_role_is_offered_no_way_to_record(client: Client, world: World) -> None:
    """Queenie's view of Ella's page and chronology has no button or link to record, and
    her navigation no "Record a contact"; Sam, Ella's social worker, has all of them."""
    ella = world.children["ella"]
    shown = {}
    for name in ("queenie", "sam"):
        sign_in(client, world.users[name])
        person = client.get(reverse("person", args=[ella.pk])).content.decode()
        chronology = client.get(reverse("chronology", args=[ella.pk])).content.decode()
        shown[name] = ("Record for this child" in person, "Record a contact" in person,
                       "Add an event" in chronology, "Mark as significant" in chronology)
        client.logout()
    assert shown == {"queenie": (False, False, False, False), "sam": (True, True, True, True)}
