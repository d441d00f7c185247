"""The persona matrix: every persona against every page about a child and every record
type. It fails when anyone can reach what they should not (or cannot reach their own work).
A record outside a persona's reach must answer 404, exactly like a record that does not
exist."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.conftest import HttpsClient
from tests.world import World, sign_in

# Who may see whom (see tests/world.py for the council). Mary is Ella's mother: anyone
# who may see Ella may see the relatives recorded with her.
EXPECTED: dict[str, set[str]] = {
    "sam": {"ella", "mary"},                    # his allocation (Dina is restricted)
    "mo": {"ella", "ben", "mary"},              # team manager: the whole North service
    "sasha": {"ella", "ben", "mary"},           # service manager: the whole North service
    "bob": {"ben"},                              # Team B social worker
    "olly": {"cara"},                            # another service entirely
    "fran": {"evan"},                            # front door: open contacts
    "ira": {"ella", "mary"},                     # chairs Ella's reviews
    "queenie": {"ella", "ben", "cara", "evan", "mary"},  # QA: all but restricted
    "ana": set(),                                # analyst: aggregates only
    "ada": set(),                                # system admin: accounts, not records
    "otto": set(),                               # outsider: no team, no allocation
}
# Roles that read but do not record: a recording page (here the chronology's "add an
# event") is 404 to them even for a child they see.
READS_ONLY = {"queenie", "ana", "ada"}


def record_types() -> set[str]:
    return {model._meta.model_name or "" for model in apps.get_app_config("records").get_models()
            if any(f.name == "person" for f in model._meta.concrete_fields)}


def test_ella_has_a_record_of_every_type(world: World) -> None:
    """So the matrix below really tries every record type; a new type must join it."""
    covered = {r._meta.model_name for r in world.ella_records}
    assert record_types() - covered == set()


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_persona_reaches_exactly_the_expected_children(world: World, persona: str) -> None:
    client = sign_in(HttpsClient(), world.users[persona])
    wrong = []
    for name, child in world.children.items():
        expected = 200 if name in EXPECTED[persona] else 404
        for route in ("person", "viewers", "person_records", "chronology", "chronology_add"):
            wanted = 404 if route == "chronology_add" and persona in READS_ONLY else expected
            status = client.get(reverse(route, args=[child.pk])).status_code
            if status != wanted:
                wrong.append(f"{route} {name}: {status}, expected {wanted}")
    for record in world.ella_records:
        expected = 200 if "ella" in EXPECTED[persona] else 404
        url = reverse("record", args=[record._meta.model_name, record.pk])
        status = client.get(url).status_code
        if status != expected:
            wrong.append(f"{record._meta.model_name} {record.pk}: {status}, expected {expected}")
    assert wrong == []


def test_missing_and_forbidden_look_the_same(world: World) -> None:
    """Olly asking for Ella (exists, not his) and for id 999999 (no one) gets one answer."""
    client = sign_in(HttpsClient(), world.users["olly"])
    forbidden = client.get(reverse("person", args=[world.children["ella"].pk]))
    missing = client.get(reverse("person", args=[999999]))
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.content == missing.content


def test_search_finds_only_visible_children(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["olly"])
    html = client.get(reverse("search"), {"name": "child"}).content.decode()
    assert "Cara Child" in html
    assert "Ella Child" not in html and "Dina Child" not in html


def test_signed_out_visitor_is_sent_to_sign_in(world: World) -> None:
    response = HttpsClient().get(reverse("person", args=[world.children["ella"].pk]))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_password_alone_is_not_enough(world: World) -> None:
    """Signed in with a password but no second factor: sent to the two-factor page."""
    client: Client = HttpsClient()
    client.force_login(world.users["sam"])
    response = client.get(reverse("person", args=[world.children["ella"].pk]))
    assert response.status_code == 302 and response["Location"] == reverse("two_factor")


def test_list_and_single_record_checks_agree(world: World) -> None:
    """visible_people (searches, lists) and may_see (one record) are two forms of one
    policy; with break-glass and a grant in play they must give the same answer for
    every persona and every person."""
    from goldenthread.access.actions import do_break_glass, do_grant_access
    from goldenthread.access.policy import may_see, visible_among, visible_people
    from goldenthread.records.models import Person

    do_break_glass(world.users["olly"], world.children["ella"], reason="out-of-hours call")
    do_grant_access(world.children["dina"], to=world.users["queenie"], reason="audit sample",
                    acting_user=world.users["mo"])
    disagreements = []
    everyone = list(Person.objects.values_list("pk", flat=True))
    for name, user in world.users.items():
        listed = set(visible_people(user).values_list("pk", flat=True))
        for person in Person.objects.all():
            if may_see(user, person) != (person.pk in listed):
                disagreements.append((name, person.la_person_id))
        if visible_among(user, everyone) != listed:
            disagreements.append((name, "visible_among"))
    assert disagreements == []


def test_visible_among_honours_grants_and_archiving(world: World) -> None:
    """The quick form for a worker's own children (visible_among) keeps the policy's edges:
    a restricted child of theirs only with a current grant, an archived one never."""
    from goldenthread.access.actions import do_grant_access
    from goldenthread.access.policy import visible_among, visible_people
    from goldenthread.records.models import Person

    sam, dina = world.users["sam"], world.children["dina"]
    everyone = list(Person.objects.values_list("pk", flat=True))
    assert dina.pk not in visible_among(sam, everyone)
    do_grant_access(dina, to=sam, reason="allocated worker", acting_user=world.users["mo"])
    assert dina.pk in visible_among(sam, everyone)
    Person.objects.filter(pk=world.children["ella"].pk).update(archived_at=timezone.now())
    seen = visible_among(sam, everyone)
    assert world.children["ella"].pk not in seen
    assert seen == set(visible_people(sam).values_list("pk", flat=True))
