"""Raw SQL over the records tables, written with model names: `{Person}` is Person's table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import connection

__all__ = ["PERIOD", "PERSON", "Row", "rows"]

Row = Sequence[Any]

# The record's person, who must not be archived: `p.la_person_id` is every *_person_id.
PERSON = "JOIN {Person} p ON p.id = x.person_id AND p.archived_at IS NULL"
# The record's period of care, which must not be archived either.
PERIOD = "JOIN {PeriodOfCare} per ON per.id = x.period_id AND per.archived_at IS NULL"


def rows(text: str, params: Sequence[dt.date] = ()) -> list[Row]:
    names = {model.__name__: model._meta.db_table
             for model in apps.get_app_config("records").get_models()}
    with connection.cursor() as cursor:
        cursor.execute(text.format(**names), params)
        found: list[Row] = cursor.fetchall()
        return found
