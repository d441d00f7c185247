"""Declarative integrity rules, checked by `BaseModel.clean()` on every write.

A model states its rules as class attributes (DATE_ORDER, OVERLAP, WITHIN, SAME_PERSON_AS);
one implementation here gives every refusal the same shape: the field, the value, and
what is allowed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Q
from django.utils import timezone

from goldenthread.core.errors import refuse, show
from goldenthread.core.identifiers import normalise_postcode
from goldenthread.reference.codes import CodeNotAllowed, check_code

if TYPE_CHECKING:
    from django.db.models import Model


def as_date(value: dt.date | dt.datetime | None) -> dt.date | None:
    """Dates are compared as dates; a datetime counts on its local (UK) calendar day."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            # The default (UK) zone, cached, not the per-request one: a day is a UK day.
            return value.astimezone(timezone.get_default_timezone()).date()
        return value.date()
    return value


def resolve(instance: Model, path: str) -> Any:
    """Follow a dotted attribute path; None as soon as a link is missing."""
    value: Any = instance
    for part in path.split("."):
        if value is None:
            return None
        field_id = f"{part}_id"
        if hasattr(value, field_id) and getattr(value, field_id) is None:
            return None
        value = getattr(value, part)
    return value


def concrete_field(instance: Model, name: str) -> Field[Any, Any]:
    field = instance._meta.get_field(name)
    assert isinstance(field, Field), f"{name} is not a concrete field"
    return field


def label(instance: Model) -> str:
    return str(instance._meta.verbose_name)


def code_date(instance: Model, dated_by: str | None) -> dt.date:
    """The day a code must be valid on: its event's date; for a code with no event (a
    person's sex) the day the record was first made, so later edits don't fail on codes
    that were right then; and today while the event date is still blank."""
    if dated_by:
        on = as_date(resolve(instance, dated_by))
    else:
        on = as_date(getattr(instance, "created_at", None))
    return on or timezone.localdate()


# Within `caching_codes()` (a bulk load), each (list, value, date, field) is checked once:
# the answer (None, or the refusal's message) is kept for the rest of the block.
_code_answers: ContextVar[dict[tuple[Any, ...], str | None] | None] = ContextVar(
    "code_answers", default=None)


@contextmanager
def caching_codes() -> Iterator[None]:
    """Within the block, `check_codes` remembers each distinct code check's answer."""
    token = _code_answers.set({})
    try:
        yield
    finally:
        _code_answers.reset(token)


def _code_refusal(list_id: str, value: Any, on: dt.date, name: str) -> str | None:
    try:
        check_code(list_id, value, on, field=name)
    except CodeNotAllowed as exc:
        return str(exc)
    return None


_CODE_FIELDS: dict[type[Any], tuple[Any, ...]] = {}  # each model's code fields, found once


def check_codes(instance: Model) -> list[ValidationError]:
    from goldenthread.core.fields import CodeField

    errors: list[ValidationError] = []
    answers = _code_answers.get()
    fields = _CODE_FIELDS.get(type(instance))
    if fields is None:
        fields = _CODE_FIELDS[type(instance)] = tuple(
            f for f in instance._meta.concrete_fields if isinstance(f, CodeField))
    for field in fields:
        value = getattr(instance, field.attname)
        if value in (None, ""):
            continue
        on = code_date(instance, field.dated_by)
        if answers is None:
            message = _code_refusal(field.code_list, value, on, field.name)
        else:
            key = (field.code_list, type(value), value, on, field.name)
            try:
                message = answers[key]
            except KeyError:
                message = answers[key] = _code_refusal(field.code_list, value, on, field.name)
            except TypeError:  # an unhashable value: not remembered
                message = _code_refusal(field.code_list, value, on, field.name)
        if message is not None:
            errors.append(ValidationError({field.name: [ValidationError(message, code="code")]}))
    return errors


def check_postcode(instance: Model, name: str) -> list[ValidationError]:
    """Refuse a value that is not a UK postcode; store a valid one in its standard form."""
    value = getattr(instance, name)
    if not value:
        return []
    normal = normalise_postcode(value)
    if normal is None:
        return [refuse(name, f"{show(value)} is not a UK postcode; use the full postcode, "
                             "e.g. 'M1 1AA'")]
    setattr(instance, name, normal)
    return []


def check_date_order(instance: Model, pairs: tuple[tuple[str, str], ...]) -> list[ValidationError]:
    errors = []
    for earlier, later in pairs:
        first, second = getattr(instance, earlier), getattr(instance, later)
        if isinstance(first, dt.datetime) != isinstance(second, dt.datetime):
            first, second = as_date(first), as_date(second)  # a date against a datetime
        if first is not None and second is not None and second < first:
            errors.append(refuse(later, f"{show(second)} is before {earlier} {show(first)}; "
                                        f"it must be on or after {earlier}"))
    return errors


@dataclass(frozen=True)
class NoOverlap:
    """Rows sharing `scope` (usually the child) may not overlap in time.

    Intervals are half-open [start, end): one placement may end on the day the next
    begins, as SSDA903 episodes do. An open end runs for ever.
    """

    what: str
    scope: tuple[str, ...] = ("person",)
    start: str = "start_date"
    end: str = "end_date"
    applies: Callable[[Any], bool] | None = None
    condition: Q | None = None

    def check(self, instance: Model) -> list[ValidationError]:
        if self.applies is not None and not self.applies(instance):
            return []
        start, end = getattr(instance, self.start), getattr(instance, self.end)
        if start is None:
            return []
        attnames = [concrete_field(instance, name).attname for name in self.scope]
        scope = {attname: getattr(instance, attname) for attname in attnames}
        if any(value is None for value in scope.values()):
            return []
        batch = _overlap_batch.get()
        if batch is not None and batch.covers(type(instance)):
            clash = batch.first_clash(self, instance, tuple(scope.values()), start, end)
            return [] if clash is None else self._refusal(instance, start, end, clash)
        others = type(instance)._default_manager.filter(**scope)
        if instance.pk is not None:
            others = others.exclude(pk=instance.pk)
        if any(f.name == "archived_at" for f in instance._meta.concrete_fields):
            others = others.filter(archived_at__isnull=True)
        if self.condition is not None:
            others = others.filter(self.condition)
        others = others.filter(Q(**{f"{self.end}__isnull": True}) | Q(**{f"{self.end}__gt": start}))
        if end is not None:
            others = others.filter(**{f"{self.start}__lt": end})
        clash = others.order_by(self.start).first()
        if clash is None:
            return []
        return self._refusal(instance, start, end, clash)

    def _refusal(self, instance: Model, start: Any, end: Any, clash: Model,
                 ) -> list[ValidationError]:
        return [refuse(self.start,
                       f"{show(start)} to {show(end) if end else '(open)'} overlaps the "
                       f"{label(instance)} from {show(getattr(clash, self.start))} to "
                       f"{show(getattr(clash, self.end)) if getattr(clash, self.end) else '(open)'}"
                       f" (id {clash.pk}); {self.what} must not overlap")]


class OverlapBatch:
    """Rows of a bulk load held in memory, so `NoOverlap` can check a whole batch without a
    query per row: the same half-open rule, answered from the batch (plus any rows already
    in the database that the loader added to it).

    Only models passed to the constructor are answered here; others still query.
    """

    def __init__(self, models: set[type[Model]]) -> None:
        self._models = models
        self._groups: dict[tuple[type[Model], tuple[Any, ...]], list[Model]] = {}

    def covers(self, model: type[Model]) -> bool:
        return model in self._models

    def add(self, rule: NoOverlap, instance: Model) -> None:
        """Index a row (new or existing) under its scope; rows the rule skips are left out."""
        if rule.applies is not None and not rule.applies(instance):
            return
        scope = tuple(getattr(instance, concrete_field(instance, n).attname) for n in rule.scope)
        if getattr(instance, rule.start) is None or any(v is None for v in scope):
            return
        if getattr(instance, "archived_at", None) is not None:
            return
        self._groups.setdefault((type(instance), scope), []).append(instance)

    def first_clash(self, rule: NoOverlap, instance: Model, scope: tuple[Any, ...],
                    start: Any, end: Any) -> Model | None:
        """The earliest other row of the scope that overlaps [start, end), as the query would
        find it. `rule.applies` stands for `rule.condition` here, so the two must agree."""
        clashes = []
        for other in self._groups.get((type(instance), scope), ()):
            if other is instance or (instance.pk is not None and other.pk == instance.pk):
                continue
            o_start, o_end = getattr(other, rule.start), getattr(other, rule.end)
            if (o_end is None or o_end > start) and (end is None or o_start < end):
                clashes.append(other)
        return min(clashes, key=lambda o: getattr(o, rule.start)) if clashes else None


_overlap_batch: ContextVar[OverlapBatch | None] = ContextVar("overlap_batch", default=None)


@contextmanager
def checking_overlaps_in(batch: OverlapBatch) -> Iterator[None]:
    """Within the block, `NoOverlap` answers covered models from `batch`, not the database."""
    token = _overlap_batch.set(batch)
    try:
        yield
    finally:
        _overlap_batch.reset(token)


@dataclass(frozen=True)
class Within:
    """A record's dates lie inside its parent's (e.g. a placement inside its period of care)."""

    parent: str
    parent_start: str
    parent_end: str | None
    start: str
    end: str | None = None

    def check(self, instance: Model) -> list[ValidationError]:
        parent = resolve(instance, self.parent)
        if parent is None:
            return []
        name = str(parent._meta.verbose_name)
        p_start = as_date(getattr(parent, self.parent_start))
        p_end = as_date(getattr(parent, self.parent_end)) if self.parent_end else None
        start = as_date(getattr(instance, self.start))
        end = as_date(getattr(instance, self.end)) if self.end else None
        errors = []
        if start is not None and p_start is not None and start < p_start:
            errors.append(refuse(self.start, f"{show(start)} is before the {name} began "
                                             f"({show(p_start)}); it must be on or after it"))
        if p_end is not None:
            if start is not None and start > p_end:
                errors.append(refuse(self.start, f"{show(start)} is after the {name} ended "
                                                 f"({show(p_end)}); it must be on or before it"))
            elif self.end is not None and end is None:
                errors.append(refuse(self.end, f"(blank) leaves the {label(instance)} open but "
                                               f"the {name} ended on {show(p_end)}; it must end "
                                               "on or before that date"))
            elif self.end is not None and end is not None and end > p_end:
                errors.append(refuse(self.end, f"{show(end)} is after the {name} ended "
                                               f"({show(p_end)}); it must be on or before it"))
        return errors


def check_same(instance: Model, link: str, parents: tuple[str, ...]) -> list[ValidationError]:
    """Linked records belong together: the parents named share this record's `link`
    (e.g. the same child, or the same referral)."""
    errors = []
    own = getattr(instance, f"{link}_id", None)
    what = {"person": "child", "referral": "referral", "period": "period of care"}.get(link, link)
    for parent_name in parents:
        parent = resolve(instance, parent_name)
        theirs = getattr(parent, f"{link}_id", None) if parent is not None else None
        if parent is not None and own is not None and theirs != own:
            errors.append(refuse(parent_name,
                                 f"belongs to {link} {theirs}, not to {link} {own}; link a "
                                 f"record of the same {what}"))
    return errors
