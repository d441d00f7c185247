"""Health of looked-after children: the SSDA903 OC2 measures (reference/indicators.md §4.7).

The OC2 cohort: children looked after at the date (not on a short break, V3/V4) whose
period of care had begun by the first day of the 12 months to it, so they were looked after
continuously throughout them (at 31 March: since 1 April the year before or earlier).
A check counts when it was completed (`clah_health_check_status` 'Y') within the 12 months;
check types are goldenthread's HEALTH_CHECK_TYPE codes (HEALTH_ASSESSMENT, DENTAL,
IMMUNISATION), so an imported extract with its own type names finds none.

Not here: development assessments for children under 5. Neither the records nor the SSD
hold them apart from health assessments (HEALTH_CHECK_TYPE has no such code), and counting
health assessments instead would report something else under DfE's name.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import (
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
    unit,
    with_ctes,
)

OC2 = "DfE Children looked after in England, outcomes (SSDA903 OC2)"

COHORT = """cohort AS (
    SELECT la.period_id, la.period_start, la.period_end, la.person_id, la.cla_id,
           CAST(pe.pers_dob AS DATE) AS dob
    FROM looked_after la
    LEFT JOIN ssd_person pe ON pe.pers_person_id = la.person_id
    WHERE la.entered <= la.period_start)"""

_COHORT = (CARE, SHORT_BREAKS, LOOKED_AFTER, COHORT)


def _checked(check_type: str) -> str:
    """One row per cohort child: 1 if a completed check of the type fell in the 12 months."""
    return with_ctes(*_COHORT) + f"""
SELECT c.period_id, c.person_id,
       {unit("c.cla_id", "MAX(CASE WHEN h.clah_person_id IS NULL THEN 0 ELSE 1 END)")}
FROM cohort c
LEFT JOIN ssd_cla_health h ON h.clah_person_id = c.person_id
    AND UPPER(h.clah_health_check_type) = '{check_type}'
    AND h.clah_health_check_status = 'Y'
    AND CAST(h.clah_health_check_date AS DATE) BETWEEN c.period_start AND c.period_end
GROUP BY c.period_id, c.person_id, c.cla_id"""


# Immunisations: the SSD keeps one status per child, the latest (ssd_cla_immunisations);
# it counts when it is 'Y' and dated on or after the first day of the 12 months (a status
# recorded after the date stands in for the one held then: the SSD keeps no history). A
# completed IMMUNISATION check in the 12 months counts too.
IMMUNISATIONS_SQL = with_ctes(*_COHORT) + f"""
SELECT c.period_id, c.person_id,
       {unit("c.cla_id", '''MAX(CASE WHEN h.clah_person_id IS NOT NULL
                                   OR i.clai_person_id IS NOT NULL THEN 1 ELSE 0 END)''')}
FROM cohort c
LEFT JOIN ssd_cla_immunisations i ON i.clai_person_id = c.person_id
    AND i.clai_immunisations_status = 'Y'
    AND CAST(i.clai_immunisations_status_date AS DATE) >= c.period_start
LEFT JOIN ssd_cla_health h ON h.clah_person_id = c.person_id
    AND UPPER(h.clah_health_check_type) = 'IMMUNISATION'
    AND h.clah_health_check_status = 'Y'
    AND CAST(h.clah_health_check_date AS DATE) BETWEEN c.period_start AND c.period_end
GROUP BY c.period_id, c.person_id, c.cla_id"""

# SDQ: cohort children aged 5 to 16 at the date, with the latest SDQ score in the 12 months.
SDQ = """sdq_cohort AS (
    SELECT * FROM cohort
    WHERE CAST(dob + INTERVAL 5 YEAR AS DATE) <= period_end
      AND CAST(dob + INTERVAL 17 YEAR AS DATE) > period_end),
scores AS (
    SELECT c.period_id, c.person_id, c.cla_id, s.csdq_table_id AS sdq_id,
           s.csdq_sdq_score AS score,
           ROW_NUMBER() OVER (PARTITION BY c.period_id, c.person_id
                              ORDER BY s.csdq_sdq_completed_date DESC, s.csdq_table_id DESC) AS n
    FROM sdq_cohort c
    JOIN ssd_sdq_scores s ON s.csdq_person_id = c.person_id
        AND s.csdq_sdq_score IS NOT NULL
        AND CAST(s.csdq_sdq_completed_date AS DATE) BETWEEN c.period_start AND c.period_end),
latest AS (SELECT * FROM scores WHERE n = 1)"""

LATEST_ROWS = with_ctes(*_COHORT, SDQ) + """
SELECT period_id, person_id, sdq_id AS subject_id, score FROM latest"""
SDQ_AVERAGE = Measure(LATEST_ROWS, "score")
SDQ_CONCERN = Measure(LATEST_ROWS, "CASE WHEN score >= 17 THEN 1 ELSE 0 END")

SDQ_RECEIVED_SQL = with_ctes(*_COHORT, SDQ) + f"""
SELECT c.period_id, c.person_id,
       {unit("c.cla_id", "CASE WHEN l.person_id IS NULL THEN 0 ELSE 1 END")}
FROM sdq_cohort c
LEFT JOIN latest l ON l.period_id = c.period_id AND l.person_id = c.person_id"""


_COHORT_WORDS = ("children looked after continuously for the 12 months to the date (short "
                 "breaks out)")

register(
    Indicator(
        id="HEALTH-ASSESSMENT",
        title="Looked-after children with an annual health assessment",
        definition=f"Of the {_COHORT_WORDS}, the share with a health assessment completed "
                   "within the 12 months.",
        source=OC2, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="children", sql=_checked("HEALTH_ASSESSMENT"),
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 90), Benchmark("Manchester", "2025", 88),
                    Benchmark("SN25 mean", "2025", 91.3), Benchmark("SN21 mean", "2025", 88.0)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="HEALTH-DENTAL",
        title="Looked-after children whose teeth were checked by a dentist",
        definition=f"Of the {_COHORT_WORDS}, the share with a dental check completed within "
                   "the 12 months.",
        source=OC2, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="children", sql=_checked("DENTAL"), breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 81), Benchmark("Manchester", "2025", 88),
                    Benchmark("SN25 mean", "2025", 81.6), Benchmark("SN21 mean", "2025", 79.9)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="HEALTH-IMMUNISATIONS",
        title="Looked-after children with immunisations up to date",
        definition=f"Of the {_COHORT_WORDS}, the share recorded as up to date: the child's "
                   "immunisation status is 'Y' and was recorded on or after the first day of "
                   "the 12 months, or a completed IMMUNISATION check fell in them. The SSD "
                   "keeps only the latest status, so for a past date a later status stands "
                   "in for the one held then.",
        source=OC2, unit="percent", higher_is_better=True, period="rolling_12_months",
        counts="children", sql=IMMUNISATIONS_SQL, breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 84), Benchmark("Manchester", "2025", 97)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="HEALTH-SDQ-AVERAGE",
        title="Average SDQ score of looked-after children",
        definition=f"Of the {_COHORT_WORDS}, aged 5 to 16 at the date, those with a "
                   "Strengths and Difficulties Questionnaire score in the 12 months: the "
                   "mean of each child's latest score (0-40; higher is more difficulty).",
        source=OC2 + " (SDQ)", unit="mean", higher_is_better=False,
        period="rolling_12_months", counts="children", measure=SDQ_AVERAGE,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 14.9), Benchmark("Manchester", "2025", 12.9),
                    Benchmark("SN25 mean", "2025", 14.4), Benchmark("SN21 mean", "2025", 15.0)),
        dfe_rounding=True),
    Indicator(
        id="HEALTH-SDQ-RECEIVED",
        title="Looked-after children with an SDQ score",
        definition=f"Of the {_COHORT_WORDS}, aged 5 to 16 at the date, the share with an "
                   "SDQ score in the 12 months (a form returned with a reason for no score, "
                   "SDQ1-SDQ5, is not a score).",
        source=OC2 + " (SDQ)", unit="percent", higher_is_better=True,
        period="rolling_12_months", counts="children", sql=SDQ_RECEIVED_SQL,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 78), Benchmark("Manchester", "2025", 71)),
        dfe_rounding=True, decimals=0),
    Indicator(
        id="HEALTH-SDQ-CONCERN",
        title="Looked-after children whose SDQ score is a cause for concern",
        definition="Of the children counted in HEALTH-SDQ-AVERAGE, the share whose latest "
                   "score is 17 or more (cause for concern; 14-16 borderline, 0-13 normal).",
        source=OC2 + " (SDQ)", unit="percent", higher_is_better=False,
        period="rolling_12_months", counts="children", measure=SDQ_CONCERN,
        breakdowns=LOOKED_AFTER_BREAKDOWNS,
        benchmarks=(Benchmark("England", "2025", 42), Benchmark("Manchester", "2025", 31)),
        dfe_rounding=True, decimals=0),
)
