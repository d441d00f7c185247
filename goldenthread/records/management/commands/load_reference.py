from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from goldenthread.accounts.models import system_user
from goldenthread.records.actions.reference import do_sync_reference_codes


class Command(BaseCommand):
    help = "Load the DfE and local code lists into the database (never deletes; disables)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = do_sync_reference_codes(acting_user=system_user())
        self.stdout.write(f"reference codes: {result.added} added, {result.updated} updated, "
                          f"{result.disabled} disabled, {result.unchanged} unchanged")
