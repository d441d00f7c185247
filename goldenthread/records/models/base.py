"""What every record about a person shares: the person, and the limits of a life."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.models import ArchivableModel
from goldenthread.core.rules import as_date

# Pre-birth work (a referral, assessment, conference or plan for an unborn baby) may start
# up to a full term before birth. Working Together 2023 expects pre-birth assessment.
PREBIRTH_WINDOW = dt.timedelta(days=280)


class PersonRecord(ArchivableModel):
    """A record about one person (nearly always the child)."""

    LIFE_EVENTS: ClassVar[tuple[str, ...]] = ()
    PREBIRTH_ALLOWED: ClassVar[bool] = False

    person = models.ForeignKey("records.Person", on_delete=models.PROTECT,
                               related_name="%(class)ss")

    class Meta:
        abstract = True

    def clean_record(self) -> list[ValidationError]:
        return [*super().clean_record(), *self._check_life_events()]

    def _check_life_events(self) -> list[ValidationError]:
        if not self.LIFE_EVENTS or self.person_id is None:
            return []
        person = self.person
        errors = []
        for name in self.LIFE_EVENTS:
            when = as_date(getattr(self, name))
            if when is None:
                continue
            if person.date_of_birth is not None:
                earliest = person.date_of_birth
                if self.PREBIRTH_ALLOWED:
                    earliest -= PREBIRTH_WINDOW
                if when < earliest:
                    allowed = (f"on or after {show(earliest)} (pre-birth work may start up to "
                               "280 days before birth)" if self.PREBIRTH_ALLOWED
                               else "on or after the date of birth")
                    errors.append(refuse(name, f"{show(when)} is before the child's date of "
                                               f"birth {show(person.date_of_birth)}; it must be "
                                               f"{allowed}"))
            elif person.expected_date_of_birth is not None and not self.PREBIRTH_ALLOWED:
                errors.append(refuse(name, f"{show(when)} is for a child not yet born (expected "
                                           f"{show(person.expected_date_of_birth)}); record the "
                                           "date of birth first"))
            if person.date_of_death is not None and when > person.date_of_death:
                errors.append(refuse(name, f"{show(when)} is after the child's date of death "
                                           f"{show(person.date_of_death)}; it must be on or "
                                           "before it"))
        return errors
