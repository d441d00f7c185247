"""Users who sign in. A custom user model from the first migration, so it can grow."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models

SYSTEM_USERNAME = "goldenthread-system"


class User(AbstractUser):
    """A person who signs in; their professional record (if any) is in the workforce."""

    is_system = models.BooleanField(
        default=False, help_text="The account that acts for scheduled jobs and data loads.")

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
