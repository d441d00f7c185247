"""Statutory timescales, against hand-worked due dates."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from goldenthread.reference import timescales
from goldenthread.reference.timescales import (
    add_months,
    assessment_due,
    cla_review_due,
    cla_visit_due,
    cp_review_due,
    cp_visit_due,
    icpc_due,
    permanence_plan_due,
    rhi_due,
    sdq_due,
)

LONDON = ZoneInfo("Europe/London")


def test_constants_match_the_architecture_brief() -> None:
    """45 WD assessment, 15 WD ICPC, CP review 3 then 6 months, CLA review 20 WD then 3 then 6
    months, RHI 72 hours, SDQ 1 month then 12, permanence by review 2, CP visits 10 WD."""
    assert timescales.ASSESSMENT_WORKING_DAYS == 45
    assert timescales.ICPC_WORKING_DAYS == 15
    assert (timescales.CP_FIRST_REVIEW_MONTHS, timescales.CP_REVIEW_INTERVAL_MONTHS) == (3, 6)
    assert timescales.CLA_FIRST_REVIEW_WORKING_DAYS == 20
    assert (timescales.CLA_SECOND_REVIEW_MONTHS, timescales.CLA_REVIEW_INTERVAL_MONTHS) == (3, 6)
    assert timescales.RHI_HOURS == 72
    assert (timescales.SDQ_FIRST_MONTHS, timescales.SDQ_INTERVAL_MONTHS) == (1, 12)
    assert timescales.PERMANENCE_PLAN_BY_REVIEW == 2
    assert timescales.CP_VISIT_WORKING_DAYS == 10


# --------------------------------------------------------------------------- months


def test_add_months_clamps_31_january_to_end_of_february() -> None:
    """31 Jan 2025 + 1 month = 28 Feb 2025; 31 Jan 2024 + 1 month = 29 Feb 2024 (leap)."""
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_add_months_keeps_the_day_when_it_exists() -> None:
    """15 Nov 2024 + 3 months = 15 Feb 2025."""
    assert add_months(date(2024, 11, 15), 3) == date(2025, 2, 15)


# --------------------------------------------------------------------------- assessments


def test_assessment_with_christmas_bank_holidays() -> None:
    """Referral Fri 20 Dec 2024. Working days: 23, 24 Dec (2); 25, 26 Dec off; 27, 30, 31 Dec
    (5); 1 Jan off; 2, 3 Jan (7); then 7 full weeks 6 Jan-21 Feb (42); 24, 25, 26 Feb (45).
    Due Wed 26 Feb 2025, not Fri 21 Feb as weekdays alone would give."""
    assert assessment_due(date(2024, 12, 20)) == date(2025, 2, 26)


def test_assessment_with_four_bank_holidays_in_window() -> None:
    """Referral Tue 1 Apr 2025; Good Friday 18 Apr, Easter Monday 21 Apr, 5 May and 26 May fall
    in the window. 2-4 Apr (3), 7-11 (8), 14-17 (12), 22-25 (16), 28-30 (19), 1-2 May (21),
    6-9 (25), 12-16 (30), 19-23 (35), 27-30 (39), 2-6 Jun (44), Mon 9 Jun (45)."""
    assert assessment_due(date(2025, 4, 1)) == date(2025, 6, 9)


def test_assessment_without_bank_holidays() -> None:
    """Referral Mon 1 Sep 2025: 2-5 Sep (4), 8 weeks to 31 Oct (44), Mon 3 Nov 2025 (45)."""
    assert assessment_due(date(2025, 9, 1)) == date(2025, 11, 3)


# --------------------------------------------------------------------------- child protection


def test_icpc_over_easter_and_may_day() -> None:
    """Strategy discussion Fri 11 Apr 2025: 14-17 Apr (4), 18 and 21 Apr off, 22-25 (8),
    28-30 (11), 1-2 May (13), 5 May off, 6 May (14), Wed 7 May 2025 (15)."""
    assert icpc_due(date(2025, 4, 11)) == date(2025, 5, 7)


def test_icpc_over_christmas() -> None:
    """Strategy discussion Wed 18 Dec 2024: 19, 20, 23, 24, 27, 30, 31 Dec (7), 2, 3 Jan (9),
    6-10 Jan (14), Mon 13 Jan 2025 (15)."""
    assert icpc_due(date(2024, 12, 18)) == date(2025, 1, 13)


def test_first_cp_review_month_end() -> None:
    """ICPC 30 Nov 2024 + 3 months = 28 Feb 2025 (no 30 February)."""
    assert cp_review_due(date(2024, 11, 30), None) == date(2025, 2, 28)


def test_first_cp_review_leap_year() -> None:
    """ICPC 30 Nov 2023 + 3 months = 29 Feb 2024."""
    assert cp_review_due(date(2023, 11, 30), None) == date(2024, 2, 29)


def test_later_cp_reviews_every_six_months_from_the_last() -> None:
    """Last review 31 Aug 2025 + 6 months = 28 Feb 2026 (the ICPC date no longer matters)."""
    assert cp_review_due(date(2025, 5, 1), date(2025, 8, 31)) == date(2026, 2, 28)


def test_cp_visit_default_ten_working_days_over_christmas() -> None:
    """Visit Fri 19 Dec 2025: 22, 23, 24 Dec (3), 25-26 off, 29, 30, 31 (6), 1 Jan off,
    2 Jan (7), 5, 6, 7 Jan (10) → Wed 7 Jan 2026."""
    assert cp_visit_due(date(2025, 12, 19)) == date(2026, 1, 7)


def test_cp_visit_interval_is_configurable() -> None:
    """Every 5 working days from Fri 19 Dec 2025: 22, 23, 24, 29, 30 Dec → Tue 30 Dec 2025."""
    assert cp_visit_due(date(2025, 12, 19), interval_working_days=5) == date(2025, 12, 30)


# --------------------------------------------------------------------------- looked after


def test_first_cla_review_twenty_working_days_over_easter() -> None:
    """Looked after from Mon 14 Apr 2025: 15-17 Apr (3), 18 and 21 off, 22-25 (7), 28-30 (10),
    1-2 May (12), 5 May off, 6-9 (16), 12-15 May (20) → Thu 15 May 2025."""
    assert cla_review_due(date(2025, 4, 14), 0, None) == date(2025, 5, 15)


def test_second_cla_review_three_months_after_first() -> None:
    """First review 15 May 2025 → second due 15 Aug 2025."""
    assert cla_review_due(date(2025, 4, 14), 1, date(2025, 5, 15)) == date(2025, 8, 15)


def test_second_cla_review_month_end() -> None:
    """First review 30 Nov 2025 → second due 28 Feb 2026."""
    assert cla_review_due(date(2025, 11, 3), 1, date(2025, 11, 30)) == date(2026, 2, 28)


def test_later_cla_reviews_six_months_apart() -> None:
    """Second review 15 Aug 2025 → third due 15 Feb 2026; 31 Aug → 28 Feb."""
    assert cla_review_due(date(2025, 4, 14), 2, date(2025, 8, 15)) == date(2026, 2, 15)
    assert cla_review_due(date(2025, 4, 14), 5, date(2025, 8, 31)) == date(2026, 2, 28)


def test_cla_review_needs_last_review_after_the_first() -> None:
    """previous_reviews=1 with no last_review is a ValueError."""
    with pytest.raises(ValueError, match="last_review"):
        cla_review_due(date(2025, 4, 14), 1, None)


def test_cla_review_count_cannot_be_negative() -> None:
    """previous_reviews=-1 is a ValueError."""
    with pytest.raises(ValueError, match="previous_reviews"):
        cla_review_due(date(2025, 4, 14), -1, None)


def test_permanence_plan_by_second_review_before_first_held() -> None:
    """Entered care Mon 14 Apr 2025: first review due 15 May, second 15 Aug 2025 (about 4
    months, as Manchester's IROs expect)."""
    assert permanence_plan_due(date(2025, 4, 14)) == date(2025, 8, 15)


def test_permanence_plan_follows_actual_first_review() -> None:
    """First review held early on Fri 9 May 2025 → permanence plan due 9 Aug 2025."""
    assert permanence_plan_due(date(2025, 4, 14), date(2025, 5, 9)) == date(2025, 8, 9)


def test_first_cla_visit_within_a_week_of_placement() -> None:
    """Placement from Mon 2 Jun 2025 → first visit due Mon 9 Jun 2025."""
    assert cla_visit_due(date(2025, 6, 2), None) == date(2025, 6, 9)


def test_cla_visits_every_six_weeks_in_first_year() -> None:
    """Placement 2 Jun 2025, last visit Tue 1 Jul 2025 → next due Tue 12 Aug 2025 (6 weeks)."""
    assert cla_visit_due(date(2025, 6, 2), date(2025, 7, 1)) == date(2025, 8, 12)


def test_cla_visits_three_monthly_after_a_year_when_until_18() -> None:
    """Placement 15 Jan 2024 meant to last until 18; visit 10 Mar 2025 → due 10 Jun 2025."""
    due = cla_visit_due(date(2024, 1, 15), date(2025, 3, 10), intended_until_18=True)
    assert due == date(2025, 6, 10)


def test_cla_visits_stay_six_weekly_when_not_until_18() -> None:
    """Same dates, placement not meant to last until 18 → due 21 Apr 2025 (6 weeks)."""
    assert cla_visit_due(date(2024, 1, 15), date(2025, 3, 10)) == date(2025, 4, 21)


# --------------------------------------------------------------------------- missing, SDQ


def test_rhi_72_hours_naive() -> None:
    """Returned Fri 28 Mar 2025 18:00 → interview by Mon 31 Mar 2025 18:00."""
    assert rhi_due(datetime(2025, 3, 28, 18, 0)) == datetime(2025, 3, 31, 18, 0)


def test_rhi_72_elapsed_hours_across_clocks_going_forward() -> None:
    """Returned Fri 28 Mar 2025 18:00 GMT; clocks go forward on Sun 30 Mar. 72 hours later is
    Mon 31 Mar 18:00 UTC = 19:00 BST on the wall clock."""
    due = rhi_due(datetime(2025, 3, 28, 18, 0, tzinfo=LONDON))
    assert due == datetime(2025, 3, 31, 18, 0, tzinfo=ZoneInfo("UTC"))
    assert (due.hour, due.tzinfo) == (19, LONDON)


def test_first_sdq_one_month_after_entry_month_end() -> None:
    """Entered care 31 Jan 2025 → first SDQ due 28 Feb 2025."""
    assert sdq_due(date(2025, 1, 31), None) == date(2025, 2, 28)


def test_later_sdqs_yearly_from_the_last() -> None:
    """Last SDQ 29 Feb 2024 → next due 28 Feb 2025."""
    assert sdq_due(date(2024, 1, 29), date(2024, 2, 29)) == date(2025, 2, 28)
