"""Statutory and policy timescales, as constants and due-date functions.

Working days follow :mod:`goldenthread.reference.calendar`: a timescale of n working days
ends on the n-th working day *after* the starting event. Months follow calendar months
(``dateutil.relativedelta``): a month after 31 January is 28 February (29 in a leap year),
never a day in March. A due date is the last day on which the thing is in time.

Sources:

* Working Together to Safeguard Children 2023 (WT 2023) — assessments, initial child protection
  conferences, child protection reviews.
* Care Planning, Placement and Case Review (England) Regulations 2010 (SI 2010/959) — reg 28
  (social worker visits to looked-after children), reg 33 (looked-after reviews).
* Statutory guidance on children who run away or go missing from home or care (DfE, January
  2014) — return home interviews.
* SSDA903 guidance (OC2) — Strengths and Difficulties Questionnaire, yearly for children looked
  after for at least 12 months; Manchester's practice (seed report 000) adds one a month after
  entry to care.
* Children Act 1989 guidance and regulations, volume 2 (care planning), and Manchester's IRO
  practice (seed report 004) — a permanence plan by the second looked-after review.

Visits to children on child protection plans have no national frequency: local policy sets it
(10 working days by default here; pass another interval to override).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Final

from dateutil.relativedelta import relativedelta

from goldenthread.reference.calendar import add_working_days

__all__ = [
    "ASSESSMENT_WORKING_DAYS",
    "CLA_FIRST_REVIEW_WORKING_DAYS",
    "CLA_REVIEW_INTERVAL_MONTHS",
    "CLA_SECOND_REVIEW_MONTHS",
    "CLA_VISIT_FIRST_DAYS",
    "CLA_VISIT_FIRST_YEAR_WEEKS",
    "CLA_VISIT_LONG_TERM_MONTHS",
    "CP_FIRST_REVIEW_MONTHS",
    "CP_REVIEW_INTERVAL_MONTHS",
    "CP_VISIT_WORKING_DAYS",
    "ICPC_WORKING_DAYS",
    "PERMANENCE_PLAN_BY_REVIEW",
    "RHI_HOURS",
    "SDQ_FIRST_MONTHS",
    "SDQ_INTERVAL_MONTHS",
    "add_months",
    "assessment_due",
    "cla_review_due",
    "cla_visit_due",
    "cp_review_due",
    "cp_visit_due",
    "icpc_due",
    "permanence_plan_due",
    "rhi_due",
    "sdq_due",
]

ASSESSMENT_WORKING_DAYS: Final = 45
"""WT 2023 ch. 1: an assessment concludes within 45 working days from the point of referral."""

ICPC_WORKING_DAYS: Final = 15
"""WT 2023 ch. 2: the initial child protection conference within 15 working days of the
strategy discussion (the last one, if several) that started the section 47 enquiry."""

CP_FIRST_REVIEW_MONTHS: Final = 3
"""WT 2023 ch. 2: the first child protection review within 3 months of the initial conference."""

CP_REVIEW_INTERVAL_MONTHS: Final = 6
"""WT 2023 ch. 2: further child protection reviews at intervals of not more than 6 months."""

CP_VISIT_WORKING_DAYS: Final = 10
"""Local policy default: visit a child on a child protection plan every 10 working days."""

CLA_FIRST_REVIEW_WORKING_DAYS: Final = 20
"""Reg 33(1)(a), SI 2010/959: first review within 20 working days of becoming looked after."""

CLA_SECOND_REVIEW_MONTHS: Final = 3
"""Reg 33(1)(b), SI 2010/959: second review not more than 3 months after the first."""

CLA_REVIEW_INTERVAL_MONTHS: Final = 6
"""Reg 33(1)(c), SI 2010/959: later reviews not more than 6 months after the previous one."""

CLA_VISIT_FIRST_DAYS: Final = 7
"""Reg 28(2)(a), SI 2010/959: a visit within one week of the start of any placement."""

CLA_VISIT_FIRST_YEAR_WEEKS: Final = 6
"""Reg 28(2)(b), SI 2010/959: then at intervals of not more than 6 weeks for the first year of
the placement (and after it, unless the placement is intended to last until 18)."""

CLA_VISIT_LONG_TERM_MONTHS: Final = 3
"""Reg 28(2)(c), SI 2010/959: after the first year of a placement intended to last until the
child is 18, at intervals of not more than 3 months."""

RHI_HOURS: Final = 72
"""Statutory guidance on children who run away or go missing from home or care (2014): a
return home interview within 72 hours of the child's return."""

SDQ_FIRST_MONTHS: Final = 1
"""Manchester practice (seed 000): the first SDQ one month after entry to care."""

SDQ_INTERVAL_MONTHS: Final = 12
"""SSDA903 OC2 guidance: an SDQ every year (Manchester: one year after the first, then yearly)."""

PERMANENCE_PLAN_BY_REVIEW: Final = 2
"""Care planning guidance and Manchester IRO practice (seed 004): a permanence plan in place by
the second looked-after review (about 4 months after entry to care)."""


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, clamped to the end of a shorter month.

    31 January 2025 + 1 month = 28 February 2025; 30 November 2023 + 3 months = 29 February
    2024.
    """
    result: date = start + relativedelta(months=months)
    return result


def assessment_due(referral_date: date) -> date:
    """Last day for a child and family assessment: 45 working days from the referral.

    WT 2023 ch. 1 para 151 (maximum 45 working days from the point of referral). Counted from
    the day after the referral. Example: a referral on Friday 20 December 2024 is due by
    Wednesday 26 February 2025 — three days later than without the bank holidays on 25 and 26
    December and 1 January.
    """
    return add_working_days(referral_date, ASSESSMENT_WORKING_DAYS)


def icpc_due(strategy_date: date) -> date:
    """Last day for the initial child protection conference: 15 working days.

    WT 2023 ch. 2 (within 15 working days of the strategy discussion, or of the last strategy
    discussion if more than one was held). Counted from the day after the strategy discussion.
    """
    return add_working_days(strategy_date, ICPC_WORKING_DAYS)


def cp_review_due(icpc_date: date, previous_review: date | None) -> date:
    """Last day for the next child protection review conference.

    WT 2023 ch. 2: the first review within 3 months of the initial conference, then reviews at
    intervals of not more than 6 months while the child has a plan. ``previous_review`` is the
    date of the last review held (None before the first).
    """
    if previous_review is None:
        return add_months(icpc_date, CP_FIRST_REVIEW_MONTHS)
    return add_months(previous_review, CP_REVIEW_INTERVAL_MONTHS)


def cla_review_due(entered_care: date, previous_reviews: int, last_review: date | None) -> date:
    """Last day for the next looked-after review.

    Care Planning, Placement and Case Review (England) Regulations 2010, reg 33: the first
    review within 20 working days of the date the child became looked after, the second not
    more than 3 months after the first, later ones not more than 6 months after the previous.
    ``previous_reviews`` counts the reviews already held in this period of care and
    ``last_review`` is the date of the latest of them.
    """
    if previous_reviews < 0:
        raise ValueError(f"previous_reviews must be 0 or more, not {previous_reviews}")
    if previous_reviews == 0:
        return add_working_days(entered_care, CLA_FIRST_REVIEW_WORKING_DAYS)
    if last_review is None:
        raise ValueError("last_review is needed once a review has been held")
    if previous_reviews == 1:
        return add_months(last_review, CLA_SECOND_REVIEW_MONTHS)
    return add_months(last_review, CLA_REVIEW_INTERVAL_MONTHS)


def permanence_plan_due(entered_care: date, first_review: date | None = None) -> date:
    """Last day for the permanence plan: the due date of the second looked-after review.

    Children Act 1989 guidance vol. 2 and Manchester IRO practice (seed 004: a permanence plan
    for the second review, at about 4 months). Before the first review is held its own due date
    stands in for it.
    """
    first = first_review or cla_review_due(entered_care, 0, None)
    return cla_review_due(entered_care, PERMANENCE_PLAN_BY_REVIEW - 1, first)


def rhi_due(returned_at: datetime) -> datetime:
    """Deadline for the return home interview: 72 hours after the child returned.

    Statutory guidance on children who run away or go missing from home or care (DfE 2014).
    For an aware datetime the 72 hours are elapsed hours (counted in UTC), so a return before
    the clocks change gets a deadline an hour earlier or later on the wall clock; the result is
    in the same time zone as ``returned_at``. A naive datetime is treated as wall-clock time.
    """
    tz = returned_at.tzinfo
    if tz is None or returned_at.utcoffset() is None:
        return returned_at + timedelta(hours=RHI_HOURS)
    elapsed = returned_at.astimezone(UTC) + timedelta(hours=RHI_HOURS)
    return elapsed.astimezone(tz)


def sdq_due(entered_care: date, last_sdq: date | None) -> date:
    """Last day for the next Strengths and Difficulties Questionnaire.

    Manchester practice (seed 000): one month after entry to care, a year later, then yearly;
    the SSDA903 OC2 return expects one each year for children looked after 12 months or more
    (aged 4 to 16). ``last_sdq`` is the date of the latest completed SDQ (None before the
    first).
    """
    if last_sdq is None:
        return add_months(entered_care, SDQ_FIRST_MONTHS)
    return add_months(last_sdq, SDQ_INTERVAL_MONTHS)


def cp_visit_due(last_visit: date, *, interval_working_days: int = CP_VISIT_WORKING_DAYS) -> date:
    """Last day for the next visit to a child on a child protection plan.

    No national frequency (WT 2023 leaves it to the plan); local policy, 10 working days by
    default. ``last_visit`` is the last visit, or the start of the plan before any visit.
    """
    return add_working_days(last_visit, interval_working_days)


def cla_visit_due(
    placement_start: date, last_visit: date | None, *, intended_until_18: bool = False
) -> date:
    """Last day for the next statutory social worker visit to a looked-after child.

    Care Planning, Placement and Case Review (England) Regulations 2010, reg 28(2): within one
    week of the start of any placement; then at intervals of not more than 6 weeks for the first
    year; after the first year, not more than 3 months where the placement is intended to last
    until the child is 18, otherwise still 6 weeks. (Extra visits the regulations require, such
    as weekly visits where a child is placed with a temporarily approved relative, are not
    covered here.)
    """
    if last_visit is None:
        return placement_start + timedelta(days=CLA_VISIT_FIRST_DAYS)
    first_year_ends = add_months(placement_start, 12)
    if intended_until_18 and last_visit >= first_year_ends:
        return add_months(last_visit, CLA_VISIT_LONG_TERM_MONTHS)
    return last_visit + timedelta(weeks=CLA_VISIT_FIRST_YEAR_WEEKS)
