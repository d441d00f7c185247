"""The DuckDB SQL behind each Annex A list (annex_a.py writes the workbook).

Every query reads the ssd_* views of a store with four parameters: `$day` (the inspection
date), `$start` (the first day of the list's window: 6 or 12 months before), `$year_ago`
(12 months before the inspection date) and `$six_ago` (6 months before). It returns the
list's columns in the template's order (annex_a.yaml), codes as codes: annex_a.py turns
them into the template's drop-down answers. Nothing after the inspection date is shown:
a later end date, review or contact is left blank, so a list for a past date reads as it
would have on that day. Windows include both ends.
"""

# ruff: noqa: S608 - SQL built from our own constants; dates are parameters

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["LIST_SQL"]


def _d(column: str) -> str:
    return f"CAST({column} AS DATE)"


def _by_day(column: str) -> str:
    """The date, or NULL when it is after the inspection date."""
    return f"CASE WHEN {_d(column)} <= $day THEN {_d(column)} END"


def _months_before(expr: str, months: int) -> str:
    return f"CAST({expr} - INTERVAL {months} MONTH AS DATE)"


def _earlier(a: str, b: str) -> str:
    """Row id `a` before `b` in natural order (ids are text; '9' comes before '10')."""
    return f"(length({a}) < length({b}) OR (length({a}) = length({b}) AND {a} < {b}))"


# The child's details, their disability, and their allocated social worker (SSD role CW):
# the allocation open on the inspection date, else the latest that began before it.
_BASE = f"""
person AS (
    SELECT pers_person_id AS child, pers_sex AS sex, pers_ethnicity AS ethnicity,
        {_d("pers_dob")} AS dob,
        CASE WHEN {_d("pers_dob")} <= $day THEN
            date_diff('year', {_d("pers_dob")}, $day) - CASE WHEN {_d("pers_dob")}
                + to_years(date_diff('year', {_d("pers_dob")}, $day)) > $day THEN 1 ELSE 0 END
        END AS age
    FROM ssd_person),
disabled AS (
    SELECT DISTINCT disa_person_id AS child FROM ssd_disability
    WHERE COALESCE(disa_disability_code, 'NONE') <> 'NONE'),
team AS (SELECT dept_team_id AS id, dept_team_name AS name FROM ssd_department),
worker AS (SELECT prof_professional_id AS id, prof_professional_name AS name
           FROM ssd_professionals),
allocation AS (
    SELECT child, team, worker FROM (
        SELECT i.invo_person_id AS child, t.name AS team, w.name AS worker,
            ROW_NUMBER() OVER (
                PARTITION BY i.invo_person_id
                ORDER BY (i.invo_involvement_end_date IS NULL
                          OR {_d("i.invo_involvement_end_date")} > $day) DESC,
                    {_d("i.invo_involvement_start_date")} DESC,
                    length(i.invo_involvements_id) DESC, i.invo_involvements_id DESC) AS n
        FROM ssd_involvements i
        LEFT JOIN team t ON t.id = i.invo_professional_team
        LEFT JOIN worker w ON w.id = i.invo_professional_id
        WHERE i.invo_professional_role_id = 'CW'
            AND {_d("i.invo_involvement_start_date")} <= $day) ranked
    WHERE n = 1)"""

_COMMON = "p.child, p.sex, p.ethnicity, p.dob, p.age"
_DISABILITY = "CASE WHEN p.child IN (SELECT child FROM disabled) THEN 'Y' ELSE 'N' END"
_ALLOCATED = "a.team, a.worker"

CONTACTS = f"""WITH {_BASE}
SELECT {_COMMON}, {_d("c.cont_contact_date")}, c.cont_contact_source_code
FROM ssd_contacts c JOIN person p ON p.child = c.cont_person_id
WHERE {_d("c.cont_contact_date")} BETWEEN $start AND $day
ORDER BY 6, 1, c.cont_contact_id"""

EARLY_HELP = f"""WITH {_BASE}
SELECT {_COMMON}, {_d("e.earl_episode_start_date")}, {_by_day("e.earl_episode_end_date")},
    e.earl_episode_organisation
FROM ssd_early_help_episodes e JOIN person p ON p.child = e.earl_person_id
WHERE {_d("e.earl_episode_start_date")} <= $day
    AND (e.earl_episode_end_date IS NULL OR {_d("e.earl_episode_end_date")} >= $start)
ORDER BY 6, 1, e.earl_episode_id"""

_REFERRAL_DATE = _d("r.cine_referral_date")
REFERRALS = f"""WITH {_BASE}
SELECT {_COMMON}, {_REFERRAL_DATE}, r.cine_referral_source_code, r.cine_referral_nfa,
    (SELECT COUNT(*) FROM ssd_cin_episodes o
     WHERE o.cine_person_id = r.cine_person_id
        AND {_d("o.cine_referral_date")} >= {_months_before(_REFERRAL_DATE, 12)}
        AND ({_d("o.cine_referral_date")} < {_REFERRAL_DATE}
             OR ({_d("o.cine_referral_date")} = {_REFERRAL_DATE}
                 AND {_earlier("o.cine_referral_id", "r.cine_referral_id")}))),
    COALESCE(t.name, a.team), COALESCE(w.name, a.worker)
FROM ssd_cin_episodes r JOIN person p ON p.child = r.cine_person_id
LEFT JOIN team t ON t.id = r.cine_referral_team
LEFT JOIN worker w ON w.id = r.cine_referral_worker_id
LEFT JOIN allocation a ON a.child = p.child
WHERE {_REFERRAL_DATE} BETWEEN $start AND $day
ORDER BY 6, 1, r.cine_referral_id"""

ASSESSMENTS = f"""WITH {_BASE}
SELECT {_COMMON}, {_DISABILITY}, {_d("x.cina_assessment_start_date")},
    x.cina_assessment_child_seen, {_by_day("x.cina_assessment_auth_date")},
    CASE WHEN {_d("x.cina_assessment_auth_date")} <= $day THEN
        CASE x.cina_assessment_outcome_nfa WHEN 'N' THEN 'Y' WHEN 'Y' THEN 'N' END END,
    COALESCE(t.name, a.team), COALESCE(w.name, a.worker)
FROM ssd_cin_assessments x JOIN person p ON p.child = x.cina_person_id
LEFT JOIN team t ON t.id = x.cina_assessment_team
LEFT JOIN worker w ON w.id = x.cina_assessment_worker_id
LEFT JOIN allocation a ON a.child = p.child
WHERE {_d("x.cina_assessment_start_date")} <= $day
    AND (x.cina_assessment_auth_date IS NULL OR {_d("x.cina_assessment_auth_date")} >= $start)
ORDER BY 7, 1, x.cina_assessment_id"""

_S47_START = _d("s.s47e_s47_start_date")
SECTION_47 = f"""WITH {_BASE},
conference AS (
    SELECT * FROM (
        SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.icpc_s47_enquiry_id
                                       ORDER BY {_d("c.icpc_icpc_date")}) AS n
        FROM ssd_initial_cp_conference c WHERE {_d("c.icpc_icpc_date")} <= $day) ranked
    WHERE n = 1)
SELECT {_COMMON}, {_DISABILITY}, {_S47_START},
    CASE WHEN {_d("s.s47e_s47_end_date")} <= $day THEN
        CASE json_extract_string(s.s47e_s47_outcome_json, '$.CP_CONFERENCE_FLAG')
            WHEN 'Y' THEN 'N' WHEN 'N' THEN 'Y' END END,
    {_d("c.icpc_icpc_date")}, c.icpc_icpc_outcome_cp_flag,
    (SELECT COUNT(*) FROM ssd_s47_enquiry o
     WHERE o.s47e_person_id = s.s47e_person_id
        AND {_d("o.s47e_s47_start_date")} >= {_months_before(_S47_START, 12)}
        AND ({_d("o.s47e_s47_start_date")} < {_S47_START}
             OR ({_d("o.s47e_s47_start_date")} = {_S47_START}
                 AND {_earlier("o.s47e_s47_enquiry_id", "s.s47e_s47_enquiry_id")}))),
    (SELECT COUNT(*) FROM ssd_initial_cp_conference o
     WHERE o.icpc_person_id = s.s47e_person_id
        AND {_d("o.icpc_icpc_date")} >= {_months_before(_S47_START, 12)}
        AND {_d("o.icpc_icpc_date")} < {_S47_START}),
    COALESCE(t.name, a.team), COALESCE(w.name, a.worker)
FROM ssd_s47_enquiry s JOIN person p ON p.child = s.s47e_person_id
LEFT JOIN conference c ON c.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
LEFT JOIN team t ON t.id = s.s47e_s47_completed_by_team
LEFT JOIN worker w ON w.id = s.s47e_s47_completed_by_worker_id
LEFT JOIN allocation a ON a.child = p.child
WHERE {_S47_START} <= $day
    AND (s.s47e_s47_end_date IS NULL OR {_d("s.s47e_s47_end_date")} >= $start)
ORDER BY 7, 1, s.s47e_s47_enquiry_id"""


def _open_on_day(start: str, end: str) -> str:
    return f"{_d(start)} <= $day AND ({end} IS NULL OR {_d(end)} > $day)"


_SEEN = " UNION ALL ".join(
    f"SELECT {person} AS child, {_d(day)} AS seen_on FROM {table} WHERE {seen} = 'Y'"
    for table, person, day, seen in (
        ("ssd_cin_visits", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen"),
        ("ssd_cp_visits", "cppv_person_id", "cppv_cp_visit_date", "cppv_cp_visit_seen"),
        ("ssd_cla_visits", "clav_person_id", "clav_cla_visit_date", "clav_cla_visit_seen")))

CHILDREN_IN_NEED = f"""WITH {_BASE},
episode AS (
    SELECT * FROM (
        SELECT e.*, ROW_NUMBER() OVER (
            PARTITION BY e.cine_person_id
            ORDER BY {_d("e.cine_referral_date")} DESC, length(e.cine_referral_id) DESC,
                e.cine_referral_id DESC) AS n
        FROM ssd_cin_episodes e
        WHERE {_d("e.cine_referral_date")} <= $day
            AND (e.cine_close_date IS NULL OR {_d("e.cine_close_date")} >= $start)
            AND COALESCE(e.cine_referral_nfa, 'N') <> 'Y') ranked
    WHERE n = 1),
seen AS ({_SEEN}),
looked_after AS (
    SELECT DISTINCT lega_person_id AS child FROM ssd_legal_status
    WHERE {_open_on_day("lega_legal_status_start_date", "lega_legal_status_end_date")}
        AND lega_legal_status NOT IN ('V3', 'V4')),
on_cp_plan AS (
    SELECT DISTINCT cppl_person_id AS child FROM ssd_cp_plans
    WHERE {_open_on_day("cppl_cp_plan_start_date", "cppl_cp_plan_end_date")}),
on_cin_plan AS (
    SELECT DISTINCT cinp_person_id AS child FROM ssd_cin_plans
    WHERE {_open_on_day("cinp_cin_plan_start_date", "cinp_cin_plan_end_date")}),
assessing AS (
    SELECT DISTINCT cina_person_id AS child FROM ssd_cin_assessments
    WHERE {_open_on_day("cina_assessment_start_date", "cina_assessment_auth_date")})
SELECT {_COMMON}, {_DISABILITY}, {_d("e.cine_referral_date")}, e.cine_cin_primary_need_code,
    (SELECT MAX(v.seen_on) FROM seen v WHERE v.child = e.cine_person_id
        AND v.seen_on BETWEEN {_d("e.cine_referral_date")}
            AND LEAST(COALESCE({_d("e.cine_close_date")}, $day), $day)),
    {_by_day("e.cine_close_date")},
    CASE WHEN {_d("e.cine_close_date")} <= $day THEN e.cine_close_reason END,
    CASE WHEN {_d("e.cine_close_date")} <= $day THEN 'CLOSED'
         WHEN p.child IN (SELECT child FROM looked_after) THEN 'LAC'
         WHEN p.child IN (SELECT child FROM on_cp_plan) THEN 'CP'
         WHEN p.child IN (SELECT child FROM on_cin_plan) THEN 'CIN'
         WHEN p.child IN (SELECT child FROM assessing) THEN 'ASSESSMENT'
         ELSE 'CIN' END,
    {_ALLOCATED}
FROM episode e JOIN person p ON p.child = e.cine_person_id
LEFT JOIN allocation a ON a.child = p.child
ORDER BY 1"""

CHILD_PROTECTION = f"""WITH {_BASE},
plan AS (
    SELECT * FROM (
        SELECT c.*, ROW_NUMBER() OVER (
            PARTITION BY c.cppl_person_id
            ORDER BY {_d("c.cppl_cp_plan_start_date")} DESC, length(c.cppl_cp_plan_id) DESC,
                c.cppl_cp_plan_id DESC) AS n
        FROM ssd_cp_plans c
        WHERE {_d("c.cppl_cp_plan_start_date")} <= $day
            AND (c.cppl_cp_plan_end_date IS NULL OR {_d("c.cppl_cp_plan_end_date")} >= $start)
            AND COALESCE(c.cppl_cp_plan_ola, 'N') <> 'Y') ranked
    WHERE n = 1),
visit AS (
    SELECT * FROM (
        SELECT v.cppv_cp_plan_id AS plan_id, {_d("v.cppv_cp_visit_date")} AS visited,
            v.cppv_cp_visit_seen_alone AS alone,
            ROW_NUMBER() OVER (PARTITION BY v.cppv_cp_plan_id
                               ORDER BY {_d("v.cppv_cp_visit_date")} DESC,
                                   length(v.cppv_cp_visit_id) DESC, v.cppv_cp_visit_id DESC) AS n
        FROM ssd_cp_visits v WHERE {_d("v.cppv_cp_visit_date")} <= $day) ranked
    WHERE n = 1)
SELECT {_COMMON}, {_DISABILITY}, {_d("c.cppl_cp_plan_start_date")},
    c.cppl_cp_plan_initial_category, c.cppl_cp_plan_latest_category, v.visited, v.alone,
    (SELECT MAX({_d("r.cppr_cp_review_date")}) FROM ssd_cp_reviews r
     WHERE r.cppr_cp_plan_id = c.cppl_cp_plan_id AND {_d("r.cppr_cp_review_date")} <= $day),
    {_by_day("c.cppl_cp_plan_end_date")},
    CASE WHEN EXISTS (
        SELECT 1 FROM ssd_legal_status l WHERE l.lega_person_id = c.cppl_person_id
            AND l.lega_legal_status IN ('L1', 'L2')
            AND {_d("l.lega_legal_status_start_date")} <= $day
            AND (l.lega_legal_status_end_date IS NULL
                 OR {_d("l.lega_legal_status_end_date")} >= $six_ago)) THEN 'Y' ELSE 'N' END,
    (SELECT COUNT(*) FROM ssd_cp_plans o WHERE o.cppl_person_id = c.cppl_person_id
        AND {_d("o.cppl_cp_plan_start_date")} < {_d("c.cppl_cp_plan_start_date")}),
    {_ALLOCATED}
FROM plan c JOIN person p ON p.child = c.cppl_person_id
LEFT JOIN visit v ON v.plan_id = c.cppl_cp_plan_id
LEFT JOIN allocation a ON a.child = p.child
ORDER BY 1"""

# A period of care (clae_cla_id): its first and last days (ended NULL while open), and the
# day its legal status is read on (the inspection date, or its last day if it ended).
_PERIODS = f"""
period AS (
    SELECT clae_cla_id AS period_id, clae_person_id AS child,
        MIN({_d("clae_entered_care_date")}) AS entered,
        MIN({_d("clae_cla_episode_start_date")}) AS started,
        CASE WHEN bool_or(clae_cla_episode_ceased_date IS NULL) THEN NULL
             ELSE MAX({_d("clae_cla_episode_ceased_date")}) END AS ended,
        MAX({_d("clae_cla_last_iro_contact_date")}) AS iro_contact
    FROM ssd_cla_episodes WHERE {_d("clae_cla_episode_start_date")} <= $day
    GROUP BY clae_cla_id, clae_person_id),
last_episode AS (
    SELECT * FROM (
        SELECT e.*, ROW_NUMBER() OVER (
            PARTITION BY e.clae_cla_id
            ORDER BY {_d("e.clae_cla_episode_start_date")} DESC,
                length(e.clae_cla_episode_id) DESC, e.clae_cla_episode_id DESC) AS n
        FROM ssd_cla_episodes e WHERE {_d("e.clae_cla_episode_start_date")} <= $day) ranked
    WHERE n = 1),
status AS (
    SELECT * FROM (
        SELECT c.period_id, l.lega_legal_status AS code,
            {_d("l.lega_legal_status_start_date")} AS since,
            ROW_NUMBER() OVER (PARTITION BY c.period_id
                               ORDER BY {_d("l.lega_legal_status_start_date")} DESC) AS n
        FROM period c JOIN ssd_legal_status l ON l.lega_person_id = c.child
        WHERE {_d("l.lega_legal_status_start_date")} <= CASE WHEN c.ended <= $day
            THEN GREATEST(c.started, CAST(c.ended - INTERVAL 1 DAY AS DATE)) ELSE $day END)
        ranked
    WHERE n = 1),
in_care AS (
    SELECT c.*, s.code AS legal_status, s.since FROM period c
    LEFT JOIN status s ON s.period_id = c.period_id
    WHERE (c.ended IS NULL OR c.ended >= $start)
        AND COALESCE(s.code, '') NOT IN ('V3', 'V4')),
latest_period AS (
    SELECT * FROM (
        SELECT c.*, ROW_NUMBER() OVER (PARTITION BY c.child ORDER BY c.started DESC,
                                       length(c.period_id) DESC, c.period_id DESC) AS n
        FROM in_care c) ranked
    WHERE n = 1)"""

_HEALTH = """(SELECT MAX({day}) FROM ssd_cla_health h WHERE h.clah_person_id = c.child
        AND h.clah_health_check_type = '{kind}' AND h.clah_health_check_status = 'Y'
        AND {day} <= $day)"""
_MISSING = f"""(SELECT COUNT(*) FROM ssd_missing m WHERE m.miss_person_id = c.child
        AND m.miss_missing_episode_type = '{{kind}}'
        AND {_d("m.miss_missing_episode_start_date")} BETWEEN $year_ago AND $day)"""

CHILDREN_IN_CARE = f"""WITH {_BASE}, {_PERIODS},
placement AS (
    SELECT * FROM (
        SELECT x.*, ROW_NUMBER() OVER (
            PARTITION BY x.clap_cla_id
            ORDER BY {_d("x.clap_cla_placement_start_date")} DESC,
                length(x.clap_cla_placement_id) DESC, x.clap_cla_placement_id DESC) AS n
        FROM ssd_cla_placement x WHERE {_d("x.clap_cla_placement_start_date")} <= $day) ranked
    WHERE n = 1),
last_missing AS (
    SELECT * FROM (
        SELECT m.*, ROW_NUMBER() OVER (
            PARTITION BY m.miss_person_id
            ORDER BY {_d("m.miss_missing_episode_start_date")} DESC,
                length(m.miss_table_id) DESC, m.miss_table_id DESC) AS n
        FROM ssd_missing m WHERE m.miss_missing_episode_type = 'M'
            AND {_d("m.miss_missing_episode_start_date")} BETWEEN $year_ago AND $day) ranked
    WHERE n = 1)
SELECT {_COMMON},
    CASE WHEN EXISTS (
        SELECT 1 FROM ssd_immigration_status u WHERE u.immi_person_id = c.child
            AND u.immi_immigration_status = 'UASC'
            AND {_d("u.immi_immigration_status_start_date")} <= $day
            AND (u.immi_immigration_status_end_date IS NULL
                 OR {_d("u.immi_immigration_status_end_date")} >= $year_ago))
        THEN 'Y' ELSE 'N' END,
    {_DISABILITY}, COALESCE(c.entered, c.started), e.clae_cla_primary_need_code,
    CASE WHEN c.started >= $year_ago AND EXISTS (
        SELECT 1 FROM period o WHERE o.child = c.child AND o.started < c.started
            AND (o.ended IS NULL OR o.ended >= $year_ago)) THEN 'Y' ELSE 'N' END,
    c.since, c.legal_status,
    (SELECT MAX({_d("r.clar_cla_review_date")}) FROM ssd_cla_reviews r
     WHERE r.clar_cla_id = c.period_id AND COALESCE(r.clar_cla_review_cancelled, 'N') <> 'Y'
        AND {_d("r.clar_cla_review_date")} <= $day),
    (SELECT MAX({_d("v.clav_cla_visit_date")}) FROM ssd_cla_visits v
     WHERE v.clav_cla_id = c.period_id AND {_d("v.clav_cla_visit_date")} <= $day),
    (SELECT json_extract_string(k.lacp_cla_care_plan_json, '$.PERMANENCE_PLAN')
     FROM ssd_cla_care_plan k WHERE k.lacp_person_id = c.child
        AND {_d("k.lacp_cla_care_plan_start_date")} BETWEEN c.started AND $day
     ORDER BY {_d("k.lacp_cla_care_plan_start_date")} DESC, length(k.lacp_table_id) DESC,
        k.lacp_table_id DESC LIMIT 1),
    CASE WHEN c.iro_contact <= $day THEN c.iro_contact END,
    {_HEALTH.format(day=_d("h.clah_health_check_date"), kind="HEALTH_ASSESSMENT")},
    {_HEALTH.format(day=_d("h.clah_health_check_date"), kind="DENTAL")},
    (SELECT COUNT(*) FROM ssd_cla_placement x WHERE x.clap_person_id = c.child
        AND {_d("x.clap_cla_placement_start_date")} <= $day
        AND (x.clap_cla_placement_end_date IS NULL
             OR {_d("x.clap_cla_placement_end_date")} >= $year_ago)),
    CASE WHEN c.ended <= $day THEN c.ended END,
    CASE WHEN c.ended <= $day THEN e.clae_cla_episode_ceased_reason END,
    {_d("x.clap_cla_placement_start_date")}, x.clap_cla_placement_type,
    x.clap_cla_placement_provider, x.clap_cla_placement_postcode, x.clap_cla_placement_urn,
    NULL, NULL, {_MISSING.format(kind="M")}, {_MISSING.format(kind="A")},
    m.miss_missing_rhi_offered, m.miss_missing_rhi_accepted, {_ALLOCATED}
FROM latest_period c JOIN person p ON p.child = c.child
LEFT JOIN last_episode e ON e.clae_cla_id = c.period_id
LEFT JOIN placement x ON x.clap_cla_id = c.period_id
LEFT JOIN last_missing m ON m.miss_person_id = c.child
LEFT JOIN allocation a ON a.child = p.child
ORDER BY 1"""

CARE_LEAVERS = f"""WITH {_BASE}
SELECT {_COMMON},
    CASE WHEN EXISTS (SELECT 1 FROM ssd_immigration_status u
                      WHERE u.immi_person_id = l.clea_person_id
                        AND u.immi_immigration_status IN ('UASC', 'FORMER_UASC'))
        THEN 'Y' ELSE 'N' END,
    {_DISABILITY}, COALESCE(t.name, a.team), COALESCE(w.name, a.worker),
    COALESCE(adviser.name, l.clea_care_leaver_personal_advisor),
    l.clea_care_leaver_eligibility, {_by_day("l.clea_pathway_plan_review_date")},
    l.clea_care_leaver_in_touch, {_by_day("l.clea_care_leaver_latest_contact")},
    left(l.clea_care_leaver_accommodation, 1), l.clea_care_leaver_accom_suitable,
    l.clea_care_leaver_activity
FROM ssd_care_leavers l JOIN person p ON p.child = l.clea_person_id
LEFT JOIN team t ON t.id = l.clea_care_leaver_allocated_team
LEFT JOIN worker w ON w.id = l.clea_care_leaver_worker_id
LEFT JOIN worker adviser ON adviser.id = l.clea_care_leaver_personal_advisor
LEFT JOIN allocation a ON a.child = p.child
WHERE l.clea_care_leaver_eligibility IN ('RELEVANT', 'FORMER_RELEVANT', 'QUALIFYING',
                                         'ELIGIBLE')
    AND (p.age IS NULL OR p.age < 26)
ORDER BY 1"""

_ADOPTED = (f"m.perm_permanence_order_type = 'ADOPTION' "
            f"AND {_d('m.perm_permanence_order_date')} <= $day")
ADOPTION = f"""WITH {_BASE}
SELECT p.child, NULL, p.sex, p.ethnicity, p.dob, p.age, {_DISABILITY},
    (SELECT MIN({_d("e.clae_entered_care_date")}) FROM ssd_cla_episodes e
     WHERE e.clae_cla_id = m.perm_cla_id),
    {_d("m.perm_adm_decision_date")}, {_by_day("m.perm_placement_order_date")},
    {_by_day("m.perm_matched_date")}, {_by_day("m.perm_placed_for_adoption_date")},
    CASE WHEN {_ADOPTED} THEN {_d("m.perm_permanence_order_date")} END,
    {_by_day("m.perm_decision_reversed_date")},
    CASE WHEN {_d("m.perm_decision_reversed_date")} <= $day
         THEN m.perm_decision_reversed_reason END,
    {_by_day("m.perm_placed_ffa_cp_date")}
FROM ssd_permanence m JOIN person p ON p.child = m.perm_person_id
WHERE {_d("m.perm_adm_decision_date")} <= $day
    AND (({_ADOPTED} AND {_d("m.perm_permanence_order_date")} >= $start)
         OR {_d("m.perm_decision_reversed_date")} BETWEEN $start AND $day
         OR (NOT COALESCE({_ADOPTED}, FALSE)
             AND (m.perm_decision_reversed_date IS NULL
                  OR {_d("m.perm_decision_reversed_date")} > $day)))
ORDER BY 9, 1"""

# List number -> its query; list 11 (adopters) has no source in the SSD.
LIST_SQL: Mapping[int, str | None] = MappingProxyType({
    1: CONTACTS, 2: EARLY_HELP, 3: REFERRALS, 4: ASSESSMENTS, 5: SECTION_47,
    6: CHILDREN_IN_NEED, 7: CHILD_PROTECTION, 8: CHILDREN_IN_CARE, 9: CARE_LEAVERS,
    10: ADOPTION, 11: None,
})
