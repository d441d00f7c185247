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

__all__ = ["FieldCheck", "clean_fields", "column", "field_checks", "field_suspects"]


def column(model: type[models.Model], objs: Sequence[models.Model], attname: str) -> list[Any]:
    """`getattr(obj, attname)` of every row: read from each instance's __dict__ where
    Django's field descriptor would read it there, else through the descriptor."""
    if type(inspect.getattr_static(model, attname, None)) in (DeferredAttribute,
                                                              ForeignKeyDeferredAttribute):
        try:
            return list(map(operator.itemgetter(attname), [obj.__dict__ for obj in objs]))
        except KeyError:  # a deferred value: the descriptor fetches it
            pass
    return [getattr(obj, attname) for obj in objs]


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


def field_suspects(objs: Sequence[models.Model], checks: list[FieldCheck]) -> set[int]:
    """Positions of the rows some field of which `fast_ok` cannot pass (or skip as blank),
    field by field over all rows: the rest need none of Django's field cleaning. Each
    distinct (type, value) of a column is judged once."""
    found: set[int] = set()
    dicts = [obj.__dict__ for obj in objs]
    for check in checks:
        column = list(map(operator.methodcaller("get", check.attname, _MISSING), dicts))
        suspect = _suspect_test(check)
        try:
            verdicts = {key: suspect(key[1]) for key in set(zip(map(type, column), column,
                                                                 strict=True))}
        except TypeError:  # an unhashable value: row by row
            found.update(n for n, value in enumerate(column) if suspect(value))
            continue
        if any(verdicts.values()):
            found.update(n for n, key in enumerate(zip(map(type, column), column, strict=True))
                         if verdicts[key])
    return found


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


_MISSING = object()
