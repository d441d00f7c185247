"""Children in need: the open episodes of need, CIN plans, and assessments ending in no
further action (reference/indicators.md §1.4 and §3.1; seed 002).

An episode of need is a referral (`ssd_cin_episodes`) from its referral date up to the day
before its closure date (the project's [start, end) rule). DfE's count of children in need
leaves out referrals that led to no further action (`cine_referral_nfa = 'Y'`) and episodes
of children assessed and found not to be in need: those closed with reason RC8 ("case closed
after assessment, no further action") or RC9 ("... referred to early help"). A child
awaiting assessment is in need until then; once the episode is closed as not in need it
drops out of every date, as the census, which sees the whole episode, leaves it out.
Children on CIN plans, CP plans, looked after, care leavers supported and disabled children
all have an open episode, so all count; young people of 18 or over with an open episode are
counted too (DfE's oldest age band is "16 and over").

Not declared: CIN visits within timescale. There is no national frequency and the
reference holds no local policy for CIN visits (`reference.timescales` has the CP visit
policy only), so there is nothing to measure them against yet.
"""

from __future__ import annotations

from goldenthread.analytics.catalogue import Benchmark, Indicator, Measure, register

CIN_SOURCE = "DfE Children in need statistics, table B1 (children in need at 31 March)"
NOT_IN_NEED = "('RC8', 'RC9')"  # CIN census reasons for closure after assessment, not in need
ONE = "CAST(1 AS DOUBLE)"
OPEN = "DATE '9999-12-31'"  # the end of an episode or plan still open (a range join, no OR)

IN_NEED = f"""WITH episodes AS (
    SELECT e.cine_referral_id AS referral_id, e.cine_person_id AS person_id,
           CAST(e.cine_referral_date AS DATE) AS start_date,
           COALESCE(CAST(e.cine_close_date AS DATE), {OPEN}) AS open_until
    FROM ssd_cin_episodes e
    WHERE COALESCE(e.cine_referral_nfa, 'N') <> 'Y'
      AND COALESCE(e.cine_close_reason, '') NOT IN {NOT_IN_NEED})
SELECT p.period_id, e.person_id, MIN(e.referral_id) AS subject_id, {ONE} AS numerator,
       {ONE} AS denominator
FROM episodes e
JOIN periods p ON e.start_date <= p.period_end AND e.open_until > p.period_end
GROUP BY p.period_id, e.person_id"""

ON_CIN_PLAN = f"""WITH open_plans AS (
    SELECT p.period_id, c.cinp_person_id AS person_id, c.cinp_cin_plan_id AS plan_id,
           c.cinp_cin_plan_team AS team_id, c.cinp_cin_plan_worker_id AS worker_id,
           ROW_NUMBER() OVER (PARTITION BY p.period_id, c.cinp_person_id
                              ORDER BY c.cinp_cin_plan_start_date DESC, c.cinp_cin_plan_id DESC)
               AS latest
    FROM ssd_cin_plans c
    JOIN periods p ON CAST(c.cinp_cin_plan_start_date AS DATE) <= p.period_end
     AND COALESCE(CAST(c.cinp_cin_plan_end_date AS DATE), {OPEN}) > p.period_end)
SELECT period_id, person_id, plan_id AS subject_id, {ONE} AS numerator, {ONE} AS denominator,
       team_id, worker_id
FROM open_plans WHERE latest = 1"""

# Assessments completed (authorised) in the period; the share marks those ending in no
# further action, the count keeps only those.
COMPLETED_ROWS = """SELECT pd.period_id, a.cina_person_id AS person_id,
       a.cina_assessment_id AS subject_id, a.cina_assessment_outcome_nfa AS nfa,
       a.cina_assessment_team AS team_id, a.cina_assessment_worker_id AS worker_id
FROM ssd_cin_assessments a
JOIN period_days pd ON pd.day = CAST(a.cina_assessment_auth_date AS DATE)"""

_ATTRIBUTED = ("team_id", "worker_id")
ASSESSMENTS_NFA_SHARE = Measure(COMPLETED_ROWS, "CASE WHEN nfa = 'Y' THEN 1 ELSE 0 END",
                                attributed=_ATTRIBUTED)
ASSESSMENTS_NFA = Measure(COMPLETED_ROWS, keep="nfa = 'Y'", attributed=_ATTRIBUTED)

_EPISODE = ("Children with an open episode of need at the date (a referral on or before it, "
            "not closed by it), leaving out referrals with no further action and episodes "
            "closed as assessed not in need (RC8, RC9); each child once.")
_SEED_002 = ("Seed 002 (Manchester Getting to Good Board, January 2018): 'the number of "
             "Social Work Assessments that result in NFA will reduce from 40% to 20%'")

register(
    Indicator(
        id="CIN-COUNT", title="Children in need", definition=_EPISODE, source=CIN_SOURCE,
        unit="count", higher_is_better=None, period="at_date", counts="children", sql=IN_NEED,
        dfe_rounding=True,
        benchmarks=(Benchmark("England", "2025", 402_400),
                    Benchmark("Manchester", "2025", 5_820))),
    Indicator(
        id="CIN-RATE", title="Children in need per 10,000 children",
        definition=f"{_EPISODE} Per 10,000 children aged 0 to 17 (ONS mid-year estimate "
                   "before the date).",
        source=CIN_SOURCE, unit="rate_per_10k", higher_is_better=None, period="at_date",
        counts="children", sql=IN_NEED, dfe_rounding=True, needs=("gtx_population",),
        benchmarks=(Benchmark("England", "2025", 330.3), Benchmark("Manchester", "2025", 441.5),
                    Benchmark("SN25 mean", "2025", 394.1),
                    Benchmark("SN21 mean", "2025", 387.9))),
    Indicator(
        id="CIN-PLANS", title="Children on a child in need plan",
        definition="Children with a CIN plan open at the date (started on or before it, not "
                   "ended by it); each child once, attributed to the plan's team and worker.",
        source="CIN census CINPlanDates (from 2022); seed 002 ('Number of Child in Need')",
        unit="count", higher_is_better=None, period="at_date", counts="children",
        sql=ON_CIN_PLAN),
    Indicator(
        id="CIN-ASSESSMENTS-NFA", title="Assessments ending in no further action",
        definition="Social work assessments authorised in the period whose outcome was no "
                   "further action (cina_assessment_outcome_nfa).",
        source=f"{_SEED_002}; DfE table C1 counts referrals assessed not in need",
        unit="count", higher_is_better=False, period="year_to_31_march", counts="assessments",
        measure=ASSESSMENTS_NFA,
        benchmarks=(Benchmark("England", "2025", 194_620,
                              "referrals assessed and found not in need"),)),
    Indicator(
        id="CIN-ASSESSMENTS-NFA-PCT",
        title="Assessments ending in no further action (% of completed assessments)",
        definition="Of the social work assessments authorised in the period, the percentage "
                   "whose outcome was no further action.",
        source=f"{_SEED_002}; reference/indicators.md §1.4", unit="percent",
        higher_is_better=False, period="year_to_31_march", counts="assessments",
        measure=ASSESSMENTS_NFA_SHARE, target=20.0, target_source=_SEED_002,
        benchmarks=(Benchmark("England", "2025", 30.0, "[derived] 194,620 of 648,830"),)),
)
