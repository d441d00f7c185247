"""Filling GOV.UK forms the way a person does: by the question's label, choosing codes by the
description people read (never the code), dates in the Day, Month, Year (and Time) boxes.

An answer is text (typed, or chosen from radios or a select), a `Code` (its description
is chosen), a date or a date-time (the date input), a list (ticks in checkboxes) or a
bool (a single tick box labelled with the question).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from playwright.sync_api import Locator, Page

from goldenthread.reference.codes import code_list


@dataclass(frozen=True)
class Code:
    """A DfE (or local) code, answered by choosing its description."""

    list_id: str
    code: str

    @property
    def description(self) -> str:
        found = code_list(self.list_id).get(self.code)
        assert found is not None, f"{self.code!r} is not in {self.list_id}"
        return found.description


Answer = str | Code | dt.date | dt.datetime | bool | list[str | Code]


def _text(value: str | Code) -> str:
    return value.description if isinstance(value, Code) else value


def _fill_date(group: Locator, value: dt.date | dt.datetime) -> None:
    day = value.date() if isinstance(value, dt.datetime) else value
    group.get_by_label("Day", exact=True).fill(str(day.day))
    group.get_by_label("Month", exact=True).fill(str(day.month))
    group.get_by_label("Year", exact=True).fill(str(day.year))
    if isinstance(value, dt.datetime):
        group.get_by_label("Time", exact=True).fill(value.strftime("%H:%M"))


def fill(page: Page, answers: dict[str, Answer]) -> None:
    """Answer each question, found by its label (or its fieldset's legend)."""
    for label, value in answers.items():
        group = page.get_by_role("group", name=label, exact=True)
        if isinstance(value, (dt.date, dt.datetime)):
            _fill_date(group, value)
        elif isinstance(value, list):
            for item in value:
                group.get_by_label(_text(item), exact=True).check()
        elif isinstance(value, bool):
            page.get_by_label(label, exact=True).set_checked(value)
        elif group.count():  # radios
            group.get_by_label(_text(value), exact=True).check()
        else:
            control = page.get_by_label(label, exact=True)
            if control.evaluate("element => element.tagName") == "SELECT":
                control.select_option(label=_text(value))
            else:
                control.fill(_text(value))
