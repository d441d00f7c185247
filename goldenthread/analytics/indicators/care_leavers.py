"""Care leavers: in touch, in education, employment or training, and in suitable
accommodation, aged 17-18 and 19-21 (SSDA903 OC3; reference/indicators.md §6).

What the SSD supports, and so what these count. `ssd_care_leavers` keeps one row per
young person: their latest care-leaver status (eligibility) and their latest contact
(in touch, activity, accommodation and its suitability). So:

- the cohort is the young people whose status is relevant or former relevant (they have
  left care; an eligible child is still looked after and a qualifying care leaver is not
  in DfE's count), aged 17-18 or 19-21 on the date;
- DfE takes what was known around each birthday; the SSD holds only the latest contact,
  so a young person counts as in touch, in EET or suitably housed when that contact was
  made on or after the first day of the 12 months to the date and says so. A young person
  whose latest contact is older is "not known" and counts in the denominator only;
- the SSD keeps no history, so a contact made after the date stands in for the one made
  before it: exact for an extract taken at the date, and what lets a year-end figure be
  run from an extract taken weeks after 31 March (contacts made in April count, as DfE's
  return made in the summer would); for dates further back it is only an approximation.

Each row carries the young person's allocated team and personal adviser, from the SSD.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import CHILD_BREAKDOWNS, Benchmark, Indicator, register
from goldenthread.analytics.indicators.looked_after import unit, with_ctes

OC3 = "DfE Children looked after in England, care leavers (SSDA903 OC3)"
# 903 ACTIV codes for education, employment or training, full and part time (F3/P3 until
# 2021, then F4/P4 apprenticeships and F5/P5 other training or employment); G4-G6 are NEET.
EET_ACTIVITIES = "('F1', 'P1', 'F2', 'P2', 'F3', 'P3', 'F4', 'P4', 'F5', 'P5')"

LEAVERS = """leavers AS (
    SELECT p.period_id, cl.clea_person_id AS person_id, cl.clea_table_id AS leaver_id,
           cl.clea_care_leaver_allocated_team AS team_id,
           cl.clea_care_leaver_personal_advisor AS worker_id,
           CAST(pe.pers_dob AS DATE) AS dob,
           CASE WHEN CAST(cl.clea_care_leaver_latest_contact AS DATE) >= p.period_start
                THEN 1 ELSE 0 END AS recent,
           UPPER(cl.clea_care_leaver_in_touch) AS in_touch,
           UPPER(cl.clea_care_leaver_activity) AS activity,
           cl.clea_care_leaver_accom_suitable AS suitable,
           p.period_end
    FROM ssd_care_leavers cl
    JOIN ssd_person pe ON pe.pers_person_id = cl.clea_person_id
    CROSS JOIN periods p
    WHERE UPPER(REPLACE(cl.clea_care_leaver_eligibility, ' ', '_'))
          IN ('RELEVANT', 'FORMER_RELEVANT'))"""


def _sql(youngest: int, oldest: int, counted: str) -> str:
    """One row per care leaver aged `youngest` to `oldest` at the date; numerator 1 when
    their latest contact, made since the 12 months began, shows `counted`."""
    return with_ctes(LEAVERS) + f"""
SELECT period_id, person_id,
       {unit("leaver_id", f"CASE WHEN recent = 1 AND {counted} THEN 1 ELSE 0 END")},
       team_id, worker_id
FROM leavers
WHERE CAST(dob + INTERVAL {youngest} YEAR AS DATE) <= period_end
  AND CAST(dob + INTERVAL {oldest + 1} YEAR AS DATE) > period_end"""


IN_TOUCH = "in_touch = 'YES'"
IN_EET = f"activity IN {EET_ACTIVITIES}"
SUITABLE = "suitable = 'Y'"

_COHORT = "care leavers (relevant or former relevant) aged {ages} at the date"
_RECENT = ("as their latest contact records, when it was made on or after the first day of "
           "the 12 months to the date (an older one is 'not known'). The SSD keeps only the "
           "latest contact, so for a past date a later contact stands in for the one then")


def _leavers(ages: str, youngest: int, oldest: int,
             benchmarks: dict[str, tuple[Benchmark, ...]]) -> tuple[Indicator, ...]:
    cohort = _COHORT.format(ages=ages)
    return (
        Indicator(
            id=f"CL-{ages}-IN-TOUCH", title=f"Care leavers aged {ages} in touch",
            definition=f"Of the {cohort}, the share the council is in touch with (YES), "
                       f"{_RECENT}.",
            source=OC3, unit="percent", higher_is_better=True, period="at_date",
            counts="young people", sql=_sql(youngest, oldest, IN_TOUCH),
            breakdowns=CHILD_BREAKDOWNS, benchmarks=benchmarks["touch"], dfe_rounding=True,
            decimals=0),
        Indicator(
            id=f"CL-{ages}-EET", title=f"Care leavers aged {ages} in education, employment "
                                      "or training",
            definition=f"Of the {cohort}, the share in education, employment or training "
                       f"(903 activity F1-F5, P1-P5) {_RECENT}.",
            source=OC3, unit="percent", higher_is_better=True, period="at_date",
            counts="young people", sql=_sql(youngest, oldest, IN_EET),
            breakdowns=CHILD_BREAKDOWNS, benchmarks=benchmarks["eet"], dfe_rounding=True,
            decimals=0),
        Indicator(
            id=f"CL-{ages}-SUITABLE-ACCOMMODATION",
            title=f"Care leavers aged {ages} in suitable accommodation",
            definition=f"Of the {cohort}, the share whose accommodation is suitable (903 "
                       f"accommodation code ending 1) {_RECENT}.",
            source=OC3, unit="percent", higher_is_better=True, period="at_date",
            counts="young people", sql=_sql(youngest, oldest, SUITABLE),
            breakdowns=CHILD_BREAKDOWNS, benchmarks=benchmarks["accommodation"],
            dfe_rounding=True, decimals=0),
    )


def _published(year: str, *values: float) -> tuple[Benchmark, ...]:
    """England, Manchester, SN25 mean, SN21 mean, in that order, as far as published."""
    labels = ("England", "Manchester", "SN25 mean", "SN21 mean")
    return tuple(Benchmark(name, year, value) for name, value in zip(labels, values,
                                                                      strict=False))


register(
    *_leavers("17-18", 17, 18, {
        "touch": (),
        "eet": _published("2025", 64, 73, 61.3, 63.5),
        "accommodation": _published("2025", 91, 89, 92.4),
    }),
    *_leavers("19-21", 19, 21, {
        "touch": (Benchmark("England", "2021", 91, note="CYP Now summary of DfE 2020-21"),),
        "eet": _published("2025", 54, 60, 53.3, 56.3),
        "accommodation": _published("2025", 89, 89, 88.7),
    }),
)
