"""Every coded column names a real code list, and every code fits the column it goes in."""

from __future__ import annotations

from django.apps import apps

from goldenthread.core.fields import CODE_MAX_LENGTH, CodeField
from goldenthread.reference.codes import code_lists
from goldenthread.reference.models import ReferenceCode


def all_code_fields() -> list[tuple[str, CodeField]]:
    return [(f"{model._meta.label}.{field.name}", field)
            for model in apps.get_models() for field in model._meta.concrete_fields
            if isinstance(field, CodeField)]


def test_every_code_field_names_a_known_list() -> None:
    unknown = [name for name, field in all_code_fields() if field.code_list not in code_lists()]
    assert unknown == []


def test_every_code_fits_its_columns() -> None:
    """PostgreSQL refuses a value longer than its varchar; SQLite would quietly store it."""
    widths = {name: field.max_length for name, field in all_code_fields()}
    too_long = [
        (name, code.code)
        for name, field in all_code_fields()
        for code in code_lists()[field.code_list].codes
        if len(code.code) > (widths[name] or 0)
    ]
    assert too_long == []
    longest = max(len(c.code) for cl in code_lists().values() for c in cl.codes)
    assert longest <= CODE_MAX_LENGTH
    assert longest <= ReferenceCode._meta.get_field("code").max_length  # type: ignore[operator]
