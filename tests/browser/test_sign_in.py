"""Signing in and out in the browser, as a social worker would at the start of the day."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect


def test_the_sign_in_page_is_accessible(page: Page, check_accessibility: Callable[[Page], None],
                                        screenshot: Callable[[Page, str], Path]) -> None:
    page.goto("/")
    expect(page).to_have_url("/accounts/login/?next=/")  # signed out: sent to sign in
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "01-sign-in")


def test_a_wrong_password_is_refused_with_the_error_summary(
        page: Page, check_accessibility: Callable[[Page], None],
        screenshot: Callable[[Page, str], Path]) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("demo-social-worker")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct username and password")
    expect(page.get_by_test_id("signed-in-user")).to_have_count(0)
    check_accessibility(page)
    screenshot(page, "02-sign-in-refused")


def test_a_social_worker_signs_in_and_out(page: Page,
                                          sign_in_as: Callable[[Page, str], None],
                                          check_accessibility: Callable[[Page], None],
                                          screenshot: Callable[[Page, str], Path]) -> None:
    sign_in_as(page, "social worker")
    expect(page.get_by_test_id("signed-in-user")).to_contain_text("Signed in as")
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Find a person")).to_be_visible()
    check_accessibility(page)
    screenshot(page, "03-home")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.goto("/people/")
    expect(page).to_have_url("/accounts/login/?next=/people/")  # the session is gone
