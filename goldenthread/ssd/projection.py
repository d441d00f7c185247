"""Project the records into the SSD tables (docs/ssd.md; the mapping is docs/model.md).

Reads with raw SQL on Django's connection (one query a table, no model instances: a full
authority must project in seconds) and never writes. Archived rows are left out, and so are
rows about an archived person. Missing data stays NULL; flags are 'Y'/'N'; codes are as
stored; ids are strings; the SSD's JSON columns are JSON text with the SSD's keys.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Mapping
from functools import partial

import pyarrow as pa
from django.utils import timezone

from goldenthread.ssd import derived
from goldenthread.ssd.extensions import EXTENSIONS
from goldenthread.ssd.schema import FILLED
from goldenthread.ssd.shaping import arrow_table, drop_dangling, window, years_before
from goldenthread.ssd.sql import PERIOD, PERSON, Row, rows

__all__ = ["WINDOW_RULES", "project"]

# Simple tables: one SELECT whose columns are the SSD's, in order.
SIMPLE: Mapping[str, str] = {
    "ssd_family": """SELECT x.id, x.household_id, p.la_person_id FROM {HouseholdMember} x
        JOIN {Household} h ON h.id = x.household_id AND h.archived_at IS NULL""",
    "ssd_disability": "SELECT x.id, p.la_person_id, x.code FROM {PersonDisability} x",
    "ssd_immigration_status": """SELECT x.id, p.la_person_id, x.start_date, x.end_date,
        x.status FROM {ImmigrationStatus} x""",
    "ssd_mother": """SELECT x.id, r.la_person_id, p.la_person_id, p.date_of_birth
        FROM {Relationship} x JOIN {Person} r ON r.id = x.relative_id
        AND r.archived_at IS NULL AND x.relationship_type = 'MOTHER'""",
    "ssd_early_help_episodes": """SELECT x.id, p.la_person_id, x.start_date, x.end_date,
        x.reason, x.end_reason, x.organisation, x.worker_id FROM {EarlyHelpEpisode} x""",
    "ssd_cin_assessments": """SELECT x.id, p.la_person_id, x.referral_id, x.start_date,
        x.child_seen, x.authorised_on, NULL, x.outcome_nfa, x.team_id, x.worker_id
        FROM {Assessment} x""",
    "ssd_cin_plans": """SELECT x.id, x.referral_id, p.la_person_id, x.start_date, x.end_date,
        x.team_id, x.worker_id FROM {CINPlan} x""",
    "ssd_cin_visits": """SELECT x.id, p.la_person_id, x.visit_date, x.seen, x.seen_alone,
        x.bedroom_seen FROM {CINVisit} x""",
    "ssd_cp_plans": """SELECT x.id, x.referral_id, x.initial_conference_id, p.la_person_id,
        x.start_date, x.end_date, x.is_other_la, x.initial_category, x.latest_category
        FROM {CPPlan} x""",
    "ssd_cp_visits": """SELECT x.id, p.la_person_id, x.cp_plan_id, x.visit_date, x.seen,
        x.seen_alone, x.bedroom_seen FROM {CPVisit} x""",
    "ssd_cp_reviews": """SELECT x.id, p.la_person_id, x.cp_plan_id, x.due_date, x.review_date,
        NULL, x.plan_continues, CASE WHEN x.quorate THEN 'Y' WHEN NOT x.quorate THEN 'N' END,
        x.participation FROM {CPReview} x""",
    "ssd_cla_episodes": """SELECT x.id, p.la_person_id, x.placement_id, x.start_date,
        x.reason_new_episode, x.cin_need, x.end_date, x.reason_ceased, x.period_id,
        per.referral_id, (SELECT MAX(i.contact_date) FROM {IROContact} i
                          WHERE i.period_id = x.period_id AND i.archived_at IS NULL),
        per.start_date FROM {CLAEpisode} x """ + PERIOD,
    "ssd_cla_convictions": """SELECT x.id, p.la_person_id, x.conviction_date, x.offence
        FROM {Conviction} x""",
    "ssd_cla_health": """SELECT x.id, p.la_person_id, x.check_type, x.check_date,
        CASE WHEN x.completed THEN 'Y' ELSE 'N' END FROM {HealthCheck} x""",
    "ssd_cla_substance_misuse": """SELECT x.id, p.la_person_id, x.identified_on, x.substance,
        x.intervention_received FROM {SubstanceMisuse} x""",
    "ssd_cla_placement": """SELECT x.id, x.period_id, p.la_person_id, x.start_date,
        x.placement_type, x.urn, x.distance_miles, x.provider, x.postcode, x.end_date,
        x.change_reason FROM {Placement} x """ + PERIOD,
    "ssd_cla_reviews": """SELECT x.id, x.period_id, p.la_person_id, x.due_date, x.review_date,
        x.cancelled, x.participation FROM {CLAReview} x """ + PERIOD,
    "ssd_cla_visits": """SELECT x.id, x.period_id, p.la_person_id, x.visit_date, x.seen,
        x.seen_alone FROM {CLAVisit} x """ + PERIOD,
    "ssd_sdq_scores": """SELECT x.id, p.la_person_id, x.completed_on, x.score, x.reason
        FROM {SDQScore} x""",
    "ssd_missing": """SELECT x.id, p.la_person_id, x.start_at, x.episode_type, x.end_at,
        CASE WHEN x.rhi_offered_at IS NULL THEN 'N' ELSE 'Y' END,
        CASE WHEN x.rhi_accepted THEN 'Y' WHEN NOT x.rhi_accepted THEN 'N' END
        FROM {MissingEpisode} x""",
    "ssd_permanence": """SELECT x.id, p.la_person_id, per.id, x.adm_decision_date,
        x.part_of_sibling_group, x.siblings_placed_together, x.siblings_placed_apart,
        x.ffa_decision_date, x.placement_order_date, x.matched_date, x.adopter_sex,
        x.adopter_legal_status, x.number_of_adopters, x.placed_for_adoption_date,
        x.adopted_by_foster_carer, NULL, x.placed_ffa_date, x.provider_urn,
        x.decision_reversed_date, x.decision_reversed_reason, x.permanence_order_date,
        x.permanence_order_type, x.adoption_worker_id FROM {Permanence} x
        LEFT JOIN {PeriodOfCare} per ON per.id = x.period_id AND per.archived_at IS NULL""",
    "ssd_department": """SELECT x.id, x.name, par.id, par.name FROM {Team} x
        LEFT JOIN {Team} par ON par.id = x.parent_id AND par.archived_at IS NULL""",
    "ssd_involvements": """SELECT x.id, x.professional_id, x.role, x.team_id, p.la_person_id,
        x.start_date, x.end_date, x.change_reason, x.referral_id FROM {Involvement} x""",
}


# goldenthread's extension tables (extensions.py): what the SSD lacks and the analytics need.
EXTENSION_SQL: Mapping[str, str] = {
    "gtx_local_authority": """SELECT x.name, x.ons_code, x.dfe_code FROM {LocalAuthority} x
        WHERE x.archived_at IS NULL""",
    "gtx_population": """SELECT x.mid_year, x.children_0_17 FROM {ChildPopulation} x
        WHERE x.archived_at IS NULL ORDER BY x.mid_year""",
    "gtx_professional": """SELECT x.id, x.start_date, x.leave_date, x.leave_reason,
        x.qualified_on, x.asye_start, x.is_social_worker, x.is_manager, x.fte, x.is_agency
        FROM {Professional} x WHERE x.archived_at IS NULL""",
    "gtx_team_membership": """SELECT x.professional_id, x.team_id, x.start_date, x.end_date,
        x.is_team_manager FROM {TeamMembership} x
        JOIN {Professional} pro ON pro.id = x.professional_id AND pro.archived_at IS NULL
        JOIN {Team} t ON t.id = x.team_id AND t.archived_at IS NULL
        WHERE x.archived_at IS NULL""",
}


def _simple(name: str) -> list[Row]:
    person = "" if name == "ssd_department" else PERSON
    return rows(f"{SIMPLE[name]} {person} WHERE x.archived_at IS NULL")


# The columns a row cannot be without: if what they point to is not in the extract (it was
# archived), the row goes. Other references are blanked instead.
REQUIRED = frozenset({
    "cina_referral_id", "cinf_assessment_id", "cinp_referral_id", "s47e_referral_id",
    "icpc_referral_id", "cppl_referral_id", "cppl_icpc_id", "cppv_cp_plan_id",
    "cppr_cp_plan_id", "clae_cla_placement_id",
})

# The SSD's rolling window: (dates of which any on or after the cut-off keeps a row, the end
# date whose being blank, i.e. still open, keeps it too).
WINDOW_RULES: Mapping[str, tuple[tuple[str, ...], str | None]] = {
    "ssd_contacts": (("cont_contact_date",), None),
    "ssd_early_help_episodes": (("earl_episode_start_date",), "earl_episode_end_date"),
    "ssd_cin_episodes": (("cine_referral_date",), "cine_close_date"),
    "ssd_cin_assessments": (("cina_assessment_start_date",), "cina_assessment_auth_date"),
    "ssd_cin_plans": (("cinp_cin_plan_start_date",), "cinp_cin_plan_end_date"),
    "ssd_cin_visits": (("cinv_cin_visit_date",), None),
    "ssd_s47_enquiry": (("s47e_s47_start_date",), "s47e_s47_end_date"),
    "ssd_initial_cp_conference": (("icpc_icpc_date",), None),
    "ssd_cp_plans": (("cppl_cp_plan_start_date",), "cppl_cp_plan_end_date"),
    "ssd_cp_visits": (("cppv_cp_visit_date",), None),
    "ssd_cp_reviews": (("cppr_cp_review_due", "cppr_cp_review_date"), None),
    "ssd_cla_episodes": (("clae_cla_episode_start_date",), "clae_cla_episode_ceased_date"),
    "ssd_legal_status": (("lega_legal_status_start_date",), "lega_legal_status_end_date"),
    "ssd_cla_placement": (("clap_cla_placement_start_date",), "clap_cla_placement_end_date"),
    "ssd_cla_reviews": (("clar_cla_review_due_date", "clar_cla_review_date"), None),
    "ssd_cla_visits": (("clav_cla_visit_date",), None),
    "ssd_cla_health": (("clah_health_check_date",), None),
    "ssd_cla_immunisations": (("clai_immunisations_status_date",), None),
    "ssd_cla_convictions": (("clac_cla_conviction_date",), None),
    "ssd_cla_substance_misuse": (("clas_substance_misuse_date",), None),
    "ssd_sdq_scores": (("csdq_sdq_completed_date",), None),
    "ssd_missing": (("miss_missing_episode_start_date",), "miss_missing_episode_end_date"),
    "ssd_cla_care_plan": (("lacp_cla_care_plan_start_date",), "lacp_cla_care_plan_end_date"),
    "ssd_permanence": (("perm_adm_decision_date", "perm_ffa_cp_decision_date",
                        "perm_placement_order_date", "perm_matched_date",
                        "perm_placed_for_adoption_date", "perm_placed_ffa_cp_date",
                        "perm_decision_reversed_date", "perm_permanence_order_date"), None),
    "ssd_involvements": (("invo_involvement_start_date",), "invo_involvement_end_date"),
    "ssd_assessment_factors": ((), None),  # kept with the assessment they belong to
}
# Tables about a person rather than an event: kept for every person in the window.
PERSON_LEVEL: Mapping[str, str] = {
    "ssd_address": "addr_person_id", "ssd_disability": "disa_person_id",
    "ssd_immigration_status": "immi_person_id", "ssd_linked_identifiers": "link_person_id",
    "ssd_family": "fami_person_id", "ssd_mother": "moth_childs_person_id",
    "ssd_cohort": "dim_person_id", "ssd_cla_previous_permanence": "lapp_person_id",
    "ssd_care_leavers": "clea_person_id",
}


def _builders(today: dt.date) -> dict[str, Callable[[], Iterable[Row]]]:
    built: dict[str, Callable[[], Iterable[Row]]] = {name: partial(_simple, name)
                                                     for name in SIMPLE}
    built.update(derived.builders(today))
    built.update({name: partial(rows, EXTENSION_SQL[name]) for name in EXTENSION_SQL})
    return built


def project(*, today: dt.date | None = None, window_years: int | None = None,
            progress: Callable[[str], None] | None = None) -> dict[str, pa.Table]:
    """Every SSD table the records fill, in the SSD's order, then goldenthread's gtx_*
    extension tables, as Arrow tables.

    `today` anchors the caseload census date and the window; `window_years` keeps only
    the last N years' events, as the SSD's `@ssd_timeframe_years` does (default: all)."""
    today = today or timezone.localdate()
    builders = _builders(today)
    names = (*FILLED, *EXTENSIONS)
    missing = set(names) - set(builders)
    if missing:
        raise RuntimeError(f"no projection for {sorted(missing)}")
    tables: dict[str, pa.Table] = {}
    for name in names:
        started = time.perf_counter()
        tables[name] = arrow_table(name, builders[name]())
        if progress is not None:
            progress(f"{name}: {tables[name].num_rows} rows "
                     f"({time.perf_counter() - started:.1f} s)")
    drop_dangling(tables, REQUIRED)
    if window_years is not None:
        window(tables, WINDOW_RULES, PERSON_LEVEL, years_before(today, window_years))
    return {name: tables[name] for name in names}
