"""The England working-day calendar, against hand-worked dates.

Convention: add_working_days(start, n) is the n-th working day after start; and
working_days_between(start, end) counts working days in (start, end].
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.reference.calendar import (
    add_working_days,
    bank_holidays,
    is_working_day,
    working_days_between,
)

# England bank holidays 2022-2027 as hard-coded by DfE's CIN validator
# (csc-validator-be-cin 0.1.13, cin_validator/england_holidates.py).
DFE_BANK_HOLIDAYS = {
    2022: "01-03 04-15 04-18 05-02 06-02 06-03 08-29 09-19 12-26 12-27",
    2023: "01-02 04-07 04-10 05-01 05-08 05-29 08-28 12-25 12-26",
    2024: "01-01 03-29 04-01 05-06 05-27 08-26 12-25 12-26",
    2025: "01-01 04-18 04-21 05-05 05-26 08-25 12-25 12-26",
    2026: "01-01 04-03 04-06 05-04 05-25 08-31 12-25 12-28",
    2027: "01-01 03-26 03-29 05-03 05-31 08-30 12-27 12-28",
}


def naive_count(start: date, end: date) -> int:
    """Working days in (start, end] counted one day at a time (the slow, obvious way)."""
    if end < start:
        return -naive_count(end, start)
    return sum(is_working_day(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


# --------------------------------------------------------------------------- bank holidays


@pytest.mark.parametrize("year", sorted(DFE_BANK_HOLIDAYS))
def test_bank_holidays_match_dfe_validator_list(year: int) -> None:
    """bank_holidays(year) equals the list DfE's CIN validator uses, 2022 to 2027."""
    expected = {date.fromisoformat(f"{year}-{md}") for md in DFE_BANK_HOLIDAYS[year].split()}
    assert bank_holidays(year) == expected


def test_bank_holidays_hold_substitute_day_not_weekend_date() -> None:
    """Christmas 2021 fell on Sat/Sun: the days off were Mon 27 and Tue 28 December."""
    holidays_2021 = bank_holidays(2021)
    assert date(2021, 12, 27) in holidays_2021
    assert date(2021, 12, 28) in holidays_2021
    assert date(2021, 12, 25) not in holidays_2021


def test_2023_has_nine_bank_holidays_with_the_coronation() -> None:
    """2023: eight usual bank holidays plus Monday 8 May (coronation of King Charles III)."""
    assert len(bank_holidays(2023)) == 9
    assert date(2023, 5, 8) in bank_holidays(2023)


# --------------------------------------------------------------------------- is_working_day


def test_weekend_is_not_a_working_day() -> None:
    """Saturday 7 and Sunday 8 June 2025 are not working days; Monday 9 June is."""
    assert not is_working_day(date(2025, 6, 7))
    assert not is_working_day(date(2025, 6, 8))
    assert is_working_day(date(2025, 6, 9))


def test_easter_2025() -> None:
    """Good Friday 18 April and Easter Monday 21 April 2025 are not working days, so the working
    day after Thursday 17 April is Tuesday 22 April."""
    assert not is_working_day(date(2025, 4, 18))
    assert not is_working_day(date(2025, 4, 21))
    assert add_working_days(date(2025, 4, 17), 1) == date(2025, 4, 22)


def test_christmas_2021_on_a_weekend_moves_to_monday_and_tuesday() -> None:
    """25-26 Dec 2021 were Sat-Sun; 27-28 Dec substitute days: Fri 24 Dec + 1 = Wed 29 Dec."""
    assert add_working_days(date(2021, 12, 24), 1) == date(2021, 12, 29)


def test_christmas_2022_on_sunday_moves_to_tuesday() -> None:
    """25 Dec 2022 was a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27.
    Fri 23 Dec 2022 + 1 working day = Wed 28 Dec."""
    assert add_working_days(date(2022, 12, 23), 1) == date(2022, 12, 28)


def test_boxing_day_2026_on_saturday_moves_to_monday() -> None:
    """Christmas 2026 is Friday; Boxing Day Sat 26 → Mon 28 Dec. Thu 24 Dec + 1 = Tue 29 Dec."""
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_new_year_2022_on_saturday_moves_to_monday_3_january() -> None:
    """1 Jan 2022 was a Saturday; Mon 3 Jan was the bank holiday. Fri 31 Dec 2021 + 1 = Tue 4 Jan
    (and 27-28 December 2021 were also bank holidays, as above)."""
    assert add_working_days(date(2021, 12, 31), 1) == date(2022, 1, 4)


def test_platinum_jubilee_2022() -> None:
    """Spring bank holiday moved to Thu 2 June 2022 and the Jubilee added Fri 3 June, so Mon 30
    May was a working day and Wed 1 June + 1 working day = Mon 6 June."""
    assert is_working_day(date(2022, 5, 30))
    assert not is_working_day(date(2022, 6, 2))
    assert not is_working_day(date(2022, 6, 3))
    assert add_working_days(date(2022, 6, 1), 1) == date(2022, 6, 6)


def test_state_funeral_2022() -> None:
    """Monday 19 September 2022 (state funeral of Queen Elizabeth II) was a bank holiday."""
    assert not is_working_day(date(2022, 9, 19))


def test_coronation_2023() -> None:
    """From Fri 28 April to Fri 12 May 2023 is 8 working days: May Day (1st) and the coronation
    (Mon 8th) are excluded: 2, 3, 4, 5, 9, 10, 11, 12 May."""
    assert working_days_between(date(2023, 4, 28), date(2023, 5, 12)) == 8
    assert working_days_between(date(2023, 5, 5), date(2023, 5, 9)) == 1


def test_leap_day_2024_is_a_working_day() -> None:
    """Thu 29 Feb 2024 is a working day: Wed 28 Feb + 1 = 29 Feb; Tue 27 Feb → Fri 1 Mar is 3."""
    assert add_working_days(date(2024, 2, 28), 1) == date(2024, 2, 29)
    assert working_days_between(date(2024, 2, 27), date(2024, 3, 1)) == 3


def test_non_leap_february_2023() -> None:
    """Mon 27 Feb 2023 → Wed 1 Mar 2023 is 2 working days (28 Feb, 1 Mar)."""
    assert working_days_between(date(2023, 2, 27), date(2023, 3, 1)) == 2


# --------------------------------------------------------------------------- counting


def test_span_across_new_year() -> None:
    """Fri 20 Dec 2024 → Fri 3 Jan 2025 is 7 working days: 23, 24, 27, 30, 31 Dec, 2, 3 Jan."""
    assert working_days_between(date(2024, 12, 20), date(2025, 1, 3)) == 7


def test_end_before_start_is_the_mirror_image() -> None:
    """Fri 3 Jan 2025 → Fri 20 Dec 2024 is -7."""
    assert working_days_between(date(2025, 1, 3), date(2024, 12, 20)) == -7


def test_same_day_is_zero() -> None:
    """From a day to itself is 0 working days."""
    assert working_days_between(date(2025, 6, 9), date(2025, 6, 9)) == 0


def test_weekend_to_monday_is_one() -> None:
    """Sat 7 June 2025 → Mon 9 June 2025 is 1 working day; Sat → Sun is 0."""
    assert working_days_between(date(2025, 6, 7), date(2025, 6, 9)) == 1
    assert working_days_between(date(2025, 6, 7), date(2025, 6, 8)) == 0


def test_working_days_in_collection_year_2024_25() -> None:
    """1 Apr 2024 (Mon, Easter Monday) to 31 Mar 2025: 261 weekdays less 7 weekday bank
    holidays (1 Apr, 6 May, 27 May, 26 Aug, 25 Dec, 26 Dec, 1 Jan) = 254 working days."""
    assert working_days_between(date(2024, 4, 1), date(2025, 3, 31)) == 254


def test_add_zero_returns_start_even_at_a_weekend() -> None:
    """add_working_days(Saturday, 0) is that Saturday."""
    assert add_working_days(date(2025, 6, 7), 0) == date(2025, 6, 7)


def test_add_from_a_weekend_starts_on_monday() -> None:
    """Sat 4 Jan 2025 + 1 working day = Mon 6 Jan 2025."""
    assert add_working_days(date(2025, 1, 4), 1) == date(2025, 1, 6)


def test_negative_n_is_refused() -> None:
    """add_working_days(d, -1) raises ValueError (count backwards with working_days_between)."""
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(date(2025, 1, 6), -1)


def test_dates_outside_the_first_index_span_work() -> None:
    """1995 and 2045 (outside the 2000-2040 index built first) count like the slow way."""
    assert working_days_between(date(1995, 12, 20), date(1996, 1, 10)) == naive_count(
        date(1995, 12, 20), date(1996, 1, 10)
    )
    result = add_working_days(date(2040, 12, 1), 400)
    assert result.year == 2042
    assert working_days_between(date(2040, 12, 1), result) == 400
    assert is_working_day(result)


# --------------------------------------------------------------------------- properties

DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@settings(database=None, deadline=None, max_examples=300)
@given(start=DAYS, end=DAYS)
def test_adding_the_count_lands_on_the_end_working_day(start: date, end: date) -> None:
    """For a working day e after d: add_working_days(d, working_days_between(d, e)) == e."""
    if end <= start or not is_working_day(end):
        end = add_working_days(max(start, end), 1)
    assert add_working_days(start, working_days_between(start, end)) == end


@settings(database=None, deadline=None, max_examples=300)
@given(start=DAYS, n=st.integers(min_value=0, max_value=600))
def test_counting_back_gives_n(start: date, n: int) -> None:
    """working_days_between(d, add_working_days(d, n)) == n; the result is a working day."""
    result = add_working_days(start, n)
    assert working_days_between(start, result) == n
    assert n == 0 or is_working_day(result)


@settings(database=None, deadline=None, max_examples=200)
@given(start=DAYS, span=st.integers(min_value=-400, max_value=400))
def test_count_agrees_with_day_by_day_count(start: date, span: int) -> None:
    """The O(1) count equals counting weekdays that are not bank holidays one by one."""
    end = start + timedelta(days=span)
    assert working_days_between(start, end) == naive_count(start, end)
