"""Every look at a child's record is on record: one event per page view, one per export
with its row count, one per search with its terms; and who looked is shown."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from goldenthread.audit.models import AuditAction, AuditEvent
from tests.conftest import HttpsClient
from tests.world import World, sign_in


def test_each_view_of_a_child_writes_exactly_one_event(world: World) -> None:
    ella = world.children["ella"]
    client = sign_in(HttpsClient(), world.users["sam"])
    for url in (reverse("person", args=[ella.pk]), reverse("viewers", args=[ella.pk]),
                reverse("record", args=["placement", ella.placements.get().pk])):
        before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
        assert client.get(url).status_code == 200
        events = AuditEvent.objects.filter(action=AuditAction.VIEW).order_by("-id")
        assert events.count() == before + 1
        assert events[0].person_id == str(ella.pk) and events[0].actor_username == "sam"


def test_a_refused_look_writes_no_view_event(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["olly"])
    before = AuditEvent.objects.filter(action=AuditAction.VIEW).count()
    client.get(reverse("person", args=[world.children["ella"].pk]))
    assert AuditEvent.objects.filter(action=AuditAction.VIEW).count() == before


def test_who_has_viewed_shows_each_look(world: World) -> None:
    """Mo reads Ella's record; Sam then sees Mo's look on the 'who has viewed' page."""
    ella = world.children["ella"]
    sign_in(HttpsClient(), world.users["mo"]).get(reverse("person", args=[ella.pk]))
    html = sign_in(HttpsClient(), world.users["sam"]).get(
        reverse("viewers", args=[ella.pk])).content.decode()
    assert ">mo<" in html


def test_search_is_recorded_with_its_terms_and_result_count(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["sam"])
    client.get(reverse("search"), {"name": "Ella"})
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.detail == {"terms": {"name": "Ella", "identifier": ""}, "results": 1}


def test_export_writes_one_event_with_its_row_count(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["ana"])
    response = client.get(reverse("pseudonymised_people"))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    [event] = AuditEvent.objects.filter(action=AuditAction.EXPORT)
    assert event.detail == {"export": "pseudonymised_people", "row_count": len(rows) - 1}
    assert event.actor_username == "ana"


def test_sign_in_and_sign_out_are_recorded(world: World) -> None:
    client = HttpsClient()
    world.users["sam"].set_password("a long and private passphrase")
    world.users["sam"].save()
    client.post(reverse("login"), {"username": "sam",
                                   "password": "a long and private passphrase"})
    client.post(reverse("logout"))
    actions = list(AuditEvent.objects.filter(actor_username="sam")
                   .values_list("action", flat=True))
    assert AuditAction.LOGIN in actions and AuditAction.LOGOUT in actions
