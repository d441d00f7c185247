"""Reading refusals in tests."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError


def refusal(excinfo: pytest.ExceptionInfo[ValidationError], field: str) -> str:
    """All messages a ValidationError gives for one field, joined; fails if there are none."""
    messages = excinfo.value.message_dict.get(field)
    assert messages, f"no refusal on {field!r}; got {excinfo.value.message_dict}"
    return " | ".join(messages)
