"""Permanence: adoption milestones, SGOs and CAOs, previous permanence, permanence plans.

SSD: ssd_permanence, ssd_cla_previous_permanence, ssd_cla_care_plan; SSDA903: AD1,
PlacedAdoption, PrevPerm; adoption scorecard A1, A2, A10.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import Within
from goldenthread.records.models.base import PersonRecord


class Permanence(PersonRecord):
    """The milestones towards adoption or another permanence order, in the order they happen."""

    DATE_ORDER = (
        ("adm_decision_date", "matched_date"),
        ("matched_date", "placed_for_adoption_date"),
        ("placed_for_adoption_date", "permanence_order_date"),
        ("placement_order_date", "placed_for_adoption_date"),
        ("ffa_decision_date", "placed_ffa_date"),
        ("adm_decision_date", "decision_reversed_date"),
    )
    LIFE_EVENTS = ("adm_decision_date", "placed_for_adoption_date", "permanence_order_date")
    SAME_PERSON_AS = ("period",)

    period = models.ForeignKey("records.PeriodOfCare", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="permanence")
    adm_decision_date = models.DateField("ADM decision (should be placed for adoption)",
                                         null=True, blank=True)
    ffa_decision_date = models.DateField("fostering for adoption decision", null=True, blank=True)
    placement_order_date = models.DateField(null=True, blank=True)
    matched_date = models.DateField(null=True, blank=True)
    placed_for_adoption_date = models.DateField(null=True, blank=True)
    placed_ffa_date = models.DateField("placed with FFA / concurrent carers", null=True,
                                       blank=True)
    adopted_by_foster_carer = models.BooleanField(null=True, blank=True)
    number_of_adopters = models.PositiveSmallIntegerField(null=True, blank=True)
    adopter_sex = CodeField(code_list="ADOPTER_SEX", dated_by="matched_date", blank=True)
    adopter_legal_status = CodeField(code_list="ADOPTER_LEGAL_STATUS", dated_by="matched_date",
                                     blank=True)
    part_of_sibling_group = models.BooleanField(null=True, blank=True)
    siblings_placed_together = models.PositiveSmallIntegerField(null=True, blank=True)
    siblings_placed_apart = models.PositiveSmallIntegerField(null=True, blank=True)
    provider_urn = models.CharField(max_length=8, blank=True)
    decision_reversed_date = models.DateField(null=True, blank=True)
    decision_reversed_reason = CodeField(code_list="ADOPTION_PLACEMENT_CEASED",
                                         dated_by="decision_reversed_date", blank=True)
    permanence_order_date = models.DateField(null=True, blank=True)
    permanence_order_type = CodeField(code_list="PERMANENCE_ORDER_TYPE",
                                      dated_by="permanence_order_date", blank=True)
    adoption_worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT,
                                        null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "permanence record"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.number_of_adopters not in (None, 1, 2):
            errors.append(refuse("number_of_adopters", f"{show(self.number_of_adopters)} is not "
                                                       "1 or 2"))
        if bool(self.permanence_order_date) != bool(self.permanence_order_type):
            errors.append(refuse("permanence_order_type", "and the order date go together; give "
                                                          "both or neither"))
        if bool(self.decision_reversed_date) != bool(self.decision_reversed_reason):
            errors.append(refuse("decision_reversed_reason", "and the reversal date go together; "
                                                             "give both or neither"))
        return errors


class PreviousPermanence(PersonRecord):
    """Permanence the child had before this period of care (903 PrevPerm)."""

    option = CodeField(code_list="PREVIOUS_PERMANENCE")
    la_code = models.CharField("LA that made the order", max_length=3, blank=True,
                               help_text="3-digit DfE LA number, or WAL, SCO, NUK, NIR")
    order_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "previous permanence"
        verbose_name_plural = "previous permanence"


class PermanencePlan(PersonRecord):
    """The plan for permanence, decided by the second looked-after review (seed 004)."""

    DATE_ORDER = (("decided_on", "end_date"),)
    WITHIN = (Within("period", "start_date", "end_date", "decided_on"),)
    LIFE_EVENTS = ("decided_on",)
    SAME_PERSON_AS = ("period",)
    SAME_PERIOD_AS = ("decided_at_review",)

    period = models.ForeignKey("records.PeriodOfCare", on_delete=models.PROTECT,
                               related_name="permanence_plans")
    plan = CodeField(code_list="PERMANENCE_PLAN", dated_by="decided_on")
    decided_on = models.DateField()
    decided_at_review = models.ForeignKey("records.CLAReview", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "permanence plan"
