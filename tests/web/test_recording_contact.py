"""A contact about a child not yet known: the child's details and the contact are saved
together or not at all, and possible duplicates are shown before a new person is saved.

World: Fran works at the front door (she sees children with an open contact, such as Evan,
born 2 February 2020); Sam is a social worker in team A.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from tests.web.recording_support import date_parts, page, summary_messages, when_parts
from tests.world import World, build_world, sign_in

RECEIVED = dt.datetime(2026, 10, 30, 9, 15, tzinfo=dt.UTC)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def new_child(forename: str, surname: str, born: dt.date | None, **more: Any) -> dict[str, Any]:
    typed = {"forename": forename, "surname": surname, "sex": "M", "ethnicity": "WBRI",
             **when_parts("received_at", RECEIVED), "source": "2A",
             "source_detail": "Example Primary School", "summary": "Bruise on the arm", **more}
    return {**typed, **date_parts("date_of_birth", born)} if born else typed


def test_a_contact_about_a_new_child_saves_the_person_and_the_contact(
        client: Client, world: World) -> None:
    """Fran records a contact about Noah, born 3 March 2019, whom nobody knows: the person
    (with an LA id of our shape) and the contact are created, each with its audit event,
    and Fran lands on Noah's page."""
    sign_in(client, world.users["fran"])
    response = client.post(reverse("new_contact"), new_child("Noah", "Newcomer",
                                                             dt.date(2019, 3, 3)))
    noah = m.Person.objects.get(surname="Newcomer")
    assert response.status_code == 302
    assert response["Location"] == reverse("person", args=[noah.pk])
    assert noah.la_person_id == "GT0000001"
    contact = m.Contact.objects.get(person=noah)
    assert (contact.received_at, contact.source, contact.summary) == (RECEIVED, "2A",
                                                                      "Bruise on the arm")
    made = AuditEvent.objects.filter(action=AuditAction.CREATE, actor_username="fran",
                                     person_id=str(noah.pk))
    assert sorted(made.values_list("subject_type", flat=True)) == ["records.contact",
                                                                  "records.person"]


def test_possible_duplicates_are_shown_before_a_new_person_is_saved(client: Client,
                                                                    world: World) -> None:
    """Fran types Evan's name and date of birth: Evan is shown with a link to record the
    contact for him, and no one is saved."""
    evan = world.children["evan"]
    people = m.Person.objects.count()
    sign_in(client, world.users["fran"])
    response = client.post(reverse("new_contact"), new_child("Evan", "Child",
                                                             dt.date(2020, 2, 2)))
    html = page(response)
    assert 'data-testid="possible-duplicates"' in html
    assert f'href="{reverse("record_step", args=[evan.pk, "contact"])}"' in html
    assert "None of these: save as a new person" in html
    assert 'value="Bruise on the arm"' in html or "Bruise on the arm</textarea>" in html
    assert m.Person.objects.count() == people


def test_a_match_the_user_cannot_see_is_counted_not_shown(client: Client,
                                                          world: World) -> None:
    """Ella (born 1 May 2015) is out of Fran's reach: Fran is told one record she cannot
    see matches, without Ella's details."""
    sign_in(client, world.users["fran"])
    response = client.post(reverse("new_contact"), new_child("Ella", "Child",
                                                             dt.date(2015, 5, 1)))
    html = page(response)
    assert "1 record you cannot see matches these details" in html
    assert "LA-ella" not in html


def test_none_of_these_saves_a_new_person_despite_a_match(client: Client,
                                                          world: World) -> None:
    """Fran has checked the match and this is another Evan Child: she saves anyway."""
    sign_in(client, world.users["fran"])
    response = client.post(reverse("new_contact"), new_child(
        "Evan", "Child", dt.date(2020, 2, 2), confirm_new="yes"))
    assert response.status_code == 302
    assert m.Person.objects.filter(forename="Evan", surname="Child").count() == 2


def test_a_new_person_needs_a_date_of_birth_or_an_expected_one(client: Client,
                                                               world: World) -> None:
    """Neither date given: refused beside the date of birth; nothing saved."""
    sign_in(client, world.users["fran"])
    people, contacts = m.Person.objects.count(), m.Contact.objects.count()
    response = client.post(reverse("new_contact"), new_child("Una", "Known", None))
    assert summary_messages(response) == [
        "Date of birth: (blank) and no expected date of birth; give the date of birth, or the "
        "expected date for an unborn child"]
    assert (m.Person.objects.count(), m.Contact.objects.count()) == (people, contacts)


def test_a_refused_contact_saves_no_person_either(client: Client, world: World) -> None:
    """The contact is dated two years before the birth (pre-birth work starts at most 280
    days before): the contact is refused, and the person typed with it is not saved."""
    sign_in(client, world.users["fran"])
    people = m.Person.objects.count()
    response = client.post(reverse("new_contact"), new_child("Ola", "Early",
                                                             dt.date(2028, 11, 1)))
    [message] = summary_messages(response)
    assert message.startswith("When the contact was received: 2026-10-30 is before the "
                              "child's date of birth 2028-11-01; it must be on or after "
                              "2028-01-26")
    assert m.Person.objects.count() == people


def test_a_worker_who_cannot_see_the_new_child_is_told_the_contact_is_recorded(
        client: Client, world: World) -> None:
    """Sam's roles reach only allocated children and his team's: the contact is saved and
    he is told so, without being sent to a page he cannot open."""
    sign_in(client, world.users["sam"])
    response = client.post(reverse("new_contact"), new_child("Ravi", "Unseen",
                                                             dt.date(2017, 7, 7)))
    assert response.status_code == 200
    assert "Contact recorded" in page(response)
    assert m.Contact.objects.filter(person__surname="Unseen").count() == 1
