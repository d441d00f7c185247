"""The browser harness itself: the accessibility check can fail, and the page runs under the
site's Content-Security-Policy with its scripts working."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect


def test_the_accessibility_check_fails_a_form_field_without_a_label(
        page: Page, check_accessibility: Callable[[Page], None]) -> None:
    """axe rates an input nobody has labelled as critical ('label'): the check must refuse
    the page, naming the rule."""
    page.goto("/accounts/login/")
    page.evaluate("document.querySelector('label[for=id_username]').remove()")
    with pytest.raises(AssertionError, match="critical: label"):
        check_accessibility(page)


def test_pages_run_under_the_strict_csp_and_start_the_components(page: Page) -> None:
    """The header's policy is enforced (no 'unsafe-inline'), and GOV.UK Frontend still starts:
    the js-enabled line ran (it carries the nonce) and the skip link is initialised."""
    response = page.goto("/accounts/login/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy and "'nonce-" in policy
    expect(page.locator("body")).to_have_class("govuk-template__body js-enabled "
                                               "govuk-frontend-supported")
    expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")


def test_screenshots_are_whole_pages_under_the_databases_folder(
        page: Page, screenshot: Callable[[Page, str], Path]) -> None:
    page.goto("/accounts/login/")
    path = screenshot(page, "00-harness")
    assert path.parent.name in ("sqlite", "postgresql")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
