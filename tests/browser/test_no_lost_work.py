"""No lost work, in the browser: a refused form comes back with the GOV.UK error summary and
everything typed; a stale save is refused, showing the other change beside what was typed.
The child is the demo social worker's (tests/browser/prepare.py)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.app_server import AppServer
from tests.browser.conftest import Tab, axe_violations, describe_violations, sign_in
from tests.browser.forms import fill


def test_a_refused_form_shows_the_error_summary_and_keeps_what_was_typed(
        page: Page, app: AppServer, sign_in_as: Callable[[Page, str], None],
        check_accessibility: Callable[[Page], None],
        screenshot: Callable[[Page, str], Path]) -> None:
    """A case note without the time the work happened is refused: the summary names the
    question and links to it, the link moves the focus there, and the note is not lost."""
    child = app.facts["child"]
    sign_in_as(page, "social worker")
    page.goto(f"/people/{child['id']}/record/")
    page.get_by_role("link", name="Write a case note").click()
    typed = {"Kind of work": "phone call", "Subject": "School attendance",
             "Note": "Spoke to the head of year; attendance is up to 92%."}
    fill(page, typed)
    page.get_by_role("button", name="Save case note").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(page).to_have_title(re.compile(r"^Error: Write a case note"))
    for label, value in typed.items():
        expect(page.get_by_label(label, exact=True)).to_have_value(value)
    check_accessibility(page)
    screenshot(page, "40-refused-form")
    link = summary.get_by_role("link").first
    target = link.get_attribute("href")
    assert target is not None and target.startswith("#")
    link.click()
    expect(page.locator(target)).to_be_focused()


def test_a_stale_save_is_refused_and_shows_the_other_change(
        browser: Browser, app: AppServer, screenshot: Callable[[Page, str], Path]) -> None:
    """The child's details open on two screens; the first saves a preferred name; the
    second, saving another, is told someone changed the record, sees both values, keeps
    what it typed, and saves it knowingly on the second try."""
    child = app.facts["child"]
    first, second = Tab(browser, app), Tab(browser, app)
    try:
        for tab in (first, second):
            sign_in(tab.page, "social worker")
            tab.page.goto(f"/people/{child['id']}/record/")
            tab.page.get_by_role("link", name=f"Change the details of {child['full_name']}") \
                .click()
        fill(first.page, {"Preferred name": "Eth"})
        first.page.get_by_role("button", name="Save changes").click()
        expect(first.page).to_have_url(f"/people/{child['id']}/")

        fill(second.page, {"Preferred name": "Ethie"})
        second.page.get_by_role("button", name="Save changes").click()
        expect(second.page.get_by_test_id("stale-record")).to_contain_text(
            "Someone else changed this record")
        differences = second.page.get_by_test_id("stale-differences")
        expect(differences).to_contain_text("Eth")
        expect(differences).to_contain_text("Ethie")
        expect(second.page.get_by_label("Preferred name", exact=True)).to_have_value("Ethie")
        violations = axe_violations(second.page)
        assert violations == [], describe_violations(violations)
        screenshot(second.page, "41-stale-save-refused")

        second.page.get_by_role("button", name="Save changes").click()
        expect(second.page).to_have_url(f"/people/{child['id']}/")
        expect(second.page.get_by_test_id("child-name")).to_contain_text("known as Ethie")
    finally:
        first.close_and_check()
        second.close_and_check()
