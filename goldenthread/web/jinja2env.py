"""The Jinja2 environment: our templates plus the GOV.UK Frontend macros.

Filters and globals every template may use (tell the other web helpers when adding one):
- ``{{ code | describe("PLACE") }}``: a code's description from its DfE or local list
  (``describe("PLACE", with_code=True)`` adds the code in brackets);
- ``{{ describe_field(record, "placement_type") }}``: the same for a model's CodeField,
  the list taken from the field;
- ``{{ day | govuk_date }}``: a date as GOV.UK writes it, "1 May 2015" (a datetime adds
  the local time, "1 May 2015, 2:05pm").
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import (
    ChainableUndefined,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
)

from goldenthread.core.fields import CodeField
from goldenthread.reference.codes import code_list


def describe(code: object, list_id: str, *, with_code: bool = False) -> str:
    """The description of `code` in the list `list_id`; '' for no code; the code itself when
    the list has never held it (old data should still show). An unknown list is a template
    mistake and raises."""
    if code is None or code == "":
        return ""
    found = code_list(list_id).get(str(code))
    if found is None:
        return str(code)
    return f"{found.description} ({found.code})" if with_code else found.description


def describe_field(record: Model, field_name: str, *, with_code: bool = False) -> str:
    """A record's field for people to read: a CodeField's description, else the value."""
    field = record._meta.get_field(field_name)
    value = getattr(record, field_name)
    if isinstance(field, CodeField):
        return describe(value, field.code_list, with_code=with_code)
    return "" if value is None else str(value)


def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """'1 May 2015', or '1 May 2015, 2:05pm' for a datetime (in local time); '' for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        hour = local.hour % 12 or 12
        return (f"{local.day} {local:%B %Y}, {hour}:{local:%M}"
                f"{'am' if local.hour < 12 else 'pm'}")
    return f"{value.day} {value:%B %Y}"


def environment(**options: Any) -> Environment:
    dirs = options.pop("loader").searchpath if "loader" in options else []
    options["loader"] = ChoiceLoader([
        FileSystemLoader(dirs),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
    ])
    options.setdefault("autoescape", True)
    # The GOV.UK macros read attributes of parameters a page may leave out.
    options["undefined"] = ChainableUndefined
    env = Environment(**options)  # noqa: S701 - autoescape is set just above
    env.globals.update({
        "static": static,
        "url": reverse,
        # Pages rendered with a request get the council's name from web.context instead.
        "la_name": settings.LA_NAME,
        "assetPath": settings.STATIC_URL + "govuk/assets",
        "describe_field": describe_field,
    })
    env.filters.update({"describe": describe, "govuk_date": govuk_date})
    return env
