"""The demo serves a page: the home page and the health check answer on localhost."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_home_page_is_a_govuk_page_with_counts(client: Client) -> None:
    PersonFactory()
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-template" in html and "govuk-header" in html
    assert 'data-testid="people-count">1<' in html


def test_home_page_shows_no_personal_details(client: Client) -> None:
    """Before sign-in exists the front page shows counts only, never a child's name."""
    PersonFactory(forename="Zebedee", surname="Unlikelyname")
    html = client.get("/").content.decode()
    assert "Zebedee" not in html and "Unlikelyname" not in html


def test_health_check_answers(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
