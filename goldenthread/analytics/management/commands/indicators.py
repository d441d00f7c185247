"""`goldenthread indicators`: the catalogue's figures, or the children behind one of them.

    goldenthread indicators [--as-at DATE] [--from DATE [--to DATE]] [--by BREAKDOWN]
                            [--format table|csv|json] [--store PATH] [--indicator ID ...]
                            [--drill-down ID [--group KEY]] [--list]

Without --store the records are projected into a temporary SSD store first (an export of
personal data, so it is audited like `ssd export`). See docs/analytics.md.
"""

from __future__ import annotations

import datetime as dt
import shutil
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
from goldenthread.analytics import report
from goldenthread.analytics.breakdowns import BREAKDOWNS
from goldenthread.analytics.catalogue import Breakdown, Indicator, catalogue
from goldenthread.analytics.engine import Figure, drill_down, evaluate, points
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect

DATE_HELP = "YYYY-MM-DD, e.g. 2025-03-31"


def usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def last_31_march(today: dt.date) -> dt.date:
    """The end of the last complete DfE reporting year."""
    this_year = dt.date(today.year, 3, 31)
    return this_year if today > this_year else dt.date(today.year - 1, 3, 31)


def parse_date(option: str, text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise usage(f"{option}: {text!r} is not a date; allowed: {DATE_HELP}") from None


def _one_of(option: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is not None and value not in allowed:
        raise usage(f"{option}: {value!r} is not allowed; allowed: {', '.join(allowed)}")
    return value


class Command(BaseCommand):
    help = ("Compute the indicator catalogue at a date (plus monthly points), broken down if "
            "asked, with benchmarks and targets; or list the children behind one figure.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--as-at", dest="as_at", default=None,
                            help=f"the date of the figures ({DATE_HELP}; default: the last "
                                 "31 March)")
        parser.add_argument("--from", dest="first", default=None,
                            help="also every month end from this date ...")
        parser.add_argument("--to", dest="last", default=None,
                            help="... to this one (default: the --as-at date)")
        parser.add_argument("--by", default=None,
                            help=f"break down by one of: {', '.join(BREAKDOWNS)}")
        parser.add_argument("--format", default="table",
                            help=f"output: {', '.join(report.FORMATS)} (default: table)")
        parser.add_argument("--store", type=Path, default=None,
                            help="an SSD store folder (default: project the records into a "
                                 "temporary store first)")
        parser.add_argument("--indicator", action="append", default=[],
                            help="only this indicator (repeat for several; default: all)")
        parser.add_argument("--drill-down", dest="drill_down", default=None,
                            help="list the units (children, referrals...) behind this "
                                 "indicator's figure at --as-at")
        parser.add_argument("--group", default=None,
                            help="with --drill-down and --by: only this group (its key, as "
                                 "in the csv or json output)")
        parser.add_argument("--list", action="store_true", help="list the catalogue and stop")

    def handle(self, *args: Any, **options: Any) -> None:
        known = catalogue()
        if options["list"]:
            for indicator in known.values():
                self.stdout.write(f"{indicator.id:<40} {indicator.title}")
            return
        as_at = parse_date("--as-at", options["as_at"]) or last_31_march(timezone.localdate())
        first = parse_date("--from", options["first"])
        last = parse_date("--to", options["last"])
        if last is not None and first is None:
            raise usage("--to: given without --from; allowed: --from DATE [--to DATE]")
        if first is not None and first > (last or as_at):
            raise usage(f"--from: {first} is after --to {last or as_at}; allowed: a date on "
                        "or before --to (or --as-at when --to is not given)")
        by: Breakdown | None = _one_of("--by", options["by"], BREAKDOWNS)  # type: ignore[assignment]
        fmt: report.Format = _one_of("--format", options["format"],  # type: ignore[assignment]
                                     report.FORMATS)
        chosen = self._chosen(known, options["indicator"], options["drill_down"], by)
        if options["group"] is not None and (options["drill_down"] is None or by is None):
            raise usage("--group: allowed only with --drill-down and --by")
        if options["store"] is not None and not options["store"].is_dir():
            raise usage(f"--store: {str(options['store'])!r} is not a folder; allowed: an SSD "
                        "store folder (from `goldenthread ssd export` or `ssd import`)")
        with self._store(options["store"], len(chosen), options["drill_down"]) as con:
            if options["drill_down"] is not None:
                indicator = known[options["drill_down"]]
                rows = drill_down(con, indicator, as_at, by=by, group=options["group"])
                self.stdout.write(report.drill_down_text(indicator, rows, fmt), ending="")
                return
            figures, failed = self._evaluate(con, chosen, points(as_at, first, last), by)
        self.stdout.write(report.figures_text(known, figures, fmt, by=by), ending="")
        if failed:
            raise CommandError(f"{len(failed)} indicator(s) failed: {', '.join(failed)}")

    def _chosen(self, known: dict[str, Indicator], wanted: list[str], drill: str | None,
                by: Breakdown | None) -> list[Indicator]:
        for option, ids in (("--indicator", wanted), ("--drill-down", [drill] if drill else [])):
            for name in ids:
                if name not in known:
                    raise usage(f"{option}: {name!r} is not in the catalogue; allowed: "
                                f"{', '.join(known)} (goldenthread indicators --list)")
        if drill is not None:
            wanted = [drill]
        chosen = [known[i] for i in dict.fromkeys(wanted)] or list(known.values())
        if by is None:
            return chosen
        if wanted:
            for indicator in chosen:
                if by not in indicator.breakdowns:
                    allowed = ", ".join(b for b in BREAKDOWNS if b in indicator.breakdowns)
                    raise usage(f"--by: {indicator.id} cannot be broken down by {by}; "
                                f"allowed: {allowed}")
            return chosen
        skipped = [i.id for i in chosen if by not in i.breakdowns]
        if skipped:
            self.stderr.write(f"Not broken down by {by}, so left out: {', '.join(skipped)}")
        return [i for i in chosen if by in i.breakdowns]

    def _evaluate(self, con: duckdb.DuckDBPyConnection, chosen: list[Indicator],
                  ends: list[dt.date], by: Breakdown | None) -> tuple[list[Figure], list[str]]:
        """All at once (queries shared and run side by side); if one query fails, again one
        indicator at a time, so the failure is named and the rest still run."""
        out = getattr(self.stderr, "_out", None)
        bar = tqdm(total=len(chosen), desc="indicators", unit="indicator", file=out,
                   disable=not (out is not None and out.isatty()), leave=False)

        def advance(_: Indicator) -> None:
            bar.update()

        with bar:
            try:
                return evaluate(con, chosen, ends, by=by, progress=advance), []
            except duckdb.Error:
                bar.reset()
            figures: list[Figure] = []
            failed: list[str] = []
            for indicator in chosen:
                try:
                    figures += evaluate(con, [indicator], ends, by=by)
                except duckdb.Error as error:
                    failed.append(indicator.id)
                    self.stderr.write(f"error: {indicator.id}: {error}")
                bar.update()
        return figures, failed

    @contextmanager
    def _store(self, store: Path | None, indicators: int,
               drill: str | None) -> Iterator[duckdb.DuckDBPyConnection]:
        if store is not None:
            con = connect(store)
            try:
                yield con
            finally:
                con.close()
            return
        folder = Path(tempfile.mkdtemp(prefix="goldenthread-indicators-"))
        try:
            self.stderr.write("Projecting the records into a temporary SSD store...")
            tables = project(today=timezone.localdate())
            write_tables(tables, folder / "store")
            record_event(actor=system_user(), action=AuditAction.EXPORT,
                         detail={"export": "indicators", "indicators": indicators,
                                 "drill_down": drill or "",
                                 "rows": sum(t.num_rows for t in tables.values())})
            con = connect(folder / "store")
            try:
                yield con
            finally:
                con.close()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
