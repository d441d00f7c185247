"""Users who sign in, and the roles that decide which children's records they may see.

Roles are data (an LA can add its own); what each *scope* means is code, in
`goldenthread.access.policy`, so a new role can only combine scopes that exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

SYSTEM_USERNAME = "goldenthread-system"


class Scope(models.TextChoices):
    """Ways a role may reach a child's record. Each is implemented in access.policy."""

    ALLOCATED = "allocated", "Children allocated to the user (any role)"
    TEAM = "team", "Children allocated within the user's teams"
    SERVICE = "service", "Children allocated within the user's service"
    OPEN_CONTACT = "open_contact", "Children with an open contact at the front door"
    EARLY_HELP = "early_help", "Children in the user's early help episodes"
    REVIEWED = "reviewed", "Children whose reviews the user chairs (IRO)"
    RECENTLY_MISSING = "recently_missing", "Children missing or away in the last 30 days"
    ADVISED = "advised", "Care leavers the user is personal adviser to"
    ALL = "all", "Every child (except restricted records)"


ROLE_FLAGS = ("may_break_glass", "may_record", "sees_pseudonymised_rows", "manages_staff",
              "administers_accounts")


class Role(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    scopes = models.JSONField(default=list, help_text="Scope codes from accounts.Scope")
    may_break_glass = models.BooleanField(default=False)
    may_record = models.BooleanField(
        default=False, help_text="Records and changes children's records (the recording "
                                 "pages); without it the role only reads what it may see")
    sees_pseudonymised_rows = models.BooleanField(default=False)
    manages_staff = models.BooleanField(default=False,
                                        help_text="Sees break-glass use by their service")
    administers_accounts = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_role"
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in; their professional record (if any) is in the workforce."""

    is_system = models.BooleanField(
        default=False, help_text="The account that acts for scheduled jobs and data loads.")
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    access = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="The scopes and flags of the user's roles, kept in step by signals when "
                  "roles change, so access checks need no query beyond the user row")

    def refresh_access(self) -> None:
        """Recompute `access` from the roles (the roles are the truth; this is a summary)."""
        roles = list(self.roles.all())
        self.access = {
            "scopes": sorted({scope for role in roles for scope in role.scopes}),
            "flags": sorted({flag for role in roles for flag in ROLE_FLAGS
                             if getattr(role, flag)}),
        }
        type(self).objects.filter(pk=self.pk).update(access=self.access)

    class Meta:
        db_table = "accounts_user"


def system_user() -> User:
    """The acting user for work no person started (reference loads, synthetic data)."""
    user, _ = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"is_system": True, "is_active": False, "first_name": "goldenthread",
                  "last_name": "system"},
    )
    return user


@receiver(m2m_changed, sender=User.roles.through)
def _roles_changed(sender: Any, instance: Any, action: str, reverse: bool,
                   pk_set: set[int] | None, **kwargs: Any) -> None:
    if reverse and action == "pre_clear":
        # After a clear the role's users are no longer known: note them now.
        instance._users_before_clear = list(instance.users.all())
        return
    if not action.startswith("post_"):
        return
    if not reverse:
        users = [instance]
    elif action == "post_clear":
        users = getattr(instance, "_users_before_clear", [])
    else:
        users = list(User.objects.filter(pk__in=pk_set or []))
    for user in users:
        user.refresh_access()


@receiver(post_save, sender=Role)
def _role_saved(sender: Any, instance: Role, **kwargs: Any) -> None:
    for user in instance.users.all():
        user.refresh_access()
