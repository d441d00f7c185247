"""What `Model.clean_fields()` asks of every row of a batch, answered column by column.

Django's `clean_fields()` costs a chain of calls per field per row. For a value of the type a
field keeps unchanged, it only checks choices, blank, null, `max_length` and the min/max
validators: `field_suspects()` checks those directly over a whole column (each distinct value
once) and names the rows it cannot pass; those rows go through `clean_fields()`, written out
in `clean_fields()` here with Django's own `Field.clean()` (remembered per distinct value),
so a refusal keeps Django's words.
"""

from __future__ import annotations

import datetime as dt
import inspect
import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import DatabaseDefault
from django.db.models.fields import AutoFieldMixin
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

__all__ = ["Columns", "FieldCheck", "clean_fields", "field_checks", "field_suspects"]


class Columns:
    """The values of every concrete column of a batch of one model, read in one pass.

    At a million rows held in memory, visiting each row's __dict__ costs more than the
    checks themselves, so the rows are visited once and the checks run over the columns.
    Read it after keys are numbered and derived fields filled, and only until a row changes.
    """

    def __init__(self, model: type[models.Model], objs: Sequence[models.Model]) -> None:
        self.model = model
        self.objs = objs
        names = [f.attname for f in model._meta.concrete_fields]
        take: Callable[[dict[str, Any]], Any] = operator.itemgetter(*names) if len(names) > 1 \
            else (lambda values: (values[names[0]],))
        self.complete = True
        self._raw: dict[str, list[Any]] = {name: [] for name in names}
        columns = list(self._raw.values())
        for start in range(0, len(objs), 10_000):  # rows a chunk at a time, into columns
            dicts = list(map(_INSTANCE_DICT, objs[start:start + 10_000]))
            try:
                rows: list[Any] = list(map(take, dicts))
            except KeyError:  # a deferred value somewhere: marked, and read through Django
                self.complete = False
                rows = [tuple(values.get(n, _MISSING) for n in names) for values in dicts]
            for values, part in zip(columns, zip(*rows, strict=True), strict=True):
                values.extend(part)
        self._read: dict[str, list[Any]] = {}
        self._caches: list[dict[str, Any]] | None = None
        self._only_columns: bool | None = None

    def raw(self, attname: str) -> list[Any]:
        """A concrete column as the rows' __dict__ holds it (_MISSING where deferred)."""
        return self._raw[attname]

    def __call__(self, name: str) -> list[Any]:
        """`getattr(obj, name)` of every row: from the column where Django's descriptor
        would read the __dict__, else through the descriptor."""
        found = self._read.get(name)
        if found is None:
            raw = self._raw.get(name)
            plain = type(inspect.getattr_static(self.model, name, None)) in (
                DeferredAttribute, ForeignKeyDeferredAttribute)
            found = raw if raw is not None and plain and self.complete \
                else [getattr(obj, name) for obj in self.objs]
            self._read[name] = found
        return found

    def only_columns(self) -> bool:
        """True when no row's __dict__ holds anything but its columns (and _state)."""
        if self._only_columns is None:
            size = len(self._raw) + 1
            self._only_columns = self.complete and all(
                len(values) == size and "_state" in values
                for values in map(_INSTANCE_DICT, self.objs))
        return self._only_columns

    def held(self, cache_name: str) -> list[Any]:
        """Each row's parent held under `cache_name` (None if it holds none)."""
        if self._caches is None:
            self._caches = list(map(_FIELDS_CACHE, self.objs))
        return list(map(operator.methodcaller("get", cache_name), self._caches))


# Field classes whose `to_python` returns a value of these exact types unchanged (str
# subclasses, such as TextChoices members, included for text): for such a value Django's
# `Field.clean()` only checks choices, null, blank and the validators.
_IDENTITY_TYPES: dict[Any, tuple[type, ...]] = {
    models.CharField.to_python: (str,),
    models.TextField.to_python: (str,),
    models.IntegerField.to_python: (int,),
    models.BooleanField.to_python: (bool,),
    models.DateField.to_python: (dt.date,),
    models.DateTimeField.to_python: (dt.datetime,),
}
_STRICT = (int, bool, dt.date, dt.datetime)
_AUTO_VALIDATE: Any = AutoFieldMixin.validate  # type: ignore[attr-defined]  # exact type only (bool is an int, etc.)


class FieldCheck:
    """What `Model.clean_fields()` asks of one field, answered without Django's per-call
    machinery where that is certain to agree; anything else goes to Django's `clean()`
    (whose answer is remembered per distinct value), so refusals keep Django's words."""

    def __init__(self, f: models.Field[Any, Any]) -> None:
        self.field = f
        self.name = f.name
        self.attname = f.attname
        self.blank = f.blank
        self.empty = f.empty_values
        self.answers: dict[tuple[Any, ...], tuple[Any, list[ValidationError] | None]] = {}
        kind = type(f)
        # Auto fields' validate() accepts everything; Field.validate() accepts everything of
        # a field that is not editable: both accept what fast_ok() accepts.
        plain = kind.clean is models.Field.clean and kind.run_validators is \
            models.Field.run_validators and kind.validate in (models.Field.validate,
                                                              _AUTO_VALIDATE)
        self.cacheable = plain
        self.types = _IDENTITY_TYPES.get(kind.to_python, ()) if plain else ()
        self.choices = None if f.choices is None else frozenset(k for k, _ in f.flatchoices)
        self.max_length: int | None = None
        self.low: Any = None
        self.high: Any = None
        self.no_nul = False
        for v in f.validators:
            if type(v) is validators.MaxLengthValidator and isinstance(v.limit_value, int):
                self.max_length = v.limit_value if self.max_length is None \
                    else min(self.max_length, v.limit_value)
            elif type(v) is validators.MinValueValidator and not callable(v.limit_value) \
                    and self.low is None:
                self.low = v.limit_value
            elif type(v) is validators.MaxValueValidator and not callable(v.limit_value) \
                    and self.high is None:
                self.high = v.limit_value
            elif type(v) is validators.ProhibitNullCharactersValidator:
                self.no_nul = True
            else:
                self.types = ()  # a validator not copied here: Django checks every value

    def fast_ok(self, value: Any) -> bool:
        """True when Django's clean() is certain to accept `value` and return it unchanged."""
        types = self.types
        v: Any = value  # not narrowed by the type checks below
        if not types or value in self.empty:
            return False
        if types[0] in _STRICT:
            if type(value) is not types[0]:
                return False
        elif not isinstance(value, types):
            return False
        if self.choices is not None and v not in self.choices:
            return False
        if self.max_length is not None and len(v) > self.max_length:
            return False
        if self.low is not None and v < self.low:
            return False
        if self.high is not None and v > self.high:
            return False
        return not (self.no_nul and "\x00" in v)

    def clean(self, obj: models.Model, value: Any) -> list[ValidationError] | None:
        """Django's answer for `value`: stores the cleaned value; returns the refusals."""
        if self.cacheable:
            try:
                key = (type(value), value)
                cleaned, error = self.answers[key]
            except KeyError:
                cleaned, error = self._django(obj, value)
                self.answers[key] = (cleaned, error)
            except TypeError:  # unhashable
                cleaned, error = self._django(obj, value)
        else:
            cleaned, error = self._django(obj, value)
        if error is None and cleaned is not value:
            setattr(obj, self.attname, cleaned)
        return error

    def _django(self, obj: models.Model, value: Any) -> tuple[Any, list[ValidationError] | None]:
        try:
            return self.field.clean(value, obj), None
        except ValidationError as e:
            return None, e.error_list


def field_checks(model: type[models.Model]) -> tuple[list[FieldCheck], list[Any]]:
    """The fields `clean_fields(exclude=keys)` would check, and the foreign keys."""
    keys = [f for f in model._meta.concrete_fields if f.many_to_one]
    excluded = {f.name for f in keys}
    checks = [FieldCheck(f) for f in model._meta.fields
              if f.name not in excluded and not f.generated]
    return checks, keys


def clean_fields(obj: models.Model, checks: list[FieldCheck]) -> None:
    """`obj.clean_fields()` over `checks`: the same checks, values and refusals."""
    errors: dict[str, list[ValidationError]] = {}
    values = obj.__dict__
    for check in checks:
        try:
            raw = values[check.attname]
        except KeyError:  # deferred: as Django, fetch it
            raw = getattr(obj, check.attname)
        if check.fast_ok(raw):
            continue
        if check.blank and raw in check.empty:
            continue
        if isinstance(raw, DatabaseDefault):
            continue
        error = check.clean(obj, raw)
        if error is not None:
            errors[check.name] = error
    if errors:
        raise ValidationError(errors)


def field_suspects(columns: Columns, checks: list[FieldCheck]) -> set[int]:
    """Positions of the rows some field of which `fast_ok` cannot pass (or skip as blank),
    field by field over all rows: the rest need none of Django's field cleaning. Each
    distinct value of a column is judged once (a whole column at once where it can be)."""
    found: set[int] = set()
    for check in checks:
        found.update(_column_suspects(check, columns.raw(check.attname)))
    return found


def _column_suspects(check: FieldCheck, column: list[Any]) -> list[int]:
    suspect = _suspect_test(check)
    kinds = set(map(type, column))
    plain = kinds - _NOTHING
    if len(plain) == 1 and plain <= _ALIKE_WHEN_EQUAL:
        # One type of value (besides None and missing): equal values are judged alike.
        distinct = set(column)
        values = distinct - {None, _MISSING, ""}
        judged = distinct - values if _all_pass(check, plain.pop(), values) else distinct
        bad = {value for value in judged if suspect(value)}
        return [n for n, value in enumerate(column) if value in bad] if bad else []
    try:  # other mixes (True beside 1, a str subclass beside str): by type and value
        verdicts = {key: suspect(key[1])
                    for key in set(zip(map(type, column), column, strict=True))}
    except TypeError:  # an unhashable value: row by row
        return [n for n, value in enumerate(column) if suspect(value)]
    if not any(verdicts.values()):
        return []
    return [n for n, key in enumerate(zip(map(type, column), column, strict=True))
            if verdicts[key]]


def _all_pass(check: FieldCheck, kind: type, values: set[Any]) -> bool:
    """True only if `fast_ok` passes every one of `values` (none blank, all of type `kind`),
    answered for the whole set at once; False when unsure."""
    if not values:
        return True
    if not check.types:
        return False
    wanted = check.types[0]
    if (kind is not wanted) if wanted in _STRICT else not issubclass(kind, wanted):
        return False
    try:
        return (check.choices is None or check.choices.issuperset(values)) \
            and (check.max_length is None or max(map(len, values)) <= check.max_length) \
            and (check.low is None or min(values) >= check.low) \
            and (check.high is None or max(values) <= check.high) \
            and not (check.no_nul and "\x00" in "".join(values))
    except TypeError:  # values that do not compare (or measure): one by one
        return False


def _suspect_test(check: FieldCheck) -> Callable[[Any], bool]:
    """`fast_ok()` (or, for a blank value, the blank test), written out for one field."""
    blank, empty = check.blank, check.empty
    if not check.types:
        return lambda value: not (blank and value is not _MISSING and value in empty)
    kind = check.types[0]
    text, strict = kind is str, kind in _STRICT
    choices, longest, low, high, no_nul = (check.choices, check.max_length, check.low,
                                           check.high, check.no_nul)

    def suspect(value: Any) -> bool:
        if value is None or (text and value == ""):
            return not blank
        return value is _MISSING \
            or not (type(value) is kind if strict else isinstance(value, kind)) \
            or (choices is not None and value not in choices) \
            or (longest is not None and len(value) > longest) \
            or (low is not None and value < low) or (high is not None and value > high) \
            or (no_nul and "\x00" in value)
    return suspect


class _Missing:
    """No value in the instance's __dict__ (deferred): Django would fetch it."""


_MISSING = _Missing()
_NOTHING = frozenset({type(None), _Missing})
# Types whose equal values fast_ok() judges alike (bool and str subclasses are left out).
_ALIKE_WHEN_EQUAL = frozenset({str, int, dt.date, dt.datetime})
_INSTANCE_DICT = operator.attrgetter("__dict__")
_FIELDS_CACHE = operator.attrgetter("_state.fields_cache")
