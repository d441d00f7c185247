"""Form fields for recording. Each field reads what was typed, turns it into a typed value
(or a problem saying what to type), shows a stored value, and gives its GOV.UK macro the
parameters it needs. What the *record* allows is decided by the model, not here."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar

from django.db.models import Model
from django.utils import timezone

from goldenthread.reference.codes import code_list

# What was typed into one field: a value per part ("" for a one-input field; "day", "month",
# "year" and "time" for dates; several choices joined by commas for checkboxes).
Raw = dict[str, str]
Data = Mapping[str, Any]  # a QueryDict, or a plain dict in tests

YES, NO, UNKNOWN = "yes", "no", "unknown"


class Problem(Exception):
    """What was typed cannot be read as the field's kind of value."""


def lower_first(label: str) -> str:
    """'Date of birth' → 'date of birth', but 'ICPC date' stays."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


@dataclass(frozen=True)
class Option:
    value: str
    text: str


class FormField:
    """One question on a form, named after the model field it fills."""

    macro: ClassVar[str] = "input"
    input_classes: ClassVar[str] = ""

    def __init__(self, name: str, label: str, *, hint: str = "", required: bool = False,
                 aliases: Sequence[str] = (), missing: str = "") -> None:
        self.name = name
        self.label = label
        self.hint = hint
        self.required = required
        self.aliases = tuple(aliases)
        self.missing = missing or f"Enter {lower_first(label)}"

    @property
    def anchor(self) -> str:
        """The id the error summary links to."""
        return self.name

    def answers_for(self, model_field: str) -> bool:
        """Whether a refusal about `model_field` belongs beside this question."""
        return model_field in (self.name, f"{self.name}_id", *self.aliases)

    def read(self, data: Data) -> Raw:
        return {"": str(data.get(self.name, "")).strip()}

    def raw_of(self, value: Any) -> Raw:
        return {"": "" if value is None else str(value)}

    def parse(self, raw: Raw) -> Any:
        text = raw.get("", "")
        if not text:
            if self.required:
                raise Problem(self.missing)
            return self.blank()
        return self.convert(text)

    def blank(self) -> Any:
        return ""

    def convert(self, text: str) -> Any:
        return text

    def stored(self, value: Any) -> Any:
        """A value as an audit snapshot (JSON) holds it, back to the field's type."""
        return value

    def display(self, value: Any) -> str:
        return "(blank)" if value in (None, "") else str(value)

    def typed_display(self, raw: Raw) -> str:
        try:
            return self.display(self.parse(raw))
        except Problem:
            return " ".join(v for v in raw.values() if v) or "(blank)"

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        params: dict[str, Any] = {
            "id": self.name, "name": self.name,
            "label": {"text": self.label, "classes": "govuk-label--s"},
            "value": raw.get("", ""),
        }
        if self.input_classes:
            params["classes"] = self.input_classes
        return self._decorate(params, error)

    def macro_for(self, raw: Raw, *, on: dt.date) -> str:
        """Which GOV.UK macro shows this field (a choice picks radios or a select)."""
        return self.macro

    def _decorate(self, params: dict[str, Any], error: str | None,
                  hint: str = "") -> dict[str, Any]:
        if hint or self.hint:
            params["hint"] = {"text": hint or self.hint}
        if error:
            params["errorMessage"] = {"text": error}
        return params


class TextField(FormField):
    def __init__(self, name: str, label: str, *, max_length: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.max_length = max_length

    def convert(self, text: str) -> Any:
        if self.max_length is not None and len(text) > self.max_length:
            raise Problem(f"{self.label} must be {self.max_length} characters or fewer "
                          f"(you typed {len(text)})")
        return text


class TextArea(FormField):
    macro = "textarea"

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        params = super().params(raw, error, on=on)
        params["rows"] = 5
        return params


class IntegerField(FormField):
    input_classes = "govuk-input--width-5"

    def blank(self) -> Any:
        return None

    def convert(self, text: str) -> Any:
        if not re.fullmatch(r"-?[0-9]+", text):
            raise Problem(f"{self.label} must be a whole number, like 2")
        return int(text)

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        params = super().params(raw, error, on=on)
        params["inputmode"] = "numeric"
        return params


class DecimalField(IntegerField):
    def convert(self, text: str) -> Any:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise Problem(f"{self.label} must be a number, like 2.5") from None
        if not number.is_finite():
            raise Problem(f"{self.label} must be a number, like 2.5")
        return number

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        params = super().params(raw, error, on=on)
        params["inputmode"] = "decimal"
        return params


class DateField(FormField):
    """The GOV.UK date input: day, month and year boxes."""

    macro = "date"
    parts: ClassVar[tuple[str, ...]] = ("day", "month", "year")
    example: ClassVar[str] = "For example, 27 3 2024"

    @property
    def anchor(self) -> str:
        return f"{self.name}-day"

    def read(self, data: Data) -> Raw:
        return {part: str(data.get(f"{self.name}-{part}", "")).strip() for part in self.parts}

    def raw_of(self, value: Any) -> Raw:
        if value is None:
            return dict.fromkeys(self.parts, "")
        day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}

    def parse(self, raw: Raw) -> Any:
        if not any(raw.get(part) for part in self.parts):
            if self.required:
                raise Problem(self.missing)
            return None
        return self._date(raw)

    def _date(self, raw: Raw) -> dt.date:
        for part in ("day", "month", "year"):
            if not raw.get(part):
                raise Problem(f"{self.label} must include a {part}")
        if not all(raw[part].isdigit() for part in ("day", "month", "year")):
            raise Problem(f"{self.label} must be a real date, like 27 3 2024")
        if len(raw["year"]) != 4:
            raise Problem(f"{self.label}: the year must have 4 numbers, like 2024")
        try:
            return dt.date(int(raw["year"]), int(raw["month"]), int(raw["day"]))
        except ValueError:
            raise Problem(f"{self.label} must be a real date, like 27 3 2024") from None

    def stored(self, value: Any) -> Any:
        return dt.date.fromisoformat(value) if isinstance(value, str) and value else None

    def display(self, value: Any) -> str:
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return "(blank)"

    def typed_display(self, raw: Raw) -> str:
        try:
            return self.display(self.parse(raw))
        except Problem:
            return "/".join(raw.get(part, "") for part in ("day", "month", "year")) + \
                (f" {raw['time']}" if raw.get("time") else "")

    def items(self, raw: Raw) -> list[dict[str, Any]]:
        return [{"name": "day", "classes": "govuk-input--width-2", "value": raw.get("day", "")},
                {"name": "month", "classes": "govuk-input--width-2",
                 "value": raw.get("month", "")},
                {"name": "year", "classes": "govuk-input--width-4",
                 "value": raw.get("year", "")}]

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        items = self.items(raw)
        if error:
            for item in items:
                item["classes"] += " govuk-input--error"
        params: dict[str, Any] = {
            "id": self.name, "namePrefix": self.name, "items": items,
            "fieldset": {"legend": {"text": self.label, "classes": "govuk-fieldset__legend--s"}},
        }
        return self._decorate(params, error, hint=self.hint or self.example)


TIME = re.compile(r"^([01]?[0-9]|2[0-3])[:.]?([0-5][0-9])$")


class DateTimeField(DateField):
    """A date input with a fourth box for the time of day (24-hour clock, UK time)."""

    parts = ("day", "month", "year", "time")
    example = "For example, 27 3 2024 and 14:30 (24-hour clock)"

    def raw_of(self, value: Any) -> Raw:
        if value is None:
            return dict.fromkeys(self.parts, "")
        local = timezone.localtime(value)
        return {**super().raw_of(local.date()), "time": local.strftime("%H:%M")}

    def parse(self, raw: Raw) -> Any:
        day = super().parse(raw)
        if day is None:
            return None
        time = raw.get("time", "")
        if not time:
            raise Problem(f"{self.label} must include a time, like 14:30")
        match = TIME.match(time)
        if match is None:
            raise Problem(f"{self.label}: the time must be on the 24-hour clock, like 14:30")
        naive = dt.datetime.combine(day, dt.time(int(match[1]), int(match[2])))
        return timezone.make_aware(naive, timezone.get_default_timezone())

    def stored(self, value: Any) -> Any:
        return dt.datetime.fromisoformat(value) if isinstance(value, str) and value else None

    def items(self, raw: Raw) -> list[dict[str, Any]]:
        return [*super().items(raw), {"name": "time", "label": "Time",
                                      "classes": "govuk-input--width-5",
                                      "value": raw.get("time", ""), "inputmode": "text"}]


class ChoiceField(FormField):
    """Radios (a short list) or a select (a long one); posts a value, shows its text."""

    RADIOS_UP_TO: ClassVar[int] = 10

    def __init__(self, name: str, label: str, **kwargs: Any) -> None:
        kwargs.setdefault("missing", f"Select {lower_first(label)}")
        super().__init__(name, label, **kwargs)

    def options(self, on: dt.date, current: str) -> list[Option]:
        raise NotImplementedError

    def convert(self, text: str) -> Any:
        return text

    def display(self, value: Any) -> str:
        return "(blank)" if value in (None, "") else str(value)

    def macro_for(self, raw: Raw, *, on: dt.date) -> str:
        many = len(self.options(on, raw.get("", ""))) > self.RADIOS_UP_TO
        return "select" if many else "radios"

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        current = raw.get("", "")
        options = self.options(on, current)
        if len(options) <= self.RADIOS_UP_TO:
            params: dict[str, Any] = {
                "idPrefix": self.name, "name": self.name,
                "fieldset": {"legend": {"text": self.label,
                                        "classes": "govuk-fieldset__legend--s"}},
                "items": [{"value": o.value, "text": o.text, "checked": o.value == current}
                          for o in options],
            }
            if len(options) <= 3 and all(len(o.text) < 20 for o in options):
                params["classes"] = "govuk-radios--inline"
        else:
            params = {
                "id": self.name, "name": self.name,
                "label": {"text": self.label, "classes": "govuk-label--s"},
                "items": [{"value": "", "text": "Choose…"},
                          *({"value": o.value, "text": o.text, "selected": o.value == current}
                            for o in options)],
            }
        return self._decorate(params, error)


class CodeChoice(ChoiceField):
    """A DfE or local code: the codes valid on the event's date, shown by description."""

    def __init__(self, name: str, label: str, *, code_list_id: str,
                 only: frozenset[str] | None = None, exclude: frozenset[str] = frozenset(),
                 dated_by: str | None = None, **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.code_list_id = code_list_id
        self.dated_by = dated_by  # the field whose date the codes must be valid on
        self.only = only
        self.exclude = exclude

    def options(self, on: dt.date, current: str) -> list[Option]:
        codes = code_list(self.code_list_id)
        options = [Option(c.code, c.description) for c in codes.valid_on(on)
                   if c.code not in self.exclude and (self.only is None or c.code in self.only)]
        known = codes.get(current)
        if current and known is not None and all(o.value != current for o in options):
            # Kept so a refused choice is still shown as typed; the model says why.
            options.append(Option(current, f"{known.description} (not valid on "
                                           f"{on:%d/%m/%Y})"))
        return options

    def display(self, value: Any) -> str:
        if value in (None, ""):
            return "(blank)"
        known = code_list(self.code_list_id).get(str(value))
        return known.description if known is not None else str(value)

    @property
    def anchor(self) -> str:
        return self.name


class CodeChecklist(CodeChoice):
    """Several codes at once (checkboxes), e.g. the factors identified at assessment."""

    macro = "checkboxes"

    def read(self, data: Data) -> Raw:
        getlist = getattr(data, "getlist", None)
        values = getlist(self.name) if getlist is not None else data.get(self.name, [])
        if isinstance(values, str):
            values = [values]
        return {"": ",".join(str(v) for v in values if v)}

    def raw_of(self, value: Any) -> Raw:
        return {"": ",".join(value or ())}

    def parse(self, raw: Raw) -> Any:
        codes = [c for c in raw.get("", "").split(",") if c]
        if not codes and self.required:
            raise Problem(self.missing)
        return codes

    def display(self, value: Any) -> str:
        return "; ".join(CodeChoice.display(self, v) for v in value) if value else "(none)"

    def macro_for(self, raw: Raw, *, on: dt.date) -> str:
        return "checkboxes"

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        chosen = set(self.parse(raw))
        options = self.options(on, "")
        options += [Option(code, CodeChoice.display(self, code)) for code in sorted(chosen)
                    if all(o.value != code for o in options)]
        params: dict[str, Any] = {
            "idPrefix": self.name, "name": self.name,
            "fieldset": {"legend": {"text": self.label, "classes": "govuk-fieldset__legend--s"}},
            "classes": "govuk-checkboxes--small",
            "items": [{"value": o.value, "text": o.text, "checked": o.value in chosen}
                      for o in options],
        }
        return self._decorate(params, error)


class ModelChoice(ChoiceField):
    """A link to another record (a referral, a professional, a team) from a given list, so
    nothing outside that list can be posted."""

    def __init__(self, name: str, label: str, *, choices: Sequence[tuple[Model, str]],
                 **kwargs: Any) -> None:
        super().__init__(name, label, **kwargs)
        self.choices = list(choices)

    def options(self, on: dt.date, current: str) -> list[Option]:
        return [Option(str(record.pk), text) for record, text in self.choices]

    def raw_of(self, value: Any) -> Raw:
        if isinstance(value, Model):
            return {"": str(value.pk)}
        return {"": "" if value is None else str(value)}

    def blank(self) -> Any:
        return None

    def convert(self, text: str) -> Any:
        for record, _ in self.choices:
            if str(record.pk) == text:
                return record
        raise Problem(f"{self.label}: choose one of the options listed")

    def display(self, value: Any) -> str:
        pk = value.pk if isinstance(value, Model) else value
        for record, text in self.choices:
            if record.pk == pk:
                return text
        return "(blank)" if pk is None else f"record {pk}"


class YesNo(ChoiceField):
    """A yes/no question; when the record may leave it unanswered, 'Not known' too."""

    def __init__(self, name: str, label: str, *, allow_unknown: bool = False,
                 **kwargs: Any) -> None:
        kwargs.setdefault("missing", f"Select yes or no for “{label}”")
        super().__init__(name, label, **kwargs)
        self.allow_unknown = allow_unknown

    def options(self, on: dt.date, current: str) -> list[Option]:
        options = [Option(YES, "Yes"), Option(NO, "No")]
        return [*options, Option(UNKNOWN, "Not known")] if self.allow_unknown else options

    def raw_of(self, value: Any) -> Raw:
        return {"": "" if value is None else (YES if value else NO)}

    def blank(self) -> Any:
        return None

    def convert(self, text: str) -> Any:
        if text == UNKNOWN and self.allow_unknown:
            return None
        if text in (YES, NO):
            return text == YES
        raise Problem(f"{self.label}: answer yes or no")

    def display(self, value: Any) -> str:
        return "Not known" if value is None else ("Yes" if value else "No")


class Checkbox(FormField):
    """A single tick box for a yes/no the record defaults to 'no'."""

    macro = "checkboxes"

    def read(self, data: Data) -> Raw:
        return {"": YES if str(data.get(self.name, "")) == YES else ""}

    def raw_of(self, value: Any) -> Raw:
        return {"": YES if value else ""}

    def parse(self, raw: Raw) -> Any:
        return raw.get("", "") == YES

    def display(self, value: Any) -> str:
        return "Yes" if value else "No"

    def params(self, raw: Raw, error: str | None, *, on: dt.date) -> dict[str, Any]:
        params: dict[str, Any] = {
            "idPrefix": self.name, "name": self.name,
            "items": [{"value": YES, "text": self.label, "checked": raw.get("") == YES,
                       "hint": {"text": self.hint} if self.hint else None}],
        }
        if error:
            params["errorMessage"] = {"text": error}
        return params

    @property
    def anchor(self) -> str:
        return self.name
