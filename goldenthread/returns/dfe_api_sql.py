"""The DuckDB SQL behind the DfE API payload (dfe_api.py): the cohort, then one query per
part of a child's document, its first column the key the part hangs from (the child for
child-level parts, the referral for parts of a social care episode). `$start` and `$end`
are the cohort window's first and last days; nothing dated after `$end` is sent.
"""

# ruff: noqa: S608 - SQL built from our own constants; dates are parameters

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["CHILD_PARTS", "COHORT", "EPISODES", "EPISODE_PARTS"]


def _d(column: str) -> str:
    return f"CAST({column} AS DATE)"


def _by_end(column: str) -> str:
    return f"CASE WHEN {_d(column)} <= $end THEN {_d(column)} END"


def _overlaps(start: str, end: str) -> str:
    return f"{_d(start)} <= $end AND ({end} IS NULL OR {_d(end)} >= $start)"


COHORT = f"""
WITH reason AS (
    SELECT cine_person_id AS child FROM ssd_cin_episodes
    WHERE {_overlaps("cine_referral_date", "cine_close_date")}
    UNION SELECT cinp_person_id FROM ssd_cin_plans
    WHERE {_overlaps("cinp_cin_plan_start_date", "cinp_cin_plan_end_date")}
    UNION SELECT cppl_person_id FROM ssd_cp_plans
    WHERE {_overlaps("cppl_cp_plan_start_date", "cppl_cp_plan_end_date")}
    UNION SELECT clae_person_id FROM ssd_cla_episodes
    WHERE {_overlaps("clae_cla_episode_start_date", "clae_cla_episode_ceased_date")}
    UNION SELECT l.clea_person_id FROM ssd_care_leavers l
    JOIN ssd_person p ON p.pers_person_id = l.clea_person_id
    WHERE {_d("l.clea_care_leaver_latest_contact")} BETWEEN $start AND $end
        AND {_d("p.pers_dob")} <= CAST($end - INTERVAL 16 YEAR AS DATE)
        AND {_d("p.pers_dob")} > CAST($end - INTERVAL 26 YEAR AS DATE))
SELECT p.pers_person_id, COALESCE(NULLIF(p.pers_legacy_id, ''), p.pers_person_id),
    NULLIF(p.pers_upn, ''), NULLIF(p.pers_upn_unknown, ''), p.pers_forename, p.pers_surname,
    {_d("p.pers_dob")}, {_d("p.pers_expected_dob")}, p.pers_sex, NULLIF(p.pers_ethnicity, '')
FROM ssd_person p
WHERE p.pers_person_id IN (SELECT child FROM reason)
    AND ((p.pers_dob IS NOT NULL AND {_d("p.pers_dob")} <= $end
          AND {_d("p.pers_dob")} > CAST($start - INTERVAL 26 YEAR AS DATE))
         OR (p.pers_dob IS NULL AND {_d("p.pers_expected_dob")} BETWEEN $start AND $end))
ORDER BY 1"""

CHILD_PARTS: Mapping[str, str] = MappingProxyType({
    "former_upn": """SELECT link_person_id, link_identifier_value FROM ssd_linked_identifiers
        WHERE link_identifier_type = 'Former Unique Pupil Number' ORDER BY 1, 2""",
    "disabilities": """SELECT DISTINCT disa_person_id, upper(disa_disability_code)
        FROM ssd_disability WHERE COALESCE(disa_disability_code, 'NONE') <> 'NONE'
        ORDER BY 1, 2""",
    # The latest address's postcode (last row per child).
    "postcode": f"""SELECT addr_person_id, addr_address_postcode FROM ssd_address
        WHERE NULLIF(addr_address_postcode, '') IS NOT NULL
            AND {_d("addr_address_start_date")} <= $end
        ORDER BY 1, {_d("addr_address_start_date")}, addr_table_id""",
    # UASC statuses overlapping the window (a historic one does not make the flag): the
    # last row's end date is uasc_end_date.
    "uasc": f"""SELECT immi_person_id, {_by_end("immi_immigration_status_end_date")}
        FROM ssd_immigration_status WHERE immi_immigration_status = 'UASC'
            AND {_overlaps("immi_immigration_status_start_date",
                           "immi_immigration_status_end_date")}
        ORDER BY 1, immi_immigration_status_end_date IS NULL,
            {_d("immi_immigration_status_start_date")}""",
    "sdq": f"""SELECT csdq_person_id, {_d("csdq_sdq_completed_date")}, csdq_sdq_score
        FROM ssd_sdq_scores WHERE csdq_sdq_score IS NOT NULL
            AND {_d("csdq_sdq_completed_date")} BETWEEN $start AND $end
        ORDER BY 1, 2, csdq_table_id""",
})

# The latest referral of each person, where a care leaver's details go.
_LATEST_REFERRAL = f"""(SELECT cine_person_id, arg_max(cine_referral_id,
        {_d("cine_referral_date")}) AS cine_referral_id
    FROM ssd_cin_episodes WHERE {_d("cine_referral_date")} <= $end GROUP BY 1)"""

# Referrals overlapping the window, and a care leaver's latest one (which carries their
# care_leavers block) however long ago it closed.
EPISODES = f"""SELECT cine_person_id, cine_referral_id, {_d("cine_referral_date")},
    cine_referral_source_code, cine_referral_nfa, {_by_end("cine_close_date")},
    CASE WHEN {_d("cine_close_date")} <= $end THEN cine_close_reason END
FROM ssd_cin_episodes
WHERE {_overlaps("cine_referral_date", "cine_close_date")}
    OR cine_referral_id IN (
        SELECT r.cine_referral_id FROM {_LATEST_REFERRAL} r
        JOIN ssd_care_leavers l ON l.clea_person_id = r.cine_person_id
        WHERE {_d("l.clea_care_leaver_latest_contact")} BETWEEN $start AND $end)
ORDER BY 1, 3, length(cine_referral_id), cine_referral_id"""

EPISODE_PARTS: Mapping[str, str] = MappingProxyType({
    # Allocated social workers (SSD role CW): their Social Work England number (else staff
    # id; DfE allows 12 characters). An allocation with no referral belongs to the
    # referral whose dates it overlaps.
    "workers": f"""WITH cw AS (
            SELECT i.invo_involvements_id AS id, i.invo_referral_id AS referral,
                i.invo_person_id AS child, {_d("i.invo_involvement_start_date")} AS since,
                {_d("i.invo_involvement_end_date")} AS until,
                left(COALESCE(NULLIF(w.prof_social_worker_registration_no, ''),
                              w.prof_staff_id, i.invo_professional_id), 12) AS worker
            FROM ssd_involvements i
            LEFT JOIN ssd_professionals w ON w.prof_professional_id = i.invo_professional_id
            WHERE i.invo_professional_role_id = 'CW'
                AND {_d("i.invo_involvement_start_date")} <= $end)
        SELECT referral, worker, since, CASE WHEN until <= $end THEN until END, id
        FROM cw WHERE referral IS NOT NULL
        UNION ALL
        SELECT e.cine_referral_id, cw.worker, cw.since,
            CASE WHEN cw.until <= $end THEN cw.until END, cw.id
        FROM cw JOIN ssd_cin_episodes e ON e.cine_person_id = cw.child
        WHERE cw.referral IS NULL
            AND cw.since <= COALESCE({_d("e.cine_close_date")}, $end)
            AND (cw.until IS NULL OR cw.until >= {_d("e.cine_referral_date")})
        ORDER BY 1, 3, 5""",
    "assessments": f"""SELECT a.cina_referral_id, a.cina_assessment_id,
            {_d("a.cina_assessment_start_date")}, {_by_end("a.cina_assessment_auth_date")},
            f.cinf_assessment_factors_json
        FROM ssd_cin_assessments a
        LEFT JOIN ssd_assessment_factors f ON f.cinf_assessment_id = a.cina_assessment_id
        WHERE {_d("a.cina_assessment_start_date")} <= $end
        ORDER BY 1, 3, length(a.cina_assessment_id), 2""",
    "cin_plans": f"""SELECT cinp_referral_id, cinp_cin_plan_id,
            {_d("cinp_cin_plan_start_date")}, {_by_end("cinp_cin_plan_end_date")}
        FROM ssd_cin_plans WHERE {_d("cinp_cin_plan_start_date")} <= $end
        ORDER BY 1, 3, length(cinp_cin_plan_id), 2""",
    # Whether an ICPC is needed: the enquiry's recorded outcome, else 'Y' if one was held.
    "section_47": f"""SELECT s.s47e_referral_id, s.s47e_s47_enquiry_id,
            {_d("s.s47e_s47_start_date")},
            COALESCE(NULLIF(json_extract_string(s.s47e_s47_outcome_json,
                                                '$.CP_CONFERENCE_FLAG'), ''),
                     CASE WHEN c.held IS NOT NULL THEN 'Y' END),
            c.held, {_by_end("s.s47e_s47_end_date")}
        FROM ssd_s47_enquiry s
        LEFT JOIN (SELECT icpc_s47_enquiry_id AS s47, MIN({_d("icpc_icpc_date")}) AS held
                   FROM ssd_initial_cp_conference WHERE {_d("icpc_icpc_date")} <= $end
                   GROUP BY 1) c ON c.s47 = s.s47e_s47_enquiry_id
        WHERE {_d("s.s47e_s47_start_date")} <= $end
        ORDER BY 1, 3, length(s.s47e_s47_enquiry_id), 2""",
    "cp_plans": f"""SELECT cppl_referral_id, cppl_cp_plan_id, {_d("cppl_cp_plan_start_date")},
            {_by_end("cppl_cp_plan_end_date")}
        FROM ssd_cp_plans WHERE {_d("cppl_cp_plan_start_date")} <= $end
        ORDER BY 1, 3, length(cppl_cp_plan_id), 2""",
    # A placement under the referral of its period of care: the reason for the first 903
    # episode in it (RNE) and the reason the last one ended (REC).
    "placements": f"""WITH ep AS (
            SELECT clae_cla_placement_id AS placement, clae_referral_id AS referral,
                arg_min(clae_cla_episode_start_reason, {_d("clae_cla_episode_start_date")})
                    AS rne,
                arg_max(clae_cla_episode_ceased_reason, {_d("clae_cla_episode_start_date")})
                    AS rec
            FROM ssd_cla_episodes WHERE clae_referral_id IS NOT NULL GROUP BY 1, 2)
        SELECT ep.referral, x.clap_cla_placement_id, {_d("x.clap_cla_placement_start_date")},
            ep.rne, x.clap_cla_placement_type, NULLIF(x.clap_cla_placement_postcode, ''),
            {_by_end("x.clap_cla_placement_end_date")},
            CASE WHEN {_d("x.clap_cla_placement_end_date")} <= $end THEN ep.rec END,
            CASE WHEN {_d("x.clap_cla_placement_end_date")} <= $end
                 THEN NULLIF(x.clap_cla_placement_change_reason, '') END
        FROM ssd_cla_placement x JOIN ep ON ep.placement = x.clap_cla_placement_id
        WHERE {_d("x.clap_cla_placement_start_date")} <= $end
        ORDER BY 1, 3, length(x.clap_cla_placement_id), 2""",
    "adoption": f"""SELECT DISTINCT e.clae_referral_id, {_d("m.perm_adm_decision_date")},
            {_by_end("m.perm_matched_date")}, {_by_end("m.perm_placed_for_adoption_date")}
        FROM ssd_permanence m
        JOIN ssd_cla_episodes e ON e.clae_cla_id = m.perm_cla_id
        WHERE e.clae_referral_id IS NOT NULL
            AND {_d("m.perm_adm_decision_date")} <= $end
        ORDER BY 1, 2""",
    # The SSD keeps a care leaver's latest contact only: it goes under their latest
    # referral.
    "care_leavers": f"""SELECT r.cine_referral_id,
            {_by_end("l.clea_care_leaver_latest_contact")}, l.clea_care_leaver_activity,
            l.clea_care_leaver_accommodation
        FROM ssd_care_leavers l
        JOIN {_LATEST_REFERRAL} r ON r.cine_person_id = l.clea_person_id
        WHERE l.clea_care_leaver_latest_contact IS NOT NULL
        ORDER BY 1""",
})
