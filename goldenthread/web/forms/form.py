"""One form machinery for every recording step: read what was typed, keep it, turn it into
typed values, and put the model's refusals beside the questions they are about."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Model
from django.utils import timezone

from goldenthread.core.errors import StaleRecord
from goldenthread.core.rules import as_date, resolve
from goldenthread.web.forms.fields import CodeChoice, Data, FormField, Problem, Raw

FORM_ANCHOR = "record-form"
LEADING_NAME = re.compile(r"^([a-z_0-9]+): (.*)$", re.DOTALL)


@dataclass(frozen=True)
class Shown:
    """A field ready for its GOV.UK macro."""

    name: str
    macro: str
    params: dict[str, Any]


@dataclass(frozen=True)
class Difference:
    """One question after a stale save: what is saved now, and what this user typed."""

    label: str
    theirs: str
    yours: str

    @property
    def differs(self) -> bool:
        return self.theirs != self.yours


class RecordForm:
    """The questions of one step, bound to what was typed (a POST) or to the record's
    values (a GET)."""

    def __init__(self, fields: Sequence[FormField], *, data: Data | None = None,
                 initial: dict[str, Any] | None = None, default_on: dt.date | None = None,
                 record: Model | None = None) -> None:
        self.fields = list(fields)
        self.default_on = default_on or timezone.localdate()
        self.record = record  # the record being changed, whose dates codes may follow
        if data is not None:
            self.raw: dict[str, Raw] = {f.name: f.read(data) for f in self.fields}
        else:
            values = initial or {}
            self.raw = {f.name: f.raw_of(values.get(f.name)) for f in self.fields}
        self.errors: dict[str, list[str]] = {}
        self.values: dict[str, Any] = {}

    # Reading what was typed.

    def is_valid(self) -> bool:
        """Typed values for every field; False (with the problems) if any cannot be read."""
        self.values = {}
        for field in self.fields:
            try:
                self.values[field.name] = field.parse(self.raw[field.name])
            except Problem as problem:
                self._add(field.name, str(problem))
        return not self.errors

    def field(self, name: str) -> FormField | None:
        return next((f for f in self.fields if f.name == name), None)

    def _answering(self, model_field: str) -> FormField | None:
        return next((f for f in self.fields if f.answers_for(model_field)), None)

    def _add(self, name: str, message: str) -> None:
        messages = self.errors.setdefault(name, [])
        if message not in messages:
            messages.append(message)

    # The model's refusals.

    def refuse(self, error: ValidationError) -> None:
        """Put each refusal beside its question, its field name swapped for the question's
        label; a refusal about something not on the form goes to the top of the form."""
        if hasattr(error, "error_dict"):
            for model_field, errors in error.error_dict.items():
                for message in ValidationError(errors).messages:
                    self._place(model_field, message)
        else:
            for message in error.messages:
                self._place(NON_FIELD_ERRORS, message)

    def _place(self, model_field: str, message: str) -> None:
        match = LEADING_NAME.match(message)
        named = match[1] if match else None
        if model_field == NON_FIELD_ERRORS and named is not None:
            model_field = named  # e.g. a constraint's message, "upn: this UPN is …"
        field = self._answering(model_field)
        rest = match[2] if match and named == model_field else message
        if field is not None:
            self._add(field.name, f"{field.label}: {rest}")
        elif model_field == NON_FIELD_ERRORS:
            self._add("", message)
        else:
            self._add("", f"{model_field.replace('_', ' ').capitalize()}: {rest}")

    # Showing the form.

    def code_date(self, field: FormField) -> dt.date:
        """The day a code field's choices must be valid on: its event date as typed on this
        form if it can be read, else the record's own, else the step's day (today)."""
        dated_by = field.dated_by if isinstance(field, CodeChoice) else None
        if not dated_by:
            return self.default_on
        source = self._answering(dated_by)
        value: Any = None
        if source is not None:
            try:
                value = source.parse(self.raw[source.name])
            except Problem:
                value = None
        elif self.record is not None:
            value = resolve(self.record, dated_by)
        day = as_date(value) if isinstance(value, dt.date) else None
        return day or self.default_on

    def shown(self) -> list[Shown]:
        result = []
        for field in self.fields:
            raw = self.raw[field.name]
            on = self.code_date(field) if isinstance(field, CodeChoice) else self.default_on
            error = ". ".join(self.errors.get(field.name, [])) or None
            result.append(Shown(field.name, field.macro_for(raw, on=on),
                                field.params(raw, error, on=on)))
        return result

    def summary(self) -> dict[str, str]:
        """For the error summary: the id each problem links to, and its message."""
        summary: dict[str, str] = {}
        if "" in self.errors:
            summary[FORM_ANCHOR] = ". ".join(self.errors[""])
        for field in self.fields:
            if field.name in self.errors:
                summary[field.anchor] = ". ".join(self.errors[field.name])
        return summary

    def form_errors(self) -> list[str]:
        return self.errors.get("", [])

    def differences(self, stale: StaleRecord, attnames: dict[str, str]) -> list[Difference]:
        """After a stale save: the record as the other person left it, beside what this user
        typed, question by question. `attnames` maps a field to its snapshot key."""
        rows = []
        for field in self.fields:
            key = attnames.get(field.name)
            if key is None or key not in stale.current_values:
                continue
            theirs = field.display(field.stored(stale.current_values[key]))
            rows.append(Difference(field.label, theirs, field.typed_display(self.raw[field.name])))
        return rows
