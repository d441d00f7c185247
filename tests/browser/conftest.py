"""Browser tests: Playwright driving Debian's Chromium against a real server (app_server.py).

Fixtures: `app` (the server and the children it holds), `page` (a fresh browser tab whose
console errors and failed requests fail the test), `sign_in_as(page, persona)`,
`check_accessibility(page)` (axe: no serious or critical violations) and
`screenshot(page, name)` (full-page PNG under artifacts/screenshots/<database>/).

The page's Content-Security-Policy stays on: axe is added by Playwright as an init script,
which the page's CSP does not govern, so a script of ours that the CSP refuses still shows
up as a console error and fails the test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from goldenthread.access.management.commands.demo_users import DEMO_PASSWORD
from tests.browser.app_server import ROOT, AppServer, app_server, database_kind

CHROMIUM = Path(os.environ.get("GOLDENTHREAD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
PERSONAS = {  # persona → sign-in: `goldenthread demo_users`, and the walk's (prepare.py)
    "social worker": "demo-social-worker",
    "team manager": "demo-team-manager",
    "auditor": "demo-auditor",
    "analyst": "demo-analyst",
    "front door": "walk-front-door",
    "walk social worker": "walk-social-worker",
    "walk team manager": "walk-team-manager",
}
SERIOUS = ("serious", "critical")


def require_chromium() -> None:
    """Outside CI a machine without Chromium skips these tests; under CI that is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"{CHROMIUM} is missing under CI: the browser tests must run (make test "
                    "installs Debian's chromium)", pytrace=False)
    pytest.skip(f"{CHROMIUM} is missing (make test installs it: apt-get install chromium); "
                "browser tests skipped outside CI")


# Package scope: the server and the browser stop when tests/browser is done, so Playwright's
# event loop is gone before any other test touches the ORM in this process.


@pytest.fixture(scope="package")
def app() -> Iterator[AppServer]:
    require_chromium()
    suite_url = os.environ.get("DATABASE_URL", "")
    with app_server(suite_url) as server:
        yield server


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    require_chromium()
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield chromium
    chromium.close()


class Tab:
    """A browser tab in a context of its own (its own cookies: one person signed in), whose
    console errors, script errors and responses of 400 and above are collected."""

    def __init__(self, browser: Browser, app: AppServer) -> None:
        self.app = app
        self.context = browser.new_context(base_url=app.url,
                                           viewport={"width": 1280, "height": 900},
                                           locale="en-GB", timezone_id="Europe/London")
        self.context.add_init_script(path=str(AXE))
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.problems: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        self.page.on("response", lambda r: self.problems.append(
            f"{r.status} for {r.request.method} {r.url}") if r.status >= 400 else None)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.problems.append(f"console error on {self.page.url}: {message.text}")

    def close_and_check(self) -> None:
        """Close the tab; fail on any error not expected by the test (`expect_errors`)."""
        self.context.close()
        expected: list[str] = getattr(self.page, "expected_errors", [])
        unexpected = [p for p in self.problems if not any(e in p for e in expected)]
        server_failed = any(p.startswith("5") for p in unexpected)
        assert unexpected == [], ("the browser saw errors:\n" + "\n".join(unexpected)
                                  + (f"\n\nthe server's log ends:\n{self.app.log_tail()}"
                                     if server_failed else ""))


@pytest.fixture
def page(browser: Browser, app: AppServer) -> Iterator[Page]:
    """A new tab with no one signed in; its errors fail the test (see Tab)."""
    tab = Tab(browser, app)
    yield tab.page
    tab.close_and_check()


def expect_errors(page: Page, *fragments: str) -> None:
    """Tell the `page` fixture that errors containing these fragments are intended (e.g. the
    400 of a form refused on purpose)."""
    page.expected_errors = [*getattr(page, "expected_errors", []), *fragments]  # type: ignore[attr-defined]


def sign_in(page: Page, persona: str) -> None:
    username = PERSONAS[persona]
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()
    page.get_by_test_id("signed-in-user").wait_for()


@pytest.fixture
def sign_in_as() -> Callable[[Page, str], None]:
    """sign_in_as(page, "social worker"): signs in through the sign-in page (see PERSONAS)."""
    return sign_in


def axe_violations(page: Page) -> list[dict[str, Any]]:
    result: dict[str, Any] = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in SERIOUS]


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        lines.append(f"- {v['impact']}: {v['id']} ({v['help']}) at {targets}")
    return "\n".join(lines)


@pytest.fixture
def check_accessibility() -> Callable[[Page], None]:
    """check_accessibility(page): axe on the page as it is now; fails on any serious or
    critical violation, listing each rule and where."""

    def check(page: Page) -> None:
        violations = axe_violations(page)
        assert violations == [], (f"axe found serious or critical problems on {page.url}:\n"
                                  + describe_violations(violations))

    return check


@pytest.fixture(scope="package")
def screenshot_dir(app: AppServer) -> Path:
    directory = SCREENSHOTS / database_kind(os.environ.get("DATABASE_URL", ""))
    shutil.rmtree(directory, ignore_errors=True)  # this run's pictures only
    directory.mkdir(parents=True)
    return directory


@pytest.fixture
def screenshot(screenshot_dir: Path) -> Callable[[Page, str], Path]:
    """screenshot(page, "child-page"): the whole page as artifacts/screenshots/<db>/<name>.png."""

    def take(page: Page, name: str) -> Path:
        path = screenshot_dir / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
