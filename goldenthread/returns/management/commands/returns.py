"""`goldenthread returns 903|cin|validate --year YYYY` (docs/returns.md).

Each builds from an SSD store: `--store PATH` (a folder from `ssd export` or `ssd import`),
or by default the current database, projected into a temporary store first.
"""

from __future__ import annotations

import json
import tempfile
from argparse import ArgumentParser
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from goldenthread.accounts.models import system_user
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.returns import cin_census, commands_more, ssda903
from goldenthread.returns.referee import RefereeUnavailable
from goldenthread.returns.validation import check
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect

YEARS = ssda903.YEARS  # the same years for both returns: DfE's rulesets 2022-23 to 2026-27


def usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = ("Build the SSDA903 return or the CIN census for a collection year from the SSD "
            "tables, or validate both with goldenthread's rules and DfE's validators.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        for name, what in (("903", "the SSDA903 CSV files"), ("cin", "the CIN census XML")):
            build = actions.add_parser(name, help=f"write {what}")
            self._common(build)
            build.add_argument("--out", type=Path, required=True, help="output folder")
            build.add_argument("--allow-errors", action="store_true",
                               help="exit 0 even when records cannot be fully expressed")
        validate = actions.add_parser("validate", help="list every failure of both returns")
        self._common(validate)
        validate.add_argument("--referee", action="store_true",
                              help="also run DfE's own validators (.venv-referee)")
        validate.add_argument("--save", type=Path, default=None,
                              help="also store the findings, by worker, as JSON in this file "
                                   "(for a nightly run)")
        commands_more.add_arguments(actions)  # annex-a, dfe-api, csww (commands_more.py)

    @staticmethod
    def _common(parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, required=True,
                            help="collection year, named by its end (2025 = 2024-25)")
        parser.add_argument("--store", type=Path, default=None,
                            help="SSD store folder (default: project the current database)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] in commands_more.ACTIONS:
            commands_more.handle(self, options)
            return
        year = options["year"]
        if year not in YEARS:
            raise usage(f"--year: {year} has no DfE ruleset; allowed: "
                        f"{YEARS.start}–{YEARS.stop - 1}")
        store = options["store"]
        if store is not None and not store.is_dir():
            raise usage(f"--store: {store} is not a folder (an SSD store from `ssd export`)")
        with self.opened(store) as con:
            if options["action"] == "903":
                self.write_903(con, year, options["out"], options["allow_errors"])
            elif options["action"] == "cin":
                self.write_cin(con, year, options["out"], options["allow_errors"])
            else:
                self.validate(con, year, options["referee"], options["save"])

    @contextmanager
    def opened(self, store: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
        if store is not None:
            con = connect(store)
            try:
                yield con
            finally:
                con.close()
            return
        with tempfile.TemporaryDirectory(prefix="gt-returns-") as folder:
            self.stderr.write("Projecting the records into SSD tables...")
            write_tables(project(), Path(folder) / "store")
            con = connect(Path(folder) / "store")
            try:
                yield con
            finally:
                con.close()

    def write_903(self, con: duckdb.DuckDBPyConnection, year: int, out: Path,
                  allow_errors: bool) -> None:
        with tqdm(total=2, desc=f"SSDA903 {year}", file=self.stderr) as bar:
            tables = ssda903.build(con, year)
            bar.update()
            written = ssda903.write_csv(tables, out)
            bar.update()
        rows = sum(t.num_rows for t in tables.values())
        self._audit("ssda903", year, rows)
        self.stdout.write(f"Wrote {len(written)} SSDA903 tables, {rows} rows, to {out}")
        self._gaps(ssda903.gaps(tables), allow_errors)

    def write_cin(self, con: duckdb.DuckDBPyConnection, year: int, out: Path,
                  allow_errors: bool) -> None:
        with tqdm(total=3, desc=f"CIN census {year}", file=self.stderr) as bar:
            tables = cin_census.flat_tables(con, year)
            bar.update()
            path = cin_census.write_xml(tables, year, out / f"cin_census_{year}.xml")
            bar.update()
            problems = cin_census.validate_xml(path, year)
            bar.update()
        children = tables["ChildIdentifiers"].num_rows
        self._audit("cin_census", year, children)
        self.stdout.write(f"Wrote the CIN census for {children} children to {path}")
        self._gaps([f"schema: {p}" for p in problems], allow_errors)

    def _gaps(self, problems: list[str], allow_errors: bool) -> None:
        for problem in problems:
            self.stdout.write(f"  cannot be fully expressed: {problem}")
        if problems and not allow_errors:
            raise CommandError(f"{len(problems)} records cannot be fully expressed in the "
                               "return (listed above); fix them, or rerun with --allow-errors")

    def _audit(self, what: str, year: int, rows: int) -> None:
        record_event(actor=system_user(), action=AuditAction.EXPORT,
                     detail={"export": what, "year": year, "rows": rows})

    def validate(self, con: duckdb.DuckDBPyConnection, year: int, referee: bool,
                 save: Path | None = None) -> None:
        rows = con.sql("SELECT la_ons_code FROM gtx_local_authority LIMIT 1").fetchall()
        if referee and not rows:
            raise usage("--referee: the store has no gtx_local_authority row, so the council's "
                        "ONS code (which DfE's 903 validator compares placements with) is "
                        "unknown")
        steps = 3 + (2 if referee else 0)
        with tqdm(total=steps, desc=f"validate {year}", file=self.stderr) as bar:
            def step(text: str) -> None:
                bar.set_postfix_str(text)
                bar.update()
            try:
                outcome = check(con, year, la_ons_code=str(rows[0][0]) if rows else "",
                                referee=referee, step=step)
            except RefereeUnavailable as error:
                raise CommandError(str(error)) from error
        for finding in sorted(outcome.findings, key=lambda f: (f.allowed is not None,
                                                               f.source, f.return_name,
                                                               f.rule, f.child or "")):
            prefix = "allowed " if finding.allowed else ""
            self.stdout.write(prefix + finding.line())
            if finding.allowed:
                self.stdout.write(f"    known validator fault: {finding.allowed}")
        if not outcome.ours_ran:
            self.stdout.write("goldenthread's own rules (returns.rules) are not installed")
        for verdict in outcome.verdicts:
            self.stdout.write(f"DfE {verdict.return_name}: {len(verdict.ran)} rules ran, "
                              f"{len(verdict.skipped)} skipped, {len(verdict.crashed)} "
                              f"crashed, in {verdict.seconds:.1f} s")
        errors = outcome.errors
        if save is not None:
            stored = outcome.by_worker(year, timezone.now().isoformat(timespec="seconds"))
            save.parent.mkdir(parents=True, exist_ok=True)
            partial = save.with_name(save.name + ".partial")
            partial.write_text(json.dumps(stored, indent=1, sort_keys=True))
            partial.replace(save)  # whole or not at all: a reader never sees half a file
            self._audit("validation findings", year, len(outcome.findings))
        self.stdout.write(f"{len(errors)} errors, "
                          f"{sum(f.severity == 'query' for f in outcome.findings)} queries, "
                          f"{len(outcome.allowed)} on the allow-list")
        if errors:
            raise CommandError(f"{len(errors)} errors in the {year} returns", returncode=1)
