"""Steps from coming into care to leaving it, missing episodes, permanence and adoption,
care leavers, closure, and the work around every case: notes, supervision, allocation."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from goldenthread.records.actions.cla import (
    PlacementDetails,
    do_change_legal_status,
    do_change_placement,
    do_end_period_of_care,
    do_start_period_of_care,
)
from goldenthread.records.actions.journey import do_allocate_worker, do_close_referral
from goldenthread.records.models import (
    CareLeaver,
    CareLeaverContact,
    CaseNote,
    CLAEpisode,
    CLAReview,
    CLAVisit,
    Involvement,
    IROContact,
    MissingEpisode,
    PathwayPlan,
    PeriodOfCare,
    Permanence,
    PermanencePlan,
    Placement,
    Referral,
    Supervision,
)
from goldenthread.records.models.cla import SSDA903_EXCLUDED_NEEDS
from goldenthread.web.forms import choices as c
from goldenthread.web.forms.journey import dated, open_referral
from goldenthread.web.forms.state import ChildState
from goldenthread.web.forms.steps import Run, Spec, Step, change, create, needed

CARE = "Looked after"
MISSING = "Missing from home or care"
PERMANENCE = "Permanence and adoption"
LEAVING = "Leaving care"
CLOSING = "Closing the case"
CASEWORK = "Case work"

PLACEMENT_FIELDS = (
    Spec("placement_type", "Placement type", model=Placement),
    Spec("provider", "Placement provider", model=Placement),
    Spec("urn", "Ofsted URN of the placement", model=Placement,
         hint="SC and 6 digits, or 7 digits; leave blank if it has none"),
    Spec("postcode", "Postcode of the placement", model=Placement),
    Spec("distance_miles", "Distance from the child's home, in miles", model=Placement),
    Spec("carer_name", "Carer's name", model=Placement),
)
PLACEMENT_NAMES = ("placement_type", "provider", "urn", "postcode", "distance_miles",
                   "carer_name")


def placement(values: dict[str, Any]) -> PlacementDetails:
    return PlacementDetails(**{name: values.pop(name) for name in PLACEMENT_NAMES})


def open_period(run: Run) -> PeriodOfCare:
    return needed(run.journey.open_period, "period", "open period of care")


def in_care(state: ChildState) -> bool:
    return state.open_period is not None


def _start_care(run: Run, values: dict[str, Any]) -> Model:
    details = placement(values)
    return do_start_period_of_care(run.child, placement=details, acting_user=run.user,
                                   referral=run.journey.open_referral, **values)


def _move(run: Run, values: dict[str, Any]) -> Model:
    details = placement(values)
    return do_change_placement(open_period(run), on=values["start_date"], placement=details,
                               reason_place_change=values["change_reason"],
                               reason_new_episode=values["reason_new_episode"],
                               acting_user=run.user)


def _legal_status(run: Run, values: dict[str, Any]) -> Model:
    return do_change_legal_status(open_period(run), on=values["start_date"],
                                  legal_status=values["legal_status"], acting_user=run.user)


def _leave_care(run: Run, values: dict[str, Any]) -> Model:
    return do_end_period_of_care(open_period(run), on=values["end_date"],
                                 reason_ceased=values["reason_ceased"], acting_user=run.user)


def _close(run: Run, values: dict[str, Any]) -> Model:
    return do_close_referral(open_referral(run), on=values["closure_date"],
                             reason=values["closure_reason"], acting_user=run.user)


def _allocate(run: Run, values: dict[str, Any]) -> Model:
    return do_allocate_worker(run.child, professional=values["professional"],
                              team=values["team"], on=values["start_date"], role=values["role"],
                              change_reason=values["change_reason"], acting_user=run.user,
                              referral=run.journey.open_referral)


def milestone(slug: str, name: str, label: str, title: str, submit: str, *more: Spec,
              when: str) -> Step:
    """A step recording one permanence milestone on the record in progress."""
    return Step(slug, title, PERMANENCE, Permanence,
                (Spec(name, label, required=True), *more), submit, change,
                targets=lambda s: s.permanence_without(name),
                describe=lambda p: "the permanence record" + (
                    f" (ADM decision {c.when(p.adm_decision_date)})" if p.adm_decision_date
                    else ""), when=when)


def has_been_in_care(state: ChildState) -> bool:
    return bool(state.periods)


STEPS = (
    Step("period-of-care", "Record coming into care", CARE, PeriodOfCare, (
        Spec("start_date", "Date the child became looked after"),
        Spec("legal_status", "Legal status", model=CLAEpisode),
        Spec("cin_need", "Category of need", model=CLAEpisode, exclude=SSDA903_EXCLUDED_NEEDS),
        *PLACEMENT_FIELDS,
        Spec("home_postcode", "Postcode of the child's home", model=CLAEpisode),
    ), "Save coming into care", _start_care, available=lambda s: s.open_period is None,
        when="The child is not looked after now"),
    Step("placement-change", "Record a change of placement", CARE, Placement, (
        Spec("start_date", "Date of the move", aliases=("end_date", "on")),
        Spec("reason_new_episode", "What changed", model=CLAEpisode, only=frozenset("PT"),
             required=True),
        Spec("change_reason", "Reason the last placement ended", required=True),
        *PLACEMENT_FIELDS,
    ), "Save change of placement", _move, available=in_care,
        when="The child is looked after"),
    Step("legal-status", "Record a change of legal status", CARE, CLAEpisode, (
        Spec("start_date", "Date of the change", aliases=("end_date", "on")),
        Spec("legal_status", "New legal status"),
    ), "Save legal status", _legal_status, available=in_care, when="The child is looked after"),
    Step("cla-review", "Record a looked-after review", CARE, CLAReview, (
        Spec("due_date", "Date the review was due"),
        Spec("review_date", "Date of the review"),
        Spec("cancelled", "The review was cancelled"),
        Spec("participation", "How the child took part"),
        Spec("chaired_by", "Chaired by (IRO)", choices=c.professionals),
    ), "Save review", create(CLAReview, period=open_period), available=in_care,
        when="The child is looked after"),
    Step("cla-visit", "Record a visit to a looked-after child", CARE, CLAVisit, (
        Spec("visit_date", "Date of the visit"),
        Spec("seen", "Was the child seen?"),
        Spec("seen_alone", "The child was seen alone"),
        Spec("visited_by", "Visited by", choices=c.professionals, initial=c.me),
    ), "Save visit", create(CLAVisit, period=open_period), available=in_care,
        when="The child is looked after"),
    Step("iro-contact", "Record a contact by the IRO", CARE, IROContact, (
        Spec("iro", "Independent reviewing officer", choices=c.professionals, initial=c.me),
        Spec("contact_date", "Date of the contact"),
        Spec("note", "Note"),
    ), "Save IRO contact", create(IROContact, period=open_period), available=in_care,
        when="The child is looked after"),
    Step("leave-care", "Record leaving care", CARE, PeriodOfCare, (
        Spec("end_date", "Date the child left care", required=True, aliases=("on",)),
        Spec("reason_ceased", "Reason care ended", model=CLAEpisode, required=True,
             exclude=frozenset({"X1"})),
    ), "Save leaving care", _leave_care, available=in_care, when="The child is looked after"),
    Step("missing-episode", "Record a missing or away episode", MISSING, MissingEpisode, (
        Spec("episode_type", "Missing, or away from placement"),
        Spec("start_at", "When the child went missing"),
        Spec("end_at", "When the child returned", hint="Leave blank if the child is still "
                                                       "missing. For example, 27 3 2024 and "
                                                       "14:30 (24-hour clock)"),
        Spec("reported_to_police", "Was it reported to the police?"),
    ), "Save missing episode", create(MissingEpisode), when="Any time"),
    Step("missing-return", "Record the child's return", MISSING, MissingEpisode, (
        Spec("end_at", "When the child returned", required=True),
        Spec("reported_to_police", "Was it reported to the police?"),
    ), "Save return", change, targets=lambda s: s.missing_now,
        describe=dated("start_at", "missing since"), when="The child is missing now"),
    Step("return-home-interview", "Record the return home interview", MISSING, MissingEpisode, (
        Spec("rhi_offered_at", "When the interview was offered", required=True),
        Spec("rhi_accepted", "Was the interview accepted?"),
        Spec("rhi_completed_at", "When the interview was held"),
        Spec("rhi_by", "Interview held by", choices=c.professionals, initial=c.me),
    ), "Save return home interview", change, targets=lambda s: s.awaiting_interview,
        describe=dated("start_at", "missing episode from"),
        when="The child has returned and the interview is not yet held"),
    Step("permanence-plan", "Record the plan for permanence", PERMANENCE, PermanencePlan, (
        Spec("plan", "Plan for permanence"),
        Spec("decided_on", "Date decided"),
        Spec("decided_at_review", "Looked-after review that decided it",
             choices=c.cla_reviews),
    ), "Save permanence plan", create(PermanencePlan, period=open_period), available=in_care,
        when="The child is looked after"),
    Step("adm-decision", "Record the decision that the child should be placed for adoption",
         PERMANENCE, Permanence, (
             Spec("adm_decision_date", "Date of the agency decision maker's decision",
                  required=True),
             Spec("ffa_decision_date", "Date of the fostering for adoption decision"),
             Spec("adoption_worker", "Adoption worker", choices=c.professionals),
         ), "Save decision", create(Permanence, period=open_period),
         available=lambda s: s.open_period is not None and not s.permanence_in_progress,
         when="The child is looked after and has no adoption plan in progress"),
    milestone("placement-order", "placement_order_date", "Date of the placement order",
              "Record the placement order", "Save placement order",
              when="An adoption decision is recorded without a placement order"),
    milestone("adoption-match", "matched_date", "Date matched with the adopters",
              "Record the match", "Save match", Spec("number_of_adopters", "Number of adopters"),
              Spec("adopter_sex", "Adopters' sex"),
              Spec("adopter_legal_status", "Adopters' legal status"),
              Spec("adopted_by_foster_carer", "Are the adopters the child's foster carers?"),
              Spec("part_of_sibling_group", "Is the child placed as part of a sibling group?"),
              when="An adoption decision is recorded without a match"),
    milestone("placed-for-adoption", "placed_for_adoption_date", "Date placed for adoption",
              "Record the placement for adoption", "Save placement for adoption",
              Spec("provider_urn", "URN of the adoption agency"),
              when="An adoption decision is recorded and the child is not yet placed"),
    Step("adoption-order", "Record the adoption order", PERMANENCE, Permanence, (
        Spec("permanence_order_date", "Date of the order", required=True),
        Spec("permanence_order_type", "Kind of order", required=True,
             initial=lambda run: "ADOPTION"),
    ), "Save order", change, targets=lambda s: s.permanence_in_progress,
        describe=lambda p: "the permanence record", when="An adoption plan is in progress"),
    Step("care-leaver", "Record care-leaver status", LEAVING, CareLeaver, (
        Spec("eligibility", "Care-leaver eligibility"),
        Spec("start_date", "Date from"),
        Spec("personal_adviser", "Personal adviser", choices=c.professionals),
        Spec("team", "Team", choices=c.teams),
    ), "Save care-leaver status", create(CareLeaver),
        available=lambda s: has_been_in_care(s) and s.open_care_leaver is None,
        when="The child has been looked after and has no open care-leaver record"),
    Step("pathway-plan", "Record a pathway plan", LEAVING, PathwayPlan, (
        Spec("start_date", "Date of the plan"),
        Spec("review_date", "Date of its review"),
    ), "Save pathway plan", create(PathwayPlan), available=has_been_in_care,
        when="The child is or has been looked after"),
    Step("care-leaver-contact", "Record a contact with a care leaver", LEAVING,
         CareLeaverContact, (
             Spec("contact_date", "Date of the contact"),
             Spec("in_touch", "In touch"),
             Spec("activity", "Main activity"),
             Spec("accommodation", "Accommodation"),
         ), "Save contact", create(CareLeaverContact),
         available=lambda s: bool(s.care_leavers), when="The young person is a care leaver"),
    Step("close-referral", "Close the referral", CLOSING, Referral, (
        Spec("closure_date", "Date the referral closed", required=True),
        Spec("closure_reason", "Reason for closure", required=True),
    ), "Close referral", _close, available=lambda s: s.open_referral is not None,
        when="The child has an open referral, and its plans and care have ended"),
    Step("case-note", "Write a case note", CASEWORK, CaseNote, (
        Spec("occurred_at", "When the work happened"),
        Spec("kind", "Kind of work", hint="For example, home visit, phone call, meeting"),
        Spec("subject", "Subject"),
        Spec("text", "Note"),
        Spec("significant", "Show in the child's impact chronology"),
        Spec("author", "Written by", choices=c.professionals, initial=c.me),
    ), "Save case note", create(CaseNote), when="Any time"),
    Step("supervision", "Record case supervision", CASEWORK, Supervision, (
        Spec("supervision_date", "Date of the supervision"),
        Spec("manager", "Manager", choices=c.managers, initial=c.me_if_manager),
        Spec("worker", "Worker supervised", choices=c.professionals,
             initial=c.allocated_worker),
        Spec("discussion", "What was discussed"),
        Spec("decision", "Decision"),
        Spec("rationale", "Rationale for the decision"),
        Spec("next_due", "Next supervision due"),
    ), "Save supervision", create(Supervision), when="Any time"),
    Step("allocation", "Allocate or transfer the case", CASEWORK, Involvement, (
        Spec("professional", "Worker", choices=c.professionals),
        Spec("team", "Team", choices=c.teams),
        Spec("role", "Role", initial=lambda run: "CW"),
        Spec("start_date", "Date the allocation starts", aliases=("end_date", "on"),
             hint="The current holder of the same role stops holding the case this day"),
        Spec("change_reason", "Reason for the change of worker",
             hint="Needed when the case moves from another worker"),
    ), "Save allocation", _allocate, when="Any time"),
)
