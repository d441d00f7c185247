"""The front door: contacts, referrals, re-referrals, NFA, assessments and early help.

Counting rules follow DfE's Children in need statistics (tables C1 and C2) as set out in
reference/indicators.md §1, plus seed 002's proxy indicators ("Referrals to Children's Social
Care per 10k", "Number of Early Help Assessments").

Choices shared by these indicators (said once here, repeated in each definition):

- Every referral row counts, as the CIN census counts referrals, not children: a child
  referred twice on one day is two referrals (the second, by id, is a re-referral).
- "Within 12 months": the previous referral is on or after the same date a year before
  (a referral on 29 February 2024 looks back to 28 February 2023).
- Working days are England's (weekdays that are not bank holidays), counted from the day
  after the start: `calendar.wd(end) - calendar.wd(start)`, 0 on the same day.
- An assessment counts as completed on its authorisation date (the CIN census's
  "assessment actual completion date"); one authorised before it started is a recording
  error and is left out of the timeliness and duration figures.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import Benchmark, Indicator, Measure, register
from goldenthread.reference.timescales import ASSESSMENT_WORKING_DAYS

C1 = "DfE Children in need statistics, table C1 (referrals and re-referrals)"
C2 = "DfE Children in need statistics, table C2 (assessments by duration)"
SEED_002 = ("Seed 002 (Manchester Getting to Good Board, January 2018): proxy indicators "
            "and 'what success looks like'")
ONE = "CAST(1 AS DOUBLE)"


def _flag(condition: str) -> str:
    return f"CAST(CASE WHEN {condition} THEN 1 ELSE 0 END AS DOUBLE)"


# Referrals with their dates as dates (an imported extract may carry times) and the date
# of the child's previous referral, however long ago.
_REFERRALS = """referrals AS (
    SELECT r.cine_referral_id AS referral_id, r.cine_person_id AS person_id,
           CAST(r.cine_referral_date AS DATE) AS referral_date,
           r.cine_referral_nfa AS nfa,
           r.cine_referral_team AS team_id, r.cine_referral_worker_id AS worker_id,
           LAG(CAST(r.cine_referral_date AS DATE)) OVER (
               PARTITION BY r.cine_person_id
               ORDER BY r.cine_referral_date, r.cine_referral_id) AS previous_date
    FROM ssd_cin_episodes r
    WHERE r.cine_referral_date IS NOT NULL)"""

ATTRIBUTED = ("team_id", "worker_id")

# Referrals in the period, with each referral's first assessment found "not in need"
# (outcome NFA), by authorisation date: the rows of the four referral measures.
REFERRAL_ROWS = f"""WITH {_REFERRALS},
not_in_need AS (
    SELECT a.cina_referral_id AS referral_id,
           MIN(CAST(a.cina_assessment_auth_date AS DATE)) AS decided_on
    FROM ssd_cin_assessments a
    WHERE a.cina_assessment_outcome_nfa = 'Y' AND a.cina_assessment_auth_date IS NOT NULL
    GROUP BY a.cina_referral_id)
SELECT pd.period_id, p.period_end, r.person_id, r.referral_id AS subject_id, r.team_id,
       r.worker_id, r.referral_date, r.previous_date, r.nfa, n.decided_on
FROM referrals r
JOIN period_days pd ON pd.day = r.referral_date
JOIN periods p ON p.period_id = pd.period_id
LEFT JOIN not_in_need n ON n.referral_id = r.referral_id"""

REFERRALS = Measure(REFERRAL_ROWS, attributed=ATTRIBUTED)
REREFERRALS = Measure(REFERRAL_ROWS, _flag("previous_date >= referral_date - INTERVAL 1 YEAR"),
                      attributed=ATTRIBUTED)
REFERRAL_NFA = Measure(REFERRAL_ROWS, _flag("nfa = 'Y'"), attributed=ATTRIBUTED)
NOT_IN_NEED = Measure(REFERRAL_ROWS, _flag("decided_on <= period_end"), attributed=ATTRIBUTED)

# Assessments authorised in the period, with working days from their start and from their
# referral to the authorisation (worked out once per assessment, before the assessment
# meets its periods: a third cheaper than once per assessment and period).
COMPLETED_ROWS = """WITH assessed AS (
    SELECT a.cina_assessment_id AS subject_id, a.cina_person_id AS person_id,
           a.cina_assessment_outcome_nfa AS nfa, a.cina_assessment_team AS team_id,
           a.cina_assessment_worker_id AS worker_id,
           CAST(a.cina_assessment_auth_date AS DATE) AS authorised_on,
           ca.wd - cs.wd AS from_start, ca.wd - cr.wd AS from_referral
    FROM ssd_cin_assessments a
    JOIN calendar ca ON ca.day = CAST(a.cina_assessment_auth_date AS DATE)
    LEFT JOIN calendar cs ON cs.day = CAST(a.cina_assessment_start_date AS DATE)
    LEFT JOIN ssd_cin_episodes r ON r.cine_referral_id = a.cina_referral_id
    LEFT JOIN calendar cr ON cr.day = CAST(r.cine_referral_date AS DATE))
SELECT pd.period_id, s.subject_id, s.person_id, s.nfa, s.team_id, s.worker_id, s.from_start,
       s.from_referral
FROM assessed s JOIN period_days pd ON pd.day = s.authorised_on"""

NOT_IN_NEED_OF_ASSESSMENTS = Measure(COMPLETED_ROWS, _flag("nfa = 'Y'"), attributed=ATTRIBUTED)
ASSESSMENT_IN_TIME = Measure(COMPLETED_ROWS, _flag(f"from_start <= {ASSESSMENT_WORKING_DAYS}"),
                             keep="from_start >= 0", attributed=ATTRIBUTED)
ASSESSMENT_IN_TIME_FROM_REFERRAL = Measure(
    COMPLETED_ROWS, _flag(f"from_referral <= {ASSESSMENT_WORKING_DAYS}"),
    keep="from_referral >= 0 AND from_start >= 0", attributed=ATTRIBUTED)
ASSESSMENT_MEDIAN = Measure(COMPLETED_ROWS, "CAST(from_start AS DOUBLE)", keep="from_start >= 0",
                            attributed=ATTRIBUTED)

# Whether a contact's outcome (SSD JSON) is a new referral. An outcome that opens with the
# flag, written compactly (as `ssd export` writes it), says so in its first 24 characters;
# any other spelling is parsed as JSON. Parsing every outcome was a third of the cost of
# the contacts' rows.
_NEW_REFERRAL = """CASE WHEN c.cont_contact_outcome_json LIKE '{"NEW_REFERRAL_FLAG":"N"%' THEN 0
    WHEN c.cont_contact_outcome_json LIKE '{"NEW_REFERRAL_FLAG":"Y"%' THEN 1
    WHEN json_extract_string(c.cont_contact_outcome_json, '$.NEW_REFERRAL_FLAG') = 'Y' THEN 1
    ELSE 0 END"""

# Contacts in the period; decided ones (an outcome recorded) and whether the decision was a
# new referral (worked out once per contact, before the contact meets its periods).
CONTACT_ROWS = f"""WITH contacts AS (
    SELECT c.cont_contact_id AS contact_id, c.cont_person_id AS person_id,
           CAST(c.cont_contact_date AS DATE) AS contact_date,
           c.cont_contact_outcome_json IS NOT NULL AS decided,
           CAST({_NEW_REFERRAL} AS DOUBLE) AS to_referral
    FROM ssd_contacts c)
SELECT pd.period_id, c.person_id, c.contact_id AS subject_id, c.decided, c.to_referral
FROM contacts c JOIN period_days pd ON pd.day = c.contact_date"""

CONTACTS = Measure(CONTACT_ROWS)
CONTACTS_TO_REFERRAL = Measure(CONTACT_ROWS, "to_referral", keep="decided")

EARLY_HELP = f"""SELECT pd.period_id, e.earl_person_id AS person_id,
       e.earl_episode_id AS subject_id, {ONE} AS numerator, {ONE} AS denominator,
       e.earl_episode_worker_id AS worker_id
FROM ssd_early_help_episodes e
JOIN period_days pd ON pd.day = CAST(e.earl_episode_start_date AS DATE)"""


def _england(value: float, year: str = "2025", note: str = "") -> Benchmark:
    return Benchmark("England", year, value, note)


def _manchester(value: float, year: str = "2025") -> Benchmark:
    return Benchmark("Manchester", year, value)


DERIVED = "[derived]"
_REFERRAL_WORDS = ("A referral is a request for children's social care services for a child "
                   "not already in an open episode of need; every referral counts, so a "
                   "child referred twice on one day is two referrals")

register(
    Indicator(
        id="FD-CONTACTS", title="Contacts",
        definition="Contacts received in the period (any approach to children's social "
                   "care about a child before a decision whether it is a referral; one "
                   "row per child per contact, as Ofsted's Annex A list 1).",
        source="Ofsted ILACS Annex A list 1 (no DfE national figure)",
        unit="count", higher_is_better=None, period="year_to_31_march", counts="contacts",
        measure=CONTACTS),
    Indicator(
        id="FD-CONTACT-CONVERSION", title="Contacts that became a referral",
        definition="Of the contacts received in the period with a decision recorded, the "
                   "percentage whose decision was a new referral (SSD contact outcome "
                   "NEW_REFERRAL_FLAG). Contacts not yet decided are left out.",
        source="Local measure (reference/indicators.md §1.1); seed 002 asks for 'a high "
               "rate of conversion from referral to social work assessment'",
        unit="percent", higher_is_better=None, period="year_to_31_march", counts="contacts",
        measure=CONTACTS_TO_REFERRAL),
    Indicator(
        id="FD-REFERRALS", title="Referrals",
        definition=f"Referrals with a referral date in the period. {_REFERRAL_WORDS}.",
        source=C1, unit="count", higher_is_better=None, period="year_to_31_march",
        counts="referrals", measure=REFERRALS,
        benchmarks=(_england(632_830), _manchester(6_342))),
    Indicator(
        id="FD-REFERRAL-RATE", title="Referrals per 10,000 children",
        definition=f"Referrals with a referral date in the period per 10,000 children aged "
                   f"0-17 (ONS mid-year estimate before the period's end). "
                   f"{_REFERRAL_WORDS}.",
        source=f"{C1}; {SEED_002} ('Referrals to Children's Social Care per 10k')",
        unit="rate_per_10k", higher_is_better=None, period="year_to_31_march",
        counts="referrals", measure=REFERRALS, dfe_rounding=True, needs=("gtx_population",),
        benchmarks=(_england(519.4, note=DERIVED), _england(515.7, "2024"),
                    _england(538.1, "2023"), _manchester(481.1), _manchester(499.2, "2024"),
                    Benchmark("SN25 median", "2025", 566.3),
                    Benchmark("SN25 mean", "2025", 614.6),
                    Benchmark("SN21 mean", "2025", 585.2))),
    Indicator(
        id="FD-REREFERRALS", title="Re-referrals within 12 months",
        definition="Of the referrals in the period, the percentage where the child's "
                   "previous referral (however long before the period) was on or after the "
                   "same date a year earlier. A second referral on the same day is a "
                   "re-referral.",
        source=C1, unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="referrals", measure=REREFERRALS, dfe_rounding=True,
        benchmarks=(_england(22.6), _england(22.4, "2024"), _manchester(18.4),
                    _manchester(18.7, "2024"), Benchmark("SN25 median", "2025", 21.9),
                    Benchmark("SN25 mean", "2025", 21.9),
                    Benchmark("SN21 mean", "2025", 22.4)),
        target=22.6, target_source="Seed 002: re-referrals sustained lower than the national "
                                   "average (England 2025: 22.6%)"),
    Indicator(
        id="FD-REFERRAL-NFA", title="Referrals resulting in no further action",
        definition="Of the referrals in the period, the percentage closed with no further "
                   "action and no assessment (SSD cine_referral_nfa = 'Y').",
        source=C1, unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="referrals", measure=REFERRAL_NFA, dfe_rounding=True,
        benchmarks=(_england(6.5), _england(6.3, "2024"), _manchester(6.3),
                    Benchmark("SN25 mean", "2025", 7.5), Benchmark("SN21 mean", "2025", 7.3))),
    Indicator(
        id="FD-NOT-IN-NEED", title="Referrals assessed as not in need",
        definition="Of the referrals in the period, the percentage with an assessment whose "
                   "outcome was 'not in need' (no further action), authorised by the end of "
                   "the period.",
        source=C1, unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="referrals", measure=NOT_IN_NEED, dfe_rounding=True,
        benchmarks=(_england(30.8), _england(30.3, "2024"), _manchester(10.2),
                    _manchester(12.6, "2024"), Benchmark("SN25 mean", "2025", 29.3),
                    Benchmark("SN21 mean", "2025", 27.0))),
    Indicator(
        id="FD-NOT-IN-NEED-OF-ASSESSMENTS", title="Assessments ending not in need",
        definition="Of the assessments authorised in the period, the percentage whose "
                   "outcome was 'not in need' (no further action).",
        source=f"{C1} and C2 (194,620 of 648,830 in 2025); {SEED_002}: 'the number of Social "
               "Work Assessments that result in NFA will reduce from 40% to 20%'",
        unit="percent", higher_is_better=False, period="year_to_31_march",
        counts="assessments", measure=NOT_IN_NEED_OF_ASSESSMENTS, dfe_rounding=True,
        benchmarks=(_england(30.0, note=DERIVED),),
        target=20.0, target_source="Seed 002: assessments resulting in NFA down to 20%"),
    Indicator(
        id="FD-ASSESSMENT-45WD", title="Assessments completed within 45 working days",
        definition=f"Of the assessments authorised in the period, the percentage authorised "
                   f"within {ASSESSMENT_WORKING_DAYS} working days of their start (DfE's "
                   "measure: start date to authorisation date, England's bank holidays "
                   "excluded).",
        source=C2, unit="percent", higher_is_better=True, period="year_to_31_march",
        counts="assessments", measure=ASSESSMENT_IN_TIME, dfe_rounding=True,
        benchmarks=(_england(85.7, note=DERIVED), Benchmark("North West", "2025", 81.9,
                                                            DERIVED))),
    Indicator(
        id="FD-ASSESSMENT-45WD-FROM-REFERRAL",
        title="Assessments completed within 45 working days of the referral",
        definition=f"Of the assessments authorised in the period, the percentage authorised "
                   f"within {ASSESSMENT_WORKING_DAYS} working days of the referral (Working "
                   "Together's timescale runs from the referral; DfE's from the assessment's "
                   "start, FD-ASSESSMENT-45WD).",
        source="Working Together to Safeguard Children 2023 (no DfE national figure)",
        unit="percent", higher_is_better=True, period="year_to_31_march",
        counts="assessments", measure=ASSESSMENT_IN_TIME_FROM_REFERRAL),
    Indicator(
        id="FD-ASSESSMENT-MEDIAN-WD", title="Median assessment duration in working days",
        definition="The median, over assessments authorised in the period, of the working "
                   "days from the assessment's start to its authorisation.",
        source=C2, unit="median", higher_is_better=False, period="year_to_31_march",
        counts="assessments", measure=ASSESSMENT_MEDIAN, decimals=1,
        benchmarks=(_england(33),)),
    Indicator(
        id="FD-EARLY-HELP-ASSESSMENTS", title="Early help assessments",
        definition="Early help episodes starting in the period: each begins with an early "
                   "help assessment (the SSD keeps the episode, not the assessment's "
                   "completion date, so this counts assessments started).",
        source=f"{SEED_002} ('Number of Early Help Assessments'); Ofsted Annex A list 2",
        unit="count", higher_is_better=True, period="year_to_31_march",
        counts="early help episodes", sql=EARLY_HELP),
)
