"""The referral (CIN episode) is the spine; assessments, CIN plans and visits hang from it.

SSD: ssd_cin_episodes, ssd_cin_assessments, ssd_assessment_factors, ssd_cin_plans,
ssd_cin_visits. CIN census: CINdetails, Assessments, CINPlanDates.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse
from goldenthread.core.fields import CodeField
from goldenthread.core.models import ArchivableModel
from goldenthread.core.rules import NoOverlap, Within, as_date
from goldenthread.records.models.base import PersonRecord


class Referral(PersonRecord):
    """A referral to children's social care: one CIN episode, from referral to closure."""

    DATE_ORDER = (("referral_date", "closure_date"),)
    LIFE_EVENTS = ("referral_date",)
    PREBIRTH_ALLOWED = True
    OVERLAP = NoOverlap(what="referrals (CIN episodes) for one child", start="referral_date",
                        end="closure_date")
    SAME_PERSON_AS = ("contact",)

    contact = models.ForeignKey("records.Contact", on_delete=models.PROTECT, null=True,
                                blank=True, related_name="referrals")
    referral_date = models.DateField()
    source = CodeField(code_list="REFERRAL_SOURCE", dated_by="referral_date")
    primary_need = CodeField(code_list="CIN_PRIMARY_NEED", dated_by="referral_date", blank=True)
    is_nfa = models.BooleanField("no further action", default=False,
                                 help_text="Closed with no further action (CIN ReferralNFA)")
    closure_date = models.DateField(null=True, blank=True)
    closure_reason = CodeField(code_list="CLOSURE_REASON", dated_by="closure_date", blank=True)
    team = models.ForeignKey("records.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="referrals")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="referrals")

    class Meta:
        verbose_name = "referral"
        indexes = (models.Index(fields=("referral_date",), name="referral_date"),)

    def __str__(self) -> str:
        return f"referral of {self.referral_date:%d/%m/%Y}"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.closure_date and not self.closure_reason:
            errors.append(refuse("closure_reason", "(blank) but the referral is closed; choose "
                                                   "the reason for closure (RC1–RC9)"))
        if self.closure_reason and not self.closure_date:
            errors.append(refuse("closure_date", "(blank) but a reason for closure is given"))
        if self.contact_id is not None and self.contact is not None \
                and (as_date(self.contact.received_at) or self.referral_date) > self.referral_date:
            errors.append(refuse("referral_date", "is before the contact it came from; a "
                                                  "referral follows its contact"))
        return errors


class Assessment(PersonRecord):
    """A child and family assessment (45 working days from the referral)."""

    DATE_ORDER = (("start_date", "completed_on"), ("start_date", "authorised_on"),
                  ("start_date", "child_seen_on"))
    WITHIN = (Within("referral", "referral_date", "closure_date", "start_date", "authorised_on"),)
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral",)

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="assessments")
    start_date = models.DateField()
    child_seen = models.BooleanField(null=True, blank=True)
    child_seen_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True,
                                    help_text="Submitted for authorisation")
    authorised_on = models.DateField(null=True, blank=True)
    authorised_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT,
                                      null=True, blank=True, related_name="+")
    outcome_nfa = models.BooleanField("outcome: no further action", default=False)
    team = models.ForeignKey("records.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="assessments")

    class Meta:
        verbose_name = "assessment"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.authorised_on and self.authorised_by_id is None:
            errors.append(refuse("authorised_by", "(blank) but an authorisation date is given; "
                                                  "name the manager who authorised it"))
        if self.child_seen_on and self.child_seen is False:
            errors.append(refuse("child_seen", "is 'no' but a date the child was seen is given"))
        return errors


class AssessmentFactor(ArchivableModel):
    """A factor identified at assessment (CIN FactorsIdentifiedAtAssessment)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="factors")
    code = CodeField(code_list="ASSESSMENT_FACTOR", dated_by="assessment.start_date")

    class Meta:
        verbose_name = "assessment factor"
        constraints = (models.UniqueConstraint(fields=("assessment", "code"),
                                               condition=models.Q(archived_at__isnull=True),
                                               name="factor_once_per_assessment"),)


class CINPlan(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    WITHIN = (Within("referral", "referral_date", "closure_date", "start_date", "end_date"),)
    OVERLAP = NoOverlap(what="CIN plans for one child")
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral",)

    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="cin_plans")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    team = models.ForeignKey("records.Team", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")

    class Meta:
        verbose_name = "CIN plan"


class CINVisit(PersonRecord):
    WITHIN = (Within("cin_plan", "start_date", "end_date", "visit_date"),)
    LIFE_EVENTS = ("visit_date",)
    SAME_PERSON_AS = ("cin_plan",)

    cin_plan = models.ForeignKey(CINPlan, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="visits")
    visit_date = models.DateField()
    seen = models.BooleanField()
    seen_alone = models.BooleanField(default=False)
    bedroom_seen = models.BooleanField(null=True, blank=True)
    visited_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")

    class Meta:
        verbose_name = "CIN visit"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.seen_alone and not self.seen:
            errors.append(refuse("seen_alone", "is 'yes' but the child was not seen"))
        return errors
