"""The England working-day calendar: weekdays that are not bank holidays in England.

Bank holidays come from the ``holidays`` package (``country_holidays("GB", subdiv="ENG")``),
which knows the substitute days when Christmas, Boxing Day or New Year's Day fall at a weekend
and the one-off days (the 2022 Platinum Jubilee, the 2022 state funeral, the 2023 coronation).
One-off days announced after the installed ``holidays`` release are not known until it is
upgraded.

Counting convention (DfE's, as in the CIN census and Working Together to Safeguard Children
2023): a timescale of *n* working days counts from the day **after** the starting event. The
45-working-day assessment runs from the day after the referral, and the 15-working-day initial
child protection conference from the day after the strategy discussion. So:

* ``add_working_days(start, n)`` is the n-th working day after ``start``
  (``add_working_days(start, 0) == start``, whether or not ``start`` is a working day);
* ``working_days_between(start, end)`` counts the working days in ``(start, end]`` — after
  ``start``, up to and including ``end`` — and is negative when ``end`` is before ``start``.
  ``working_days_between(d, add_working_days(d, n)) == n`` for every ``n >= 0``.

Both are O(1) or O(log n) for use in bulk loops: a cumulative count of working days is kept for
a span of whole years, built once and widened when a date outside it is asked for.
"""

from __future__ import annotations

import bisect
import functools
import threading
from array import array
from dataclasses import dataclass
from datetime import date, timedelta

import holidays

__all__ = [
    "add_working_days",
    "bank_holidays",
    "is_working_day",
    "working_days_between",
]

# The span the index covers at first; it widens by whole years when needed.
_FIRST_YEAR = 2000
_LAST_YEAR = 2040
_SATURDAY = 5


@functools.cache
def bank_holidays(year: int) -> frozenset[date]:
    """The bank holidays in England in ``year`` that fall on a weekday (days off work).

    When Christmas Day, Boxing Day or New Year's Day falls at a weekend, the set holds the
    substitute weekday (e.g. Tuesday 28 December 2021), not the weekend date.
    """
    calendar = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return frozenset(day for day in calendar if day.year == year and day.weekday() < _SATURDAY)


@dataclass(frozen=True)
class _Index:
    """Working days counted cumulatively from 1 January of ``first_year``.

    ``counts[i]`` is the number of working days from ``start`` to ``start + i`` inclusive.
    """

    first_year: int
    last_year: int
    start: int  # proordinal of 1 January first_year
    counts: array[int]

    def covers(self, day: date) -> bool:
        return self.first_year <= day.year <= self.last_year

    def position(self, day: date) -> int:
        return day.toordinal() - self.start


def _build_index(first_year: int, last_year: int) -> _Index:
    start = date(first_year, 1, 1)
    days = (date(last_year, 12, 31) - start).days + 1
    counts = array("l", [0]) * days
    closed: set[date] = set()
    for year in range(first_year, last_year + 1):
        closed.update(bank_holidays(year))
    running = 0
    day = start
    one_day = timedelta(days=1)
    for i in range(days):
        if day.weekday() < _SATURDAY and day not in closed:
            running += 1
        counts[i] = running
        day += one_day
    return _Index(first_year, last_year, start.toordinal(), counts)


_lock = threading.Lock()
_index: _Index | None = None


def _index_covering(*days: date) -> _Index:
    """The index, widened (by whole years) to cover every one of ``days`` if needed."""
    global _index
    current = _index
    if current is not None and all(current.covers(day) for day in days):
        return current
    with _lock:
        current = _index
        if current is None or not all(current.covers(day) for day in days):
            years = [day.year for day in days]
            first = min([_FIRST_YEAR, *years] + ([current.first_year] if current else []))
            last = max([_LAST_YEAR, *years] + ([current.last_year] if current else []))
            if first < date.min.year + 1 or last > date.max.year - 1:
                raise ValueError("date out of range for the working-day calendar")
            current = _build_index(first, last)
            _index = current
        return current


def is_working_day(day: date) -> bool:
    """True for a weekday that is not a bank holiday in England."""
    return day.weekday() < _SATURDAY and day not in bank_holidays(day.year)


def working_days_between(start: date, end: date) -> int:
    """The working days after ``start`` up to and including ``end``.

    Negative, as a mirror image, when ``end`` is before ``start``:
    ``working_days_between(b, a) == -working_days_between(a, b)``.
    Example: from Friday 20 December 2024 to Friday 3 January 2025 is 7 working days
    (23, 24, 27, 30, 31 December, 2 and 3 January; 25 and 26 December and 1 January are
    bank holidays).
    """
    index = _index_covering(start, end)
    return index.counts[index.position(end)] - index.counts[index.position(start)]


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (``n >= 0``; 0 returns ``start`` unchanged).

    The day after ``start`` is the first candidate, so a 45-working-day assessment from a
    referral on Monday 1 September 2025 is due on Monday 3 November 2025 (no bank holidays
    fall in between: 4 working days in the first week, then 8 full weeks, then 3 November).
    """
    if n < 0:
        raise ValueError(f"n must be 0 or more, not {n}")
    if n == 0:
        return start
    index = _index_covering(start)
    target = index.counts[index.position(start)] + n
    while target > index.counts[-1]:
        # Past the end of the index: widen it by at least the days asked for (≈ n*7/5).
        reach = date.fromordinal(index.start + len(index.counts) - 1 + n * 2 + 10)
        index = _index_covering(start, reach)
    position = bisect.bisect_left(index.counts, target)
    return date.fromordinal(index.start + position)
