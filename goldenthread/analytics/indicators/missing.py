"""Missing from home and care (SSDA903 Missing; reference/indicators.md §4.5; seed 000).

A missing incident is a row of ssd_missing of type M (missing: whereabouts unknown);
type A (away from placement without authorisation: whereabouts known) is DfE's separate
count, not a missing incident. Imported extracts that spell the type out ("Missing",
"Away") are read by its first letter. An incident belongs to the day it started.

Two populations, as the seeds ask: all children (seed 000's "300-400 reported incidents a
month of a child going missing from home or care"; under 18 when the incident began), and
children looked after (DfE's figures: the incident began on a day the child was looked
after and not on a short break).

Return home interviews: the SSD holds only whether one was offered and accepted
(`miss_missing_rhi_offered`, `miss_missing_rhi_accepted`), not when, so the 72-hour
timescale cannot be tested from an SSD store; these indicators count offers, whenever made.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import (
    CHILD_BREAKDOWNS,
    LOOKED_AFTER_BREAKDOWNS,
    Benchmark,
    Indicator,
    Measure,
    register,
)
from goldenthread.analytics.indicators.looked_after import (
    CARE,
    LOOKED_AFTER,
    SHORT_BREAKS,
    on_short_break,
    unit,
    with_ctes,
)

# Every missing incident of a child (under 18 when it began, or of unknown age).
INCIDENTS = """incidents AS (
    SELECT m.miss_table_id AS incident_id, m.miss_person_id AS person_id,
           CAST(m.miss_missing_episode_start_date AS DATE) AS started_on,
           CAST(m.miss_missing_episode_end_date AS DATE) AS returned_on,
           m.miss_missing_rhi_offered AS rhi_offered,
           m.miss_missing_rhi_accepted AS rhi_accepted
    FROM ssd_missing m
    LEFT JOIN ssd_person pe ON pe.pers_person_id = m.miss_person_id
    WHERE UPPER(SUBSTRING(m.miss_missing_episode_type, 1, 1)) = 'M'
      AND (pe.pers_dob IS NULL
           OR CAST(pe.pers_dob + INTERVAL 18 YEAR AS DATE)
              > CAST(m.miss_missing_episode_start_date AS DATE)))"""

# Incidents that began while the child was looked after (not on a short break).
CLA_INCIDENTS = f"""cla_incidents AS (
    SELECT i.*, c.cla_id
    FROM incidents i
    JOIN care c ON c.person_id = i.person_id AND c.entered <= i.started_on
        AND (c.ceased IS NULL OR c.ceased > i.started_on)
    {on_short_break("sb", "i.person_id", "i.started_on")}
    WHERE sb.person_id IS NULL)"""

# Children looked after on at least one day of the period, leaving out a child whose only
# legal statuses in the period were short breaks.
LOOKED_AFTER_IN_PERIOD = """cla_in_period AS (
    SELECT p.period_id, c.person_id, MIN(c.cla_id) AS cla_id
    FROM care c
    JOIN periods p ON c.entered <= p.period_end
        AND (c.ceased IS NULL OR c.ceased > p.period_start)
    GROUP BY p.period_id, c.person_id),
short_breaks_only AS (
    SELECT p.period_id, l.lega_person_id AS person_id
    FROM ssd_legal_status l
    JOIN periods p ON CAST(l.lega_legal_status_start_date AS DATE) <= p.period_end
        AND (l.lega_legal_status_end_date IS NULL
             OR CAST(l.lega_legal_status_end_date AS DATE) > p.period_start)
    GROUP BY p.period_id, l.lega_person_id
    HAVING MIN(CASE WHEN l.lega_legal_status IN ('V3', 'V4') THEN 1 ELSE 0 END) = 1)"""

_IN_PERIOD = "JOIN period_days pd ON pd.day = i.started_on"

INCIDENTS_SQL = with_ctes(INCIDENTS) + f"""
SELECT pd.period_id, i.person_id, {unit("i.incident_id")}
FROM incidents i {_IN_PERIOD}"""

WENT_MISSING_SQL = with_ctes(INCIDENTS) + f"""
SELECT pd.period_id, i.person_id, {unit("MIN(i.incident_id)")}
FROM incidents i {_IN_PERIOD}
GROUP BY pd.period_id, i.person_id"""

PER_CHILD_SQL = with_ctes(INCIDENTS) + f"""
SELECT pd.period_id, i.person_id, {unit("MIN(i.incident_id)", "COUNT(*)")}
FROM incidents i {_IN_PERIOD}
GROUP BY pd.period_id, i.person_id"""

CLA_INCIDENTS_SQL = with_ctes(CARE, SHORT_BREAKS, INCIDENTS, CLA_INCIDENTS) + f"""
SELECT pd.period_id, i.person_id, {unit("i.incident_id")}
FROM cla_incidents i {_IN_PERIOD}"""

CLA_WENT_MISSING_SQL = with_ctes(CARE, SHORT_BREAKS, INCIDENTS, CLA_INCIDENTS,
                                 LOOKED_AFTER_IN_PERIOD, f"""went_missing AS (
    SELECT pd.period_id, i.person_id, COUNT(*) AS n
    FROM cla_incidents i {_IN_PERIOD}
    GROUP BY pd.period_id, i.person_id)""") + f"""
SELECT c.period_id, c.person_id,
       {unit("c.cla_id", "CASE WHEN w.n > 0 THEN 1 ELSE 0 END")}
FROM cla_in_period c
LEFT JOIN short_breaks_only s ON s.period_id = c.period_id AND s.person_id = c.person_id
LEFT JOIN went_missing w ON w.period_id = c.period_id AND w.person_id = c.person_id
WHERE s.person_id IS NULL"""

CLA_PER_CHILD_SQL = with_ctes(CARE, SHORT_BREAKS, INCIDENTS, CLA_INCIDENTS) + f"""
SELECT pd.period_id, i.person_id, {unit("MIN(i.cla_id)", "COUNT(*)")}
FROM cla_incidents i {_IN_PERIOD}
GROUP BY pd.period_id, i.person_id"""

# Missing at the date: the incident began on or before it and the child had not come
# back by the end of that day.
_MISSING_ON_END = """i.started_on <= p.period_end
    AND (i.returned_on IS NULL OR i.returned_on > p.period_end)"""

MISSING_AT_DATE_SQL = with_ctes(INCIDENTS) + f"""
SELECT p.period_id, i.person_id, {unit("MIN(i.incident_id)")}
FROM incidents i
JOIN periods p ON {_MISSING_ON_END}
LEFT JOIN ssd_person pe ON pe.pers_person_id = i.person_id
WHERE pe.pers_dob IS NULL OR CAST(pe.pers_dob + INTERVAL 18 YEAR AS DATE) > p.period_end
GROUP BY p.period_id, i.person_id"""

CLA_MISSING_AT_DATE_SQL = with_ctes(CARE, SHORT_BREAKS, LOOKED_AFTER, INCIDENTS) + f"""
SELECT la.period_id, la.person_id, {unit("la.cla_id")}
FROM looked_after la
JOIN periods p ON p.period_id = la.period_id
JOIN incidents i ON i.person_id = la.person_id AND {_MISSING_ON_END}
GROUP BY la.period_id, la.person_id, la.cla_id"""

# Return home interviews: per incident that ended (the child came back) in the period.
RETURNED_ROWS = with_ctes(INCIDENTS) + """
SELECT pd.period_id, i.person_id, i.incident_id AS subject_id, i.rhi_offered, i.rhi_accepted
FROM incidents i JOIN period_days pd ON pd.day = i.returned_on"""
RHI_OFFERED = Measure(RETURNED_ROWS, "CASE WHEN rhi_offered = 'Y' THEN 1 ELSE 0 END")
RHI_ACCEPTED = Measure(RETURNED_ROWS, "CASE WHEN rhi_accepted = 'Y' THEN 1 ELSE 0 END",
                       keep="rhi_offered = 'Y'")

_CLA_MISSING = "DfE Children looked after in England, missing from care (SSDA903 Missing)"
_SEED_000 = "Seed 000 (Manchester, 2015-16): missing incidents from home or care"
_RHI = ("Statutory guidance on children who run away or go missing from home or care (2014); "
        "Ofsted Annex A List 8 (RHI offered, accepted)")

register(
    Indicator(
        id="MISSING-INCIDENTS",
        title="Missing incidents (all children)",
        definition="Missing incidents (type M) that began in the year, of children under 18 "
                   "when they began, whether missing from home or from care; away without "
                   "authorisation (type A) is not counted.",
        source=_SEED_000, unit="count", higher_is_better=False, period="year_to_31_march",
        counts="incidents", sql=INCIDENTS_SQL, breakdowns=CHILD_BREAKDOWNS),
    Indicator(
        id="MISSING-CHILDREN",
        title="Children who went missing (all children)",
        definition="Children with at least one missing incident (type M) that began in the "
                   "year while they were under 18, from home or from care.",
        source=_SEED_000, unit="count", higher_is_better=False, period="year_to_31_march",
        counts="children", sql=WENT_MISSING_SQL, breakdowns=CHILD_BREAKDOWNS),
    Indicator(
        id="MISSING-INCIDENTS-PER-CHILD",
        title="Missing incidents per child who went missing (all children)",
        definition="Missing incidents (type M) of children under 18 that began in the 12 "
                   "months to the date, from home or from care, divided by the children they "
                   "happened to: how often children go missing again (seed 000).",
        source=_SEED_000, unit="ratio", higher_is_better=False, period="rolling_12_months",
        counts="children", sql=PER_CHILD_SQL, breakdowns=CHILD_BREAKDOWNS),
    Indicator(
        id="MISSING-CLA-INCIDENTS",
        title="Missing incidents of looked-after children",
        definition="Missing incidents (type M) that began in the year on a day the child "
                   "was looked after (not on a short break, V3/V4).",
        source=_CLA_MISSING, unit="count", higher_is_better=False,
        period="year_to_31_march", counts="incidents", sql=CLA_INCIDENTS_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 86_900),), dfe_rounding=True),
    Indicator(
        id="MISSING-CLA-CHILDREN-PCT",
        title="Looked-after children who went missing (%)",
        definition="Of the children looked after at any time in the 12 months to the date "
                   "(leaving out those only ever on short breaks in that time), the share "
                   "with at least one missing incident that began while looked after.",
        source=_CLA_MISSING, unit="percent", higher_is_better=False,
        period="rolling_12_months", counts="children", sql=CLA_WENT_MISSING_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 11, note="[derived]"),), dfe_rounding=True,
        decimals=0),
    Indicator(
        id="MISSING-CLA-INCIDENTS-PER-CHILD",
        title="Missing incidents per looked-after child who went missing",
        definition="Missing incidents that began while looked after in the 12 months to the "
                   "date, divided by the children they happened to.",
        source=_CLA_MISSING, unit="ratio", higher_is_better=False,
        period="rolling_12_months", counts="children", sql=CLA_PER_CHILD_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 6.8),), dfe_rounding=True),
    Indicator(
        id="MISSING-AT-DATE",
        title="Children missing at the date (all children)",
        definition="Children under 18 with a missing incident (type M) that began on or "
                   "before the date and had not ended by the end of that day.",
        source=_SEED_000, unit="count", higher_is_better=False, period="at_date",
        counts="children", sql=MISSING_AT_DATE_SQL, breakdowns=CHILD_BREAKDOWNS),
    Indicator(
        id="MISSING-CLA-AT-DATE",
        title="Looked-after children missing at the date",
        definition="Children looked after at the date (short breaks out) who were missing "
                   "at the end of that day.",
        source=_CLA_MISSING, unit="count", higher_is_better=False, period="at_date",
        counts="children", sql=CLA_MISSING_AT_DATE_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 220),), dfe_rounding=True),
    Indicator(
        id="MISSING-RHI-OFFERED",
        title="Return home interviews offered",
        definition="Of the missing incidents (type M, children under 18) that ended in the "
                   "12 months to the date, the share after which a return home interview "
                   "was offered. The SSD records the offer but not its date, so this is "
                   "not the 72-hour test: an offer made at any time counts.",
        source=_RHI, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="incidents", measure=RHI_OFFERED, breakdowns=CHILD_BREAKDOWNS),
    Indicator(
        id="MISSING-RHI-ACCEPTED",
        title="Return home interviews accepted",
        definition="Of the missing incidents that ended in the 12 months to the date after "
                   "which a return home interview was offered, the share where the child "
                   "accepted it.",
        source=_RHI, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="incidents", measure=RHI_ACCEPTED, breakdowns=CHILD_BREAKDOWNS),
)
