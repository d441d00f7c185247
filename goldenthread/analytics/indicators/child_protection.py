"""Child protection: section 47 enquiries, initial conferences, plans, reviews and visits.

Counting rules follow DfE's Children in need statistics (tables C4, D3, D5, D7) as set out in
reference/indicators.md §2; timescales are Working Together to Safeguard Children 2023's and
the local visit policy in `goldenthread.reference.timescales`, so a council that changes its
policy there changes the indicator too.

Choices shared by the plan indicators:

- A plan is open on a day from its start date up to the day before its end date (the
  project's [start, end) rule; DfE's "at 31 March" leaves out a plan that ended that day).
- Plans held by another council (`cppl_cp_plan_ola = 'Y'`) are not this council's: they are
  left out of every count, but still count as a child's previous plan.
- A child on a plan is under 18 or not yet born: a plan left open past the 18th birthday
  is a recording slip and does not make an adult a child on a plan.
- "Two years" is two calendar years (`start + INTERVAL 2 YEAR`): 731 days when the span
  holds a 29 February, as plan durations are in calendar days (indicators.md §0).
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import Benchmark, Indicator, Measure, register
from goldenthread.reference.timescales import (
    CP_FIRST_REVIEW_MONTHS,
    CP_REVIEW_INTERVAL_MONTHS,
    CP_VISIT_WORKING_DAYS,
    ICPC_WORKING_DAYS,
)

C4 = "DfE Children in need statistics, table C4 (section 47 enquiries and ICPCs)"
ENGLAND_2025 = "2025"
ONE = "CAST(1 AS DOUBLE)"
OPEN = "DATE '9999-12-31'"  # the end of a plan still open

# Section 47 enquiries with their dates as dates (an imported extract may carry times).
_S47 = """s47 AS (
    SELECT s.s47e_s47_enquiry_id AS s47_id, s.s47e_person_id AS person_id,
           CAST(s.s47e_s47_start_date AS DATE) AS start_date,
           s.s47e_s47_completed_by_team AS team_id,
           s.s47e_s47_completed_by_worker_id AS worker_id
    FROM ssd_s47_enquiry s)"""

# Initial conferences that follow an enquiry (transfer-in conferences are DfE's separate
# count), with their enquiry's start date when it is known.
_ICPC = """icpc AS (
    SELECT i.icpc_icpc_id AS icpc_id, i.icpc_person_id AS person_id,
           CAST(i.icpc_icpc_date AS DATE) AS held_on,
           CAST(s.s47e_s47_start_date AS DATE) AS s47_start
    FROM ssd_initial_cp_conference i
    LEFT JOIN ssd_s47_enquiry s ON s.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id
    WHERE COALESCE(i.icpc_icpc_transfer_in, 'N') <> 'Y')"""

# ICPCs held in the period, with the working days from their enquiry's start (0 on the same
# day; NULL when the start is not known): those held on or after it are the ones DfE puts
# in its duration bands (BANDED).
ICPC_ROWS = f"""WITH {_ICPC}
SELECT pd.period_id, i.person_id, i.icpc_id AS subject_id, i.held_on, i.s47_start,
       ch.wd - cs.wd AS working_days
FROM icpc i
JOIN period_days pd ON pd.day = i.held_on
LEFT JOIN calendar ch ON ch.day = i.held_on
LEFT JOIN calendar cs ON cs.day = i.s47_start"""
BANDED = "held_on >= s47_start AND working_days IS NOT NULL"

# Every CP plan, dates as dates, with its child's date of birth; `open_until` is the end
# date or, for an open plan, a date far off (one range condition joins faster than an OR).
_PLANS = f"""plans AS (
    SELECT c.cppl_cp_plan_id AS plan_id, c.cppl_person_id AS person_id,
           c.cppl_icpc_id AS icpc_id,
           CAST(c.cppl_cp_plan_start_date AS DATE) AS start_date,
           CAST(c.cppl_cp_plan_end_date AS DATE) AS end_date,
           COALESCE(CAST(c.cppl_cp_plan_end_date AS DATE), {OPEN}) AS open_until,
           COALESCE(c.cppl_cp_plan_ola, 'N') <> 'Y' AS own,
           CAST(pe.pers_dob AS DATE) AS dob
    FROM ssd_cp_plans c
    LEFT JOIN ssd_person pe ON pe.pers_person_id = c.cppl_person_id)"""

# This council's plans open at the end of each period, for children under 18 or unborn.
_OPEN = f"""{_PLANS},
open_plans AS (
    SELECT p.period_id, p.period_end, pl.plan_id, pl.person_id, pl.start_date, pl.dob
    FROM plans pl
    JOIN periods p ON pl.start_date <= p.period_end AND pl.open_until > p.period_end
    WHERE pl.own AND (pl.dob IS NULL OR pl.dob + INTERVAL 18 YEAR > p.period_end))"""


S47_STARTED = f"""WITH {_S47}
SELECT pd.period_id, s.person_id, s.s47_id AS subject_id, {ONE} AS numerator,
       {ONE} AS denominator, s.team_id, s.worker_id
FROM s47 s JOIN period_days pd ON pd.day = s.start_date"""

ICPC_HELD = Measure(ICPC_ROWS)
ICPC_IN_TIME = Measure(
    ICPC_ROWS, f"CASE WHEN working_days <= {ICPC_WORKING_DAYS} THEN 1 ELSE 0 END", keep=BANDED)
ICPC_MEDIAN_DAYS = Measure(ICPC_ROWS, "working_days", keep=BANDED)

OPEN_ROWS = f"""WITH {_OPEN}
SELECT period_id, period_end, person_id, plan_id AS subject_id, start_date FROM open_plans"""
ON_PLAN = Measure(OPEN_ROWS)
OPEN_TWO_YEARS = Measure(
    OPEN_ROWS, "CASE WHEN start_date + INTERVAL 2 YEAR <= period_end THEN 1 ELSE 0 END")

# This council's plans started in the period, and whether the child had a plan before
# (however long ago; any council's) or one that ended within two years before this one's
# start: worked out once per plan, before the plan meets its periods.
STARTED_ROWS = f"""WITH {_PLANS},
started AS (
    SELECT pl.plan_id, pl.person_id, pl.start_date,
           CASE WHEN EXISTS (SELECT 1 FROM plans b WHERE b.person_id = pl.person_id
                             AND b.start_date < pl.start_date) THEN 1 ELSE 0 END AS had_plan,
           CASE WHEN EXISTS (SELECT 1 FROM plans b WHERE b.person_id = pl.person_id
                             AND b.end_date <= pl.start_date
                             AND b.end_date + INTERVAL 2 YEAR >= pl.start_date)
                THEN 1 ELSE 0 END AS within_two_years
    FROM plans pl WHERE pl.own)
SELECT pd.period_id, s.person_id, s.plan_id AS subject_id, s.had_plan, s.within_two_years
FROM started s JOIN period_days pd ON pd.day = s.start_date"""
PLANS_STARTED = Measure(STARTED_ROWS)
SECOND_PLAN = Measure(STARTED_ROWS, "had_plan")
SECOND_PLAN_TWO_YEARS = Measure(STARTED_ROWS, "within_two_years")

ENDED_AFTER_TWO_YEARS = f"""WITH {_PLANS}
SELECT pd.period_id, pl.person_id, pl.plan_id AS subject_id,
       CAST(CASE WHEN pl.start_date + INTERVAL 2 YEAR <= pl.end_date THEN 1 ELSE 0 END
            AS DOUBLE) AS numerator,
       {ONE} AS denominator
FROM plans pl JOIN period_days pd ON pd.day = pl.end_date
WHERE pl.own"""

# Plans open at the period's end or ended in it that had run 3 months by then ("until"):
# every review held by then on time (the first within 3 months of the ICPC, each next
# within 6 months of the last) and the next not yet overdue.
REVIEWS_IN_TIME = f"""WITH {_PLANS},
cohort AS (
    SELECT p.period_id, pl.plan_id, pl.person_id,
           COALESCE(CAST(i.icpc_icpc_date AS DATE), pl.start_date) AS conference,
           CASE WHEN pl.end_date IS NULL OR pl.end_date > p.period_end THEN p.period_end
                ELSE pl.end_date END AS until
    FROM plans pl
    JOIN periods p ON pl.start_date <= p.period_end AND pl.open_until >= p.period_start
    LEFT JOIN ssd_initial_cp_conference i ON i.icpc_icpc_id = pl.icpc_id
    WHERE pl.own),
held AS (
    SELECT c.period_id, c.plan_id, CAST(r.cppr_cp_review_date AS DATE) AS held_on,
           LAG(CAST(r.cppr_cp_review_date AS DATE)) OVER (
               PARTITION BY c.period_id, c.plan_id
               ORDER BY r.cppr_cp_review_date, r.cppr_cp_review_id) AS previous
    FROM cohort c JOIN ssd_cp_reviews r ON r.cppr_cp_plan_id = c.plan_id
    WHERE CAST(r.cppr_cp_review_date AS DATE) <= c.until),
timed AS (
    SELECT c.period_id, c.plan_id, c.person_id, c.conference, c.until,
           MAX(h.held_on) AS last_held,
           MAX(CASE WHEN h.previous IS NULL
                         AND h.held_on > c.conference + INTERVAL {CP_FIRST_REVIEW_MONTHS} MONTH
                    THEN 1
                    WHEN h.held_on > h.previous + INTERVAL {CP_REVIEW_INTERVAL_MONTHS} MONTH
                    THEN 1 ELSE 0 END) AS late
    FROM cohort c LEFT JOIN held h ON h.period_id = c.period_id AND h.plan_id = c.plan_id
    GROUP BY c.period_id, c.plan_id, c.person_id, c.conference, c.until)
SELECT period_id, person_id, plan_id AS subject_id,
       CAST(CASE WHEN COALESCE(late, 0) = 0
                  AND CASE WHEN last_held IS NULL
                           THEN conference + INTERVAL {CP_FIRST_REVIEW_MONTHS} MONTH
                           ELSE last_held + INTERVAL {CP_REVIEW_INTERVAL_MONTHS} MONTH
                      END >= until
            THEN 1 ELSE 0 END AS DOUBLE) AS numerator,
       {ONE} AS denominator
FROM timed
WHERE conference + INTERVAL {CP_FIRST_REVIEW_MONTHS} MONTH <= until"""

# Born children on a plan at the period's end, and the date of their latest visit under it
# at which they were seen (a visit where the child was not seen is not a statutory visit).
_VISITED = f"""WITH {_OPEN},
born AS (
    SELECT * FROM open_plans WHERE dob IS NOT NULL AND dob <= period_end),
last_visit AS (
    SELECT b.period_id, b.plan_id, MAX(CAST(v.cppv_cp_visit_date AS DATE)) AS visited_on
    FROM born b JOIN ssd_cp_visits v ON v.cppv_cp_plan_id = b.plan_id
    WHERE v.cppv_cp_visit_seen = 'Y' AND CAST(v.cppv_cp_visit_date AS DATE) <= b.period_end
    GROUP BY b.period_id, b.plan_id)"""

# The policy interval runs from the last visit, or from the plan's start (or the birth, if
# later) before any. The visit is due on the interval's last working day: in time while
# fewer working days have passed, or that many and the day is itself a working day.
VISITS_IN_TIME = f"""{_VISITED}
SELECT b.period_id, b.person_id, b.plan_id AS subject_id,
       CAST(CASE WHEN today.wd - since.wd < {CP_VISIT_WORKING_DAYS}
                   OR (today.wd - since.wd = {CP_VISIT_WORKING_DAYS} AND today.wd > eve.wd)
            THEN 1 ELSE 0 END AS DOUBLE) AS numerator,
       {ONE} AS denominator
FROM born b
LEFT JOIN last_visit l ON l.period_id = b.period_id AND l.plan_id = b.plan_id
JOIN calendar since ON since.day = COALESCE(l.visited_on, GREATEST(b.start_date, b.dob))
JOIN calendar today ON today.day = b.period_end
JOIN calendar eve ON eve.day = CAST(b.period_end - INTERVAL 1 DAY AS DATE)"""

# Whether any seen visit on the last visit's day saw the child alone.
SEEN_ALONE = f"""{_VISITED}
SELECT l.period_id, MIN(b.person_id) AS person_id, l.plan_id AS subject_id,
       CAST(MAX(CASE WHEN v.cppv_cp_visit_seen_alone = 'Y' THEN 1 ELSE 0 END) AS DOUBLE)
           AS numerator,
       {ONE} AS denominator
FROM last_visit l
JOIN born b ON b.period_id = l.period_id AND b.plan_id = l.plan_id
JOIN ssd_cp_visits v ON v.cppv_cp_plan_id = l.plan_id AND v.cppv_cp_visit_seen = 'Y'
 AND CAST(v.cppv_cp_visit_date AS DATE) = l.visited_on
GROUP BY l.period_id, l.plan_id"""


def _england(value: float, note: str = "") -> Benchmark:
    return Benchmark("England", ENGLAND_2025, value, note)


def _la(england: float, manchester: float, sn25: float, sn21: float) -> tuple[Benchmark, ...]:
    return (_england(england), Benchmark("Manchester", ENGLAND_2025, manchester),
            Benchmark("SN25 mean", ENGLAND_2025, sn25), Benchmark("SN21 mean", ENGLAND_2025, sn21))


_AT_DATE_PLAN = ("This council's plans open on the day (start on or before it, no end or an "
                 "end after it) for children under 18 or not yet born; unborn children count.")

register(
    Indicator(
        id="CP-S47-STARTED", title="Section 47 enquiries started",
        definition="Section 47 enquiries whose start date falls in the period; a child with "
                   "two enquiries counts twice.",
        source=C4, unit="count", higher_is_better=None, period="year_to_31_march",
        counts="section 47 enquiries", sql=S47_STARTED, dfe_rounding=True,
        benchmarks=(_england(230_590),)),
    Indicator(
        id="CP-S47-RATE", title="Section 47 enquiries per 10,000 children",
        definition="Section 47 enquiries started in the period per 10,000 children aged 0 to "
                   "17 (ONS mid-year estimate before the period's end).",
        source=C4, unit="rate_per_10k", higher_is_better=None, period="year_to_31_march",
        counts="section 47 enquiries", sql=S47_STARTED, dfe_rounding=True,
        benchmarks=(_england(189.3, "[derived]"),), needs=("gtx_population",)),
    Indicator(
        id="CP-ICPC-HELD", title="Initial child protection conferences held",
        definition="Initial child protection conferences held in the period after a section 47 "
                   "enquiry, including those dated before the enquiry began (which are left "
                   "out of the timeliness bands); transfer-in conferences are not counted.",
        source=C4, unit="count", higher_is_better=None, period="year_to_31_march",
        counts="initial child protection conferences", measure=ICPC_HELD, dfe_rounding=True,
        benchmarks=(_england(72_100),)),
    Indicator(
        id="CP-ICPC-15WD", title="ICPCs within 15 working days of the section 47 start",
        definition="Of the initial conferences held in the period on or after their section 47 "
                   "enquiry began, the percentage held within 15 working days of its start "
                   "(England working days: weekdays that are not bank holidays, counted from "
                   "the day after). Conferences dated before their enquiry are excluded, as "
                   "DfE excludes them from its duration bands; each enquiry counts separately.",
        source=f"{C4}; Working Together to Safeguard Children 2023, ch. 2", unit="percent",
        higher_is_better=True, period="year_to_31_march",
        counts="initial child protection conferences", measure=ICPC_IN_TIME, dfe_rounding=True,
        benchmarks=(_england(81.4, "[derived]"),)),
    Indicator(
        id="CP-ICPC-MEDIAN-WD", title="Median working days from section 47 start to ICPC",
        definition="The median number of England working days from a section 47 enquiry's "
                   "start to its initial conference, over the conferences held in the period on "
                   "or after their enquiry began.",
        source=C4, unit="median", higher_is_better=False, period="year_to_31_march",
        counts="initial child protection conferences", measure=ICPC_MEDIAN_DAYS, dfe_rounding=True,
        decimals=0, benchmarks=(_england(14),)),
    Indicator(
        id="CP-ON-PLAN", title="Children subject to a child protection plan",
        definition=f"Children on a child protection plan at the date. {_AT_DATE_PLAN}",
        source="DfE Children in need statistics, table D1; seed 002", unit="count",
        higher_is_better=None, period="at_date", counts="children", measure=ON_PLAN,
        dfe_rounding=True,
        benchmarks=(_england(49_420), Benchmark("Manchester", ENGLAND_2025, 660))),
    Indicator(
        id="CP-ON-PLAN-RATE", title="Children subject to a child protection plan per 10,000",
        definition=f"Children on a child protection plan at the date per 10,000 children aged "
                   f"0 to 17. {_AT_DATE_PLAN}",
        source="DfE Children in need statistics, table D1", unit="rate_per_10k",
        higher_is_better=None, period="at_date", counts="children", measure=ON_PLAN,
        dfe_rounding=True, benchmarks=_la(40.6, 50.1, 56.6, 53.3), needs=("gtx_population",)),
    Indicator(
        id="CP-PLANS-STARTED", title="Child protection plans started",
        definition="This council's child protection plans starting in the period; a child with "
                   "two plans starting counts twice.",
        source="DfE Children in need statistics, table D1", unit="count",
        higher_is_better=None, period="year_to_31_march", counts="child protection plans",
        measure=PLANS_STARTED, dfe_rounding=True, benchmarks=(_england(61_840),)),
    Indicator(
        id="CP-ENDED-2YRS", title="Child protection plans ended that lasted 2 years or more",
        definition="Of this council's child protection plans ending in the period, the "
                   "percentage that had lasted two calendar years or more (start plus 2 years "
                   "on or before the end date).",
        source="DfE Children in need statistics, table D7 (legacy NI 64); seed 002",
        unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="child protection plans", sql=ENDED_AFTER_TWO_YEARS, dfe_rounding=True,
        benchmarks=(_england(4.4),)),
    Indicator(
        id="CP-OPEN-2YRS", title="Child protection plans open for 2 years or more",
        definition=f"Of the children on a plan at the date, the percentage whose plan had been "
                   f"open two calendar years or more by then. {_AT_DATE_PLAN}",
        source="DfE Children in need statistics, table D5", unit="percent",
        higher_is_better=False, period="at_date", counts="children", measure=OPEN_TWO_YEARS,
        dfe_rounding=True, benchmarks=_la(2.3, 1.7, 2.8, 4.5)),
    Indicator(
        id="CP-SECOND-PLAN", title="Second or subsequent child protection plans",
        definition="Of this council's plans starting in the period, the percentage for a child "
                   "who had been the subject of a plan before, however long ago (any plan in "
                   "the extract, including another council's). Lifetime as far as the extract "
                   "reaches: a six-year SSD window sees six years back.",
        source="DfE Children in need statistics, table D3 (legacy NI 65); seed 002",
        unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="child protection plans", measure=SECOND_PLAN, dfe_rounding=True,
        benchmarks=_la(24.5, 21.4, 26.7, 24.5)),
    Indicator(
        id="CP-SECOND-PLAN-2YRS",
        title="Child protection plans starting within 2 years of a previous plan",
        definition="Of this council's plans starting in the period, the percentage for a child "
                   "whose previous plan ended within two calendar years before the new plan's "
                   "start. No national figure (ChAT and local scorecards).",
        source="Local measure (ChAT style); reference/indicators.md §2.5; seed 002",
        unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="child protection plans", measure=SECOND_PLAN_TWO_YEARS),
    Indicator(
        id="CP-REVIEWS-IN-TIME", title="Child protection plans reviewed within timescales",
        definition=f"Of this council's plans open at the period's end or ended in it that had "
                   f"run {CP_FIRST_REVIEW_MONTHS} months by then, the percentage whose reviews "
                   f"were all on time: the first within {CP_FIRST_REVIEW_MONTHS} months of the "
                   f"initial conference, each later one within {CP_REVIEW_INTERVAL_MONTHS} "
                   f"months of the last, and the next not overdue at the period's end (or the "
                   f"plan's end). Months are calendar months, clamped to a shorter month's end.",
        source="Working Together to Safeguard Children 2023, ch. 2; legacy NI 67",
        unit="percent", higher_is_better=True, period="year_to_31_march",
        counts="child protection plans", sql=REVIEWS_IN_TIME),
    Indicator(
        id="CP-VISITS-IN-TIME", title="Children on a plan visited within timescale",
        definition=f"Of the born children on a plan at the date, the percentage whose last "
                   f"visit at which they were seen (or, before any, the plan's start or their "
                   f"birth) was within the local visit policy: every {CP_VISIT_WORKING_DAYS} "
                   f"working days (reference.timescales.CP_VISIT_WORKING_DAYS). Unborn "
                   f"children cannot be visited and are left out.",
        source="Local policy; Ofsted Annex A list 7 (date of last statutory visit); seed 002",
        unit="percent", higher_is_better=True, period="at_date", counts="children",
        sql=VISITS_IN_TIME),
    Indicator(
        id="CP-VISITS-SEEN-ALONE", title="Children on a plan seen alone at their last visit",
        definition="Of the born children on a plan at the date who have been visited and seen "
                   "under it, the percentage seen alone at the last such visit.",
        source="Ofsted Annex A list 7 (child seen alone?); seed 002", unit="percent",
        higher_is_better=True, period="at_date", counts="children", sql=SEEN_ALONE),
)
