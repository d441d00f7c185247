"""A child's whole journey recorded through the browser's forms, contact to closure, by the
people who would record it: Fran at the front door, Sam the social worker, Mo his manager.

Mia (born 15 June, nine years ago) is unknown until a school rings on day T-6 (T = today).
The front door refers her; Sam assesses, a section 47 enquiry leads to a conference and a
child protection plan; when it ends a child in need plan follows; she comes into care,
goes missing once, and is adopted by her foster carers; her referral closes on day T.
Each post must save (the browser is sent to her page) and write the trail as its author.
A second walk takes a young person from care to care leaver.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from goldenthread.web.forms.registry import STEPS
from tests.conftest import HttpsClient
from tests.web.recording_support import (
    date_parts,
    fresh_child,
    page,
    post_step,
    saved,
    summary_messages,
    when_parts,
)
from tests.world import World, build_world, sign_in

T = timezone.localdate()


def day(offset: int) -> dt.date:
    return T + dt.timedelta(days=offset)


def at(offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day(offset), dt.time(hour, minute)))


@pytest.fixture
def world(db: None) -> World:
    return build_world()


class Recorder:
    """Posts steps as one signed-in person and checks each saved with its audit events."""

    def __init__(self, world: World, username: str, walked: set[str]) -> None:
        self.username = username
        self.walked = walked
        self.client = sign_in(HttpsClient(), world.users[username])
        self.pk = m.Professional.objects.get(user=world.users[username]).pk

    def step(self, child: m.Person, slug: str, data: dict[str, Any],
             target: Any = None) -> HttpResponse:
        before = AuditEvent.objects.filter(actor_username=self.username).count()
        response = post_step(self.client, child.pk, slug, data,
                             record=target.pk if target is not None else None,
                             version=target.version if target is not None else None)
        assert saved(response, child.pk), (slug, summary_messages(response),
                                           page(response)[:2000])
        written = AuditEvent.objects.filter(actor_username=self.username).order_by("pk")[before:]
        assert any(e.action in (AuditAction.CREATE, AuditAction.CHANGE) for e in written), slug
        self.walked.add(slug)
        return response


def only(model: type[Any], **where: Any) -> Any:
    return model.objects.get(archived_at__isnull=True, **where)


# The walks between them post every step there is (a new step needs a place in one).
LEAVERS_STEPS = {"period-of-care", "leave-care", "care-leaver", "pathway-plan",
                 "care-leaver-contact"}


def test_a_child_is_taken_from_contact_to_closure(world: World) -> None:
    walked: set[str] = set()
    fran, sam, mo = (Recorder(world, name, walked) for name in ("fran", "sam", "mo"))
    ira = m.Professional.objects.get(user=world.users["ira"])
    team_a = str(world.teams["team-a"].pk)

    # The front door: a new child, the decision with its rationale, the referral.
    response = fran.client.post(reverse("new_contact"), {
        "forename": "Mia", "surname": "Journey", **date_parts("date_of_birth",
                                                              dt.date(T.year - 9, 6, 15)),
        "sex": "F", "ethnicity": "WBRI", **when_parts("received_at", at(-6, 9)),
        "source": "2A", "source_detail": "Example Primary School",
        "summary": "Mia came to school with a bruised arm"})
    mia = m.Person.objects.get(surname="Journey")
    assert response["Location"] == reverse("person", args=[mia.pk])
    fran.step(mia, "contact-decision", {
        "decision": "REFERRAL", "level_of_need": "4",
        "decision_rationale": "Unexplained injury to a primary-age child",
        **when_parts("decided_at", at(-6, 15)), "decided_by": str(fran.pk)},
        target=only(m.Contact, person=mia))
    fran.step(mia, "referral", {
        "contact": str(only(m.Contact, person=mia).pk), **date_parts("referral_date", day(-6)),
        "source": "2A", "primary_need": "N1", "team": team_a, "worker": str(sam.pk)})

    # Assessment and child protection.
    sam.step(mia, "assessment", {**date_parts("start_date", day(-6)), "worker": str(sam.pk),
                                 "team": team_a})
    sam.step(mia, "strategy-discussion", {**date_parts("held_on", day(-6)),
                                          "section_47_agreed": "yes",
                                          "attendees": "Police, school nurse, Sam",
                                          "rationale": "Injury not explained"})
    sam.step(mia, "section-47", {
        "strategy_discussion": str(only(m.StrategyDiscussion, person=mia).pk),
        **date_parts("start_date", day(-6)), "worker": str(sam.pk), "team": team_a})
    sam.step(mia, "assessment-complete", {
        "child_seen": "yes", **date_parts("child_seen_on", day(-5)), "factors": ["2B", "3A"],
        **date_parts("completed_on", day(-5))}, target=only(m.Assessment, person=mia))
    mo.step(mia, "assessment-authorise", date_parts("authorised_on", day(-5)),
            target=only(m.Assessment, person=mia))
    sam.step(mia, "section-47-outcome", {**date_parts("end_date", day(-5)),
                                         "icpc_required": "yes"},
             target=only(m.Section47Enquiry, person=mia))
    sam.step(mia, "initial-conference", {
        "section_47": str(only(m.Section47Enquiry, person=mia).pk),
        **date_parts("conference_date", day(-5)), "cp_plan_decided": "yes", "chair": str(mo.pk)})
    sam.step(mia, "cp-plan", {
        "initial_conference": str(only(m.InitialConference, person=mia).pk),
        **date_parts("start_date", day(-5)), "initial_category": "PHY"})
    sam.step(mia, "cp-visit", {**date_parts("visit_date", day(-5)), "seen": "yes",
                               "seen_alone": "yes", "visited_by": str(sam.pk)})
    sam.step(mia, "cp-review", {**date_parts("due_date", day(-4)),
                                **date_parts("review_date", day(-4)), "plan_continues": "no",
                                "quorate": "yes", "participation": "PN1"})
    sam.step(mia, "cp-plan-end", date_parts("end_date", day(-4)),
             target=only(m.CPPlan, person=mia))
    sam.step(mia, "cin-plan", {**date_parts("start_date", day(-4)), "worker": str(sam.pk),
                               "team": team_a})
    sam.step(mia, "cin-visit", {**date_parts("visit_date", day(-4)), "seen": "yes"})

    # Coming into care, reviews, visits, a missing episode and its return interview.
    sam.step(mia, "period-of-care", {
        **date_parts("start_date", day(-4)), "legal_status": "C2", "cin_need": "N1",
        "placement_type": "U4", "provider": "PR1", "postcode": "M8 9AB",
        "distance_miles": "2.5", "carer_name": "Mr and Mrs Example",
        "home_postcode": "M14 5RX"})
    sam.step(mia, "cla-visit", {**date_parts("visit_date", day(-4)), "seen": "yes",
                                "seen_alone": "yes", "visited_by": str(sam.pk)})
    sam.step(mia, "cla-review", {**date_parts("due_date", day(-3)),
                                 **date_parts("review_date", day(-3)), "participation": "PN1",
                                 "chaired_by": str(ira.pk)})
    mo.step(mia, "allocation", {"professional": str(ira.pk),
                                "team": str(world.teams["reviewing"].pk), "role": "IRO",
                                **date_parts("start_date", day(-3))})
    sam.step(mia, "iro-contact", {"iro": str(ira.pk), **date_parts("contact_date", day(-3)),
                                  "note": "Mia says she likes her carers"})
    sam.step(mia, "permanence-plan", {"plan": "ADOPTION", **date_parts("decided_on", day(-3)),
                                      "decided_at_review": str(only(m.CLAReview,
                                                                    person=mia).pk)})
    fran.step(mia, "contact", {**when_parts("received_at", at(-3, 10)), "source": "5A",
                               "summary": "Police: Mia found at the station after dark"})
    fran.step(mia, "contact-decision", {
        "decision": "EXISTING_REFERRAL", "level_of_need": "4",
        "decision_rationale": "Mia's case is open to Sam", **when_parts("decided_at", at(-3, 12)),
        "decided_by": str(fran.pk)}, target=only(m.Contact, person=mia, source="5A"))
    sam.step(mia, "missing-episode", {"episode_type": "M", **when_parts("start_at", at(-3, 21)),
                                      "reported_to_police": "yes"})
    sam.step(mia, "missing-return", {**when_parts("end_at", at(-2, 8)),
                                     "reported_to_police": "yes"},
             target=only(m.MissingEpisode, person=mia))
    sam.step(mia, "return-home-interview", {
        **when_parts("rhi_offered_at", at(-2, 10)), "rhi_accepted": "yes",
        **when_parts("rhi_completed_at", at(-2, 16)), "rhi_by": str(sam.pk)},
        target=only(m.MissingEpisode, person=mia))

    # Adoption by her foster carers.
    sam.step(mia, "adm-decision", date_parts("adm_decision_date", day(-3)))
    sam.step(mia, "placement-order", date_parts("placement_order_date", day(-2)),
             target=only(m.Permanence, person=mia))
    sam.step(mia, "legal-status", {**date_parts("start_date", day(-2)), "legal_status": "E1"})
    sam.step(mia, "adoption-match", {**date_parts("matched_date", day(-2)),
                                     "number_of_adopters": "2", "adopter_sex": "MF",
                                     "adopted_by_foster_carer": "yes"},
             target=only(m.Permanence, person=mia))
    sam.step(mia, "placed-for-adoption", date_parts("placed_for_adoption_date", day(-1)),
             target=only(m.Permanence, person=mia))
    sam.step(mia, "placement-change", {
        **date_parts("start_date", day(-1)), "reason_new_episode": "T",
        "change_reason": "CARPL", "placement_type": "A5", "provider": "PR1",
        "postcode": "M8 9AB", "carer_name": "Mr and Mrs Example"})
    sam.step(mia, "case-note", {**when_parts("occurred_at", at(-1, 11, 30)),
                                "kind": "home visit", "subject": "Settling in",
                                "text": "Mia showed me her new school bag.",
                                "significant": "yes", "author": str(sam.pk)})
    mo.step(mia, "supervision", {
        **date_parts("supervision_date", day(-1)), "manager": str(mo.pk),
        "worker": str(sam.pk), "discussion": "Adoption hearing and Mia's wishes",
        "decision": "Support the application", "rationale": "Mia is settled and wants to stay",
        **date_parts("next_due", day(20))})
    sam.step(mia, "adoption-order", {**date_parts("permanence_order_date", T),
                                     "permanence_order_type": "ADOPTION"},
             target=only(m.Permanence, person=mia))

    # Leaving care and closure.
    sam.step(mia, "leave-care", {**date_parts("end_date", T), "reason_ceased": "E11"})
    sam.step(mia, "cin-plan-end", date_parts("end_date", T), target=only(m.CINPlan, person=mia))
    closed = sam.step(mia, "close-referral",
                      {**date_parts("closure_date", T), "closure_reason": "RC1"})
    # Closure ended Sam's allocation and her reach with it: she is told, not sent to a 404.
    assert closed.status_code == 200 and "no longer allocated to you" in page(closed)

    referral = only(m.Referral, person=mia)
    assert (referral.closure_date, referral.closure_reason) == (T, "RC1")
    episodes = m.CLAEpisode.objects.filter(person=mia).order_by("start_date", "pk")
    assert [(e.reason_new_episode, e.legal_status, e.reason_ceased) for e in episodes] == [
        ("S", "C2", "X1"), ("L", "E1", "X1"), ("T", "E1", "E11")]
    assert only(m.Permanence, person=mia).permanence_order_date == T
    assert [(i.role, i.end_date) for i in m.Involvement.objects.filter(person=mia)
            .order_by("start_date")] == [("CW", T), ("IRO", T)]
    assert only(m.MissingEpisode, person=mia).rhi_completed_at == at(-2, 16)
    assert walked == set(STEPS) - (LEAVERS_STEPS - {"period-of-care", "leave-care"})


def test_a_young_person_leaves_care_and_becomes_a_care_leaver(world: World) -> None:
    """Kai, 18 next week, leaves care to live with his aunt; he is a former relevant care
    leaver with a pathway plan, and a first contact records what he is doing."""
    walked: set[str] = set()
    sam = Recorder(world, "sam", walked)
    kai = fresh_child(world, "Kai", born=dt.date(T.year - 18, 1, 1) if T.month > 1
                      else dt.date(T.year - 19, 1, 1), allocated_on=day(-40))
    sam.step(kai, "period-of-care", {**date_parts("start_date", day(-30)), "legal_status": "V2",
                                     "cin_need": "N5", "placement_type": "U4",
                                     "provider": "PR1"})
    sam.step(kai, "leave-care", {**date_parts("end_date", day(-2)), "reason_ceased": "E13"})
    sam.step(kai, "care-leaver", {"eligibility": "FORMER_RELEVANT",
                                  **date_parts("start_date", day(-2)),
                                  "personal_adviser": str(sam.pk),
                                  "team": str(world.teams["team-a"].pk)})
    sam.step(kai, "pathway-plan", {**date_parts("start_date", day(-2)),
                                   **date_parts("review_date", day(60))})
    sam.step(kai, "care-leaver-contact", {**date_parts("contact_date", day(-1)),
                                          "in_touch": "YES", "activity": "F1",
                                          "accommodation": "B1"})
    assert only(m.PeriodOfCare, person=kai).end_date == day(-2)
    assert only(m.CareLeaver, person=kai).eligibility == "FORMER_RELEVANT"
    assert only(m.CareLeaverContact, person=kai).activity == "F1"
    assert walked == LEAVERS_STEPS

