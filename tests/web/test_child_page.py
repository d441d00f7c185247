"""The child's page: the case summary at the top, sub-navigation to the chronology and the
records, the chronology in the MOJ timeline with add and mark forms (POST with CSRF, the
GOV.UK error summary, a stale mark refused). Ella is the persona of tests/world.py."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.casework.chronology import chronology, mark_event
from goldenthread.records.models import ChronologyEntry
from tests.conftest import HttpsClient
from tests.world import World, build_world, sign_in


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def sam(world: World) -> Client:
    return sign_in(HttpsClient(), world.users["sam"])


def url(name: str, world: World, child: str = "ella") -> str:
    return reverse(name, args=[world.children[child].pk])


def test_the_summary_is_at_the_top_of_the_childs_page(world: World, sam: Client) -> None:
    html = sam.get(url("person", world)).content.decode()
    assert re.search(r'data-testid="status">\s*Looked after', html)
    assert re.search(r'data-testid="legal-status">\s*Full care order', html)
    assert "Sam Persona, team-a team" in html
    assert 'data-alert="care_leaver"' in html
    assert 'data-testid="tasks"' in html and "Looked-after review due" in html
    assert "Female" in html  # the description of SEX 'F', not the code
    assert html.index('data-testid="status"') < html.index("Family and network")


def test_the_sub_navigation_marks_the_page_in_hand(world: World, sam: Client) -> None:
    html = sam.get(url("chronology", world)).content.decode()
    assert 'class="moj-sub-navigation"' in html
    current = re.findall(r'aria-current="page" href="([^"]+)"', html)
    assert current == [url("chronology", world)]
    for name in ("person", "person_records"):
        assert f'href="{url(name, world)}"' in html


def test_the_records_page_lists_the_childs_records(world: World, sam: Client) -> None:
    html = sam.get(url("person_records", world)).content.decode()
    referral = world.children["ella"].referrals.get()
    assert f'href="{reverse("record", args=["referral", referral.pk])}"' in html


def test_the_chronology_is_a_timeline_in_date_order(world: World, sam: Client) -> None:
    html = sam.get(url("chronology", world)).content.decode()
    assert 'class="moj-timeline"' in html
    stamps = re.findall(r'<time datetime="(\d{4}-\d\d-\d\d)', html)
    assert stamps and stamps == sorted(stamps)
    assert len(stamps) == len(chronology(world.children["ella"]))
    event = AuditEvent.objects.filter(action=AuditAction.VIEW).latest("id")
    assert event.detail == {"page": "chronology"}


def test_significant_only(world: World, sam: Client) -> None:
    every = sam.get(url("chronology", world)).content.decode().count("moj-timeline__item")
    some = sam.get(url("chronology", world), {"significant": "1"}).content.decode()
    assert 0 < some.count("moj-timeline__item") < every
    assert 'data-significant="no"' not in some


def test_adding_an_event(world: World, sam: Client) -> None:
    form = sam.get(url("chronology_add", world))
    assert form.status_code == 200 and "csrfmiddlewaretoken" in form.content.decode()
    response = sam.post(url("chronology_add", world), {
        "event_date-day": "1", "event_date-month": "9", "event_date-year": "2024",
        "title": "Father sent to prison", "impact": "Lost weekly contact"})
    assert response.status_code == 302
    assert response["Location"] == url("chronology", world) + "?saved=added"
    entry = ChronologyEntry.objects.get(title="Father sent to prison")
    assert (entry.person_id, entry.significant, entry.record_type) == (
        world.children["ella"].pk, True, "")
    assert "Event added to the chronology" in sam.get(response["Location"]).content.decode()


def test_a_bad_event_keeps_what_was_typed_and_says_what_is_wrong(world: World,
                                                                  sam: Client) -> None:
    response = sam.post(url("chronology_add", world), {
        "event_date-day": "31", "event_date-month": "2", "event_date-year": "2024",
        "title": "", "impact": "Moved to her gran's"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#event_date-day"' in html and 'href="#title"' in html
    assert "Enter what happened" in html and "Moved to her gran&#39;s" in html
    assert not ChronologyEntry.objects.filter(impact__startswith="Moved").exists()


def test_a_post_without_the_csrf_token_is_refused(world: World) -> None:
    client = HttpsClient(enforce_csrf_checks=True)
    sign_in(client, world.users["sam"])
    response = client.post(url("chronology_add", world), {
        "event_date-day": "1", "event_date-month": "9", "event_date-year": "2024",
        "title": "Forged"})
    assert response.status_code == 403
    assert not ChronologyEntry.objects.filter(title="Forged").exists()


def test_marking_an_event_significant(world: World, sam: Client) -> None:
    ella = world.children["ella"]
    started = next(e for e in chronology(ella) if e.title == "Assessment started")
    form = sam.get(url("chronology_mark", world), {"event": started.key}).content.decode()
    assert "Is this a significant event for Ella?" in form
    response = sam.post(url("chronology_mark", world), {
        "event": started.key, "version": "", "significant": "yes",
        "impact": "First time Ella spoke about home"})
    assert response.status_code == 302
    mark = ChronologyEntry.objects.get(record_type="assessment")
    assert (mark.significant, mark.impact) == (True, "First time Ella spoke about home")


def test_a_mark_made_meanwhile_is_shown_not_overwritten(world: World, sam: Client) -> None:
    """Sam opened the form when there was no mark; Mo marked it since. Sam's save is
    refused (409) and Mo's words are shown beside Sam's typed answer."""
    ella = world.children["ella"]
    review = next(e for e in chronology(ella) if e.title == "Looked-after review")
    mark_event(ella, review.key, significant=True, impact="Ella chaired part of it",
               acting_user=world.users["mo"])
    response = sam.post(url("chronology_mark", world), {
        "event": review.key, "version": "", "significant": "no", "impact": "Routine"})
    html = response.content.decode()
    assert response.status_code == 409
    assert "Ella chaired part of it" in html and "Routine" in html
    assert ChronologyEntry.objects.get(record_type="clareview").impact \
        == "Ella chaired part of it"


def test_an_unknown_event_is_not_found(world: World, sam: Client) -> None:
    response = sam.get(url("chronology_mark", world), {"event": "referral:999:2024-01-01"})
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["person", "person_records", "chronology", "chronology_add",
                                  "chronology_mark"])
def test_someone_outside_reach_gets_not_found(world: World, name: str) -> None:
    olly = sign_in(HttpsClient(), world.users["olly"])
    assert olly.get(url(name, world)).status_code == 404
    assert olly.post(url(name, world), {"title": "x"}).status_code in (404, 405)


def _queries(client: Client, path: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(("name", "most"), [("person", 14), ("chronology", 10)])
def test_a_childs_pages_read_in_a_few_queries_however_many_records(
        world: World, sam: Client, name: str, most: int) -> None:
    """Each kind of record is read in one query for the whole page (casework.sql
    read_records), not one query per kind or per record: Ella has a record of every kind,
    and her page still costs a handful of queries (28 and 35 on SQLite before)."""
    sam.get(url(name, world))  # the first page of a session saves it
    assert _queries(sam, url(name, world)) <= most
