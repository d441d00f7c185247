"""Refuse writes to records outside the actions layer (Zulip-style custom check).

Only `records/actions`, the audit trail, migrations and tests' factories may call
.save(), .delete(), .objects.create(), .update(), bulk_create() or bulk_update().
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITE = re.compile(r"\.(save|delete|bulk_create|bulk_update|get_or_create|update_or_create)\(|"
                   r"\.objects\.create\(|\.update\(\*\*|\.update\([a-z_]+=")
ALLOWED = ("goldenthread/records/actions/", "goldenthread/access/actions.py",
           "goldenthread/audit/", "goldenthread/core/models.py",
           "goldenthread/accounts/models.py", "/migrations/", "tests/factories.py",
           # analytics and returns cannot import the records at all (import-linter), so
           # their .save() calls write files: workbooks, payloads, stores.
           "goldenthread/analytics/", "goldenthread/returns/")
# Writes that are not to records: a dict's update, a hash's update.
NOT_RECORDS = re.compile(r"(data|context|headers|digest|hasher|options|kwargs|values|result)"
                         r"\.update\(")


def main() -> int:
    problems = []
    for path in sorted((ROOT / "goldenthread").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if any(part in rel for part in ALLOWED):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if WRITE.search(line) and not NOT_RECORDS.search(line) and "noqa: write" not in line:
                problems.append(f"{rel}:{number}: writes outside an action: {line.strip()}")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
