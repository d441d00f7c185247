"""The front door: contacts with their decision and rationale, early help, private fostering.

SSD: ssd_contacts, ssd_early_help_episodes. Seed 003 asks that front-door decisions be
recorded with their rationale; a decision without one is refused.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.rules import NoOverlap
from goldenthread.records.models.base import PersonRecord


class Contact(PersonRecord):
    DATE_ORDER = (("received_at", "decided_at"),)
    LIFE_EVENTS = ("received_at",)
    PREBIRTH_ALLOWED = True

    received_at = models.DateTimeField()
    source = CodeField(code_list="REFERRAL_SOURCE", dated_by="received_at")
    source_detail = models.CharField(max_length=255, blank=True,
                                     help_text="Who made the contact, e.g. the school's name")
    summary = models.TextField(blank=True)
    decision = CodeField(code_list="CONTACT_DECISION", dated_by="decided_at", blank=True)
    level_of_need = CodeField(code_list="LEVEL_OF_NEED", dated_by="decided_at", blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="contact_decisions")

    class Meta:
        verbose_name = "contact"
        indexes = (models.Index(fields=("received_at",), name="contact_received"),)

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        decided = bool(self.decision)
        if decided:
            for name in ("decided_at", "level_of_need", "decision_rationale"):
                if not getattr(self, name):
                    errors.append(refuse(name, f"(blank) but the decision is "
                                               f"{show(self.decision)}; a front-door decision "
                                               "needs its date, level of need and rationale"))
        elif self.decided_at is not None:
            errors.append(refuse("decision", "(blank) but a decision date is recorded; choose "
                                             "the decision"))
        return errors


class EarlyHelpEpisode(PersonRecord):
    """Early help: the EHA, who led it, and whether the child stepped up or down."""

    DATE_ORDER = (("start_date", "end_date"), ("start_date", "eha_completed_on"))
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    OVERLAP = NoOverlap(what="early help episodes for one child")
    SAME_PERSON_AS = ("stepped_up_to", "stepped_down_from")

    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    eha_completed_on = models.DateField("EHA completed on", null=True, blank=True)
    organisation = models.CharField(max_length=255, help_text="Lead organisation")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="early_help_episodes")
    reason = models.TextField(blank=True)
    end_reason = CodeField(code_list="EARLY_HELP_END_REASON", dated_by="end_date", blank=True)
    stepped_down_from = models.ForeignKey("records.Referral", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    stepped_up_to = models.ForeignKey("records.Referral", on_delete=models.PROTECT, null=True,
                                      blank=True, related_name="+")

    class Meta:
        verbose_name = "early help episode"

    def clean_record(self) -> list[ValidationError]:
        errors = super().clean_record()
        if self.end_date and not self.end_reason:
            errors.append(refuse("end_reason", "(blank) but the episode has ended; say why"))
        if self.end_reason and not self.end_date:
            errors.append(refuse("end_date", "(blank) but an end reason is given"))
        return errors


class PrivateFosteringNotification(PersonRecord):
    """A notification that a child is privately fostered (Children Act 1989 s.66)."""

    DATE_ORDER = (("arrangement_start", "arrangement_end"),)
    LIFE_EVENTS = ("notified_on",)

    notified_on = models.DateField()
    arrangement_start = models.DateField(null=True, blank=True)
    arrangement_end = models.DateField(null=True, blank=True)
    carer = models.ForeignKey("records.Person", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="private_fostering_as_carer")
    visit_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "private fostering notification"
