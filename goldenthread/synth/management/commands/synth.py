"""`goldenthread synth`: generate a synthetic local authority, or check one against targets."""

from __future__ import annotations

import datetime as dt
import re
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records.actions.bulk import BulkRefused
from goldenthread.synth import measures
from goldenthread.synth.profile import ProfileError, available, load_profile
from goldenthread.synth.run import AlreadyLoaded, generate, synthetic_present

FIRST_YEAR = 2000  # code lists and the calendar cover years from here


def last_complete_year(today: dt.date) -> int:
    """The year of the last 31 March that has passed (the end of the last complete year)."""
    return today.year if today >= dt.date(today.year, 4, 1) else today.year - 1


def usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


class Command(BaseCommand):
    help = ("Generate a synthetic local authority (children's journeys and workforce) through "
            "the records model, or with --check compare it to its calibration targets.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        end = last_complete_year(timezone.localdate())
        parser.add_argument("--profile", default="manchester",
                            help=f"local authority profile (one of: {', '.join(available())})")
        parser.add_argument("--scale", type=float, default=1.0,
                            help="size relative to the profile's authority (1 = full size)")
        parser.add_argument("--seed", type=int, default=1,
                            help="random seed (same seed, same data)")
        parser.add_argument("--start-year", type=int, default=end - 6,
                            help="the window starts on 1 April of this year")
        parser.add_argument("--end-year", type=int, default=end,
                            help="the window ends on 31 March of this year")
        parser.add_argument("--until", default=None, metavar="DATE",
                            help="simulate on past the window's 31 March up to this day "
                                 "(YYYY-MM-DD, or 'yesterday'), so the records run up to it as "
                                 "a live system's do; the check year stays the window's last")
        parser.add_argument("--replace", action="store_true",
                            help="replace synthetic data already loaded (whole, in one "
                                 "transaction)")
        parser.add_argument("--check", action="store_true",
                            help="print each target beside the generated figure (generates first "
                                 "if nothing is loaded, or with --replace)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            profile = load_profile(options["profile"])
        except ProfileError as error:
            raise usage(str(error)) from None
        scale, start, end = options["scale"], options["start_year"], options["end_year"]
        if not 0 < scale <= 20:
            raise usage(f"--scale: {scale} is not allowed; give a number above 0 and at most 20 "
                        "(1 = full size, 0.05 = test size)")
        if start < FIRST_YEAR:
            raise usage(f"--start-year: {start} is too early; allowed: {FIRST_YEAR} or later")
        if end <= start:
            raise usage(f"--end-year: {end} is not after --start-year {start}; allowed: a year "
                        "after the start year")
        until = _until(options["until"], end)
        if options["check"] and synthetic_present() and not options["replace"]:
            scale, end = _loaded_options(scale, end)
        else:
            self._generate(profile, options, scale, start, end, until)
        if options["check"]:
            lines = measures.check(profile, scale, end)
            self.stdout.write(measures.format_lines(
                lines, f"{profile.name} at scale {scale}, year to 31 March {end}"))

    def _generate(self, profile: Any, options: dict[str, Any], scale: float, start: int,
                  end: int, until: dt.date | None) -> None:
        began = time.perf_counter()
        try:
            outcome = generate(profile, scale=scale, seed=options["seed"], start_year=start,
                               end_year=end, replace=options["replace"], until=until)
        except AlreadyLoaded as error:
            raise usage(f"--replace: {error}") from None
        except BulkRefused as error:
            raise CommandError(str(error)) from None
        rows = sum(outcome.result.rows.values())
        removed = sum(outcome.removed.values())
        self.stdout.write(f"{profile.name} at scale {scale}: {outcome.people} children, {rows} "
                          f"records loaded{f', {removed} replaced' if removed else ''}, 0 refused,"
                          f" in {time.perf_counter() - began:.1f}s")


def _until(given: str | None, end: int) -> dt.date | None:
    """--until as a date: from the window's last day (31 March of the end year) to
    yesterday, the last whole day (a day still going on would get records timed later than
    now)."""
    if given is None:
        return None
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    allowed = (f"allowed: a date as YYYY-MM-DD, or yesterday, from 31 March {end} (the end of "
               f"the window) to yesterday")
    try:
        day = yesterday if given == "yesterday" else dt.date.fromisoformat(given)
    except ValueError:
        raise usage(f"--until: {given!r} is not a date; {allowed}") from None
    if day < dt.date(end, 3, 31) or day > yesterday:
        raise usage(f"--until: {day:%Y-%m-%d} is outside the window; {allowed}")
    return day


def _loaded_options(scale: float, end: int) -> tuple[float, int]:
    """The scale and end year of the synthetic data already loaded (from its audit event)."""
    event = AuditEvent.objects.filter(action=AuditAction.BULK_LOAD,
                                      reason__startswith="goldenthread synth").first()
    if event is not None:
        found = re.search(r"--scale (\S+) .*--end-year (\d+)", event.reason)
        if found:
            return float(found.group(1)), int(found.group(2))
    return scale, end
