"""Plain SQL for the hot reads of case work (my work and the child's page, on every request).

Building an ORM query with a dozen correlated subqueries costs more CPU than running it
(bench: ~8 ms a query), so the task queries are written once as SQL over the models' table
names, with parameters. A set of people is one parameter (an array on PostgreSQL, a JSON
list on SQLite), so the SQL text is the same for one child or a thousand. Values come back
as each database gives them; the converters below make them Python's.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.db.models import Model
from django.db.models.expressions import RawSQL


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def person_in(column: str, ids: Sequence[int]) -> tuple[str, list[Any]]:
    """`column` is one of `ids`, as SQL whose text does not depend on how many."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s::bigint[])", [list(ids)]
    # S608: `column` is a name in our own code, never input.
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608


IN_LIST = 900  # up to this many ids, a plain IN list (under SQLite's 999 parameters)


def id_set(ids: Iterable[int]) -> RawSQL | list[int]:
    """The ids for an ORM `__in` filter: a plain list when short (PostgreSQL plans a list
    of keys as index lookups, a subquery as an unknown set), else one parameter however
    many."""
    wanted = sorted(set(ids))
    if len(wanted) <= IN_LIST:
        return wanted
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [wanted])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(wanted)])


def day(value: dt.date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def moment(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def rows(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def as_date(value: Any) -> dt.date | None:
    """A date column or aggregate (SQLite gives text)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> dt.datetime | None:
    """A datetime column, aware in UTC (SQLite gives naive UTC text)."""
    if value is None:
        return None
    moment_ = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    return moment_ if moment_.tzinfo is not None else moment_.replace(tzinfo=dt.UTC)


class Row(SimpleNamespace):
    """One record read as plain values: its fields as attributes, its kind as `_type`."""

    id: int
    _type: str


@functools.cache
def _select(model: type[Model], fields: tuple[str, ...], where: str) -> tuple[str, tuple[
        tuple[str, Callable[[Any], Any]], ...]]:
    """The SQL reading `fields` of one person's live records of `model`, made once, and how
    to convert each column."""
    columns, converters = [], []
    for name in ("id", *fields):
        field = model._meta.get_field(name)
        column = getattr(field, "column", name)
        columns.append(connection.ops.quote_name(column))
        convert: Callable[[Any], Any] = _same
        if isinstance(field, models.DateTimeField):
            convert = as_datetime
        elif isinstance(field, models.DateField):
            convert = as_date
        elif isinstance(field, models.BooleanField):
            convert = _flag
        converters.append((name, convert))
    extra = f" AND ({where})" if where else ""
    sql = (f"SELECT {', '.join(columns)} FROM {table(model)} "  # noqa: S608 - names from metadata
           f"WHERE person_id = %s AND archived_at IS NULL{extra}")
    return sql, tuple(converters)


def _same(value: Any) -> Any:
    return value


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


def person_records(model: type[Model], person_id: int, *fields: str, where: str = "",
                   params: Sequence[Any] = ()) -> list[Row]:
    """One person's live (not archived) records of `model`, with `fields` (field names;
    a foreign key by its `_id` name), e.g. person_records(Referral, 7, "referral_date").
    `where` adds a condition in SQL over column names, with `params`."""
    sql, converters = _select(model, fields, where)
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, *params])
        found = cursor.fetchall()
    kind = model._meta.model_name or ""
    return [Row(_type=kind, **{name: convert(value) for (name, convert), value
                               in zip(converters, row, strict=True)}) for row in found]
