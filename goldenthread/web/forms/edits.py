"""What may be changed on each kind of record after it is saved, and the person's details.

Dates that other records hang from (a referral's date, a plan's start) are not offered
there: changing them moves the frame the other records were checked against. They have a
correction form of their own (`correct-<record>`, records.actions.corrections), which checks
those records against the new date and asks why the date was wrong. Steps that keep the
SSDA903 shape (placements, episodes, periods of care) change those through their actions."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Model

from goldenthread.core.models import BaseModel
from goldenthread.records.actions.casework import do_update_assessment
from goldenthread.records.actions.corrections import do_correct_dates
from goldenthread.records.models import (
    Assessment,
    CareLeaver,
    CaseNote,
    CINPlan,
    CINVisit,
    CLAReview,
    CLAVisit,
    Contact,
    CPPlan,
    CPReview,
    CPVisit,
    InitialConference,
    IROContact,
    MissingEpisode,
    PathwayPlan,
    Permanence,
    PermanencePlan,
    Person,
    Placement,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
    Supervision,
)
from goldenthread.web.forms import care, journey
from goldenthread.web.forms import choices as c
from goldenthread.web.forms.steps import Run, Spec, Step, change

PERSON_FIELDS = (
    Spec("forename", "First name"),
    Spec("surname", "Last name"),
    Spec("preferred_name", "Preferred name"),
    Spec("date_of_birth", "Date of birth", hint="Leave blank for an unborn child. "
                                                "For example, 27 3 2024"),
    Spec("expected_date_of_birth", "Expected date of birth",
         hint="For an unborn child. For example, 27 3 2024"),
    Spec("sex", "Sex"),
    Spec("ethnicity", "Ethnicity"),
    Spec("upn", "Unique pupil number (UPN)", hint="13 characters, for example A123456789012"),
    Spec("upn_unknown_reason", "Reason there is no UPN"),
    Spec("nhs_number", "NHS number", hint="10 digits"),
)


def _assessment(run: Run, values: dict[str, Any]) -> Model:
    factors = values.pop("factors")
    return do_update_assessment(run.the_target(Assessment), acting_user=run.user,
                                expected_version=run.expected_version(), factors=factors,
                                **values)


def _by_name(steps: tuple[Step, ...], slug: str) -> tuple[Spec, ...]:
    return next(s.fields for s in steps if s.slug == slug)


def _edit(model: type[Model], fields: tuple[Spec, ...], save: Any = change) -> Step:
    name = str(model._meta.verbose_name)
    return Step(model._meta.model_name or "", f"Change the {name}", "", model, fields,
                "Save changes", save)


# The frame dates a correction form offers, with their questions (records.actions.corrections
# says which may be corrected).
CORRECTIONS: dict[type[Model], Spec] = {
    Referral: Spec("referral_date", "Date of the referral"),
    StrategyDiscussion: Spec("held_on", "Date of the strategy discussion"),
    Section47Enquiry: Spec("start_date", "Date the enquiry started"),
    InitialConference: Spec("conference_date", "Date of the conference"),
    CINPlan: Spec("start_date", "Date the plan started"),
    CPPlan: Spec("start_date", "Date the plan started"),
}
CORRECTION_PREFIX = "correct-"


def _correct(model: type[Model], date: Spec) -> Step:
    """A form to correct one frame date, with the reason the audit trail keeps (asked in
    the record's `archive_reason` field, which the action never writes: only its text is
    taken)."""
    def save(run: Run, values: dict[str, Any]) -> Model:
        reason = values.pop("archive_reason", "") or ""
        return do_correct_dates(cast(BaseModel, run.the_target(model)), acting_user=run.user,
                                expected_version=run.expected_version(), reason=reason,
                                **values)

    name = str(model._meta.verbose_name)
    return Step(f"{CORRECTION_PREFIX}{model._meta.model_name}", f"Correct the {name}'s date",
                "", model, (date, Spec("archive_reason", "Why the date was wrong",
                                       hint="Kept in the audit trail with the old and the "
                                            "new date", required=True, aliases=("reason",))),
                "Correct the date", save)


J, C = journey.STEPS, care.STEPS
MISSING_FIELDS = (
    *_by_name(C, "missing-episode"),
    Spec("rhi_offered_at", "When the return home interview was offered"),
    Spec("rhi_accepted", "Was the interview accepted?"),
    Spec("rhi_completed_at", "When the interview was held"),
    Spec("rhi_by", "Interview held by", choices=c.professionals),
)
PERMANENCE_FIELDS = (
    Spec("adm_decision_date", "Date of the agency decision maker's decision"),
    Spec("ffa_decision_date", "Date of the fostering for adoption decision"),
    Spec("placement_order_date", "Date of the placement order"),
    Spec("matched_date", "Date matched with the adopters"),
    Spec("placed_for_adoption_date", "Date placed for adoption"),
    Spec("number_of_adopters", "Number of adopters"),
    Spec("adopter_sex", "Adopters' sex"),
    Spec("adopter_legal_status", "Adopters' legal status"),
    Spec("decision_reversed_date", "Date the decision was reversed"),
    Spec("decision_reversed_reason", "Reason the decision was reversed"),
    Spec("permanence_order_date", "Date of the order"),
    Spec("permanence_order_type", "Kind of order"),
    Spec("adoption_worker", "Adoption worker", choices=c.professionals),
)

EDITS: dict[str, Step] = {step.slug: step for step in (
    _edit(Person, PERSON_FIELDS),
    _edit(Contact, journey.CONTACT_FIELDS + _by_name(J, "contact-decision")),
    _edit(Referral, (
        Spec("source", "Source of the referral"),
        Spec("primary_need", "Category of need (primary need)"),
        Spec("team", "Team that holds the case", choices=c.teams),
        Spec("worker", "Social worker", choices=c.professionals),
    )),
    _edit(Assessment, (
        Spec("start_date", "Date the assessment started"),
        *_by_name(J, "assessment-complete")[:-2],
        Spec("completed_on", "Date the assessment was completed"),
        Spec("outcome_nfa", "Outcome: no further action"),
        *journey.WORKER_FIELDS,
    ), _assessment),
    _edit(StrategyDiscussion, _by_name(J, "strategy-discussion")[1:]),
    _edit(Section47Enquiry, (Spec("end_date", "Date the enquiry ended"),
                             Spec("icpc_required",
                                  "Is an initial child protection conference needed?"),
                             Spec("outcome_nfa", "Outcome: no further action"),
                             *journey.WORKER_FIELDS)),
    _edit(InitialConference, _by_name(J, "initial-conference")[-1:]),
    _edit(CPPlan, (Spec("latest_category", "Latest category of abuse"),
                   Spec("end_date", "Date the plan ended"))),
    _edit(CPReview, _by_name(J, "cp-review")),
    _edit(CPVisit, journey.VISIT_FIELDS),
    _edit(CINPlan, (Spec("end_date", "Date the plan ended"), *journey.WORKER_FIELDS)),
    _edit(CINVisit, journey.VISIT_FIELDS),
    _edit(Placement, care.PLACEMENT_FIELDS[1:]),
    _edit(CLAReview, _by_name(C, "cla-review")),
    _edit(CLAVisit, _by_name(C, "cla-visit")),
    _edit(IROContact, _by_name(C, "iro-contact")),
    _edit(MissingEpisode, MISSING_FIELDS),
    _edit(PermanencePlan, (*_by_name(C, "permanence-plan"),
                           Spec("end_date", "Date the plan ended"))),
    _edit(Permanence, PERMANENCE_FIELDS),
    _edit(CareLeaver, (*_by_name(C, "care-leaver"), Spec("end_date", "Date to"))),
    _edit(PathwayPlan, (*_by_name(C, "pathway-plan"), Spec("end_date", "Date it ended"))),
    _edit(CaseNote, _by_name(C, "case-note")),
    _edit(Supervision, _by_name(C, "supervision")),
    *(_correct(model, date) for model, date in CORRECTIONS.items()),
)}
