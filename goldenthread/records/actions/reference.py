"""Bring the reference_code table in line with the packaged code lists, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.reference.codes import code_lists
from goldenthread.reference.models import ReferenceCode


@dataclass(frozen=True)
class SyncResult:
    added: int
    updated: int
    disabled: int
    unchanged: int


@transaction.atomic
def do_sync_reference_codes(*, acting_user: User) -> SyncResult:
    existing = {(rc.list_id, rc.code): rc for rc in ReferenceCode.objects.select_for_update()}
    seen: set[tuple[str, str]] = set()
    added: list[ReferenceCode] = []
    changed: list[ReferenceCode] = []
    unchanged = 0
    for code_list in code_lists().values():
        for code in code_list.codes:
            key = (code_list.id, code.code)
            seen.add(key)
            row = existing.get(key)
            values = {"description": code.description, "valid_from": code.valid_from,
                      "valid_to": code.valid_to, "disabled_on": None}
            if row is None:
                added.append(ReferenceCode(list_id=code_list.id, code=code.code, **values))
            elif any(getattr(row, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(row, k, v)
                changed.append(row)
            else:
                unchanged += 1
    today = timezone.localdate()
    disabled = [row for key, row in existing.items() if key not in seen and row.disabled_on is None]
    for row in disabled:
        row.disabled_on = today
    ReferenceCode.objects.bulk_create(added)
    ReferenceCode.objects.bulk_update([*changed, *disabled],
                                      ["description", "valid_from", "valid_to", "disabled_on"])
    result = SyncResult(len(added), len(changed), len(disabled), unchanged)
    record_event(actor=acting_user, action=AuditAction.BULK_LOAD, reason="load_reference",
                 detail={"table": "reference_code", **result.__dict__})
    return result
