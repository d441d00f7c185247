"""Model fields that carry a rule with them."""

from __future__ import annotations

from typing import Any

from django.db import models

# The longest code in any list (DfE or local) must fit; the code-list tests check it.
CODE_MAX_LENGTH = 20


class CodeField(models.CharField):  # type: ignore[type-arg]
    """A DfE (or local) code, checked against the list valid on the date of its event.

    `dated_by` names the attribute holding that date (dotted for a parent's, e.g.
    "assessment.start_date"); without it the code must be valid on the day the record was
    first made (see core.rules.code_date).
    """

    def __init__(self, *args: Any, code_list: str, dated_by: str | None = None,
                 **kwargs: Any) -> None:
        kwargs.setdefault("max_length", CODE_MAX_LENGTH)
        self.code_list = code_list
        self.dated_by = dated_by
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["code_list"] = self.code_list
        if self.dated_by:
            kwargs["dated_by"] = self.dated_by
        if kwargs.get("max_length") == CODE_MAX_LENGTH:
            del kwargs["max_length"]
        return name, path, args, kwargs
