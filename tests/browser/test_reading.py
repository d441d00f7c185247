"""Reading a child's record in the browser: My work, Find a person, the child's page and the
chronology, each checked with axe and photographed. The child is one the demo social worker
holds in the synthetic council (tests/browser/prepare.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.app_server import AppServer
from tests.browser.conftest import expect_errors, sign_in

Check = Callable[[Page], None]
Shot = Callable[[Page, str], Path]
SignIn = Callable[[Page, str], None]


def test_my_work_lists_the_social_workers_children(
        page: Page, app: AppServer, sign_in_as: SignIn, check_accessibility: Check,
        screenshot: Shot) -> None:
    child = app.facts["child"]
    sign_in_as(page, "social worker")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_role("navigation", name="Menu").get_by_role("link", name="My work")) \
        .to_have_attribute("aria-current", "page")
    expect(page.locator(f'[data-testid="my-work"] a[href="/people/{child["id"]}/"]')) \
        .to_contain_text(child["full_name"])
    check_accessibility(page)
    screenshot(page, "10-my-work")


def test_a_team_manager_sees_the_teams_work(page: Page, sign_in_as: SignIn,
                                            check_accessibility: Check, screenshot: Shot) -> None:
    sign_in_as(page, "team manager")
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    expect(page.get_by_label("Worker")).to_be_visible()  # the manager's choice of worker
    check_accessibility(page)
    screenshot(page, "11-my-work-team-manager")


def test_find_a_person_by_surname_and_open_their_page(
        page: Page, app: AppServer, sign_in_as: SignIn, check_accessibility: Check,
        screenshot: Shot) -> None:
    child = app.facts["child"]
    sign_in_as(page, "social worker")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Find a person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Find a person")
    check_accessibility(page)
    screenshot(page, "20-find-a-person")
    page.get_by_label("Name").fill(child["surname"])
    page.get_by_role("button", name="Search").click()
    found = page.locator(f'[data-testid="results"] a[href="/people/{child["id"]}/"]')
    expect(found).to_contain_text(child["full_name"])
    check_accessibility(page)
    screenshot(page, "21-find-a-person-results")
    found.click()
    expect(page.get_by_test_id("child-name")).to_contain_text(child["full_name"])


def test_the_childs_page_shows_the_case_summary(
        page: Page, app: AppServer, sign_in_as: SignIn, check_accessibility: Check,
        screenshot: Shot) -> None:
    child = app.facts["child"]
    sign_in_as(page, "social worker")
    page.goto(f"/people/{child['id']}/")
    expect(page.get_by_test_id("child-name")).to_contain_text(child["full_name"])
    expect(page.get_by_test_id("allocated")).to_contain_text(app.facts["worker"]["surname"])
    check_accessibility(page)
    screenshot(page, "30-child-page")


def test_the_chronology_lists_the_childs_journey(
        page: Page, app: AppServer, sign_in_as: SignIn, check_accessibility: Check,
        screenshot: Shot) -> None:
    child = app.facts["child"]
    sign_in_as(page, "social worker")
    page.goto(f"/people/{child['id']}/")
    page.get_by_role("link", name="Chronology").click()
    expect(page).to_have_url(f"/people/{child['id']}/chronology/")
    expect(page.get_by_test_id("chronology").locator(".moj-timeline__item").first) \
        .to_be_visible()
    check_accessibility(page)
    screenshot(page, "31-chronology")


def test_a_child_out_of_reach_is_not_found(page: Page, app: AppServer,
                                          sign_in_as: SignIn) -> None:
    """The analyst may see no child's record: the child's page answers 404, as for a child
    that does not exist."""
    expect_errors(page, "404 for GET", "status of 404")
    sign_in_as(page, "analyst")
    response = page.goto(f"/people/{app.facts['child']['id']}/")
    assert response is not None and response.status == 404


def test_finding_a_child_works_without_javascript(browser: Browser, app: AppServer) -> None:
    """Core flows must not need JavaScript: sign in, search, open the child's page."""
    child = app.facts["child"]
    context = browser.new_context(base_url=app.url, java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, "social worker")
        page.goto("/people/")
        page.get_by_label("Name").fill(child["surname"])
        page.get_by_role("button", name="Search").click()
        page.locator(f'[data-testid="results"] a[href="/people/{child["id"]}/"]').click()
        expect(page.get_by_test_id("child-name")).to_contain_text(child["full_name"])
    finally:
        context.close()
