"""The form fields read what people type: dates in three boxes, a time of day on the
24-hour clock (UK time, so summer times are an hour ahead of UTC), numbers, yes/no, and
links only to the records offered. No database: the fields alone."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from goldenthread.records.models import Team
from goldenthread.web.forms import fields as f


def raw(**parts: str) -> dict[str, str]:
    return {"day": "", "month": "", "year": "", "time": "", **parts}


@pytest.mark.parametrize(("typed", "problem"), [
    (raw(day="31", month="2", year="2026"), "Date of birth must be a real date, like 27 3 2024"),
    (raw(day="1", year="2026"), "Date of birth must include a month"),
    (raw(day="1", month="2", year="26"), "Date of birth: the year must have 4 numbers, like 2024"),
    (raw(day="one", month="2", year="2026"), "Date of birth must be a real date, like 27 3 2024"),
])
def test_a_date_that_cannot_be_read_says_what_to_type(typed: dict[str, str],
                                                       problem: str) -> None:
    with pytest.raises(f.Problem, match=problem):
        f.DateField("date_of_birth", "Date of birth").parse(typed)


def test_a_blank_date_is_none_unless_the_step_needs_it() -> None:
    assert f.DateField("end_date", "Date ended").parse(raw()) is None
    with pytest.raises(f.Problem, match="Enter date ended"):
        f.DateField("end_date", "Date ended", required=True).parse(raw())


@pytest.mark.parametrize(("time", "utc"), [("14:30", "13:30"), ("9.05", "08:05"),
                                           ("0930", "08:30")])
def test_a_summer_time_is_read_as_uk_time(time: str, utc: str) -> None:
    """1 July is in British Summer Time (UTC+1)."""
    moment = f.DateTimeField("start_at", "Went missing").parse(
        raw(day="1", month="7", year="2026", time=time))
    assert moment.astimezone(dt.UTC).strftime("%H:%M") == utc


@pytest.mark.parametrize("time", ["", "25:00", "noon", "12:60"])
def test_a_date_time_needs_a_real_time(time: str) -> None:
    with pytest.raises(f.Problem, match="Went missing"):
        f.DateTimeField("start_at", "Went missing").parse(
            raw(day="1", month="7", year="2026", time=time))


def test_a_date_time_shows_again_as_typed_in_uk_time() -> None:
    moment = dt.datetime(2026, 7, 1, 13, 30, tzinfo=dt.UTC)
    assert f.DateTimeField("start_at", "Went missing").raw_of(moment) == {
        "day": "1", "month": "7", "year": "2026", "time": "14:30"}


def test_numbers_are_read_or_refused_by_kind() -> None:
    assert f.DecimalField("distance_miles", "Distance").parse({"": "2.5"}) == Decimal("2.5")
    with pytest.raises(f.Problem, match=r"Distance must be a number, like 2\.5"):
        f.DecimalField("distance_miles", "Distance").parse({"": "far"})
    with pytest.raises(f.Problem, match="Adopters must be a whole number"):
        f.IntegerField("number_of_adopters", "Adopters").parse({"": "1.5"})


def test_yes_no_reads_not_known_only_where_the_record_allows_blank() -> None:
    seen = f.YesNo("seen", "Was the child seen?")
    assert (seen.parse({"": "yes"}), seen.parse({"": "no"})) == (True, False)
    with pytest.raises(f.Problem):
        seen.parse({"": "unknown"})
    assert f.YesNo("quorate", "Quorate?", allow_unknown=True).parse({"": "unknown"}) is None


def test_a_code_list_offers_the_codes_valid_on_the_day() -> None:
    """SEX changed on 1 April 2024 from 1/2/0/9 to M/F/U."""
    sex = f.CodeChoice("sex", "Sex", code_list_id="SEX")
    assert [o.value for o in sex.options(dt.date(2024, 3, 31), "")] == ["1", "2", "0", "9"]
    assert [o.value for o in sex.options(dt.date(2024, 4, 1), "")] == ["M", "F", "U"]


def test_a_link_is_only_to_a_record_offered() -> None:
    offered = Team(pk=7, name="Team A")  # never saved: the field only compares ids
    link = f.ModelChoice("contact", "Contact", choices=[(offered, "Contact of 1 May")])
    assert link.parse({"": "7"}) is offered
    with pytest.raises(f.Problem, match="Contact: choose one of the options listed"):
        link.parse({"": "8"})
