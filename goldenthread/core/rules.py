"""Declarative integrity rules, checked by `BaseModel.clean()` on every write.

A model states its rules as class attributes (DATE_ORDER, OVERLAP, WITHIN, SAME_PERSON_AS);
one implementation here gives every refusal the same shape: the field, the value, and
what is allowed.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Field, Q
from django.utils import timezone

from goldenthread.core.errors import refuse, show
from goldenthread.core.identifiers import normalise_postcode
from goldenthread.reference.codes import CodeNotAllowed, check_code, code_list

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
    parts = _PATHS.get(path)
    if parts is None:
        parts = _PATHS[path] = tuple(path.split("."))
    for part in parts:
        if value is None:
            return None
        # A foreign key whose parent is already held: what the descriptors below would
        # answer, read straight from the instance (this runs for every row of a bulk load).
        link = forward_key(type(value), part)
        if link is not None:
            data = value.__dict__
            if link[0] in data:
                if data[link[0]] is None:
                    return None
                parent = value._state.fields_cache.get(link[1])
                if parent is not None:
                    value = parent
                    continue
        field_id = f"{part}_id"
        if hasattr(value, field_id) and getattr(value, field_id) is None:
            return None
        value = getattr(value, part)
    return value


_PATHS: dict[str, tuple[str, ...]] = {}
_LINKS: dict[tuple[type[Any], str], tuple[str, str] | None] = {}


def forward_key(cls: type[Any], name: str) -> tuple[str, str] | None:
    """(column attribute, cache name) when `name` is a forward foreign key of `cls` read
    through Django's own descriptors (so a held parent and `<name>_id` are what they
    return); None for anything else."""
    key = (cls, name)
    try:
        return _LINKS[key]
    except KeyError:
        pass
    from django.db.models.fields.related_descriptors import (
        ForeignKeyDeferredAttribute,
        ForwardManyToOneDescriptor,
    )

    found = None
    meta = getattr(cls, "_meta", None)
    if meta is not None and isinstance(inspect.getattr_static(cls, name, None),
                                       ForwardManyToOneDescriptor):
        field = inspect.getattr_static(cls, name).field
        attname = f"{name}_id"
        if field.attname == attname and type(inspect.getattr_static(cls, attname, None)) \
                is ForeignKeyDeferredAttribute:
            found = (attname, field.cache_name)
    _LINKS[key] = found
    return found


def _key_value(instance: Model, name: str, default: Any) -> Any:
    """`getattr(instance, f"{name}_id", default)`, read from the instance where that is
    what Django's descriptor would return."""
    if forward_key(type(instance), name) is not None:
        data = instance.__dict__
        attname = f"{name}_id"
        if attname in data:
            return data[attname]
    return getattr(instance, f"{name}_id", default)


def concrete_field(instance: Model, name: str) -> Field[Any, Any]:
    field = instance._meta.get_field(name)
    assert isinstance(field, Field), f"{name} is not a concrete field"
    return field


def label(instance: Model) -> str:
    return str(instance._meta.verbose_name)


def code_date(instance: Model, dated_by: str | None, today: dt.date | None = None) -> dt.date:
    """The day a code must be valid on: its event's date; for a code with no event (a
    person's sex) the day the record was first made, so later edits don't fail on codes
    that were right then; and today while the event date is still blank (`today`, if
    given, stands for `timezone.localdate()`)."""
    if dated_by:
        on = as_date(resolve(instance, dated_by))
    else:
        on = as_date(getattr(instance, "created_at", None))
    return on or today or timezone.localdate()


class _CodeCache:
    """What `caching_codes()` remembers: each list, each refusal, and today's date."""

    def __init__(self) -> None:
        self.lists: dict[str, Any] = {}
        self.refusals: dict[tuple[Any, ...], str] = {}
        self.today = timezone.localdate()


# Within `caching_codes()` (a bulk load), each code list is looked up once, an accepted code
# costs a look-up in it (the test `check_code` makes first), each refused (list, value, date,
# field) is worded once, and "today" is the day the block began.
_code_answers: ContextVar[_CodeCache | None] = ContextVar("code_answers", default=None)


@contextmanager
def caching_codes() -> Iterator[None]:
    """Within the block, `check_codes` remembers the lists and each refusal's words."""
    token = _code_answers.set(_CodeCache())
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


def code_today() -> dt.date:
    """The day a code with no event date yet is checked against (see code_date)."""
    cache = _code_answers.get()
    return timezone.localdate() if cache is None else cache.today


_CODE_FIELDS: dict[type[Any], tuple[Any, ...]] = {}  # each model's code fields, found once


def code_fields(model: type[Model]) -> tuple[Any, ...]:
    """The model's CodeFields, which `check_codes` checks."""
    from goldenthread.core.fields import CodeField

    fields = _CODE_FIELDS.get(model)
    if fields is None:
        fields = _CODE_FIELDS[model] = tuple(
            f for f in model._meta.concrete_fields if isinstance(f, CodeField))
    return fields


def check_codes(instance: Model) -> list[ValidationError]:
    errors: list[ValidationError] = []
    cache = _code_answers.get()
    for field in code_fields(type(instance)):
        value = getattr(instance, field.attname)
        if value in (None, ""):
            continue
        if cache is None:
            on = code_date(instance, field.dated_by)
            message = _code_refusal(field.code_list, value, on, field.name)
        else:
            on = code_date(instance, field.dated_by, cache.today)
            codes = cache.lists.get(field.code_list)
            if codes is None:
                codes = cache.lists[field.code_list] = code_list(field.code_list)
            try:
                item = codes.get(value)
            except TypeError:  # an unhashable value: as check_code answers it
                item = None
            if item is not None and item.valid_on(on):
                continue  # check_code's own test for a code allowed on the day
            key = (field.code_list, type(value), value, on, field.name)
            try:
                message = cache.refusals.get(key)
                if message is None:
                    message = _code_refusal(field.code_list, value, on, field.name)
                    if message is not None:
                        cache.refusals[key] = message
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
        attnames = _scope_attnames(type(instance), self.scope)
        values = tuple([getattr(instance, attname) for attname in attnames])
        if None in values:
            return []
        batch = _overlap_batch.get()
        if batch is not None and batch.covers(type(instance)):
            clash = batch.first_clash(self, instance, values, start, end)
            return [] if clash is None else self._refusal(instance, start, end, clash)
        others = type(instance)._default_manager.filter(**dict(zip(attnames, values,
                                                                    strict=True)))
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


_SCOPES: dict[tuple[type[Any], tuple[str, ...]], tuple[str, ...]] = {}


def _scope_attnames(model: type[Model], scope: tuple[str, ...]) -> tuple[str, ...]:
    """The columns of a NoOverlap scope's fields (e.g. person -> person_id), found once."""
    try:
        return _SCOPES[(model, scope)]
    except KeyError:
        pass
    fields = [model._meta.get_field(name) for name in scope]
    assert all(isinstance(f, Field) for f in fields), f"{scope} are not all concrete fields"
    found = _SCOPES[(model, scope)] = tuple(f.attname for f in fields)  # type: ignore[union-attr]
    return found


class OverlapBatch:
    """Rows of a bulk load held in memory, so `NoOverlap` can check a whole batch without a
    query per row: the same half-open rule, answered from the batch (plus any rows already
    in the database that the loader added to it).

    Only models passed to the constructor are answered here; others still query.

    A child with many rows of one kind (e.g. 200 missing episodes) would cost a comparison
    per pair, so a larger group is first swept once in date order: if no two of its rows
    overlap, each row's check answers "no clash" at once, as long as its dates are the ones
    swept. The loader calls `touched()` after checking each row, so a row whose dates its
    own checks changed (a field cleaned to another value) sends its group back to the
    comparison of every pair.
    """

    SWEEP_FROM = 6  # rows in a group; below this the pairs are compared directly

    def __init__(self, models: set[type[Model]]) -> None:
        self._models = models
        self._groups: dict[tuple[type[Model], tuple[Any, ...]], list[Model]] = {}
        # Group -> (start, end names, each row's swept dates by id()); None: not clear.
        self._clear: dict[tuple[type[Model], tuple[Any, ...]],
                          tuple[str, str, dict[int, tuple[Any, Any]]] | None] = {}
        self._swept_rows: dict[int, tuple[type[Model], tuple[Any, ...]]] = {}  # id() -> group

    def covers(self, model: type[Model]) -> bool:
        return model in self._models

    def add(self, rule: NoOverlap, instance: Model) -> None:
        """Index a row (new or existing) under its scope; rows the rule skips are left out."""
        if rule.applies is not None and not rule.applies(instance):
            return
        scope = tuple(getattr(instance, a) for a in _scope_attnames(type(instance), rule.scope))
        if getattr(instance, rule.start) is None or any(v is None for v in scope):
            return
        if getattr(instance, "archived_at", None) is not None:
            return
        key = (type(instance), scope)
        self._groups.setdefault(key, []).append(instance)
        self._clear.pop(key, None)

    def first_clash(self, rule: NoOverlap, instance: Model, scope: tuple[Any, ...],
                    start: Any, end: Any) -> Model | None:
        """The earliest other row of the scope that overlaps [start, end), as the query would
        find it. `rule.applies` stands for `rule.condition` here, so the two must agree."""
        key = (type(instance), scope)
        group = self._groups.get(key, ())
        if len(group) >= self.SWEEP_FROM:
            swept = self._clear[key] if key in self._clear else self._sweep(key, rule, group)
            if swept is not None and swept[0] == rule.start and swept[1] == rule.end:
                dates = swept[2].get(id(instance))
                if dates is not None and dates[0] == start and dates[1] == end \
                        and type(dates[0]) is type(start) and type(dates[1]) is type(end):
                    return None  # the sweep found no two rows of the group overlapping
        clashes = []
        for other in group:
            if other is instance or (instance.pk is not None and other.pk == instance.pk):
                continue
            o_start, o_end = getattr(other, rule.start), getattr(other, rule.end)
            if (o_end is None or o_end > start) and (end is None or o_start < end):
                clashes.append(other)
        return min(clashes, key=lambda o: getattr(o, rule.start)) if clashes else None

    def _sweep(self, key: tuple[type[Model], tuple[Any, ...]], rule: NoOverlap,
               group: Sequence[Model]) -> tuple[str, str, dict[int, tuple[Any, Any]]] | None:
        """Whether no two rows of the group overlap (with each row's dates), found in one
        pass in start order: rows of positive length, each starting on or after every
        earlier one's end, never overlap. Anything else (an empty or reversed interval,
        dates that do not compare, two rows with one key) is left to the pairs."""
        swept: tuple[str, str, dict[int, tuple[Any, Any]]] | None = None
        try:
            rows = [(getattr(o, rule.start), getattr(o, rule.end), o) for o in group]
            if len({o.pk for _, _, o in rows if o.pk is not None}) \
                    == sum(1 for _, _, o in rows if o.pk is not None) \
                    and all(e is None or e > s for s, e, _ in rows):
                rows.sort(key=lambda r: r[0])
                reach: Any = None  # the latest end so far (None before the first row)
                clear = True
                for n, (s, e, _) in enumerate(rows):
                    if n and (reach is _OPEN or reach > s):
                        clear = False
                        break
                    reach = _OPEN if e is None or reach is _OPEN else \
                        (e if reach is None or e > reach else reach)
                if clear:
                    swept = (rule.start, rule.end, {id(o): (s, e) for s, e, o in rows})
                    self._swept_rows.update((id(o), key) for o in group)
        except TypeError:  # dates that do not compare: the pairs answer as they would
            swept = None
        self._clear[key] = swept
        return swept

    def touched(self, instance: Model) -> None:
        """After a row's checks: if they changed its swept dates, its group is no longer
        known to be clear."""
        key = self._swept_rows.get(id(instance))
        if key is None:
            return
        swept = self._clear.get(key)
        if swept is None:
            return
        dates = swept[2].get(id(instance))
        if dates is None:
            return
        start, end = getattr(instance, swept[0]), getattr(instance, swept[1])
        if not (dates[0] == start and dates[1] == end and type(dates[0]) is type(start)
                and type(dates[1]) is type(end)):
            self._clear[key] = None


_OPEN = object()  # an open end: runs for ever


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
    if not parents:
        return []
    errors = []
    own = _key_value(instance, link, None)
    what = {"person": "child", "referral": "referral", "period": "period of care"}.get(link, link)
    for parent_name in parents:
        parent = resolve(instance, parent_name)
        theirs = _key_value(parent, link, None) if parent is not None else None
        if parent is not None and own is not None and theirs != own:
            errors.append(refuse(parent_name,
                                 f"belongs to {link} {theirs}, not to {link} {own}; link a "
                                 f"record of the same {what}"))
    return errors
