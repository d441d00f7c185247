"""DfE's validators as the referee for our rule engine's tests.

The referee lives in its own virtualenv (DfE's packages pin pandas<2 and numpy<1.25), found
as ``goldenthread.returns.referee`` finds it (``GOLDENTHREAD_REFEREE_PYTHON``, else
``.venv-referee``); without one the referee half of a test is skipped, never faked. That
bridge runs one return per process; here every dataset of a test module goes to one process
(``referee_script.py``, fed the same way: tables to DfE's Python API), so the validators and
the postcode table load once for some fifty datasets.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from goldenthread.returns.referee import available, referee_python
from tests.returns.clean_returns import Tables

__all__ = ["RefereeIssue", "RefereeReport", "available", "run_referee"]

_HERE = Path(__file__).resolve().parent
_SCRIPT = _HERE / "referee_script.py"


@dataclass(frozen=True)
class RefereeIssue:
    code: str
    table: str | None
    row: int | None
    child: str | None


@dataclass(frozen=True)
class RefereeReport:
    issues: tuple[RefereeIssue, ...]
    crashed: tuple[str, ...]

    def children(self, code: str) -> set[str | None]:
        return {issue.child for issue in self.issues if issue.code == code}

    def codes(self) -> set[str]:
        return {issue.code for issue in self.issues}


def _as_columns(tables: Tables, columns: dict[str, tuple[str, ...]] | None) -> dict[str, object]:
    payload: dict[str, object] = {}
    for name, rows in tables.items():
        if columns and name in columns:
            names = list(columns[name])
        else:
            names = list(rows[0]) if rows else []
        payload[name] = {"columns": names, "rows": [[row.get(c) for c in names] for row in rows]}
    return payload


def run_referee(
    return_: str,
    datasets: dict[str, tuple[Tables, list[str] | None]],
    *,
    year: int,
    la: str,
    columns: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, RefereeReport]:
    """Run DfE's validator for ``return_`` ('903' or 'cin') on every dataset in one process.

    ``datasets`` maps a name to (tables, rule codes to run or None for all of them).
    """
    python = referee_python()
    request = {
        "return": return_,
        "year": str(year),
        "la": la,
        "datasets": {
            name: {"tables": _as_columns(tables, columns), "rules": rules}
            for name, (tables, rules) in datasets.items()
        },
    }
    completed = subprocess.run(  # noqa: S603 - our own script, run by the referee's Python
        [str(python), str(_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        cwd=tempfile.gettempdir(),
        env={**os.environ, "PYTHONPATH": ""},
    )
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr[-4000:])
        raise RuntimeError(f"the referee failed (exit {completed.returncode})")
    answer = json.loads(completed.stdout)
    return {
        name: RefereeReport(
            issues=tuple(RefereeIssue(*issue) for issue in result["issues"]),
            crashed=tuple(result["crashed"]),
        )
        for name, result in answer.items()
    }
