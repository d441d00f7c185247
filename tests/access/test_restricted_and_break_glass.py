"""Restricted records need an explicit grant; break-glass opens an unrestricted record for
a few hours with a reason, on the record and shown to the manager."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goldenthread.access.actions import do_break_glass, do_grant_access
from goldenthread.audit.models import AuditAction, AuditEvent
from tests.conftest import HttpsClient
from tests.world import World, sign_in


def test_a_grant_opens_a_restricted_record(world: World) -> None:
    dina, sam = world.children["dina"], world.users["sam"]
    client = sign_in(HttpsClient(), sam)
    assert client.get(reverse("person", args=[dina.pk])).status_code == 404
    do_grant_access(dina, to=sam, reason="allocated social worker", acting_user=world.users["mo"])
    assert client.get(reverse("person", args=[dina.pk])).status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.GRANT, person_id=str(dina.pk)).exists()


def test_break_glass_opens_a_record_and_is_recorded(world: World) -> None:
    """Sam, on duty out of hours, needs Cara's record (South service) now."""
    cara, sam = world.children["cara"], world.users["sam"]
    client = sign_in(HttpsClient(), sam)
    response = client.post(reverse("break_glass"), {
        "la_person_id": "LA-cara", "reason": "Police called out of hours about Cara"})
    assert response.status_code == 302
    assert client.get(reverse("person", args=[cara.pk])).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.BREAK_GLASS)
    assert event.reason == "Police called out of hours about Cara"
    assert event.person_id == str(cara.pk)


def test_managers_see_break_glass_by_their_staff(world: World) -> None:
    do_break_glass(world.users["sam"], world.children["cara"],
                   reason="Police called out of hours about Cara")
    html = sign_in(HttpsClient(), world.users["mo"]).get(
        reverse("break_glass_review")).content.decode()
    assert "Police called out of hours about Cara" in html and ">sam<" in html


def test_break_glass_needs_a_reason(world: World) -> None:
    with pytest.raises(ValidationError) as excinfo:
        do_break_glass(world.users["sam"], world.children["cara"], reason="need")
    assert "reason: is too short" in str(excinfo.value)


def test_break_glass_cannot_open_a_restricted_record(world: World) -> None:
    """Missing and restricted ids get the same answer, so nothing leaks."""
    client = sign_in(HttpsClient(), world.users["olly"])
    restricted = client.post(reverse("break_glass"), {
        "la_person_id": "LA-dina", "reason": "Emergency placement breakdown"})
    missing = client.post(reverse("break_glass"), {
        "la_person_id": "LA-nobody", "reason": "Emergency placement breakdown"})
    assert restricted.status_code == missing.status_code == 400
    assert "is not a record you can open this way" in restricted.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.BREAK_GLASS).exists()


def test_roles_without_break_glass_do_not_see_the_page(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["ana"])
    assert client.get(reverse("break_glass")).status_code == 404


def test_only_managers_see_the_review(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["sam"])
    assert client.get(reverse("break_glass_review")).status_code == 404
