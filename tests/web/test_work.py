"""My work, the home page, through the browser's eyes (the test client): the signed-in
worker's children and what is due; a manager's teams with a worker filter; an outsider's
empty page. The persona council is tests/world.py."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records.models import Professional
from tests.conftest import HttpsClient
from tests.world import World, build_world, sign_in


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def page(world: World, persona: str, query: str = "") -> str:
    response = sign_in(HttpsClient(), world.users[persona]).get("/" + query)
    assert response.status_code == 200
    return response.content.decode()


def children_on(html: str) -> set[str]:
    return set(re.findall(r'<tr class="govuk-table__row" data-person="(\d+)"', html))


def ids(world: World, *names: str) -> set[str]:
    return {str(world.children[n].pk) for n in names}


def test_a_social_worker_sees_their_children_and_what_is_due(world: World) -> None:
    """Sam holds Ella (and Dina, whose record is restricted: not shown)."""
    html = page(world, "sam")
    assert "<h1 class=\"govuk-heading-l\">My work</h1>" in html
    assert children_on(html) == ids(world, "ella")
    assert 'data-task="cla_review"' in html and "Looked-after review due" in html
    assert 'id="worker"' not in html  # no worker filter for a worker


def test_each_task_links_to_where_the_work_is_recorded(world: World) -> None:
    """Each task's link opens a page Sam can use: the recording step for it (a looked-after
    review, a visit …) or, for work with no recording step, the record it hangs from."""
    client = sign_in(HttpsClient(), world.users["sam"])
    html = client.get("/").content.decode()
    links = re.findall(r'<li data-task="(\w+)"[^>]*>.*?<a class="govuk-link" href="([^"]+)"',
                       html, flags=re.S)
    assert {kind for kind, _ in links} >= {"cla_review", "cla_visit", "cp_visit"}
    ella = world.children["ella"].pk
    assert ("cla_review", f"/people/{ella}/record/cla-review/") in links
    for kind, link in links:
        assert client.get(link.replace("&amp;", "&")).status_code == 200, (kind, link)


def test_a_team_manager_sees_the_team_and_can_choose_a_worker(world: World) -> None:
    """Mo manages Team A (Sam's): Ella. Choosing Sam shows Ella; choosing Bob, who is in
    Team B, shows no one."""
    html = page(world, "mo")
    assert children_on(html) == ids(world, "ella")
    sam = Professional.objects.get(user=world.users["sam"])
    bob = Professional.objects.get(user=world.users["bob"])
    assert f'<option value="{sam.pk}"' in html
    assert children_on(page(world, "mo", f"?worker={sam.pk}")) == ids(world, "ella")
    assert children_on(page(world, "mo", f"?worker={bob.pk}")) == set()


def test_a_service_manager_sees_every_team_of_the_service(world: World) -> None:
    assert children_on(page(world, "sasha")) == ids(world, "ella", "ben")


def test_a_worker_in_another_service_sees_only_their_own(world: World) -> None:
    assert children_on(page(world, "olly")) == ids(world, "cara")


def test_an_outsider_sees_an_empty_page(world: World) -> None:
    html = page(world, "otto")
    assert children_on(html) == set()
    assert "No children are allocated to you." in html


def test_the_page_is_audited_as_a_list_of_children(world: World) -> None:
    page(world, "mo")
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.actor_username == "mo"
    assert event.detail == {"terms": {"page": "my_work", "worker": ""}, "results": 1}


def test_signed_out_goes_to_sign_in(db: None) -> None:
    client: Client = HttpsClient()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
