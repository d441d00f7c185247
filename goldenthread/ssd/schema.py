"""The Standard Safeguarding Dataset's tables and columns, as data.

Transcribed from SSD v1.4.5 (Liquidlogic/SystemC script, `ssd_development` schema; see
`shared/reference/ssd.md`, Appendix A): every table, its columns in the deployed order, the
declared SQL type and the primary key. Pure Python, no Django: the projection, the importer
and the analytics all read it.

Each column has a *kind* that says how a value is checked and stored:

    text      nvarchar / varchar / nchar(n>1): a string (ids are strings, as in the SSD)
    flag      nchar(1): 'Y' or 'N'
    datetime  datetime: a date, possibly with a time of day (UK local, no time zone)
    date      date: a date
    int       int / tinyint
    float     float
    bit       bit: true or false (only ssd_cohort and ssd_dim_date use it)
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

__all__ = ["FILLED", "REFERENCES", "SOFT_TARGETS", "TABLES", "Column", "Kind", "Reference",
           "Table"]

Kind = Literal["text", "flag", "datetime", "date", "int", "float", "bit"]

# nchar(1) columns that are not Y/N flags.
_NOT_FLAGS = frozenset({"senn_active_ehcp_need_rank"})


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    kind: Kind
    primary_key: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def primary_key(self) -> str | None:
        return next((c.name for c in self.columns if c.primary_key), None)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _kind(name: str, sql_type: str) -> Kind:
    base = sql_type.split("(")[0]
    if sql_type == "nchar(1)" and name not in _NOT_FLAGS:
        return "flag"
    if base in ("int", "tinyint"):
        return "int"
    if base in ("float", "bit", "date", "datetime"):
        return base  # type: ignore[return-value]
    return "text"


def _table(name: str, spec: str) -> Table:
    """`spec` is Appendix A's list: "name type, ..." with `*` before the primary key."""
    columns = []
    for item in spec.split(", "):
        column, sql_type = item.split(" ")
        key = column.startswith("*")
        column = column.lstrip("*")
        columns.append(Column(column, sql_type, _kind(column, sql_type), key))
    return Table(name, tuple(columns))


_ALL = (
    _table("ssd_dim_date",
        "date_key int, full_date date, calendar_year int, calendar_quarter tinyint, month_number "
        "tinyint, day_of_month tinyint, iso_year int, iso_week tinyint, day_of_week_monday1 "
        "tinyint, is_weekend bit, month_start_date date, month_end_date date, quarter_start_date "
        "date, quarter_end_date date, year_start_date date, year_end_date date, "
        "fiscal_year_start_year int, fiscal_year_label varchar(7), fiscal_year_start_date date, "
        "fiscal_year_end_date date, fiscal_quarter tinyint, fiscal_quarter_start_date date, "
        "fiscal_quarter_end_date date"),
    _table("ssd_person",
        "pers_legacy_id nvarchar(48), *pers_person_id nvarchar(48), pers_upn nvarchar(13), "
        "pers_forename nvarchar(100), pers_surname nvarchar(255), pers_sex nvarchar(20), "
        "pers_gender nvarchar(10), pers_ethnicity nvarchar(48), pers_dob datetime, "
        "pers_single_unique_id nvarchar(48), pers_upn_unknown nvarchar(6), pers_send_flag "
        "nchar(5), pers_expected_dob datetime, pers_death_date datetime, pers_is_mother nchar(1), "
        "pers_nationality nvarchar(48)"),
    _table("ssd_cohort",
        "*dim_person_id nvarchar(48), legacy_id nvarchar(48), has_contact bit, has_referral bit, "
        "has_903 bit, is_care_leaver bit, has_eligibility bit, has_client_flag bit, "
        "has_involvement bit, first_activity_dttm datetime, last_activity_dttm datetime"),
    _table("ssd_family",
        "*fami_table_id nvarchar(48), fami_family_id nvarchar(48), fami_person_id nvarchar(48)"),
    _table("ssd_address",
        "*addr_table_id nvarchar(48), addr_person_id nvarchar(48), addr_address_type "
        "nvarchar(48), addr_address_start_date datetime, addr_address_end_date datetime, "
        "addr_address_postcode nvarchar(15), addr_address_json nvarchar(1000)"),
    _table("ssd_disability",
        "*disa_table_id nvarchar(48), disa_person_id nvarchar(48), disa_disability_code "
        "nvarchar(48)"),
    _table("ssd_immigration_status",
        "*immi_immigration_status_id nvarchar(48), immi_person_id nvarchar(48), "
        "immi_immigration_status_start_date datetime, immi_immigration_status_end_date datetime, "
        "immi_immigration_status nvarchar(100)"),
    _table("ssd_cin_episodes",
        "*cine_referral_id nvarchar(48), cine_person_id nvarchar(48), cine_referral_date "
        "datetime, cine_cin_primary_need_code nvarchar(3), cine_referral_source_code "
        "nvarchar(48), cine_referral_source_desc nvarchar(255), cine_referral_outcome_json "
        "nvarchar(4000), cine_referral_nfa nchar(1), cine_close_reason nvarchar(100), "
        "cine_close_date datetime, cine_referral_team nvarchar(48), cine_referral_worker_id "
        "nvarchar(48)"),
    _table("ssd_mother",
        "*moth_table_id nvarchar(48), moth_person_id nvarchar(48), moth_childs_person_id "
        "nvarchar(48), moth_childs_dob datetime"),
    _table("ssd_legal_status",
        "*lega_legal_status_id nvarchar(48), lega_person_id nvarchar(48), lega_legal_status "
        "nvarchar(100), lega_legal_status_start_date datetime, lega_legal_status_end_date "
        "datetime"),
    _table("ssd_contacts",
        "*cont_contact_id nvarchar(48), cont_person_id nvarchar(48), cont_contact_date datetime, "
        "cont_contact_source_code nvarchar(48), cont_contact_source_desc nvarchar(255), "
        "cont_contact_outcome_json nvarchar(4000)"),
    _table("ssd_early_help_episodes",
        "*earl_episode_id nvarchar(48), earl_person_id nvarchar(48), earl_episode_start_date "
        "datetime, earl_episode_end_date datetime, earl_episode_reason nvarchar(max), "
        "earl_episode_end_reason nvarchar(max), earl_episode_organisation nvarchar(max), "
        "earl_episode_worker_id nvarchar(100)"),
    _table("ssd_cin_assessments",
        "*cina_assessment_id nvarchar(48), cina_person_id nvarchar(48), cina_referral_id "
        "nvarchar(48), cina_assessment_start_date datetime, cina_assessment_child_seen nchar(1), "
        "cina_assessment_auth_date datetime, cina_assessment_outcome_json nvarchar(1000), "
        "cina_assessment_outcome_nfa nchar(1), cina_assessment_team nvarchar(48), "
        "cina_assessment_worker_id nvarchar(100)"),
    _table("ssd_assessment_factors",
        "cinf_table_id nvarchar(48), cinf_assessment_id nvarchar(48), "
        "cinf_assessment_factors_json nvarchar(max)"),
    _table("ssd_cin_plans",
        "*cinp_cin_plan_id nvarchar(48), cinp_referral_id nvarchar(48), cinp_person_id "
        "nvarchar(48), cinp_cin_plan_start_date datetime, cinp_cin_plan_end_date datetime, "
        "cinp_cin_plan_team nvarchar(48), cinp_cin_plan_worker_id nvarchar(100)"),
    _table("ssd_cin_visits",
        "*cinv_cin_visit_id nvarchar(48), cinv_person_id nvarchar(48), cinv_cin_visit_date "
        "datetime, cinv_cin_visit_seen nchar(1), cinv_cin_visit_seen_alone nchar(1), "
        "cinv_cin_visit_bedroom nchar(1)"),
    _table("ssd_s47_enquiry",
        "*s47e_s47_enquiry_id nvarchar(48), s47e_referral_id nvarchar(48), s47e_person_id "
        "nvarchar(48), s47e_s47_start_date datetime, s47e_s47_end_date datetime, s47e_s47_nfa "
        "nchar(1), s47e_s47_outcome_json nvarchar(1000), s47e_s47_completed_by_team nvarchar(48), "
        "s47e_s47_completed_by_worker_id nvarchar(100)"),
    _table("ssd_initial_cp_conference",
        "*icpc_icpc_id nvarchar(48), icpc_icpc_meeting_id nvarchar(48), icpc_s47_enquiry_id "
        "nvarchar(48), icpc_person_id nvarchar(48), icpc_cp_plan_id nvarchar(48), "
        "icpc_referral_id nvarchar(48), icpc_icpc_transfer_in nchar(1), icpc_icpc_target_date "
        "datetime, icpc_icpc_date datetime, icpc_icpc_outcome_cp_flag nchar(1), "
        "icpc_icpc_outcome_json nvarchar(1000), icpc_icpc_team nvarchar(48), icpc_icpc_worker_id "
        "nvarchar(100)"),
    _table("ssd_cp_plans",
        "*cppl_cp_plan_id nvarchar(48), cppl_referral_id nvarchar(48), cppl_icpc_id nvarchar(48), "
        "cppl_person_id nvarchar(48), cppl_cp_plan_start_date datetime, cppl_cp_plan_end_date "
        "datetime, cppl_cp_plan_ola nchar(1), cppl_cp_plan_initial_category nvarchar(100), "
        "cppl_cp_plan_latest_category nvarchar(100)"),
    _table("ssd_cp_visits",
        "*cppv_cp_visit_id nvarchar(48), cppv_person_id nvarchar(48), cppv_cp_plan_id "
        "nvarchar(48), cppv_cp_visit_date datetime, cppv_cp_visit_seen nchar(1), "
        "cppv_cp_visit_seen_alone nchar(1), cppv_cp_visit_bedroom nchar(1)"),
    _table("ssd_cp_reviews",
        "*cppr_cp_review_id nvarchar(48), cppr_person_id nvarchar(48), cppr_cp_plan_id "
        "nvarchar(48), cppr_cp_review_due datetime, cppr_cp_review_date datetime, "
        "cppr_cp_review_meeting_id nvarchar(48), cppr_cp_review_outcome_continue_cp nchar(1), "
        "cppr_cp_review_quorate nvarchar(100), cppr_cp_review_participation nvarchar(100)"),
    _table("ssd_cla_episodes",
        "*clae_cla_episode_id nvarchar(48), clae_person_id nvarchar(48), clae_cla_placement_id "
        "nvarchar(48), clae_cla_episode_start_date datetime, clae_cla_episode_start_reason "
        "nvarchar(100), clae_cla_primary_need_code nvarchar(3), clae_cla_episode_ceased_date "
        "datetime, clae_cla_episode_ceased_reason nvarchar(255), clae_cla_id nvarchar(48), "
        "clae_referral_id nvarchar(48), clae_cla_last_iro_contact_date datetime, "
        "clae_entered_care_date datetime"),
    _table("ssd_cla_convictions",
        "*clac_cla_conviction_id nvarchar(48), clac_person_id nvarchar(48), "
        "clac_cla_conviction_date datetime, clac_cla_conviction_offence nvarchar(1000)"),
    _table("ssd_cla_health",
        "*clah_health_check_id nvarchar(48), clah_person_id nvarchar(48), clah_health_check_type "
        "nvarchar(500), clah_health_check_date datetime, clah_health_check_status nvarchar(48)"),
    _table("ssd_cla_immunisations",
        "*clai_person_id nvarchar(48), clai_immunisations_status nchar(1), "
        "clai_immunisations_status_date datetime"),
    _table("ssd_cla_substance_misuse",
        "*clas_substance_misuse_id nvarchar(48), clas_person_id nvarchar(48), "
        "clas_substance_misuse_date datetime, clas_substance_misused nvarchar(100), "
        "clas_intervention_received nchar(1)"),
    _table("ssd_cla_placement",
        "*clap_cla_placement_id nvarchar(48), clap_cla_id nvarchar(48), clap_person_id "
        "nvarchar(48), clap_cla_placement_start_date datetime, clap_cla_placement_type "
        "nvarchar(100), clap_cla_placement_urn nvarchar(48), clap_cla_placement_distance float, "
        "clap_cla_placement_provider nvarchar(48), clap_cla_placement_postcode nvarchar(8), "
        "clap_cla_placement_end_date datetime, clap_cla_placement_change_reason nvarchar(100)"),
    _table("ssd_cla_reviews",
        "*clar_cla_review_id nvarchar(48), clar_cla_id nvarchar(48), clar_cla_person_id "
        "nvarchar(48), clar_cla_review_due_date datetime, clar_cla_review_date datetime, "
        "clar_cla_review_cancelled nchar(1), clar_cla_review_participation nvarchar(100)"),
    _table("ssd_cla_previous_permanence",
        "*lapp_table_id nvarchar(48), lapp_person_id nvarchar(48), "
        "lapp_previous_permanence_option nvarchar(200), lapp_previous_permanence_la "
        "nvarchar(100), lapp_previous_permanence_order_date nvarchar(10)"),
    _table("ssd_pre_cla_care_plan",
        "FACT_FORM_ID nvarchar(48), DIM_PERSON_ID nvarchar(48), ANSWER_NO nvarchar(10), ANSWER "
        "nvarchar(255), LatestResponseDate datetime"),
    _table("ssd_cla_care_plan",
        "*lacp_table_id nvarchar(48), lacp_person_id nvarchar(48), lacp_cla_care_plan_start_date "
        "datetime, lacp_cla_care_plan_end_date datetime, lacp_cla_care_plan_json nvarchar(1000)"),
    _table("ssd_cla_visits",
        "*clav_cla_visit_id nvarchar(48), clav_cla_id nvarchar(48), clav_person_id nvarchar(48), "
        "clav_cla_visit_date datetime, clav_cla_visit_seen nchar(1), clav_cla_visit_seen_alone "
        "nchar(1)"),
    _table("ssd_sdq_scores",
        "*csdq_table_id nvarchar(48), csdq_person_id nvarchar(48), csdq_sdq_completed_date "
        "datetime, csdq_sdq_score int, csdq_sdq_reason nvarchar(100)"),
    _table("ssd_missing",
        "*miss_table_id nvarchar(48), miss_person_id nvarchar(48), "
        "miss_missing_episode_start_date datetime, miss_missing_episode_type nvarchar(100), "
        "miss_missing_episode_end_date datetime, miss_missing_rhi_offered nvarchar(2), "
        "miss_missing_rhi_accepted nvarchar(2)"),
    _table("ssd_care_leavers",
        "*clea_table_id nvarchar(48), clea_person_id nvarchar(48), clea_care_leaver_eligibility "
        "nvarchar(100), clea_care_leaver_in_touch nvarchar(100), clea_care_leaver_latest_contact "
        "datetime, clea_care_leaver_accommodation nvarchar(100), clea_care_leaver_accom_suitable "
        "nvarchar(100), clea_care_leaver_activity nvarchar(100), clea_pathway_plan_review_date "
        "datetime, clea_care_leaver_personal_advisor nvarchar(100), "
        "clea_care_leaver_allocated_team nvarchar(48), clea_care_leaver_worker_id nvarchar(100)"),
    _table("ssd_permanence",
        "*perm_table_id nvarchar(48), perm_person_id nvarchar(48), perm_cla_id nvarchar(48), "
        "perm_adm_decision_date datetime, perm_part_of_sibling_group nchar(1), "
        "perm_siblings_placed_together int, perm_siblings_placed_apart int, "
        "perm_ffa_cp_decision_date datetime, perm_placement_order_date datetime, "
        "perm_matched_date datetime, perm_adopter_sex nvarchar(48), perm_adopter_legal_status "
        "nvarchar(100), perm_number_of_adopters int, perm_placed_for_adoption_date datetime, "
        "perm_adopted_by_carer_flag nchar(1), perm_placed_foster_carer_date datetime, "
        "perm_placed_ffa_cp_date datetime, perm_placement_provider_urn nvarchar(48), "
        "perm_decision_reversed_date datetime, perm_decision_reversed_reason nvarchar(100), "
        "perm_permanence_order_date datetime, perm_permanence_order_type nvarchar(100), "
        "perm_adoption_worker_id nvarchar(100)"),
    _table("ssd_professionals",
        "*prof_professional_id nvarchar(48), prof_staff_id nvarchar(48), prof_professional_name "
        "nvarchar(300), prof_social_worker_registration_no nvarchar(48), prof_agency_worker_flag "
        "nchar(1), prof_professional_job_title nvarchar(500), prof_professional_caseload int, "
        "prof_professional_department nvarchar(100), prof_full_time_equivalency float"),
    _table("ssd_department",
        "*dept_team_id nvarchar(48), dept_team_name nvarchar(255), dept_team_parent_id "
        "nvarchar(48), dept_team_parent_name nvarchar(255)"),
    _table("ssd_involvements",
        "*invo_involvements_id nvarchar(48), invo_professional_id nvarchar(48), "
        "invo_professional_role_id nvarchar(200), invo_professional_team nvarchar(48), "
        "invo_person_id nvarchar(48), invo_involvement_start_date datetime, "
        "invo_involvement_end_date datetime, invo_worker_change_reason nvarchar(200), "
        "invo_referral_id nvarchar(48)"),
    _table("ssd_linked_identifiers",
        "*link_table_id nvarchar(48), link_person_id nvarchar(48), link_identifier_type "
        "nvarchar(100), link_identifier_value nvarchar(100), link_valid_from_date datetime, "
        "link_valid_to_date datetime"),
    _table("ssd_s251_finance",
        "*s251_table_id nvarchar(48), s251_cla_placement_id nvarchar(48), s251_placeholder_1 "
        "nvarchar(48), s251_placeholder_2 nvarchar(48), s251_placeholder_3 nvarchar(48), "
        "s251_placeholder_4 nvarchar(48)"),
    _table("ssd_voice_of_child",
        "*voch_table_id nvarchar(48), voch_person_id nvarchar(48), voch_explained_worries "
        "nchar(1), voch_story_help_understand nchar(1), voch_agree_worker nchar(1), "
        "voch_plan_safe nchar(1), voch_tablet_help_explain nchar(1)"),
    _table("ssd_pre_proceedings",
        "*prep_table_id nvarchar(48), prep_person_id nvarchar(48), prep_plo_family_id "
        "nvarchar(48), prep_pre_pro_decision_date datetime, prep_initial_pre_pro_meeting_date "
        "datetime, prep_pre_pro_outcome nvarchar(100), prep_agree_stepdown_issue_date datetime, "
        "prep_cp_plans_referral_period int, prep_legal_gateway_outcome nvarchar(100), "
        "prep_prev_pre_proc_child int, prep_prev_care_proc_child int, prep_pre_pro_letter_date "
        "datetime, prep_care_pro_letter_date datetime, prep_pre_pro_meetings_num int, "
        "prep_pre_pro_parents_legal_rep nchar(1), prep_parents_legal_rep_point_of_issue nchar(2), "
        "prep_court_reference nvarchar(48), prep_care_proc_court_hearings int, "
        "prep_care_proc_short_notice nchar(1), prep_proc_short_notice_reason nvarchar(100), "
        "prep_la_inital_plan_approved nchar(1), prep_la_initial_care_plan nvarchar(100), "
        "prep_la_final_plan_approved nchar(1), prep_la_final_care_plan nvarchar(100)"),
    _table("ssd_send",
        "*send_table_id nvarchar(48), send_person_id nvarchar(48), send_upn nvarchar(48), "
        "send_uln nvarchar(48), send_upn_unknown nvarchar(6)"),
    _table("ssd_sen_need",
        "*senn_table_id nvarchar(48), senn_active_ehcp_id nvarchar(48), "
        "senn_active_ehcp_need_type nvarchar(100), senn_active_ehcp_need_rank nchar(1)"),
    _table("ssd_ehcp_requests",
        "*ehcr_ehcp_request_id nvarchar(48), ehcr_send_table_id nvarchar(48), ehcr_ehcp_req_date "
        "datetime, ehcr_ehcp_req_outcome_date datetime, ehcr_ehcp_req_outcome nvarchar(100)"),
    _table("ssd_ehcp_assessment",
        "*ehca_ehcp_assessment_id nvarchar(48), ehca_ehcp_request_id nvarchar(48), "
        "ehca_ehcp_assessment_outcome_date datetime, ehca_ehcp_assessment_outcome nvarchar(100), "
        "ehca_ehcp_assessment_exceptions nvarchar(100)"),
    _table("ssd_ehcp_named_plan",
        "*ehcn_named_plan_id nvarchar(48), ehcn_ehcp_asmt_id nvarchar(48), "
        "ehcn_named_plan_start_date datetime, ehcn_named_plan_ceased_date datetime, "
        "ehcn_named_plan_ceased_reason nvarchar(100)"),
    _table("ssd_ehcp_active_plans",
        "*ehcp_active_ehcp_id nvarchar(48), ehcp_ehcp_request_id nvarchar(48), "
        "ehcp_active_ehcp_last_review_date datetime"),
)

TABLES: MappingProxyType[str, Table] = MappingProxyType({t.name: t for t in _ALL})

# The tables goldenthread's records fill (docs/ssd.md says why the others are not).
FILLED: tuple[str, ...] = (
    "ssd_person", "ssd_cohort", "ssd_family", "ssd_address", "ssd_disability",
    "ssd_immigration_status", "ssd_cin_episodes", "ssd_mother", "ssd_legal_status",
    "ssd_contacts", "ssd_early_help_episodes", "ssd_cin_assessments", "ssd_assessment_factors",
    "ssd_cin_plans", "ssd_cin_visits", "ssd_s47_enquiry", "ssd_initial_cp_conference",
    "ssd_cp_plans", "ssd_cp_visits", "ssd_cp_reviews", "ssd_cla_episodes", "ssd_cla_convictions",
    "ssd_cla_health", "ssd_cla_immunisations", "ssd_cla_substance_misuse", "ssd_cla_placement",
    "ssd_cla_reviews", "ssd_cla_previous_permanence", "ssd_cla_care_plan", "ssd_cla_visits",
    "ssd_sdq_scores", "ssd_missing", "ssd_care_leavers", "ssd_permanence", "ssd_professionals",
    "ssd_department", "ssd_involvements", "ssd_linked_identifiers",
)


@dataclass(frozen=True)
class Reference:
    """`table.column` holds ids of `target.target_column` (the SSD declares no FKs; we check)."""

    table: str
    column: str
    target: str
    target_column: str


# Workforce ids are checked only when the extract has the workforce table: many councils'
# extracts leave it out, and a missing worker does not break a child's record.
SOFT_TARGETS = frozenset({"ssd_professionals", "ssd_department"})

_EXPLICIT = {
    "cinf_assessment_id": ("ssd_cin_assessments", "cina_assessment_id"),
    "icpc_s47_enquiry_id": ("ssd_s47_enquiry", "s47e_s47_enquiry_id"),
    "icpc_cp_plan_id": ("ssd_cp_plans", "cppl_cp_plan_id"),
    "cppv_cp_plan_id": ("ssd_cp_plans", "cppl_cp_plan_id"),
    "cppr_cp_plan_id": ("ssd_cp_plans", "cppl_cp_plan_id"),
    "cppl_icpc_id": ("ssd_initial_cp_conference", "icpc_icpc_id"),
    "clae_cla_placement_id": ("ssd_cla_placement", "clap_cla_placement_id"),
    "s251_cla_placement_id": ("ssd_cla_placement", "clap_cla_placement_id"),
    "ehcr_send_table_id": ("ssd_send", "send_table_id"),
    "ehca_ehcp_request_id": ("ssd_ehcp_requests", "ehcr_ehcp_request_id"),
    "ehcp_ehcp_request_id": ("ssd_ehcp_requests", "ehcr_ehcp_request_id"),
    "ehcn_ehcp_asmt_id": ("ssd_ehcp_assessment", "ehca_ehcp_assessment_id"),
    "invo_professional_id": ("ssd_professionals", "prof_professional_id"),
    "dept_team_parent_id": ("ssd_department", "dept_team_id"),
    "dim_person_id": ("ssd_person", "pers_person_id"),
    "DIM_PERSON_ID": ("ssd_person", "pers_person_id"),
}


def _target(table: str, column: str) -> tuple[str, str] | None:
    if column in _EXPLICIT:
        return _EXPLICIT[column]
    if column.endswith("_person_id") and table != "ssd_person":
        return ("ssd_person", "pers_person_id")
    if column.endswith("_referral_id") and table != "ssd_cin_episodes":
        return ("ssd_cin_episodes", "cine_referral_id")
    if column.endswith("_worker_id"):
        return ("ssd_professionals", "prof_professional_id")
    if column.endswith("_team"):
        return ("ssd_department", "dept_team_id")
    return None


REFERENCES: tuple[Reference, ...] = tuple(
    Reference(t.name, c.name, *target)
    for t in _ALL for c in t.columns
    if (target := _target(t.name, c.name)) is not None
)
