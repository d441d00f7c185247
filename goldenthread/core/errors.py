"""Refusals that name the field, the value and what is allowed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError


def show(value: Any) -> str:
    """A value as a practitioner would read it in a message."""
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if isinstance(value, str) else str(value)


def refuse(field: str, message: str) -> ValidationError:
    """A ValidationError against one field, its message starting with the field's name.

    Forms show it beside the field; commands and logs show the whole sentence.
    """
    return ValidationError({field: [ValidationError(f"{field}: {message}", code="refused")]})


class StaleRecord(Exception):
    """A save based on an old version of the record: refused so nobody's work is overwritten."""

    def __init__(self, label: str, expected: int, current: int, changed_by: str, changed_at: Any,
                 current_values: dict[str, Any]) -> None:
        self.label = label
        self.expected_version = expected
        self.current_version = current
        self.changed_by = changed_by
        self.changed_at = changed_at
        self.current_values = current_values
        super().__init__(
            f"{label} was changed by {changed_by} at {show(changed_at)} after you opened it "
            f"(you had version {expected}, it is now version {current}); your changes were not "
            "saved. Review their change, then make yours again."
        )
