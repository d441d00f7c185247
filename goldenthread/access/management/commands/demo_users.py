"""Sign-ins for the local demo: one per main persona, linked to synthetic staff.

Refused unless GOLDENTHREAD_DEMO=1: a known password has no place on a real system.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from goldenthread.access.actions import do_create_demo_user
from goldenthread.accounts.models import system_user
from goldenthread.records.actions.base import change_record
from goldenthread.records.models import Professional

DEMO_PASSWORD = "demo-only-synthetic-data"  # noqa: S105 - demo mode only, printed on purpose
PERSONAS = [
    # username, roles, the kind of synthetic professional to sign in as (None: no record)
    ("demo-social-worker", ["social_worker"], Q(is_social_worker=True, is_manager=False)),
    ("demo-team-manager", ["team_manager"], Q(is_manager=True)),
    ("demo-auditor", ["qa_auditor"], None),
    ("demo-analyst", ["performance_analyst"], None),
]


class Command(BaseCommand):
    help = "Create demo sign-ins (only with GOLDENTHREAD_DEMO=1)."

    def handle(self, *args: Any, **options: Any) -> None:
        if os.environ.get("GOLDENTHREAD_DEMO") != "1":
            raise CommandError("demo_users: refused; set GOLDENTHREAD_DEMO=1 (local demo only)")
        actor = system_user()
        for username, roles, kind in PERSONAS:
            user = do_create_demo_user(username, password=DEMO_PASSWORD, roles=roles,
                                       acting_user=actor)
            if kind is not None and not Professional.objects.filter(user=user).exists():
                staff = (Professional.objects.filter(kind, user__isnull=True,
                                                     leave_date__isnull=True)
                         .annotate(open_cases=Count("involvements", filter=Q(
                             involvements__end_date__isnull=True)))
                         .order_by("-open_cases", "pk").first())
                if staff is not None:
                    change_record(staff, acting_user=actor, expected_version=staff.version,
                                  user=user)
            self.stdout.write(f"  {username:22s} password: {DEMO_PASSWORD}  roles: "
                              f"{', '.join(roles)}")
