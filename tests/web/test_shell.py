"""The page shell every signed-in page shares: a council's service (not GOV.UK), the service
navigation for the user's roles, who is signed in, and scripts that pass the strict CSP."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from goldenthread.accounts.models import Role, User
from goldenthread.records.actions.base import create_record
from goldenthread.records.models import LocalAuthority
from tests.factories import UserFactory
from tests.world import sign_in


def signed_in_as(client: Client, role: str) -> User:
    user = UserFactory(username=f"{role}-persona", first_name="Kim", last_name="Shell")
    user.roles.add(Role.objects.get(code=role))
    sign_in(client, user)
    return user


def home_page(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def nav_texts(page: str) -> list[str]:
    nav = page.split('class="govuk-service-navigation__list"', 1)[1].split("</ul>", 1)[0]
    return [text.strip() for text in
            re.findall(r'class="govuk-service-navigation__link"[^>]*>\s*(?:<strong[^>]*>)?'
                       r"([^<]+)<", nav)]


@pytest.mark.django_db
def test_the_header_names_the_council_from_its_record(client: Client) -> None:
    """With a current LocalAuthority row, its name heads the page and ends the title."""
    user = signed_in_as(client, "social_worker")
    create_record(LocalAuthority, acting_user=user, name="Northtown City Council",
                  ons_code="E08000099", dfe_code="999")
    page = home_page(client)
    assert re.search(r'govuk-generic-header__homepage-link">\s*Northtown City Council', page)
    assert "– goldenthread – Northtown City Council</title>" in page


@pytest.mark.django_db
def test_without_a_council_record_the_name_comes_from_settings(client: Client) -> None:
    signed_in_as(client, "social_worker")
    page = home_page(client)
    assert re.search(r'govuk-generic-header__homepage-link">\s*Synthetic City Council', page)


@pytest.mark.django_db
def test_a_council_service_shows_no_crown_and_no_crown_copyright(client: Client) -> None:
    signed_in_as(client, "social_worker")
    page = home_page(client)
    for gov_uk_only in ("govuk-header", "govuk-logo", "Crown copyright",
                        "Open Government Licence", "govuk-icon"):
        assert gov_uk_only not in page


@pytest.mark.django_db
def test_a_social_worker_sees_the_casework_pages_and_no_oversight(client: Client) -> None:
    signed_in_as(client, "social_worker")
    assert nav_texts(home_page(client)) == ["My work", "Find a person", "Record a contact"]


@pytest.mark.django_db
def test_a_team_manager_also_sees_the_break_glass_review(client: Client) -> None:
    signed_in_as(client, "team_manager")
    assert nav_texts(home_page(client)) == ["My work", "Find a person", "Record a contact",
                                            "Break-glass review"]


@pytest.mark.django_db
def test_an_analyst_sees_the_pseudonymised_export(client: Client) -> None:
    signed_in_as(client, "performance_analyst")
    assert "Pseudonymised export" in nav_texts(home_page(client))


@pytest.mark.django_db
def test_the_page_in_hand_is_marked_current(client: Client) -> None:
    signed_in_as(client, "social_worker")
    page = client.get("/people/").content.decode()
    assert re.search(r'href="/people/"\s+aria-current="page"', page)


@pytest.mark.django_db
def test_the_signed_in_user_is_named_and_may_sign_out(client: Client) -> None:
    signed_in_as(client, "social_worker")
    page = home_page(client)
    assert re.search(r'Signed in as <strong>Kim Shell</strong>', page)
    form = page.split('class="gt-signout"', 1)[1].split("</form>", 1)[0]
    assert 'method="post" action="/accounts/logout/"' in form
    assert 'name="csrfmiddlewaretoken"' in form


@pytest.mark.django_db
def test_the_sign_in_page_has_no_navigation_and_no_user(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "govuk-service-navigation__list" not in page
    assert "Signed in as" not in page
    assert 'href="#main-content"' in page  # the skip link


@pytest.mark.django_db
def test_every_script_carries_the_nonce_the_policy_allows(client: Client) -> None:
    signed_in_as(client, "social_worker")
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce, policy
    scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
    assert len(scripts) == 2  # GOV.UK's js-enabled line, and ours that starts the components
    assert all(f'nonce="{nonce.group(1)}"' in tag for tag in scripts)


@pytest.mark.django_db
def test_every_stylesheet_and_script_the_shell_names_is_served(client: Client) -> None:
    """Each /static/ path in the page is found by the static-file finders (the demo and the
    browser tests serve them from there; collectstatic copies the same files)."""
    signed_in_as(client, "social_worker")
    page = home_page(client)
    paths = re.findall(r'(?:href|src)="/static/([^"]+)"', page)
    assert {"govuk/govuk-frontend.min.css", "moj/moj-frontend.min.css",
            "goldenthread/app.css", "goldenthread/init.js"} <= set(paths)
    assert [p for p in paths if not finders.find(p)] == []


def test_the_start_script_imports_modules_that_are_served() -> None:
    found = finders.find("goldenthread/init.js")
    assert isinstance(found, str)
    with open(found, encoding="utf-8") as script:
        imports = re.findall(r"from '\.\./([^']+)'", script.read())
    assert imports == ["govuk/govuk-frontend.min.js", "moj/moj-frontend.min.js"]
    assert [p for p in imports if not finders.find(p)] == []
