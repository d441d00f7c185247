"""The declared rules of `core.rules`, answered for a whole batch of one model at once.

`BaseModel.clean()` checks a record's codes (`check_codes`), DATE_ORDER, SAME_*_AS and WITHIN,
then, if those pass, its NoOverlap rule, then `clean_record()`. For a bulk load of a million
rows that chain of calls per row is most of the cost, so `declared_suspects()` answers the
first four column by column, without building a single message.

It only ever vouches that a row passes: any row it cannot answer exactly as the rule itself
would (a value of another type than the rule compares, a parent not held in memory, a date
that does not compare) counts as a suspect, and the loader then calls that row's own
`clean()`, which decides, and words any refusal. Each function below mirrors the rule named
in its docstring; tests/core/test_rules_batch.py checks the two agree.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import TYPE_CHECKING, Any

from goldenthread.core.field_checks import Columns
from goldenthread.core.rules import (
    Within,
    as_date,
    code_fields,
    code_today,
    forward_key,
    resolve,
)
from goldenthread.reference.codes import code_list

if TYPE_CHECKING:
    from django.db.models import Model

__all__ = ["declared_suspects"]

_DATE, _DATETIME = dt.date, dt.datetime
_BLANK = (None, "")
_ABSENT = object()


def declared_suspects(columns: Columns) -> set[int]:
    """Positions of the rows that `check_codes`, `check_date_order`, `check_same` (person,
    referral, period) or a `Within` rule of the batch's model might refuse; every other row
    passes all four exactly as `BaseModel.clean()` checks them one row at a time."""
    model = columns.model
    found: set[int] = set()
    if not columns.objs:
        return found
    found |= _code_suspects(columns)
    for earlier, later in getattr(model, "DATE_ORDER", ()):
        found |= _order_suspects(columns, earlier, later)
    for link, parents in (("person", getattr(model, "SAME_PERSON_AS", ())),
                          ("referral", getattr(model, "SAME_REFERRAL_AS", ())),
                          ("period", getattr(model, "SAME_PERIOD_AS", ()))):
        if parents:
            found |= _same_suspects(columns, link, parents)
    for within in getattr(model, "WITHIN", ()):
        found |= _within_suspects(columns, within)
    return found


def _resolved(columns: Columns, path: str, found: set[int]) -> list[Any]:
    """`resolve(obj, path)` for every row: a held parent read directly for a one-step path.
    A row whose path raises (a parent that cannot be fetched) is a suspect: its clean()
    meets the same error in its turn."""
    model, objs = columns.model, columns.objs
    link = forward_key(model, path) if "." not in path else None
    if link is not None:
        attname, cache_name = link
        out = columns.held(cache_name)
        for n, key in enumerate(columns(attname)):
            if key is None:
                out[n] = None
            elif out[n] is None:
                out[n] = _resolve_or_suspect(objs[n], path, n, found)
        return out
    if "." not in path and inspect.getattr_static(model, f"{path}_id", _ABSENT) is _ABSENT \
            and columns.only_columns():
        return columns(path)  # no `<path>_id` anywhere: resolve() is getattr()
    return [_resolve_or_suspect(obj, path, n, found) for n, obj in enumerate(objs)]


def _resolve_or_suspect(obj: Model, path: str, n: int, found: set[int]) -> Any:
    try:
        return resolve(obj, path)
    except Exception:  # whatever it is, the row's own clean() raises it in its turn
        found.add(n)
        return None


def _days(values: list[Any]) -> list[Any]:
    """`as_date` of each value (dates, the commonest, pass straight through)."""
    return [v if v is None or type(v) is _DATE else as_date(v) for v in values]


def _code_suspects(columns: Columns) -> set[int]:
    """`check_codes`: each code (not blank) is in its list and valid on its event's date
    (`code_date`: the `dated_by` date, else the day the record was made, else today)."""
    found: set[int] = set()
    today = code_today()
    for field in code_fields(columns.model):
        values = columns(field.attname)
        if all(v in _BLANK for v in values):
            continue
        if field.dated_by:
            raw = _resolved(columns, field.dated_by, found)
        else:
            raw = [getattr(obj, "created_at", None) for obj in columns.objs]
        days = [d or today for d in _days(raw)]
        codes = code_list(field.code_list)
        # Each distinct value's dates (Code.valid_on's bounds), None for a value not listed.
        bounds: dict[Any, tuple[dt.date, dt.date] | None] = {}
        for n, value, on in zip(range(len(values)), values, days, strict=True):
            if value in _BLANK:
                continue
            try:
                span = bounds[value]
            except KeyError:
                item = codes.get(value)
                span = bounds[value] = None if item is None else \
                    (item.valid_from or _DATE.min, item.valid_to or _DATE.max)
            except TypeError:  # unhashable: check_code itself fails on it
                found.add(n)
                continue
            if span is None or type(on) is not _DATE or not span[0] <= on <= span[1]:
                found.add(n)
    return found


def _order_suspects(columns: Columns, earlier: str, later: str) -> set[int]:
    """`check_date_order` for one pair: `later` is not before `earlier` (either blank
    passes). Only two dates, or two datetimes, are compared here."""
    found: set[int] = set()
    for n, first, second in zip(range(len(columns.objs)), columns(earlier), columns(later),
                                strict=True):
        if first is None or second is None:
            continue
        kind = type(first)
        if kind is not type(second) or (kind is not _DATE and kind is not _DATETIME):
            found.add(n)
            continue
        try:
            if second < first:
                found.add(n)
        except TypeError:  # a naive and an aware datetime
            found.add(n)
    return found


def _same_suspects(columns: Columns, link: str, parents: tuple[str, ...]) -> set[int]:
    """`check_same`: each named parent (when there is one) has this row's `<link>_id`."""
    found: set[int] = set()
    attname = f"{link}_id"
    if forward_key(columns.model, link) is not None:
        own = columns(attname)
    else:
        own = [getattr(obj, attname, None) for obj in columns.objs]
    for parent_name in parents:
        held = _resolved(columns, parent_name, found)
        kind: Any = None
        direct = False
        for n, mine, parent in zip(range(len(own)), own, held, strict=True):
            if parent is None or mine is None:
                continue
            if type(parent) is not kind:  # rules._key_value, with its answer kept per class
                kind = type(parent)
                direct = forward_key(kind, link) is not None
            values = parent.__dict__
            theirs = values[attname] if direct and attname in values \
                else getattr(parent, attname, None)
            if theirs != mine:
                found.add(n)
    return found


def _within_suspects(columns: Columns, rule: Within) -> set[int]:
    """`Within.check`: the row's dates lie inside its parent's (where both are known)."""
    found: set[int] = set()
    parents = _resolved(columns, rule.parent, found)
    starts = _days(columns(rule.start))
    ends = _days(columns(rule.end)) if rule.end else [None] * len(starts)
    has_end = rule.end is not None
    for n, parent, start, end in zip(range(len(starts)), parents, starts, ends, strict=True):
        if parent is None:
            continue
        p_start = getattr(parent, rule.parent_start)
        p_start = p_start if p_start is None or type(p_start) is _DATE else as_date(p_start)
        p_end = getattr(parent, rule.parent_end) if rule.parent_end else None
        p_end = p_end if p_end is None or type(p_end) is _DATE else as_date(p_end)
        if (start is not None and type(start) is not _DATE) \
                or (end is not None and type(end) is not _DATE) \
                or (p_start is not None and type(p_start) is not _DATE) \
                or (p_end is not None and type(p_end) is not _DATE):
            found.add(n)  # compared as the rule compares them only when all are dates
            continue
        before = start is not None and p_start is not None and start < p_start
        after = p_end is not None and ((start is not None and start > p_end)
                                       or (has_end and (end is None or end > p_end)))
        if before or after:
            found.add(n)
    return found
