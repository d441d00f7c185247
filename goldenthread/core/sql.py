"""Small pieces of raw SQL shared by the hot read paths (access, casework)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.db import connection

__all__ = ["one_of"]


def one_of(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` is one of `ids`, as one parameter however many: the SQL's text does not
    depend on the count, so the database can reuse its plan."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    # S608: `column` is a name in our own code, never input.
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608
