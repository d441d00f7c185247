"""Helpers for the recording tests: typing dates into GOV.UK date inputs, posting a step,
and reading the error summary back."""

from __future__ import annotations

import datetime as dt
import html as html_text
import re
from typing import Any

from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from goldenthread.audit.models import AuditEvent


def date_parts(name: str, day: dt.date) -> dict[str, str]:
    """What a person types into the day, month and year boxes."""
    return {f"{name}-day": str(day.day), f"{name}-month": str(day.month),
            f"{name}-year": str(day.year)}


def when_parts(name: str, moment: dt.datetime) -> dict[str, str]:
    """Day, month, year and the time of day (UK time), as typed."""
    local = timezone.localtime(moment)
    return {**date_parts(name, local.date()), f"{name}-time": local.strftime("%H:%M")}


def step_url(person_id: int, step: str) -> str:
    return reverse("record_step", args=[person_id, step])


def post_step(client: Client, person_id: int, step: str, data: dict[str, Any],
              record: int | None = None, version: int | None = None) -> HttpResponse:
    if record is not None:
        data = {**data, "record": str(record)}
    if version is not None:
        data = {**data, "version": str(version)}
    return client.post(step_url(person_id, step), data)  # type: ignore[return-value]


def saved(response: HttpResponse, person_id: int) -> bool:
    """A step saved: the browser is sent to the child's page, or, when the save ended the
    user's reach (closing a case ends the allocation), told so on a page of its own."""
    if response.status_code == 302:
        return response["Location"] == reverse("person", args=[person_id])
    return response.status_code == 200 and "no longer allocated to you" in page(response)


def page(response: HttpResponse) -> str:
    """The page's HTML with entities decoded, as a reader sees the text."""
    return html_text.unescape(response.content.decode())


def summary_messages(response: HttpResponse) -> list[str]:
    """The messages in the GOV.UK error summary, tags stripped."""
    html = response.content.decode()
    body = html.split('class="govuk-list govuk-error-summary__list"', 1)
    if len(body) < 2:
        return []
    items = re.findall(r"<li><a href=\"#[^\"]+\">(.*?)</a></li>", body[1].split("</ul>")[0],
                       re.DOTALL)
    return [html_text.unescape(re.sub(r"\s+", " ", item).strip()) for item in items]


def summary_links(response: HttpResponse) -> list[str]:
    html = response.content.decode().split('class="govuk-list govuk-error-summary__list"', 1)
    return re.findall(r'<li><a href="#([^"]+)">', html[1].split("</ul>")[0]) \
        if len(html) > 1 else []


def latest_event(subject_type: str) -> AuditEvent:
    event = AuditEvent.objects.filter(subject_type=f"records.{subject_type}").order_by(
        "-pk").first()
    assert event is not None, f"no audit event for {subject_type}"
    return event


def today() -> dt.date:
    return timezone.localdate()


def fresh_child(world: Any, forename: str, *, born: dt.date, allocated_on: dt.date,
                worker: str = "sam") -> Any:
    """A child allocated to a worker (Sam, team A, by default), with no other records."""
    from goldenthread.records.actions.journey import do_allocate_worker
    from goldenthread.records.models import Professional
    from tests.factories import PersonFactory

    child = PersonFactory(forename=forename, surname="Fresh", date_of_birth=born)
    team = {"sam": "team-a", "bob": "team-b", "olly": "team-c"}[worker]
    do_allocate_worker(child, professional=Professional.objects.get(user=world.users[worker]),
                       team=world.teams[team], on=allocated_on,
                       acting_user=world.users[worker])
    return child
