"""Steps from the front door to a child protection or child in need plan."""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.utils import timezone

from goldenthread.records.actions.casework import (
    do_authorise_assessment,
    do_open_referral,
    do_update_assessment,
)
from goldenthread.records.actions.journey import do_record_initial_conference, do_start_cp_plan
from goldenthread.records.models import (
    Assessment,
    CINPlan,
    CINVisit,
    Contact,
    CPPlan,
    CPReview,
    CPVisit,
    InitialConference,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)
from goldenthread.web.forms import choices as c
from goldenthread.web.forms.state import ChildState
from goldenthread.web.forms.steps import Run, Spec, Step, change, create, needed

FRONT_DOOR = "Front door"
ASSESSMENT = "Referral and assessment"
PROTECTION = "Child protection"
IN_NEED = "Child in need plan"

CONTACT_FIELDS = (
    Spec("received_at", "When the contact was received"),
    Spec("source", "Source of the contact"),
    Spec("source_detail", "Who made the contact",
         hint="For example, the school's name or the officer's collar number"),
    Spec("summary", "What the contact says"),
)

VISIT_FIELDS = (
    Spec("visit_date", "Date of the visit"),
    Spec("seen", "Was the child seen?"),
    Spec("seen_alone", "The child was seen alone"),
    Spec("bedroom_seen", "Was the child's bedroom seen?"),
    Spec("visited_by", "Visited by", choices=c.professionals, initial=c.me),
)

WORKER_FIELDS = (
    Spec("worker", "Social worker", choices=c.professionals, initial=c.me),
    Spec("team", "Team", choices=c.teams, initial=c.my_team),
)


def open_referral(run: Run) -> Referral:
    return needed(run.journey.open_referral, "referral", "open referral")


def has_open_referral(state: ChildState) -> bool:
    return state.open_referral is not None


def contact_text(contact: Contact) -> str:
    return f"contact received {c.when(contact.received_at)}"


def dated(name: str, what: str) -> Any:
    """Describe a target record by one of its dates, e.g. 'assessment from 08/01/2024'."""
    return lambda record: f"{what} {c.when(getattr(record, name))}"


def target_date(name: str) -> Any:
    return lambda run: getattr(run.target, name, None)


def _open_referral_step(run: Run, values: dict[str, Any]) -> Model:
    return do_open_referral(run.child, acting_user=run.user, **values)


def _complete_assessment(run: Run, values: dict[str, Any]) -> Model:
    factors = values.pop("factors")
    return do_update_assessment(run.the_target(Assessment), acting_user=run.user,
                                expected_version=run.expected_version(), factors=factors,
                                **values)


def _authorise(run: Run, values: dict[str, Any]) -> Model:
    return do_authorise_assessment(run.the_target(Assessment), on=values["authorised_on"],
                                   acting_user=run.user, expected_version=run.expected_version())


def current_factors(run: Run) -> list[str]:
    assessment = run.the_target(Assessment)
    return sorted(assessment.factors.filter(archived_at__isnull=True)
                  .values_list("code", flat=True))


def _conference(run: Run, values: dict[str, Any]) -> Model:
    return do_record_initial_conference(open_referral(run), acting_user=run.user, **values)


def _cp_plan(run: Run, values: dict[str, Any]) -> Model:
    return do_start_cp_plan(values["initial_conference"], start_date=values["start_date"],
                            category=values["initial_category"], acting_user=run.user)


def _open_cp_plan(run: Run) -> CPPlan:
    return needed(run.journey.open_cp_plan, "cp_plan", "open child protection plan")


def _open_cin_plan(run: Run) -> CINPlan:
    return needed(run.journey.open_cin_plan, "cin_plan", "open child in need plan")


def _one(record: Model | None) -> list[Model]:
    return [record] if record is not None else []


STEPS = (
    Step("contact", "Record a contact", FRONT_DOOR, Contact, CONTACT_FIELDS, "Save contact",
         create(Contact), when="Any time"),
    Step("contact-decision", "Record the front-door decision", FRONT_DOOR, Contact, (
        Spec("decision", "Front-door decision", required=True),
        Spec("level_of_need", "Level of need"),
        Spec("decision_rationale", "Rationale for the decision",
             hint="What you weighed up, and why this is the right response"),
        Spec("decided_at", "When the decision was made",
             initial=lambda run: timezone.localtime().replace(second=0, microsecond=0)),
        Spec("decided_by", "Decided by", choices=c.professionals, initial=c.me, required=True),
    ), "Save decision", change, targets=lambda s: s.undecided_contacts, describe=contact_text,
        when="A contact has no decision yet"),
    Step("referral", "Record a referral", ASSESSMENT, Referral, (
        Spec("contact", "The contact it came from", choices=c.contacts,
             initial=c.contact_for_referral),
        Spec("referral_date", "Date of the referral"),
        Spec("source", "Source of the referral",
             initial=lambda run: getattr(c.contact_for_referral(run), "source", None)),
        Spec("primary_need", "Category of need (primary need)"),
        Spec("team", "Team that will hold the case", choices=c.teams, initial=c.my_team),
        Spec("worker", "Allocated social worker", choices=c.professionals,
             hint="Leave blank to allocate the case later"),
    ), "Save referral", _open_referral_step,
        available=lambda s: s.open_referral is None, when="The child has no open referral"),
    Step("assessment", "Start an assessment", ASSESSMENT, Assessment, (
        Spec("start_date", "Date the assessment started"),
        *WORKER_FIELDS,
    ), "Start assessment", create(Assessment, referral=open_referral),
        available=has_open_referral, when="The child has an open referral"),
    Step("assessment-complete", "Record the assessment's findings", ASSESSMENT, Assessment, (
        Spec("child_seen", "Was the child seen during the assessment?"),
        Spec("child_seen_on", "Date the child was seen"),
        Spec("factors", "Factors identified at assessment", code_list="ASSESSMENT_FACTOR",
             dated_by="start_date", initial=current_factors),
        Spec("completed_on", "Date the assessment was completed", required=True,
             hint="The day it was submitted to a manager for authorisation"),
        Spec("outcome_nfa", "Outcome: no further action"),
    ), "Save and complete assessment", _complete_assessment,
        targets=lambda s: s.assessments_to_complete, describe=dated("start_date",
                                                                    "assessment from"),
        on=target_date("start_date"), when="An assessment on the open referral is not complete"),
    Step("assessment-authorise", "Authorise the assessment", ASSESSMENT, Assessment, (
        Spec("authorised_on", "Date authorised", required=True),
    ), "Authorise assessment", _authorise, targets=lambda s: s.assessments_to_authorise,
        describe=dated("start_date", "assessment from"), manager_only=True,
        when="An assessment is complete and not yet authorised; only a manager may authorise",
        intro="You are signing off this assessment as its manager."),
    Step("strategy-discussion", "Record a strategy discussion", PROTECTION, StrategyDiscussion, (
        Spec("held_on", "Date of the strategy discussion"),
        Spec("section_47_agreed", "Was a section 47 enquiry agreed?"),
        Spec("attendees", "Who took part"),
        Spec("rationale", "Rationale for the decision"),
    ), "Save strategy discussion", create(StrategyDiscussion, referral=open_referral),
        available=has_open_referral, when="The child has an open referral"),
    Step("section-47", "Start a section 47 enquiry", PROTECTION, Section47Enquiry, (
        Spec("strategy_discussion", "Strategy discussion that agreed it",
             choices=c.discussions, initial=c.latest_discussion),
        Spec("start_date", "Date the enquiry started"),
        *WORKER_FIELDS,
    ), "Start section 47 enquiry", create(Section47Enquiry, referral=open_referral),
        available=has_open_referral, when="The child has an open referral"),
    Step("section-47-outcome", "Record the outcome of the section 47 enquiry", PROTECTION,
         Section47Enquiry, (
             Spec("end_date", "Date the enquiry ended", required=True),
             Spec("icpc_required", "Is an initial child protection conference needed?",
                  required=True),
             Spec("outcome_nfa", "Outcome: no further action"),
         ), "Save outcome", change, targets=lambda s: s.open_enquiries,
         describe=dated("start_date", "section 47 enquiry from"),
         when="A section 47 enquiry on the open referral has not ended"),
    Step("initial-conference", "Record an initial child protection conference", PROTECTION,
         InitialConference, (
             Spec("section_47", "Section 47 enquiry it follows", choices=c.enquiries,
                  initial=c.latest_enquiry),
             Spec("is_transfer_in", "This is a transfer-in conference",
                  hint="The child was on a plan in another authority"),
             Spec("conference_date", "Date of the conference"),
             Spec("cp_plan_decided", "Did the conference decide on a child protection plan?"),
             Spec("chair", "Chair", choices=c.professionals),
         ), "Save conference", _conference, available=has_open_referral,
         when="The child has an open referral (after a section 47 enquiry, or a transfer-in)"),
    Step("cp-plan", "Start the child protection plan", PROTECTION, CPPlan, (
        Spec("initial_conference", "Conference that decided on the plan",
             choices=c.conferences_awaiting_plan, initial=c.first_conference_awaiting_plan),
        Spec("start_date", "Date the plan started"),
        Spec("initial_category", "Category of abuse", aliases=("latest_category", "category")),
    ), "Start plan", _cp_plan, available=lambda s: bool(s.conferences_awaiting_plan),
        when="An initial conference decided on a plan that is not yet recorded"),
    Step("cp-review", "Record a child protection review", PROTECTION, CPReview, (
        Spec("due_date", "Date the review was due"),
        Spec("review_date", "Date of the review"),
        Spec("plan_continues", "Does the plan continue?"),
        Spec("quorate", "Was the review quorate?"),
        Spec("participation", "How the child took part"),
    ), "Save review", create(CPReview, cp_plan=_open_cp_plan),
        available=lambda s: s.open_cp_plan is not None,
        when="The child has an open child protection plan"),
    Step("cp-visit", "Record a child protection visit", PROTECTION, CPVisit, VISIT_FIELDS,
         "Save visit", create(CPVisit, cp_plan=_open_cp_plan),
         available=lambda s: s.open_cp_plan is not None,
         when="The child has an open child protection plan"),
    Step("cp-plan-end", "End the child protection plan", PROTECTION, CPPlan, (
        Spec("end_date", "Date the plan ended", required=True),
    ), "End plan", change, targets=lambda s: _one(s.open_cp_plan),
        describe=dated("start_date", "child protection plan from"),
        when="The child has an open child protection plan"),
    Step("cin-plan", "Start a child in need plan", IN_NEED, CINPlan, (
        Spec("start_date", "Date the plan started"),
        *WORKER_FIELDS,
    ), "Start plan", create(CINPlan, referral=open_referral),
        available=lambda s: s.open_referral is not None and s.open_cin_plan is None,
        when="The child has an open referral and no open child in need plan"),
    Step("cin-visit", "Record a child in need visit", IN_NEED, CINVisit, VISIT_FIELDS,
         "Save visit", create(CINVisit, cin_plan=_open_cin_plan),
         available=lambda s: s.open_cin_plan is not None,
         when="The child has an open child in need plan"),
    Step("cin-plan-end", "End the child in need plan", IN_NEED, CINPlan, (
        Spec("end_date", "Date the plan ended", required=True),
    ), "End plan", change, targets=lambda s: _one(s.open_cin_plan),
        describe=dated("start_date", "child in need plan from"),
        when="The child has an open child in need plan"),
)
