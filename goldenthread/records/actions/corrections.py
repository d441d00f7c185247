"""Correcting a date that other records hang from: a referral's date, the start of a section
47 enquiry, a strategy discussion, an initial conference or a plan.

Other records are checked against these dates when they are saved (their WITHIN rules: an
assessment starts on or after its referral, a CP visit falls within its plan), so an
ordinary change could leave them outside the frame they were checked against. A correction
checks every record that hangs from the one corrected against the new date, refuses with
the list of those that would fall outside (to be corrected or archived first), and needs a
reason, which the audit trail keeps with the before and after.

Placements, periods of care and their episodes keep the SSDA903 shape and change through
their own actions (`records.actions.cla`), not here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django.apps import apps
from django.db import models

from goldenthread.accounts.models import User
from goldenthread.core.errors import refuse, show
from goldenthread.core.models import ArchivableModel, BaseModel
from goldenthread.core.rules import Within
from goldenthread.records.actions.base import change_record
from goldenthread.records.models import (
    CINPlan,
    CPPlan,
    InitialConference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)

__all__ = ["CORRECTABLE", "dependants", "do_correct_dates"]

# The dates that may be corrected this way, by kind of record.
CORRECTABLE: dict[type[BaseModel], tuple[str, ...]] = {
    Referral: ("referral_date",),
    StrategyDiscussion: ("held_on",),
    Section47Enquiry: ("start_date",),
    InitialConference: ("conference_date",),
    CINPlan: ("start_date",),
    CPPlan: ("start_date",),
}
MOST_LISTED = 5  # records named in a refusal; the rest are counted


def dependants(record: BaseModel) -> list[tuple[BaseModel, Within]]:
    """Every record (not archived) that hangs from `record` by a WITHIN rule, with the rule,
    in a stable order."""
    found: list[tuple[BaseModel, Within]] = []
    for model in apps.get_app_config("records").get_models():
        for rule in getattr(model, "WITHIN", ()):
            if "." in rule.parent:
                continue
            field = model._meta.get_field(rule.parent)
            if not isinstance(field, models.ForeignKey) or \
                    field.related_model is not type(record):
                continue
            rows = model._default_manager.filter(**{rule.parent: record.pk}).order_by("pk")
            if issubclass(model, ArchivableModel):
                rows = rows.filter(archived_at__isnull=True)
            found += [(cast(BaseModel, row), rule) for row in rows]
    return found


def do_correct_dates(record: BaseModel, *, acting_user: User, expected_version: int,
                     reason: str, **dates: dt.date) -> BaseModel:
    """Correct one or more of `record`'s frame dates (CORRECTABLE), in one transaction with
    its audit event (before, after and `reason`). Refused, naming the field, the value and
    the records in the way, when a record hanging from it would fall outside the new frame;
    nothing is written then."""
    model = type(record)
    allowed = CORRECTABLE.get(model, ())
    for name in dates:
        if name not in allowed:
            raise refuse(name, f"cannot be corrected on a {model._meta.verbose_name} this way; "
                               f"what can: {', '.join(allowed) or 'nothing'}")
    if not dates:
        raise refuse(allowed[0] if allowed else "date", "(blank); give the corrected date")
    if not reason.strip():
        raise refuse("reason", "(blank); say why the date was wrong (it is kept in the audit "
                               "trail)")
    return change_record(record, acting_user=acting_user, expected_version=expected_version,
                         audit_reason=f"correction: {reason.strip()}",
                         check=lambda current: _check_dependants(current, dates), **dates)


def _check_dependants(corrected: BaseModel, dates: dict[str, Any]) -> None:
    """Refuse when a record hanging from `corrected` would be outside its new dates."""
    outside: list[str] = []
    for row, rule in dependants(corrected):
        if rule.parent_start not in dates and rule.parent_end not in dates:
            continue
        setattr(row, rule.parent, corrected)  # checked against the corrected dates
        for error in rule.check(row):
            messages = "; ".join(m for ms in error.message_dict.values() for m in ms)
            outside.append(f"{row._meta.verbose_name} {row.pk} ({messages})")
    if outside:
        name = next(iter(dates))
        listed = ", ".join(outside[:MOST_LISTED])
        more = f" and {len(outside) - MOST_LISTED} more" if len(outside) > MOST_LISTED else ""
        raise refuse(name, f"{show(dates[name])} would put {len(outside)} record(s) outside "
                           f"the {corrected._meta.verbose_name}: {listed}{more}; correct or "
                           "archive those first")
