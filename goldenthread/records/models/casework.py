"""What a social worker writes about a child beyond the statutory events: case notes,
supervision with the manager's decision and rationale, and the impact chronology's
hand-added and hand-marked entries (seed 003: case summaries, chronologies and supervision
notes that can be found).
"""

from __future__ import annotations

from django.db import models

from goldenthread.records.models.base import PersonRecord


class CaseNote(PersonRecord):
    """A dated note of work with or about the child (a visit, a call, a meeting)."""

    LIFE_EVENTS = ("occurred_at",)
    PREBIRTH_ALLOWED = True

    occurred_at = models.DateTimeField(help_text="When the work happened, not when it was typed")
    kind = models.CharField(max_length=48, help_text="e.g. home visit, phone call, meeting")
    subject = models.CharField(max_length=255)
    text = models.TextField()
    author = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="case_notes")
    significant = models.BooleanField(
        default=False, help_text="Shown in the child's impact chronology")

    class Meta:
        verbose_name = "case note"
        indexes = (models.Index(fields=("person", "occurred_at"), name="case_note_person"),)


class Supervision(PersonRecord):
    """A manager's case supervision: what was discussed, what was decided and why."""

    LIFE_EVENTS = ("supervision_date",)
    PREBIRTH_ALLOWED = True
    DATE_ORDER = (("supervision_date", "next_due"),)

    supervision_date = models.DateField()
    manager = models.ForeignKey("records.Professional", on_delete=models.PROTECT,
                                related_name="supervisions_given")
    worker = models.ForeignKey("records.Professional", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="supervisions_received")
    discussion = models.TextField()
    decision = models.TextField()
    rationale = models.TextField()
    next_due = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "supervision"
        indexes = (models.Index(fields=("person", "supervision_date"), name="supervision_person"),)


class ChronologyEntry(PersonRecord):
    """A significant event added by hand to the child's impact chronology (e.g. a parent's
    imprisonment, a school move), or a mark making a generated event significant."""

    LIFE_EVENTS = ("event_date",)
    PREBIRTH_ALLOWED = True

    event_date = models.DateField()
    title = models.CharField(max_length=255)
    impact = models.TextField(blank=True, help_text="What this meant for the child")
    significant = models.BooleanField(default=True)
    # A mark on a generated event names its record; a hand-added event leaves these blank.
    record_type = models.CharField(max_length=64, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "chronology entry"
        indexes = (models.Index(fields=("person", "event_date"), name="chronology_person"),)
