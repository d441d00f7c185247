"""Abstract bases: who made and changed a record and when, its version, its archiving."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Sequence
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.constraints import BaseConstraint

from goldenthread.core import rules


class BaseModel(models.Model):
    """Every record: created/modified by and on, and a version against lost updates.

    Subclasses declare their integrity rules; `clean()` checks them all, so a form, an
    action and a bulk load refuse the same things with the same words.
    """

    DATE_ORDER: ClassVar[tuple[tuple[str, str], ...]] = ()
    OVERLAP: ClassVar[rules.NoOverlap | None] = None
    WITHIN: ClassVar[tuple[rules.Within, ...]] = ()
    SAME_PERSON_AS: ClassVar[tuple[str, ...]] = ()
    SAME_REFERRAL_AS: ClassVar[tuple[str, ...]] = ()
    SAME_PERIOD_AS: ClassVar[tuple[str, ...]] = ()

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: list[ValidationError] = []
        errors += rules.check_codes(self)
        errors += rules.check_date_order(self, self.DATE_ORDER)
        errors += rules.check_same(self, "person", self.SAME_PERSON_AS)
        errors += rules.check_same(self, "referral", self.SAME_REFERRAL_AS)
        errors += rules.check_same(self, "period", self.SAME_PERIOD_AS)
        for within in self.WITHIN:
            errors += within.check(self)
        if not errors and self.OVERLAP is not None:
            errors += self.OVERLAP.check(self)
        errors += self.clean_record()
        if errors:
            merged: dict[str, list[ValidationError]] = {}
            for error in errors:
                for field, messages in error.error_dict.items():
                    merged.setdefault(field, []).extend(messages)
            raise ValidationError(merged)

    def clean_record(self) -> list[ValidationError]:
        """Rules of one model that the declarations cannot say; returns the refusals."""
        return []

    def get_constraints(self) -> list[tuple[type[models.Model], Sequence[BaseConstraint]]]:
        # Date-order check constraints back up DATE_ORDER in the database; clean() has
        # already refused with a clearer message, so full_clean() need not say it twice.
        return [(model, [c for c in constraints if not c.name.endswith("_in_order")])
                for model, constraints in super().get_constraints()]

    def snapshot(self) -> dict[str, Any]:
        """Field values as JSON-ready data, for the audit trail's before/after."""
        data: dict[str, Any] = {}
        for field in self._meta.concrete_fields:
            if field.name in AUDIT_SKIP:
                continue
            data[field.attname] = json_value(getattr(self, field.attname))
        return data


AUDIT_SKIP = frozenset({"created_at", "modified_at", "created_by", "modified_by"})


def json_value(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


class ArchivableModel(BaseModel):
    """Nothing is deleted: a record is archived with who, when and why."""

    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+", editable=False)
    archive_reason = models.TextField(blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


def in_order(model: str, earlier: str, later: str) -> models.CheckConstraint:
    """The database's own guard that `later` is not before `earlier` (named *_in_order)."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{later}__isnull": True}) | models.Q(**{f"{earlier}__isnull": True})
        | models.Q(**{f"{later}__gte": models.F(earlier)}),
        name=f"{model[:14]}_{earlier[:12]}_{later[:12]}_in_order",
    )


def _add_date_order_constraints(sender: type[models.Model], **kwargs: Any) -> None:
    """DATE_ORDER is declared once; the database constraints follow from it."""
    if not issubclass(sender, BaseModel) or sender._meta.abstract or not sender.DATE_ORDER:
        return
    names = {c.name for c in sender._meta.constraints}
    extra = [in_order(sender._meta.model_name or "", earlier, later)
             for earlier, later in sender.DATE_ORDER]
    sender._meta.constraints = [*sender._meta.constraints,
                                *(c for c in extra if c.name not in names)]
    # Migrations read constraints only when Meta declared them.
    sender._meta.original_attrs["constraints"] = sender._meta.constraints


models.signals.class_prepared.connect(_add_date_order_constraints)
