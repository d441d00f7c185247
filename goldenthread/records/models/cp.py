"""Child protection: strategy discussion → section 47 → ICPC → CP plan → reviews and visits.

SSD: ssd_s47_enquiry, ssd_initial_cp_conference, ssd_cp_plans, ssd_cp_reviews,
ssd_cp_visits. A CP plan needs an initial (or transfer-in) conference that decided on one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import NoOverlap, Within
from goldenthread.records.models.base import PersonRecord


class StrategyDiscussion(PersonRecord):
    """The strategy discussion that starts the ICPC's 15-working-day clock."""

    WITHIN = (Within("referral", "referral_date", "closure_date", "held_on"),)
    LIFE_EVENTS = ("held_on",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral",)

    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT,
                                 related_name="strategy_discussions")
    held_on = models.DateField()
    section_47_agreed = models.BooleanField()
    attendees = models.TextField(blank=True)
    rationale = models.TextField(blank=True)

    class Meta:
        verbose_name = "strategy discussion"


class Section47Enquiry(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("referral", "referral_date", "closure_date", "start_date", "end_date"),
              Within("strategy_discussion", "held_on", None, "start_date"))
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral", "strategy_discussion")
    SAME_REFERRAL_AS = ("strategy_discussion",)

    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT,
                                 related_name="section_47_enquiries")
    strategy_discussion = models.ForeignKey(StrategyDiscussion, on_delete=models.PROTECT,
                                            null=True, blank=True, related_name="enquiries")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    icpc_required = models.BooleanField("ICPC required", null=True, blank=True,
                                        help_text="Blank until the enquiry concludes")
    outcome_nfa = models.BooleanField(default=False)
    team = models.ForeignKey("records.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = "section 47 enquiry"
        verbose_name_plural = "section 47 enquiries"


class InitialConference(PersonRecord):
    """An initial child protection conference (ICPC), or a transfer-in from another LA."""

    WITHIN = (Within("referral", "referral_date", "closure_date", "conference_date"),
              Within("section_47", "start_date", None, "conference_date"))
    LIFE_EVENTS = ("conference_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral", "section_47")
    SAME_REFERRAL_AS = ("section_47",)

    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT,
                                 related_name="initial_conferences")
    section_47 = models.ForeignKey(Section47Enquiry, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="initial_conferences")
    is_transfer_in = models.BooleanField(default=False)
    target_date = models.DateField(null=True, blank=True,
                                   help_text="15 working days after the strategy discussion")
    conference_date = models.DateField()
    cp_plan_decided = models.BooleanField("outcome: child protection plan")
    chair = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")

    class Meta:
        verbose_name = "initial child protection conference"
        constraints = (
            models.CheckConstraint(
                condition=models.Q(is_transfer_in=True) | models.Q(section_47__isnull=False),
                name="icpc_follows_s47_or_transfer_in",
                violation_error_message="section_47: an initial conference follows a section 47 "
                                        "enquiry unless it is a transfer-in"),
        )

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.section_47_id is None and not self.is_transfer_in:
            errors.append(refuse("section_47", "(blank) but this is not a transfer-in; an "
                                               "initial conference follows a section 47 enquiry"))
        return errors


class CPPlan(PersonRecord):
    """A child protection plan: its category of abuse at the start and now."""

    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("referral", "referral_date", "closure_date", "start_date", "end_date"),
              Within("initial_conference", "conference_date", None, "start_date"))
    OVERLAP = NoOverlap(what="child protection plans for one child")
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral", "initial_conference")
    SAME_REFERRAL_AS = ("initial_conference",)

    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT,
                                 related_name="cp_plans")
    initial_conference = models.ForeignKey(InitialConference, on_delete=models.PROTECT,
                                           related_name="cp_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    is_other_la = models.BooleanField("plan held by another LA", default=False)
    initial_category = CodeField(code_list="CATEGORY_OF_ABUSE", dated_by="start_date")
    latest_category = CodeField(code_list="CATEGORY_OF_ABUSE", dated_by="start_date")

    class Meta:
        verbose_name = "child protection plan"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        icpc = self.initial_conference if self.initial_conference_id else None
        if icpc is not None and not icpc.cp_plan_decided:
            errors.append(refuse("initial_conference",
                                 f"the conference of {show(icpc.conference_date)} did not decide "
                                 "on a child protection plan; a plan needs an initial or "
                                 "transfer-in conference that decided on one"))
        return errors


class CPReview(PersonRecord):
    WITHIN = (Within("cp_plan", "start_date", "end_date", "review_date"),)
    LIFE_EVENTS = ("review_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("cp_plan",)

    cp_plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="reviews")
    due_date = models.DateField()
    review_date = models.DateField(null=True, blank=True)
    plan_continues = models.BooleanField(null=True, blank=True)
    quorate = models.BooleanField(null=True, blank=True)
    participation = CodeField(code_list="REVIEW_PARTICIPATION", dated_by="review_date",
                              blank=True)

    class Meta:
        verbose_name = "child protection review"


class CPVisit(PersonRecord):
    WITHIN = (Within("cp_plan", "start_date", "end_date", "visit_date"),)
    LIFE_EVENTS = ("visit_date",)
    SAME_PERSON_AS = ("cp_plan",)

    cp_plan = models.ForeignKey(CPPlan, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(null=True, blank=True)
    visited_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = "child protection visit"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.seen_alone and not self.seen:
            errors.append(refuse("seen_alone", "is 'yes' but the child was not seen"))
        return errors
