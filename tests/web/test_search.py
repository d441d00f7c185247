"""Find a person in the browser: a GOV.UK form for name, date of birth and identifier;
spelling need not be exact; only people the user may see; errors in the error summary."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records.actions.base import change_record
from tests.conftest import HttpsClient
from tests.world import World, build_world, sign_in

NHS = "9434765919"


@pytest.fixture
def world(db: None) -> World:
    world = build_world()
    ella = world.children["ella"]
    world.children["ella"] = change_record(ella, acting_user=world.users["sam"],
                                           expected_version=ella.version, nhs_number=NHS)
    return world


def found(world: World, persona: str, **query: str) -> tuple[int, str, set[str]]:
    response = sign_in(HttpsClient(), world.users[persona]).get(reverse("search"), query)
    html = response.content.decode()
    return response.status_code, html, set(re.findall(r'data-person="(\d+)"', html))


def test_the_form_asks_for_name_date_of_birth_and_identifier(world: World) -> None:
    status, html, people = found(world, "sam")
    assert status == 200 and people == set()
    for field in ('id="name"', 'id="identifier"', 'id="dob-day"', 'id="dob-month"',
                  'id="dob-year"'):
        assert field in html
    assert "govuk-date-input" in html


def test_a_misspelt_name_finds_the_child(world: World) -> None:
    _, html, people = found(world, "sam", name="Ela Chyld")
    assert people == {str(world.children["ella"].pk)}
    assert "1 found" in html


def test_by_date_of_birth(world: World) -> None:
    """Ella was born on 1 May 2015."""
    _, _, people = found(world, "sam", **{"dob-day": "1", "dob-month": "5", "dob-year": "2015"})
    assert people == {str(world.children["ella"].pk)}


def test_by_nhs_number_typed_with_spaces(world: World) -> None:
    _, _, people = found(world, "sam", identifier="943 476 5919")
    assert people == {str(world.children["ella"].pk)}


def test_an_impossible_date_is_shown_in_the_error_summary_with_what_was_typed(
        world: World) -> None:
    status, html, people = found(world, "sam", name="Ella",
                                 **{"dob-day": "31", "dob-month": "2", "dob-year": "2015"})
    assert status == 400 and people == set()
    assert "govuk-error-summary" in html and 'href="#dob-day"' in html
    assert "Date of birth must be a real date" in html
    assert 'value="31"' in html and 'value="Ella"' in html


def test_someone_outside_reach_is_not_found_and_the_search_is_audited(world: World) -> None:
    """Olly (another service) searches for Ella: nothing, and the search is recorded."""
    _, html, people = found(world, "olly", name="Ella Child")
    assert people == set() and "0 found" in html
    event = AuditEvent.objects.filter(action=AuditAction.SEARCH).latest("id")
    assert event.actor_username == "olly"
    assert event.detail["results"] == 0
