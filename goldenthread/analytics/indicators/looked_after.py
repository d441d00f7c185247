"""Children looked after (SSDA903; reference/indicators.md §4.1-4.4, §4.6; seeds 002, 004).

Building blocks shared with missing.py, health.py and adoption.py (and `with_ctes`, `unit`
with care_leavers.py):

- `care`: one row per period of care (`clae_cla_id`) from its 903 episodes: the child, the
  day they became looked after (`entered`, the first episode's start) and the day care
  ended (`ceased`, NULL while an episode is open).
- `short_breaks`: the child's short-break legal statuses (V3/V4) from `ssd_legal_status`.
  DfE leaves short breaks out of every CLA count, so a child on V3/V4 on the day is not
  counted as looked after that day. A child whose extract has no legal status is counted.
- `looked_after`: the children looked after at the end of each period, short breaks out.

Dates follow the SSD's [start, end): a period of care that ends on 31 March is not open on
31 March, so the child has ceased in the year and is not looked after at 31 March.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import (
    LOOKED_AFTER_BREAKDOWNS,
    Benchmark,
    Indicator,
    Measure,
    register,
)
from goldenthread.reference.timescales import (
    CLA_FIRST_REVIEW_WORKING_DAYS,
    CLA_REVIEW_INTERVAL_MONTHS,
    CLA_SECOND_REVIEW_MONTHS,
    CLA_VISIT_FIRST_DAYS,
    CLA_VISIT_FIRST_YEAR_WEEKS,
    CLA_VISIT_LONG_TERM_MONTHS,
    PERMANENCE_PLAN_BY_REVIEW,
)

__all__ = ["CARE", "LOOKED_AFTER", "SHORT_BREAKS", "TEMPORARY_PLACEMENTS", "on_short_break",
           "unit", "with_ctes"]

SHORT_BREAK_STATUSES = "('V3', 'V4')"
# 903 PLACE T0-T4: temporary moves (hospital, holiday, a carer's holiday, 7 days or less),
# which DfE does not count as placements (legacy NI 62 guidance).
TEMPORARY_PLACEMENTS = "('T0', 'T1', 'T2', 'T3', 'T4')"

CARE = """care AS (
    SELECT clae_cla_id AS cla_id, MIN(clae_person_id) AS person_id,
           MIN(CAST(clae_cla_episode_start_date AS DATE)) AS entered,
           CASE WHEN COUNT(*) > COUNT(clae_cla_episode_ceased_date) THEN NULL
                ELSE MAX(CAST(clae_cla_episode_ceased_date AS DATE)) END AS ceased
    FROM ssd_cla_episodes
    GROUP BY clae_cla_id)"""

SHORT_BREAKS = f"""short_breaks AS (
    SELECT lega_person_id AS person_id,
           CAST(lega_legal_status_start_date AS DATE) AS sb_from,
           CAST(lega_legal_status_end_date AS DATE) AS sb_to
    FROM ssd_legal_status
    WHERE lega_legal_status IN {SHORT_BREAK_STATUSES})"""


def on_short_break(alias: str, person: str, day: str) -> str:
    """A LEFT JOIN finding the child's short-break status in force on `day`; keep the rows
    with `{alias}.person_id IS NULL` to leave short breaks out (statuses never overlap, so
    the join adds no rows)."""
    return (f"LEFT JOIN short_breaks {alias} ON {alias}.person_id = {person} "
            f"AND {alias}.sb_from <= {day} AND ({alias}.sb_to IS NULL OR {alias}.sb_to > {day})")


LOOKED_AFTER = f"""looked_after AS (
    SELECT p.period_id, p.period_start, p.period_end, c.cla_id, c.person_id, c.entered
    FROM care c
    JOIN periods p ON c.entered <= p.period_end
        AND (c.ceased IS NULL OR c.ceased > p.period_end)
    {on_short_break("sb", "c.person_id", "p.period_end")}
    WHERE sb.person_id IS NULL)"""


def with_ctes(*ctes: str) -> str:
    """`WITH a AS (...), b AS (...)` from CTE texts, in order."""
    return "WITH " + ",\n".join(ctes) + "\n"


def unit(subject: str, numerator: str = "1", denominator: str = "1") -> str:
    """The contract's subject_id, numerator and denominator columns (DOUBLE)."""
    return (f"{subject} AS subject_id, CAST({numerator} AS DOUBLE) AS numerator, "
            f"CAST({denominator} AS DOUBLE) AS denominator")


CLA_SOURCE = "DfE Children looked after in England, table A1 / SSDA903"
CLA_AT_DATE_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER) + f"""
SELECT period_id, person_id, {unit("cla_id")}
FROM looked_after"""

# Starts: only the first start of a child in the period counts (DfE counts children); a
# period of care that began on a short break is not a start.
STARTED_SQL = with_ctes(CARE, SHORT_BREAKS, f"""starts AS (
    SELECT pd.period_id, c.person_id, c.cla_id,
           ROW_NUMBER() OVER (PARTITION BY pd.period_id, c.person_id
                              ORDER BY c.entered, c.cla_id) AS n
    FROM care c
    JOIN period_days pd ON pd.day = c.entered
    {on_short_break("sb", "c.person_id", "c.entered")}
    WHERE sb.person_id IS NULL)""") + f"""
SELECT period_id, person_id, {unit("cla_id")}
FROM starts WHERE n = 1"""

# Ceased: the last time a child ceased in the period; not when the status that ended was a
# short break (the status open up to the day care ended).
CEASED_SQL = with_ctes(CARE, SHORT_BREAKS, """ceases AS (
    SELECT pd.period_id, c.person_id, c.cla_id,
           ROW_NUMBER() OVER (PARTITION BY pd.period_id, c.person_id
                              ORDER BY c.ceased DESC, c.cla_id DESC) AS n
    FROM care c
    JOIN period_days pd ON pd.day = c.ceased
    LEFT JOIN short_breaks sb ON sb.person_id = c.person_id AND sb.sb_from < c.ceased
        AND (sb.sb_to IS NULL OR sb.sb_to >= c.ceased)
    WHERE sb.person_id IS NULL)""") + f"""
SELECT period_id, person_id, {unit("cla_id")}
FROM ceases WHERE n = 1"""

# Placements in the window: each ssd_cla_placement row is one placement (the projection
# opens a new row for every 903 episode with RNE S, P, T, U or B; an RNE L episode, a change
# of legal status only, keeps the same placement row), occupied on at least one day of the
# window, in any period of care, not a temporary placement (T0-T4).
THREE_PLUS_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, f"""placements AS (
    SELECT la.period_id, la.person_id, la.cla_id, COUNT(pl.clap_cla_placement_id) AS n
    FROM looked_after la
    LEFT JOIN ssd_cla_placement pl ON pl.clap_person_id = la.person_id
        AND CAST(pl.clap_cla_placement_start_date AS DATE) <= la.period_end
        AND (pl.clap_cla_placement_end_date IS NULL
             OR CAST(pl.clap_cla_placement_end_date AS DATE) > la.period_start)
        AND COALESCE(pl.clap_cla_placement_type, '') NOT IN {TEMPORARY_PLACEMENTS}
    GROUP BY la.period_id, la.person_id, la.cla_id)""") + f"""
SELECT period_id, person_id, {unit("cla_id", "CASE WHEN n >= 3 THEN 1 ELSE 0 END")}
FROM placements"""

# The placement each looked-after child is in at the end of the period.
CURRENT_PLACEMENT = """current_placement AS (
    SELECT la.period_id, la.person_id, la.cla_id, la.entered, la.period_end,
           pl.clap_cla_placement_id AS placement_id,
           CAST(pl.clap_cla_placement_start_date AS DATE) AS placed_on,
           pl.clap_cla_placement_type AS placement_type,
           pl.clap_cla_placement_distance AS distance
    FROM looked_after la
    LEFT JOIN ssd_cla_placement pl ON pl.clap_person_id = la.person_id
        AND CAST(pl.clap_cla_placement_start_date AS DATE) <= la.period_end
        AND (pl.clap_cla_placement_end_date IS NULL
             OR CAST(pl.clap_cla_placement_end_date AS DATE) > la.period_end))"""

# Long-term stability (legacy NI 63): under 16 at the date and looked after for 2.5 years;
# in time if in the same placement for 2 years, or placed for adoption with the current
# foster carers (PLACE A3 or A5) and the foster placement before it began 2 years ago.
LONG_TERM_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, CURRENT_PLACEMENT, """stable AS (
    SELECT cp.period_id, cp.person_id, cp.cla_id,
           CASE WHEN cp.placed_on <= CAST(cp.period_end - INTERVAL 2 YEAR AS DATE)
                  OR (cp.placement_type IN ('A3', 'A5')
                      AND CAST(prior_pl.clap_cla_placement_start_date AS DATE)
                          <= CAST(cp.period_end - INTERVAL 2 YEAR AS DATE))
                THEN 1 ELSE 0 END AS same_placement
    FROM current_placement cp
    JOIN ssd_person pe ON pe.pers_person_id = cp.person_id
    LEFT JOIN ssd_cla_placement prior_pl ON prior_pl.clap_person_id = cp.person_id
        AND CAST(prior_pl.clap_cla_placement_end_date AS DATE) = cp.placed_on
    WHERE cp.entered <= CAST(cp.period_end - INTERVAL 30 MONTH AS DATE)
      AND CAST(pe.pers_dob + INTERVAL 16 YEAR AS DATE) > cp.period_end)""") + f"""
SELECT period_id, person_id, {unit("cla_id", "MAX(same_placement)")}
FROM stable GROUP BY period_id, person_id, cla_id"""

PLACEMENT_ROWS = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, CURRENT_PLACEMENT) + """
SELECT period_id, person_id, cla_id AS subject_id, distance FROM current_placement"""
DISTANCE_OVER_20 = Measure(PLACEMENT_ROWS, "CASE WHEN distance > 20 THEN 1 ELSE 0 END")
DISTANCE_UNKNOWN = Measure(PLACEMENT_ROWS, "CASE WHEN distance IS NULL THEN 1 ELSE 0 END")

register(
    Indicator(
        id="CLA-COUNT",
        title="Children looked after",
        definition="Children looked after at the date: a 903 episode open on the day "
                   "(started on or before it, not ended by it), leaving out children on a "
                   "short-break legal status (V3/V4) that day.",
        source=CLA_SOURCE, unit="count", higher_is_better=None, period="at_date",
        counts="children", sql=CLA_AT_DATE_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 81_770), Benchmark("Manchester", "2025", 1_280)),
        dfe_rounding=True),
    Indicator(
        id="CLA-RATE",
        title="Children looked after per 10,000 children",
        definition="Children looked after at the date (as CLA-COUNT, short breaks left out) "
                   "per 10,000 children aged 0-17 (ONS mid-year estimate before the date).",
        source=CLA_SOURCE, unit="rate_per_10k", higher_is_better=None, period="at_date",
        counts="children", sql=CLA_AT_DATE_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 67), Benchmark("Manchester", "2025", 97),
                    Benchmark("SN25 mean", "2025", 88.9), Benchmark("SN21 mean", "2025", 90.3)),
        dfe_rounding=True, decimals=0, needs=("gtx_population",)),
    Indicator(
        id="CLA-STARTED",
        title="Children who started to be looked after",
        definition="Children whose period of care began in the year; a child who started "
                   "twice is counted once (the first start), and a period that began on a "
                   "short-break legal status (V3/V4) is not a start.",
        source=CLA_SOURCE + " (starts)", unit="count", higher_is_better=None,
        period="year_to_31_march", counts="children", sql=STARTED_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 32_270), Benchmark("Manchester", "2025", 497)),
        dfe_rounding=True),
    Indicator(
        id="CLA-STARTED-RATE",
        title="Children who started to be looked after per 10,000 children",
        definition="CLA-STARTED per 10,000 children aged 0-17.",
        source=CLA_SOURCE + " (starts)", unit="rate_per_10k", higher_is_better=None,
        period="year_to_31_march", counts="children", sql=STARTED_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 26), Benchmark("Manchester", "2025", 38)),
        dfe_rounding=True, decimals=0, needs=("gtx_population",)),
    Indicator(
        id="CLA-CEASED",
        title="Children who ceased to be looked after",
        definition="Children whose period of care ended in the year (a child who left twice "
                   "is counted once, the last time); not when the legal status that ended "
                   "was a short break (V3/V4).",
        source=CLA_SOURCE + " (ceased)", unit="count", higher_is_better=None,
        period="year_to_31_march", counts="children", sql=CEASED_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 34_450), Benchmark("Manchester", "2025", 523)),
        dfe_rounding=True),
    Indicator(
        id="CLA-CEASED-RATE",
        title="Children who ceased to be looked after per 10,000 children",
        definition="CLA-CEASED per 10,000 children aged 0-17.",
        source=CLA_SOURCE + " (ceased)", unit="rate_per_10k", higher_is_better=None,
        period="year_to_31_march", counts="children", sql=CEASED_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 28), Benchmark("Manchester", "2025", 40)),
        dfe_rounding=True, decimals=0, needs=("gtx_population",)),
    Indicator(
        id="CLA-3PLUS-PLACEMENTS",
        title="Looked-after children with 3 or more placements in the year",
        definition="Of the children looked after at the date (short breaks out), the share "
                   "who had 3 or more placements in the 12 months to the date. A placement "
                   "is a row of ssd_cla_placement (a 903 episode with RNE S, P, T, U or B "
                   "opens one; an episode that only changes the legal status, RNE L, keeps "
                   "the same row), lived in on at least one day of the 12 months, in any "
                   "period of care; temporary placements (PLACE T0-T4) are not counted.",
        source="DfE CLA placement stability (legacy NI 62)", unit="percent",
        higher_is_better=False, period="rolling_12_months", counts="children",
        sql=THREE_PLUS_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 10), Benchmark("Manchester", "2025", 12),
                    Benchmark("SN25 mean", "2025", 10.2), Benchmark("SN21 mean", "2025", 9.7)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="CLA-LONG-TERM-STABILITY",
        title="Long-term placement stability",
        definition="Of the children under 16 at the date who had been looked after for at "
                   "least 2.5 years (their period of care began 30 months or more before), "
                   "the share in the same placement for at least 2 years, or placed for "
                   "adoption with their foster carers (PLACE A3 or A5) where the foster "
                   "placement just before began at least 2 years ago. Calendar days.",
        source="DfE CLA placement stability (legacy NI 63)", unit="percent",
        higher_is_better=True, period="at_date", counts="children", sql=LONG_TERM_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 69), Benchmark("Manchester", "2025", 69),
                    Benchmark("SN25 mean", "2025", 67.3), Benchmark("SN21 mean", "2025", 70.7)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="CLA-PLACED-OVER-20-MILES",
        title="Looked-after children placed more than 20 miles from home",
        definition="Of the children looked after at the date (short breaks out), the share "
                   "whose placement on the day is more than 20 miles from home "
                   "(clap_cla_placement_distance); distance not known counts in the "
                   "denominator only, as DfE does.",
        source="DfE CLA table A5 (distance between home and placement)", unit="percent",
        higher_is_better=False, period="at_date", counts="children",
        measure=DISTANCE_OVER_20, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 22), Benchmark("Manchester", "2025", 8),
                    Benchmark("SN25 mean", "2025", 14.4), Benchmark("SN21 mean", "2025", 14.5)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="CLA-DISTANCE-NOT-KNOWN",
        title="Looked-after children whose placement distance is not known",
        definition="Of the children looked after at the date (short breaks out), the share "
                   "whose placement on the day has no distance recorded.",
        source="DfE CLA table A5 (distance not known)", unit="percent",
        higher_is_better=False, period="at_date", counts="children",
        measure=DISTANCE_UNKNOWN, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 9), Benchmark("Manchester", "2025", 14)),
        dfe_rounding=True, decimals=0),
)

# -- reviews (reg 33), visits (reg 28) and permanence plans -------------------------------

# Reviews held (not cancelled), numbered within their period of care.
HELD_REVIEWS = """held AS (
    SELECT r.clar_cla_review_id AS review_id, c.cla_id, c.person_id, c.entered,
           CAST(r.clar_cla_review_date AS DATE) AS held_on,
           ROW_NUMBER() OVER (PARTITION BY c.cla_id
                              ORDER BY r.clar_cla_review_date, r.clar_cla_review_id) AS n,
           LAG(CAST(r.clar_cla_review_date AS DATE)) OVER (
               PARTITION BY c.cla_id
               ORDER BY r.clar_cla_review_date, r.clar_cla_review_id) AS previous
    FROM ssd_cla_reviews r
    JOIN care c ON c.cla_id = r.clar_cla_id
    WHERE r.clar_cla_review_date IS NOT NULL
      AND COALESCE(r.clar_cla_review_cancelled, 'N') <> 'Y')"""

# Reg 33 due dates: the first review within 20 working days of entry (working days after
# entry up to the review), the second within 3 months of the first, then 6-monthly.
_FIRST, _SECOND, _LATER = (CLA_FIRST_REVIEW_WORKING_DAYS, CLA_SECOND_REVIEW_MONTHS,
                           CLA_REVIEW_INTERVAL_MONTHS)
REVIEW_IN_TIME = f"""CASE
            WHEN h.n = 1 THEN CASE WHEN ch.wd - ce.wd <= {_FIRST} THEN 1 ELSE 0 END
            WHEN h.n = 2 AND h.held_on <= CAST(h.previous + INTERVAL {_SECOND} MONTH AS DATE)
                THEN 1
            WHEN h.n > 2 AND h.held_on <= CAST(h.previous + INTERVAL {_LATER} MONTH AS DATE)
                THEN 1
            ELSE 0 END"""

REVIEWS_IN_TIME_SQL = with_ctes(CARE, SHORT_BREAKS, HELD_REVIEWS) + f"""
SELECT pd.period_id, h.person_id, {unit("h.review_id", REVIEW_IN_TIME)}
FROM held h
JOIN period_days pd ON pd.day = h.held_on
JOIN calendar ce ON ce.day = h.entered
JOIN calendar ch ON ch.day = h.held_on
{on_short_break("sb", "h.person_id", "h.held_on")}
WHERE sb.person_id IS NULL"""

REVIEWS_OVERDUE_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, HELD_REVIEWS, """last_review AS (
    SELECT p.period_id, h.cla_id, MAX(h.n) AS n, MAX(h.held_on) AS last_on
    FROM held h JOIN periods p ON h.held_on <= p.period_end
    GROUP BY p.period_id, h.cla_id)""") + f"""
SELECT la.period_id, la.person_id, {unit("la.cla_id")}
FROM looked_after la
LEFT JOIN last_review lr ON lr.period_id = la.period_id AND lr.cla_id = la.cla_id
JOIN calendar ce ON ce.day = la.entered
JOIN calendar cd ON cd.day = la.period_end
WHERE (lr.n IS NULL AND cd.wd - ce.wd > {_FIRST})
   OR (lr.n = 1 AND la.period_end > CAST(lr.last_on + INTERVAL {_SECOND} MONTH AS DATE))
   OR (lr.n >= 2 AND la.period_end > CAST(lr.last_on + INTERVAL {_LATER} MONTH AS DATE))"""

# Visits at which the child was seen (reg 28 visits are to see the child), in order.
SEEN_VISITS = """seen_visits AS (
    SELECT v.clav_cla_visit_id AS visit_id, c.cla_id, c.person_id, c.entered,
           CAST(v.clav_cla_visit_date AS DATE) AS visited_on,
           LAG(CAST(v.clav_cla_visit_date AS DATE)) OVER (
               PARTITION BY c.cla_id
               ORDER BY v.clav_cla_visit_date, v.clav_cla_visit_id) AS previous
    FROM ssd_cla_visits v
    JOIN care c ON c.cla_id = v.clav_cla_id
    WHERE v.clav_cla_visit_seen = 'Y')"""

# Reg 28, simplified: within 7 days of entry, then 6-weekly while the last visit fell in the
# first year of care, then 3-monthly.
_WEEK, _SIX_WEEKS, _QUARTER = (CLA_VISIT_FIRST_DAYS, 7 * CLA_VISIT_FIRST_YEAR_WEEKS,
                               CLA_VISIT_LONG_TERM_MONTHS)
VISIT_IN_TIME = f"""CASE
            WHEN v.previous IS NULL THEN
                CASE WHEN DATE_DIFF('day', v.entered, v.visited_on) <= {_WEEK} THEN 1 ELSE 0 END
            WHEN v.previous < CAST(v.entered + INTERVAL 1 YEAR AS DATE) THEN
                CASE WHEN DATE_DIFF('day', v.previous, v.visited_on) <= {_SIX_WEEKS} THEN 1
                     ELSE 0 END
            WHEN v.visited_on <= CAST(v.previous + INTERVAL {_QUARTER} MONTH AS DATE) THEN 1
            ELSE 0 END"""

VISITS_IN_TIME_SQL = with_ctes(CARE, SHORT_BREAKS, SEEN_VISITS) + f"""
SELECT pd.period_id, v.person_id, {unit("v.visit_id", VISIT_IN_TIME)}
FROM seen_visits v
JOIN period_days pd ON pd.day = v.visited_on
{on_short_break("sb", "v.person_id", "v.visited_on")}
WHERE sb.person_id IS NULL"""

VISITS_OVERDUE_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, SEEN_VISITS, """last_visit AS (
    SELECT p.period_id, v.cla_id, MAX(v.visited_on) AS last_on
    FROM seen_visits v JOIN periods p ON v.visited_on <= p.period_end
    GROUP BY p.period_id, v.cla_id)""") + f"""
SELECT la.period_id, la.person_id, {unit("la.cla_id")}
FROM looked_after la
LEFT JOIN last_visit lv ON lv.period_id = la.period_id AND lv.cla_id = la.cla_id
WHERE (lv.last_on IS NULL AND DATE_DIFF('day', la.entered, la.period_end) > {_WEEK})
   OR (lv.last_on < CAST(la.entered + INTERVAL 1 YEAR AS DATE)
       AND DATE_DIFF('day', lv.last_on, la.period_end) > {_SIX_WEEKS})
   OR (lv.last_on >= CAST(la.entered + INTERVAL 1 YEAR AS DATE)
       AND la.period_end > CAST(lv.last_on + INTERVAL {_QUARTER} MONTH AS DATE))"""

# A permanence plan is a row of ssd_cla_care_plan (the projection writes one per
# PermanencePlan, dated the day it was decided); the SSD ties it to the child, not to the
# period of care, so it counts for the period of care in which it was decided.
PLANS = """plans AS (
    SELECT lacp_person_id AS person_id,
           CAST(lacp_cla_care_plan_start_date AS DATE) AS decided,
           CAST(lacp_cla_care_plan_end_date AS DATE) AS plan_end
    FROM ssd_cla_care_plan
    WHERE lacp_cla_care_plan_start_date IS NOT NULL)"""

PLAN_BY_SECOND_REVIEW_SQL = with_ctes(CARE, SHORT_BREAKS, HELD_REVIEWS, PLANS) + f"""
SELECT pd.period_id, h.person_id,
       {unit("h.cla_id", "MAX(CASE WHEN pl.person_id IS NULL THEN 0 ELSE 1 END)")}
FROM held h
JOIN period_days pd ON h.n = {PERMANENCE_PLAN_BY_REVIEW} AND pd.day = h.held_on
{on_short_break("sb", "h.person_id", "h.held_on")}
LEFT JOIN plans pl ON pl.person_id = h.person_id
    AND pl.decided BETWEEN h.entered AND h.held_on
WHERE sb.person_id IS NULL
GROUP BY pd.period_id, h.person_id, h.cla_id"""

_WITH_PLAN = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, PLANS, """with_plan AS (
    SELECT la.period_id, la.person_id, la.cla_id,
           MAX(CASE WHEN pl.person_id IS NULL THEN 0 ELSE 1 END) AS has_plan
    FROM looked_after la
    LEFT JOIN plans pl ON pl.person_id = la.person_id
        AND pl.decided BETWEEN la.entered AND la.period_end
        AND (pl.plan_end IS NULL OR pl.plan_end > la.period_end)
    GROUP BY la.period_id, la.person_id, la.cla_id)""")
WITH_PLAN_ROWS = _WITH_PLAN + """
SELECT period_id, person_id, cla_id AS subject_id, has_plan FROM with_plan"""
WITH_PLAN_PERCENT = Measure(WITH_PLAN_ROWS, "has_plan")
WITH_PLAN_COUNT = Measure(WITH_PLAN_ROWS, keep="has_plan = 1")

_REG_33 = "Care Planning, Placement and Case Review (England) Regulations 2010, reg 33"
_REG_28 = "Care Planning, Placement and Case Review (England) Regulations 2010, reg 28"
_SEED_004 = "Seed 004 (Manchester IRO practice): a permanence plan by the second review"

register(
    Indicator(
        id="CLA-REVIEWS-IN-TIME",
        title="Looked-after reviews held within timescale",
        definition="Of the looked-after reviews held in the 12 months to the date (not "
                   "cancelled; not while on a short break), the share held in time: the "
                   "first within 20 working days of becoming looked after (England bank "
                   "holidays), the second within 3 months of the first, each later one "
                   "within 6 months of the one before. Reviews are numbered within their "
                   "period of care, so an extract cut by the SSD's window numbers them "
                   "from the first it holds.",
        source=_REG_33, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="reviews", sql=REVIEWS_IN_TIME_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-REVIEWS-OVERDUE",
        title="Looked-after children whose review is overdue",
        definition="Children looked after at the date (short breaks out) whose next review "
                   "is overdue on the day: no review yet and more than 20 working days since "
                   "they became looked after, or more than 3 months since the first review "
                   "with no second, or more than 6 months since the latest later review.",
        source=_REG_33, unit="count", higher_is_better=False, period="at_date",
        counts="children", sql=REVIEWS_OVERDUE_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-VISITS-IN-TIME",
        title="Social worker visits to looked-after children within timescale",
        definition="Of the visits in the 12 months to the date at which the child was seen "
                   "(not while on a short break), the share in time. Reg 28 simplified: the "
                   "first within 7 days of becoming looked after, then within 6 weeks of the "
                   "visit before while that visit was in the first year of the period of "
                   "care, then within 3 months. The clock runs from the period of care, not "
                   "each placement (a move does not restart it, and the week after a move is "
                   "not tested), and every placement is taken as intended to last to 18.",
        source=_REG_28 + " (simplified)", unit="percent", higher_is_better=True,
        period="rolling_12_months", counts="visits", sql=VISITS_IN_TIME_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-VISITS-OVERDUE",
        title="Looked-after children whose social worker visit is overdue",
        definition="Children looked after at the date (short breaks out) not seen on a "
                   "visit within the simplified reg 28 timescale on the day: no visit and "
                   "more than 7 days in care, or more than 6 weeks since a visit made in the "
                   "first year of care, or more than 3 months since a later visit.",
        source=_REG_28 + " (simplified)", unit="count", higher_is_better=False,
        period="at_date", counts="children", sql=VISITS_OVERDUE_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-PERMANENCE-PLAN-BY-SECOND-REVIEW",
        title="Permanence plan in place by the second looked-after review",
        definition="Of the periods of care whose second review was held in the 12 months to "
                   "the date (short breaks out), the share with a permanence plan "
                   "(ssd_cla_care_plan) decided between the start of care and the second "
                   "review, inclusive.",
        source=_SEED_004, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="periods of care", sql=PLAN_BY_SECOND_REVIEW_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-WITH-PERMANENCE-PLAN",
        title="Looked-after children with a permanence plan",
        definition="Children looked after at the date (short breaks out) with a permanence "
                   "plan in force on the day, decided during this period of care.",
        source="Seed 002 (Getting to Good board): number of children with a clear plan of "
               "permanence", unit="count", higher_is_better=True, period="at_date",
        counts="children", measure=WITH_PLAN_COUNT, breakdowns=LOOKED_AFTER_BREAKDOWNS),
    Indicator(
        id="CLA-WITH-PERMANENCE-PLAN-PCT",
        title="Looked-after children with a permanence plan (%)",
        definition="CLA-WITH-PERMANENCE-PLAN as a share of the children looked after at the "
                   "date (short breaks out).",
        source="Seed 002 (Getting to Good board)", unit="percent", higher_is_better=True,
        period="at_date", counts="children", measure=WITH_PLAN_PERCENT,
        breakdowns=LOOKED_AFTER_BREAKDOWNS),
)
