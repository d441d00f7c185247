"""Missing and away-from-placement episodes and return home interviews (RHI).

SSD: ssd_missing; SSDA903: Missing; Annex A list 11 area. Statutory guidance on children
who run away or go missing from home or care (2014): an RHI is offered within 72 hours.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import NoOverlap
from goldenthread.records.models.base import PersonRecord


class MissingEpisode(PersonRecord):
    DATE_ORDER = (("start_at", "end_at"), ("end_at", "rhi_offered_at"),
                  ("rhi_offered_at", "rhi_completed_at"))
    OVERLAP = NoOverlap(what="missing or away episodes for one child", start="start_at",
                        end="end_at")
    LIFE_EVENTS = ("start_at",)

    episode_type = CodeField(code_list="MISSING_TYPE", dated_by="start_at")
    start_at = models.DateTimeField()
    end_at = models.DateTimeField(null=True, blank=True, help_text="When the child returned")
    reported_to_police = models.BooleanField(null=True, blank=True)
    rhi_offered_at = models.DateTimeField("return home interview offered", null=True, blank=True)
    rhi_accepted = models.BooleanField("return home interview accepted", null=True, blank=True)
    rhi_completed_at = models.DateTimeField("return home interview held", null=True, blank=True)
    rhi_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = "missing episode"
        indexes = (models.Index(fields=("start_at",), name="missing_start"),)

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.rhi_offered_at and self.end_at is None:
            errors.append(refuse("rhi_offered_at", "is given but the child has not returned; a "
                                                   "return home interview follows the return"))
        if self.rhi_accepted is not None and self.rhi_offered_at is None:
            errors.append(refuse("rhi_accepted", "is answered but no interview was offered"))
        if self.rhi_completed_at and self.rhi_accepted is not True:
            errors.append(refuse("rhi_completed_at", "is given but the interview was not "
                                                     "accepted"))
        return errors
