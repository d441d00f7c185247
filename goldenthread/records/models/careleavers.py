"""Care leavers: eligibility, personal adviser, contacts with activity and accommodation,
pathway plans (SSD ssd_care_leavers, which keeps only the latest; we keep the history;
SSDA903 OC3)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import NoOverlap
from goldenthread.records.models.base import PersonRecord

# 903 OC3: a young person not in touch, or who has died, has no activity or accommodation.
NO_INFORMATION_IN_TOUCH = frozenset({"DIED", "RHOM"})


class CareLeaver(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    OVERLAP = NoOverlap(what="care-leaver records for one young person")
    LIFE_EVENTS = ("start_date",)

    eligibility = CodeField(code_list="CARE_LEAVER_ELIGIBILITY", dated_by="start_date")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    personal_adviser = models.ForeignKey("records.Professional", on_delete=models.PROTECT,
                                         null=True, blank=True, related_name="care_leavers")
    team = models.ForeignKey("records.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")

    class Meta:
        verbose_name = "care leaver"


class CareLeaverContact(PersonRecord):
    """A contact with a care leaver, with what they were doing and where they lived."""

    LIFE_EVENTS = ("contact_date",)

    contact_date = models.DateField()
    in_touch = CodeField(code_list="CARE_LEAVER_IN_TOUCH", dated_by="contact_date")
    activity = CodeField(code_list="CARE_LEAVER_ACTIVITY", dated_by="contact_date", blank=True)
    accommodation = CodeField(code_list="CARE_LEAVER_ACCOMMODATION", dated_by="contact_date",
                              blank=True)

    class Meta:
        verbose_name = "care-leaver contact"

    @property
    def accommodation_suitable(self) -> bool | None:
        """903 ACCOM codes carry suitability in their second character: 1 suitable, 2 not."""
        if len(self.accommodation) == 2 and self.accommodation[1] in "12":
            return bool(self.accommodation[1] == "1")
        return None

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.in_touch in NO_INFORMATION_IN_TOUCH:
            for name in ("activity", "accommodation"):
                if getattr(self, name) not in ("", "0"):
                    errors.append(refuse(name, f"{show(getattr(self, name))} but in touch is "
                                               f"{show(self.in_touch)}; leave it blank or 0"))
        return errors


class PathwayPlan(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"), ("start_date", "review_date"))
    LIFE_EVENTS = ("start_date",)

    start_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "pathway plan"
