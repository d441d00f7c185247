"""Plain SQL for the hot reads of case work (my work and the child's page, on every request).

Building an ORM query with a dozen correlated subqueries costs more CPU than running it
(bench: ~8 ms a query), so the task queries are written once as SQL over the models' table
names, with parameters. A set of people is one parameter (an array on PostgreSQL, a JSON
list on SQLite), so the SQL text is the same for one child or a thousand. A child's page
reads the many kinds of one child's records in one query (`read_records`: one SELECT per
kind, joined by UNION ALL, each row as a JSON object), not one round trip per kind. Values
come back as each database gives them; the converters below make them Python's.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.db import connection, models
from django.db.models import Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


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


def _same(value: Any) -> Any:
    return value


def _flag(value: Any) -> bool | None:
    return None if value is None else bool(value)


@dataclass(frozen=True)
class Read:
    """One kind of a person's live records, for `read_records`: `fields` of `model` (a
    foreign key by its `_id` name); `where` a condition over the table's columns (alias
    `t`), with `params`; `extras` more values as (name, SQL expression over `t`), e.g. a
    name looked up in another table."""

    model: type[Model]
    fields: tuple[str, ...]
    where: str = ""
    params: tuple[Any, ...] = ()
    extras: tuple[tuple[str, str], ...] = ()


@functools.cache
def _branch(model: type[Model], fields: tuple[str, ...], where: str,
            extras: tuple[tuple[str, str], ...]) -> tuple[str, tuple[
        tuple[str, Callable[[Any], Any]], ...]]:
    """One SELECT of a `read_records` query: each row as a JSON object (so kinds with
    different columns share one result), made once; and how to convert each value."""
    pairs, converters = [], []
    for name in ("id", *fields):
        field = model._meta.get_field(name)
        pairs.append(f"'{name}', t.{connection.ops.quote_name(getattr(field, 'column', name))}")
        converters.append((name, _converter(field)))
    for name, expression in extras:
        pairs.append(f"'{name}', {expression}")
        converters.append((name, _same))
    build = "json_build_object" if connection.vendor == "postgresql" else "json_object"
    extra = f" AND ({where})" if where else ""
    sql = (f"SELECT %s, {build}({', '.join(pairs)}) FROM {table(model)} t "  # noqa: S608
           f"WHERE t.person_id = %s AND t.archived_at IS NULL{extra}")
    return sql, tuple(converters)


def _converter(field: Any) -> Callable[[Any], Any]:
    if isinstance(field, models.DateTimeField):
        return as_datetime
    if isinstance(field, models.DateField):
        return as_date
    if isinstance(field, models.BooleanField):
        return _flag
    return _same


def read_records(person_id: int, reads: Sequence[Read]) -> list[list[Row]]:
    """Several kinds of one person's live records in one query (a round trip and a plan,
    not one of each per kind), each kind's rows in the order of `reads`."""
    if not reads:
        return []
    parts, params, converters = [], [], []
    for n, read in enumerate(reads):
        sql, convert = _branch(read.model, read.fields, read.where, read.extras)
        parts.append(sql)
        params += [n, person_id, *read.params]
        converters.append((read.model._meta.model_name or "", convert))
    found: list[list[Row]] = [[] for _ in reads]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        for n, values in cursor.fetchall():
            if not isinstance(values, dict):  # SQLite gives the object as text
                values = json.loads(values)
            kind, convert = converters[n]
            found[n].append(Row(_type=kind, **{name: conv(values[name])
                                               for name, conv in convert}))
    return found
