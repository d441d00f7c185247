"""Explicit grants to restricted records, and break-glass access with a stated reason."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AccessGrant(models.Model):
    """Permission for one user to see one restricted child's records, for a time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="access_grants")
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT,
                               related_name="access_grants")
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    reason = models.TextField()
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "access_grant"
        indexes = (models.Index(fields=("user", "person"), name="grant_user_person"),)

    def __str__(self) -> str:
        return f"grant to {self.user_id} for person {self.person_id}"


class BreakGlass(models.Model):
    """An emergency look at a child outside the user's usual access, with a reason.

    It lasts a few hours, is written to the audit trail, and is listed for the user's
    managers to review.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="break_glass")
    person = models.ForeignKey("records.Person", on_delete=models.PROTECT,
                               related_name="break_glass")
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "access_break_glass"
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"break-glass by {self.user_id} for person {self.person_id}"
