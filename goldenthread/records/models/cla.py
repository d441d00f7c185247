"""Children looked after: a period of care holds 903 episodes and placements.

SSD: ssd_cla_episodes (one row per 903 episode), ssd_cla_placement, ssd_cla_reviews,
ssd_cla_visits, ssd_legal_status. SSDA903: Episodes, Reviews. A child has at most one
open period of care, and placements for one child never overlap.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import NoOverlap, Within, check_postcode
from goldenthread.records.models.base import PersonRecord

# Short breaks (903 legal status V3/V4): looked after, but left out of CLA counts.
SHORT_BREAK_LEGAL_STATUSES = frozenset({"V3", "V4"})
# SSDA903 CIN: N1–N8 only (N0 "not stated" and N9 "cases other than CIN" are CIN-census only).
SSDA903_EXCLUDED_NEEDS = frozenset({"N0", "N9"})


class PeriodOfCare(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("referral", "referral_date", "closure_date", "start_date", "end_date"),)
    OVERLAP = NoOverlap(what="periods of care for one child")
    LIFE_EVENTS = ("start_date",)
    SAME_PERSON_AS = ("referral",)

    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="periods_of_care")
    start_date = models.DateField(help_text="Date the child became looked after")
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "period of care"
        verbose_name_plural = "periods of care"
        constraints = (
            models.UniqueConstraint(
                fields=("person",), condition=models.Q(end_date__isnull=True,
                                                       archived_at__isnull=True),
                name="one_open_period_of_care_per_child",
                violation_error_message="end_date: this child already has an open period of "
                                        "care; end it before starting another"),
        )

    def __str__(self) -> str:
        return f"period of care from {self.start_date:%d/%m/%Y}"


class Placement(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("period", "start_date", "end_date", "start_date", "end_date"),)
    OVERLAP = NoOverlap(what="placements for one child")
    LIFE_EVENTS = ("start_date",)
    SAME_PERSON_AS = ("period",)

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="placements")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    placement_type = CodeField(code_list="PLACE", dated_by="start_date")
    provider = CodeField(code_list="PLACE_PROVIDER", dated_by="start_date", blank=True)
    urn = models.CharField("URN", max_length=8, blank=True,
                           help_text="Ofsted URN (SC + 6 digits, or 7 digits), or XXXXXXX "
                                     "where 903 allows")
    postcode = models.CharField(max_length=8, blank=True)
    distance_miles = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    carer_name = models.CharField(max_length=200, blank=True)
    change_reason = CodeField(code_list="REASON_PLACE_CHANGE", dated_by="end_date", blank=True)

    class Meta:
        verbose_name = "placement"

    def clean_record(self) -> list[ValidationError]:
        errors = [*super().clean_record(), *check_postcode(self, "postcode")]
        if self.provider == "PR0" and self.placement_type != "P1":
            errors.append(refuse("provider", f"'PR0' is only for placement type P1 (placed "
                                             f"with parents), not {show(self.placement_type)}"))
        if self.placement_type[:1] in {"T", "Z"} and self.provider:
            errors.append(refuse("provider", f"{show(self.provider)} must be blank for "
                                             f"placement type {show(self.placement_type)}"))
        if self.distance_miles is not None and self.distance_miles < 0:
            errors.append(refuse("distance_miles", f"{show(self.distance_miles)} is negative"))
        return errors


class CLAEpisode(PersonRecord):
    """One SSDA903 episode: a new one starts with each change of legal status or placement."""

    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("period", "start_date", "end_date", "start_date", "end_date"),
              Within("placement", "start_date", "end_date", "start_date", "end_date"))
    OVERLAP = NoOverlap(what="903 episodes for one child")
    LIFE_EVENTS = ("start_date",)
    SAME_PERSON_AS = ("period", "placement")

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="episodes")
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="episodes")
    start_date = models.DateField()
    reason_new_episode = CodeField("reason for new episode (RNE)", code_list="RNE",
                                   dated_by="start_date")
    legal_status = CodeField(code_list="LEGAL_STATUS", dated_by="start_date")
    cin_need = CodeField("category of need", code_list="CIN_PRIMARY_NEED", dated_by="start_date")
    end_date = models.DateField(null=True, blank=True)
    reason_ceased = CodeField("reason episode ceased (REC)", code_list="REC",
                              dated_by="end_date", blank=True)
    home_postcode = models.CharField(max_length=8, blank=True)

    class Meta:
        verbose_name = "903 episode"

    @property
    def is_short_break(self) -> bool:
        return self.legal_status in SHORT_BREAK_LEGAL_STATUSES

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.end_date and not self.reason_ceased:
            errors.append(refuse("reason_ceased", "(blank) but the episode has ended; choose the "
                                                  "reason it ceased (X1 if care continues)"))
        if self.reason_ceased and not self.end_date:
            errors.append(refuse("end_date", f"(blank) but the reason ceased is "
                                             f"{show(self.reason_ceased)}"))
        first_day = self.period_id is not None and self.start_date == self.period.start_date
        if first_day and self.reason_new_episode != "S":
            errors.append(refuse("reason_new_episode",
                                 f"{show(self.reason_new_episode)} on the first day of the period "
                                 "of care; the first episode's reason is 'S' (started to be "
                                 "looked after)"))
        if self.period_id is not None and not first_day and self.reason_new_episode == "S":
            errors.append(refuse("reason_new_episode",
                                 f"'S' on {show(self.start_date)}, after the period of care began "
                                 f"({show(self.period.start_date)}); 'S' is only for its first "
                                 "day: use L, P, T, U or B"))
        errors += check_postcode(self, "home_postcode")
        if self.placement_id is not None and self.period_id is not None \
                and self.placement.period_id != self.period_id:
            errors.append(refuse("placement", "belongs to another period of care; an episode's "
                                              "placement is in the same period"))
        if self.cin_need in SSDA903_EXCLUDED_NEEDS:
            errors.append(refuse("cin_need", f"{show(self.cin_need)} is not used in SSDA903; "
                                             "a looked-after child's need is N1 to N8"))
        return errors


class CLAReview(PersonRecord):
    WITHIN = (Within("period", "start_date", "end_date", "review_date"),)
    LIFE_EVENTS = ("review_date",)
    SAME_PERSON_AS = ("period",)

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="reviews")
    due_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    participation = CodeField(code_list="REVIEW_PARTICIPATION", dated_by="review_date",
                              blank=True)
    chaired_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+", help_text="The IRO")

    class Meta:
        verbose_name = "looked-after review"


class CLAVisit(PersonRecord):
    WITHIN = (Within("period", "start_date", "end_date", "visit_date"),)
    LIFE_EVENTS = ("visit_date",)
    SAME_PERSON_AS = ("period",)

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    visited_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = "looked-after visit"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.seen_alone and not self.seen:
            errors.append(refuse("seen_alone", "is 'yes' but the child was not seen"))
        return errors


class IROContact(PersonRecord):
    """Contact between the independent reviewing officer and the child between reviews."""

    WITHIN = (Within("period", "start_date", "end_date", "contact_date"),)
    LIFE_EVENTS = ("contact_date",)
    SAME_PERSON_AS = ("period",)

    period = models.ForeignKey(PeriodOfCare, on_delete=models.PROTECT, related_name="iro_contacts")
    iro = models.ForeignKey("records.Professional", on_delete=models.PROTECT, related_name="+")
    contact_date = models.DateField()
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "IRO contact"
