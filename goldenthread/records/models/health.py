"""Health and wellbeing of looked-after children (SSDA903 OC2; SSD ssd_cla_health,
ssd_cla_immunisations, ssd_sdq_scores, ssd_cla_convictions, ssd_cla_substance_misuse)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.records.models.base import PersonRecord


class HealthCheck(PersonRecord):
    LIFE_EVENTS = ("check_date",)

    check_type = CodeField(code_list="HEALTH_CHECK_TYPE", dated_by="check_date")
    check_date = models.DateField()
    completed = models.BooleanField(default=True, help_text="No if refused or not attended")

    class Meta:
        verbose_name = "health check"


class Immunisation(PersonRecord):
    LIFE_EVENTS = ("as_at",)

    up_to_date = models.BooleanField()
    as_at = models.DateField()

    class Meta:
        verbose_name = "immunisation status"


class SDQScore(PersonRecord):
    """A Strengths and Difficulties Questionnaire: a score 0–40, or the reason there is none."""

    LIFE_EVENTS = ("completed_on",)

    completed_on = models.DateField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    reason = CodeField("reason for no score", code_list="SDQ_REASON", dated_by="completed_on",
                       blank=True)

    class Meta:
        verbose_name = "SDQ score"
        constraints = (models.CheckConstraint(condition=models.Q(score__isnull=True)
                                              | models.Q(score__lte=40), name="sdq_score_range"),)

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.score is not None and self.score > 40:
            errors.append(refuse("score", f"{show(self.score)} is outside 0 to 40"))
        if self.score is None and not self.reason:
            errors.append(refuse("reason", "(blank) with no score; give a score 0–40 or the "
                                           "reason there is none (SDQ1–SDQ5)"))
        if self.score is not None and self.reason:
            errors.append(refuse("reason", f"{show(self.reason)} is a reason for no score, but a "
                                           "score is recorded; leave it blank"))
        return errors


class PersonalEducationPlan(PersonRecord):
    LIFE_EVENTS = ("plan_date",)

    plan_date = models.DateField()
    school_urn = models.CharField("school URN", max_length=7, blank=True)

    class Meta:
        verbose_name = "personal education plan"


class Conviction(PersonRecord):
    LIFE_EVENTS = ("conviction_date",)

    conviction_date = models.DateField()
    offence = models.CharField(max_length=1000)

    class Meta:
        verbose_name = "conviction"


class SubstanceMisuse(PersonRecord):
    LIFE_EVENTS = ("identified_on",)

    identified_on = models.DateField()
    substance = models.CharField(max_length=100)
    intervention_offered = models.BooleanField(null=True, blank=True)
    intervention_received = models.BooleanField(null=True, blank=True)

    class Meta:
        verbose_name = "substance misuse"
        verbose_name_plural = "substance misuse records"
