"""Where a child is in their journey, read once per page, so each recording step can say
whether it makes sense now (no CP plan without a conference that decided on one)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone

from goldenthread.records.models import (
    Assessment,
    CareLeaver,
    CINPlan,
    Contact,
    CPPlan,
    InitialConference,
    MissingEpisode,
    PeriodOfCare,
    Permanence,
    Person,
    Referral,
    Section47Enquiry,
    StrategyDiscussion,
)

M = TypeVar("M", bound=Model)


def _current(queryset: QuerySet[M], *order: str) -> list[M]:
    return list(queryset.filter(archived_at__isnull=True).order_by(*order, "-pk"))


@dataclass
class ChildState:
    child: Person
    today: dt.date
    contacts: list[Contact]
    referrals: list[Referral]
    assessments: list[Assessment]
    discussions: list[StrategyDiscussion]
    enquiries: list[Section47Enquiry]
    conferences: list[InitialConference]
    cp_plans: list[CPPlan]
    cin_plans: list[CINPlan]
    periods: list[PeriodOfCare]
    missing: list[MissingEpisode]
    permanence: list[Permanence]
    care_leavers: list[CareLeaver]

    @property
    def open_referral(self) -> Referral | None:
        return next((r for r in self.referrals if r.closure_date is None), None)

    @property
    def open_cp_plan(self) -> CPPlan | None:
        return next((p for p in self.cp_plans if p.end_date is None), None)

    @property
    def open_cin_plan(self) -> CINPlan | None:
        return next((p for p in self.cin_plans if p.end_date is None), None)

    @property
    def open_period(self) -> PeriodOfCare | None:
        return next((p for p in self.periods if p.end_date is None), None)

    @property
    def open_care_leaver(self) -> CareLeaver | None:
        return next((c for c in self.care_leavers if c.end_date is None), None)

    def on_open_referral(self, records: list[M]) -> list[M]:
        referral = self.open_referral
        return [r for r in records if referral is not None
                and getattr(r, "referral_id", None) == referral.pk]

    @property
    def undecided_contacts(self) -> list[Contact]:
        return [c for c in self.contacts if not c.decision]

    @property
    def assessments_to_complete(self) -> list[Assessment]:
        return [a for a in self.on_open_referral(self.assessments) if a.completed_on is None]

    @property
    def assessments_to_authorise(self) -> list[Assessment]:
        return [a for a in self.on_open_referral(self.assessments)
                if a.completed_on is not None and a.authorised_on is None]

    @property
    def open_enquiries(self) -> list[Section47Enquiry]:
        return [e for e in self.on_open_referral(self.enquiries) if e.end_date is None]

    @property
    def conferences_awaiting_plan(self) -> list[InitialConference]:
        planned = {p.initial_conference_id for p in self.cp_plans}
        return [c for c in self.on_open_referral(self.conferences)
                if c.cp_plan_decided and c.pk not in planned]

    @property
    def missing_now(self) -> list[MissingEpisode]:
        return [e for e in self.missing if e.end_at is None]

    @property
    def awaiting_interview(self) -> list[MissingEpisode]:
        """Returned, and the return home interview not yet held or declined."""
        return [e for e in self.missing if e.end_at is not None and e.rhi_completed_at is None
                and e.rhi_accepted is not False]

    @property
    def permanence_in_progress(self) -> list[Permanence]:
        """Permanence records with no order made and the decision not reversed."""
        return [p for p in self.permanence
                if p.permanence_order_date is None and p.decision_reversed_date is None]

    def permanence_without(self, milestone: str) -> list[Permanence]:
        return [p for p in self.permanence_in_progress if getattr(p, milestone) is None]


def child_state(child: Person, *, today: dt.date | None = None) -> ChildState:
    """The child's records that decide which steps make sense, newest first (a dozen
    small queries: a child has few records of each kind)."""
    by_person: dict[str, Any] = {"person": child}
    return ChildState(
        child=child, today=today or timezone.localdate(),
        contacts=_current(Contact.objects.filter(**by_person), "-received_at"),
        referrals=_current(Referral.objects.filter(**by_person), "-referral_date"),
        assessments=_current(Assessment.objects.filter(**by_person), "-start_date"),
        discussions=_current(StrategyDiscussion.objects.filter(**by_person), "-held_on"),
        enquiries=_current(Section47Enquiry.objects.filter(**by_person), "-start_date"),
        conferences=_current(InitialConference.objects.filter(**by_person), "-conference_date"),
        cp_plans=_current(CPPlan.objects.filter(**by_person), "-start_date"),
        cin_plans=_current(CINPlan.objects.filter(**by_person), "-start_date"),
        periods=_current(PeriodOfCare.objects.filter(**by_person), "-start_date"),
        missing=_current(MissingEpisode.objects.filter(**by_person), "-start_at"),
        permanence=_current(Permanence.objects.filter(**by_person), "-pk"),
        care_leavers=_current(CareLeaver.objects.filter(**by_person), "-start_date"),
    )
