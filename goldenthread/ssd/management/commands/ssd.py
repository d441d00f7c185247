"""`goldenthread ssd export` and `goldenthread ssd import PATH` (docs/ssd.md)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from goldenthread.accounts.models import system_user
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.ssd.importer import import_extract, summary
from goldenthread.ssd.io import FORMATS, write_tables
from goldenthread.ssd.projection import project


def default_store() -> Path:
    return Path(settings.VAR_DIR) / "ssd"


class Command(BaseCommand):
    help = ("Export the records as Standard Safeguarding Dataset tables, or import another "
            "system's SSD extract into the SSD store the analytics read.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        export = actions.add_parser("export", help="write every SSD table the records fill")
        export.add_argument("--out", type=Path, default=None,
                            help=f"output folder (default: the SSD store, {default_store()})")
        export.add_argument("--format", choices=FORMATS, default="parquet")
        export.add_argument("--window-years", type=int, default=None,
                            help="keep only the last N years' events, as the SSD's "
                                 "@ssd_timeframe_years (default: everything)")
        load = actions.add_parser("import", help="check an SSD extract and load it whole")
        load.add_argument("path", type=Path, help="folder of ssd_*.csv or ssd_*.parquet files")
        load.add_argument("--into", type=Path, default=None,
                          help=f"SSD store folder (default: {default_store()})")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self.export(options["out"] or default_store(), options["format"],
                        options["window_years"])
        else:
            self.load(options["path"], options["into"] or default_store())

    def progress(self, line: str) -> None:
        self.stderr.write(f"  {line}")

    def export(self, out: Path, fmt: str, window_years: int | None) -> None:
        if window_years is not None and window_years < 1:
            raise CommandError("--window-years must be 1 or more", returncode=2)
        started = time.perf_counter()
        self.stderr.write("Projecting the records into SSD tables...")
        tables = project(window_years=window_years, progress=self.progress)
        self.stderr.write(f"Writing {fmt} files to {out}...")
        write_tables(tables, out, fmt, self.progress)  # type: ignore[arg-type]
        rows = sum(t.num_rows for t in tables.values())
        record_event(actor=system_user(), action=AuditAction.EXPORT,
                     detail={"export": "ssd", "tables": len(tables), "rows": rows})
        self.stdout.write(f"Exported {len(tables)} SSD tables, {rows} rows, to {out} in "
                          f"{time.perf_counter() - started:.1f} s")

    def load(self, source: Path, into: Path) -> None:
        self.stderr.write(f"Checking the SSD extract in {source}...")
        report = import_extract(source, into, self.progress)
        for line in summary(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(f"{len(report.problems)} problems in the extract; nothing was "
                               f"loaded and {into} is unchanged")
        rows = sum(report.rows.values())
        record_event(actor=system_user(), action=AuditAction.BULK_LOAD,
                     detail={"import": "ssd", "source": str(source),
                             "tables": len(report.rows), "rows": rows})
        self.stdout.write(f"Loaded {len(report.rows)} SSD tables, {rows} rows, into {into}")
