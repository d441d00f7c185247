"""A new child taken from contact to closure in the browser, by the people who would record
each step, every page checked with axe and photographed (artifacts/screenshots/<db>/walk-*).

Rowan Wayfarer, eight, is unknown until the school rings six days ago (T = today, UK time).
The front door (a MASH worker) records the contact, decides it is a referral and allocates
the case to a social worker in a locality team. She assesses; a strategy discussion agrees
a section 47 enquiry; her team manager authorises the assessment; an initial conference
puts Rowan on a child protection plan, visited and reviewed. When the plan ends Rowan comes
into care (section 20), is reviewed, goes missing for a night and has a return home
interview; the worker writes a case note, the manager records supervision with a decision
and its rationale; Rowan goes home and the referral is closed. Afterwards the QA auditor
reads the chronology the records make.

Each person works from the child's page ("Record for this child"), reached from My work
or Find a person. The sign-ins are made by tests/browser/prepare.py (walk-front-door,
walk-social-worker, walk-team-manager), linked to synthetic staff; the steps and their
labels are W2's (/tmp/helpers/W2_URLS.md). Each save must land on the child's page with no
error summary.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.app_server import AppServer
from tests.browser.conftest import (
    Tab,
    axe_violations,
    describe_violations,
    sign_in,
)
from tests.browser.forms import Answer, Code, fill

T = dt.datetime.now(ZoneInfo("Europe/London")).date()


def day(offset: int) -> dt.date:
    return T + dt.timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day(offset), dt.time(hour, minute))


class Recorder:
    """One person at their own browser: opens a step from the child's record menu, answers
    it, checks the page with axe, photographs it and saves."""

    def __init__(self, tab: Tab, persona: str, shot: Callable[[Page, str], Path]) -> None:
        self.tab, self.page, self.shot = tab, tab.page, shot
        sign_in(self.page, persona)

    def check_and_photograph(self, name: str) -> None:
        violations = axe_violations(self.page)
        assert violations == [], (f"axe: serious or critical problems on {self.page.url}:\n"
                                  + describe_violations(violations))
        self.shot(self.page, name)

    def save(self, button: str, child_id: int, status: int, *,
             leaves_reach: bool = False) -> None:
        with self.page.expect_navigation() as landed:
            self.page.get_by_role("button", name=button, exact=True).click()
        errors = self.page.locator(".govuk-error-summary")
        assert errors.count() == 0, f"refused on {self.page.url}: {errors.first.inner_text()}"
        if not leaves_reach:
            expect(self.page).to_have_url(f"/people/{child_id}/")
        answered = landed.value.status if landed.value is not None else None
        assert answered == status, (f"{self.page.url} answered {answered}, not {status}; the "
                                    f"server's log ends:\n{self.tab.app.log_tail()}")

    def open_from_my_work(self, child_id: int) -> None:
        """The child as a new case in the signed-in person's My work (or their team's)."""
        self.page.locator(f'[data-testid="my-work"] a[href="/people/{child_id}/"]').click()
        expect(self.page).to_have_url(f"/people/{child_id}/")

    def step(self, child_id: int, number: int, title: str, answers: dict[str, Answer],
             button: str, *, status: int = 200, leaves_reach: bool = False) -> None:
        """From the child's page, "Record for this child", then the step whose link starts
        with `title`; saving leads back to the child's page (answering `status`), or, when
        the save ends this worker's reach, to a page saying so."""
        expect(self.page).to_have_url(f"/people/{child_id}/")
        self.page.get_by_role("link", name="Record for this child").click()
        self.page.get_by_role("link", name=re.compile("^" + re.escape(title))).first.click()
        expect(self.page.get_by_role("heading", level=1)).to_contain_text(title)
        fill(self.page, answers)
        self.check_and_photograph(f"walk-{number:02d}-" + re.sub(r"[^a-z0-9]+", "-",
                                                                  title.lower()))
        self.save(button, child_id, status, leaves_reach=leaves_reach)


@pytest.fixture
def tabs(browser: Browser, app: AppServer) -> Iterator[Callable[[], Tab]]:
    """Tabs for the walk's people, each checked for errors when the test ends."""
    opened: list[Tab] = []

    def open_tab() -> Tab:
        opened.append(Tab(browser, app))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.close_and_check()


def test_a_new_child_is_taken_from_contact_to_closure(
        app: AppServer, tabs: Callable[[], Tab], screenshot: Callable[[Page, str], Path]) -> None:
    walk = app.facts["walk"]
    worker, manager = walk["walk-social-worker"], walk["walk-team-manager"]
    front = Recorder(tabs(), "front door", screenshot)

    # The front door: a contact about a child nobody knows, from the service navigation.
    front.page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Record a contact").click()
    expect(front.page.get_by_role("heading", level=1)).to_have_text(
        "Record a contact about a new child")
    fill(front.page, {
        "First name": "Rowan", "Last name": "Wayfarer",
        "Date of birth": dt.date(T.year - 8, 2, 14), "Sex": Code("SEX", "M"),
        "Ethnicity": Code("ETHNICITY", "WBRI"),
        "When the contact was received": at(-6, 9, 15),
        "Source of the contact": Code("REFERRAL_SOURCE", "2A"),
        "Who made the contact": "Example Primary School, designated safeguarding lead",
        "What the contact says": "Rowan came to school with bruises on both arms and "
                                 "would not say how he got them."})
    front.check_and_photograph("walk-01-new-contact")
    with front.page.expect_navigation():
        front.page.get_by_role("button", name="Save contact").click()
    expect(front.page.get_by_test_id("child-name")).to_contain_text("Rowan Wayfarer")
    match = re.search(r"/people/(\d+)/$", front.page.url)
    assert match, f"the new contact did not lead to the child's page: {front.page.url}"
    rowan = int(match.group(1))

    front.step(rowan, 2, "Record the front-door decision", {
        "Front-door decision": Code("CONTACT_DECISION", "REFERRAL"),
        "Level of need": Code("LEVEL_OF_NEED", "4"),
        "Rationale for the decision": "Unexplained injuries to a primary-age child; "
                                      "needs a social work assessment today.",
        "When the decision was made": at(-6, 14, 30)}, "Save decision")
    front.step(rowan, 3, "Record a referral", {
        "Date of the referral": day(-6), "Source of the referral": Code("REFERRAL_SOURCE", "2A"),
        "Category of need (primary need)": Code("CIN_PRIMARY_NEED", "N1"),
        "Team that will hold the case": walk["team"],
        "Allocated social worker": worker["option"]}, "Save referral")

    # The social worker finds Rowan in My work; her manager authorises the assessment.
    social = Recorder(tabs(), "walk social worker", screenshot)
    social.open_from_my_work(rowan)
    social.step(rowan, 4, "Start an assessment", {"Date the assessment started": day(-6)},
                "Start assessment")
    social.step(rowan, 5, "Record a strategy discussion", {
        "Date of the strategy discussion": day(-6),
        "Was a section 47 enquiry agreed?": "Yes",
        "Who took part": "Police, school nurse, social worker",
        "Rationale for the decision": "Injuries not explained; threshold for section 47 met"},
        "Save strategy discussion")
    social.step(rowan, 6, "Start a section 47 enquiry", {"Date the enquiry started": day(-6)},
                "Start section 47 enquiry")
    social.step(rowan, 7, "Record the assessment's findings", {
        "Was the child seen during the assessment?": "Yes",
        "Date the child was seen": day(-5),
        "Factors identified at assessment": [Code("ASSESSMENT_FACTOR", "3A")],
        "Date the assessment was completed": day(-5)}, "Save and complete assessment")
    boss = Recorder(tabs(), "walk team manager", screenshot)
    boss.open_from_my_work(rowan)
    boss.step(rowan, 8, "Authorise the assessment", {"Date authorised": day(-5)},
              "Authorise assessment")

    # Child protection.
    social.step(rowan, 9, "Record the outcome of the section 47 enquiry", {
        "Date the enquiry ended": day(-5),
        "Is an initial child protection conference needed?": "Yes"}, "Save outcome")
    social.step(rowan, 10, "Record an initial child protection conference", {
        "Date of the conference": day(-5),
        "Did the conference decide on a child protection plan?": "Yes",
        "Chair": manager["option"]}, "Save conference")
    social.step(rowan, 11, "Start the child protection plan", {
        "Date the plan started": day(-5),
        "Category of abuse": Code("CATEGORY_OF_ABUSE", "PHY")}, "Start plan")
    social.step(rowan, 12, "Record a child protection visit", {
        "Date of the visit": day(-5), "Was the child seen?": "Yes",
        "The child was seen alone": True}, "Save visit")
    social.step(rowan, 13, "Record a child protection review", {
        "Date the review was due": day(-4), "Date of the review": day(-4),
        "Does the plan continue?": "No"}, "Save review")
    social.step(rowan, 14, "End the child protection plan", {"Date the plan ended": day(-4)},
                "End plan")

    # Care, a missing night and the return home interview.
    social.step(rowan, 15, "Record coming into care", {
        "Date the child became looked after": day(-4),
        "Legal status": Code("LEGAL_STATUS", "V2"),
        "Category of need": Code("CIN_PRIMARY_NEED", "N1"),
        "Placement type": Code("PLACE", "U6"),
        "Placement provider": Code("PLACE_PROVIDER", "PR1"),
        "Postcode of the placement": "M8 9AB"}, "Save coming into care")
    social.step(rowan, 16, "Record a looked-after review", {
        "Date the review was due": day(-3), "Date of the review": day(-3)}, "Save review")
    social.step(rowan, 17, "Record a missing or away episode", {
        "Missing, or away from placement": Code("MISSING_TYPE", "M"),
        "When the child went missing": at(-3, 21), "When the child returned": at(-2, 8),
        "Was it reported to the police?": "Yes"}, "Save missing episode")
    social.step(rowan, 18, "Record the return home interview", {
        "When the interview was offered": at(-2, 10),
        "Was the interview accepted?": "Yes",
        "When the interview was held": at(-2, 16)}, "Save return home interview")
    social.step(rowan, 19, "Write a case note", {
        "When the work happened": at(-1, 11, 30), "Kind of work": "home visit",
        "Subject": "Planning the return home",
        "Note": "Rowan wants to go home; his mother has agreed the safety plan.",
        "Show in the child's impact chronology": True}, "Save case note")
    boss.step(rowan, 20, "Record case supervision", {
        "Date of the supervision": day(-1), "Worker supervised": worker["option"],
        "What was discussed": "Rowan's return home and the safety plan",
        "Decision": "Rowan returns home; the case closes with early help offered",
        "Rationale for the decision": "The risks are managed by the safety plan and "
                                      "Rowan's wishes are clear"}, "Save supervision")

    # Home, and closure.
    social.step(rowan, 21, "Record leaving care", {
        "Date the child left care": day(0),
        "Reason care ended": Code("REC", "E4A")}, "Save leaving care")
    # Closing ends the allocation, and the worker's reach to Rowan's record with it: the
    # save says so and leads back to My work, rather than to a "not found".
    social.step(rowan, 22, "Close the referral", {
        "Date the referral closed": day(0),
        "Reason for closure": Code("CLOSURE_REASON", "RC7")}, "Close referral",
        leaves_reach=True)
    expect(social.page.get_by_role("heading", name="Saved")).to_be_visible()
    expect(social.page.get_by_text("no longer allocated to you")).to_be_visible()

    # The QA auditor finds Rowan and reads the chronology the records made.
    auditor = Recorder(tabs(), "auditor", screenshot)
    auditor.page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Find a person").click()
    auditor.page.get_by_label("Name").fill("Rowan Wayfarer")
    auditor.page.get_by_role("button", name="Search").click()
    auditor.page.locator(f'[data-testid="results"] a[href="/people/{rowan}/"]').click()
    auditor.page.get_by_role("link", name="Chronology").click()
    timeline = auditor.page.get_by_test_id("chronology")
    for event in ("contact", "referral", "conference", "care", "missing", "closed"):
        expect(timeline).to_contain_text(re.compile(event, re.IGNORECASE))
    auditor.check_and_photograph("walk-23-chronology-after-closure")
