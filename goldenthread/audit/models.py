"""AuditEvent: one row per thing done to or with a record, never changed or deleted.

Subjects are held as stored identifiers, not foreign keys, so the trail outlives the
records it describes (archiving, retention) and no cascade can remove it.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class AuditAction(models.TextChoices):
    CREATE = "create", "Created"
    CHANGE = "change", "Changed"
    ARCHIVE = "archive", "Archived"
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    EXPORT = "export", "Exported"
    BULK_LOAD = "bulk_load", "Loaded in bulk"
    BREAK_GLASS = "break_glass", "Break-glass access"
    GRANT = "grant", "Access granted"
    LOGIN = "login", "Signed in"
    LOGOUT = "logout", "Signed out"
    LOGIN_FAILED = "login_failed", "Sign-in failed"


class AppendOnly(Exception):
    """The audit trail cannot be changed or deleted."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit events cannot be updated")

    def delete(self) -> NoReturn:
        raise AppendOnly("audit events cannot be deleted")


class AuditEvent(models.Model):
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              related_name="+")
    actor_username = models.CharField(max_length=150)
    action = models.CharField(max_length=16, choices=AuditAction.choices)
    subject_type = models.CharField(max_length=64, blank=True,
                                    help_text="app_label.model of the record acted on")
    subject_id = models.CharField(max_length=64, blank=True)
    person_id = models.CharField(max_length=64, blank=True, db_index=True,
                                 help_text="The person (usually the child) the record is about")
    reason = models.TextField(blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True,
                              help_text="Row counts, search terms, batch sizes")

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        db_table = "audit_event"
        ordering = ("-occurred_at", "-id")
        indexes = (models.Index(fields=("subject_type", "subject_id"), name="audit_subject"),)

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} " \
               f"{self.subject_type} {self.subject_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnly("audit events cannot be changed once written")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnly("audit events cannot be deleted")
