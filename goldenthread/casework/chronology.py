"""The child's impact chronology, generated from the records (seed 003: chronologies that
are missing or hard to follow).

Every significant event of the journey comes from the record that holds it, in date order,
each naming that record. Some events are significant by their nature (a referral, a plan,
coming into care, a placement move); practitioners mark others significant, or unmark
them, and add events no record holds (a parent's imprisonment, a school move). Both are
ChronologyEntry rows: a mark names the record and the event's date, a hand-added event
names no record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from itertools import pairwise

from django.db.models import Model
from django.utils import timezone

from goldenthread.accounts.models import User
from goldenthread.casework.codes import describe
from goldenthread.casework.sql import Read, Row, read_records, table
from goldenthread.core.errors import refuse
from goldenthread.records import models as m
from goldenthread.records.actions.chronology import do_add_chronology_event, do_mark_event

DETAIL_LENGTH = 300
# Events of one day in the order the journey runs: a contact before the referral it led to,
# the conference before the plan it decided, a plan's end before the case's closure.
STAGES = {name: n for n, name in enumerate((
    "early_help", "contact", "decision", "referral", "allocation", "assessment", "strategy",
    "s47", "s47_end", "icpc", "cp_plan", "cin_plan", "assessment_end", "note", "supervision",
    "hand", "review", "care", "placement", "legal_status", "missing", "permanence_plan",
    "permanence", "leaving_care", "care_leaver", "pathway", "plan_end", "early_help_end",
    "closure"))}


@dataclass(frozen=True)
class Event:
    """One line of the chronology."""

    on: dt.date
    title: str
    detail: str
    record_type: str  # the model name, as in /records/<record_type>/<id>/
    record_id: int
    significant: bool
    at: dt.datetime | None = None  # the time, where the record has one
    stage: int = 50  # orders events of one day as the journey runs (see STAGES)
    impact: str = ""  # what it meant for the child, from a practitioner
    hand_added: bool = False
    marked: bool = False  # significance set by a practitioner, not by the kind of event
    mark_version: int | None = None  # the mark's version, to refuse a stale change

    @property
    def key(self) -> str:
        """Names the event in a form: the record and the date."""
        return f"{self.record_type}:{self.record_id}:{self.on.isoformat()}"


def _day(value: dt.date | dt.datetime) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_LENGTH else text[:DETAIL_LENGTH - 1].rstrip() + "…"


def _event(record: Row, when: dt.date | dt.datetime, title: str, detail: str = "",
           significant: bool = False, *, stage: str) -> Event:
    at = when if isinstance(when, dt.datetime) else None
    return Event(on=_day(when), at=timezone.localtime(at) if at and timezone.is_aware(at) else at,
                 title=title, detail=_short(detail), record_type=record._type,
                 record_id=int(record.id), significant=significant, stage=STAGES[stage])


def _parts(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def _yes_no(value: bool | None, yes: str, no: str) -> str:
    return "" if value is None else (yes if value else no)


Records = dict[type[Model], list[Row]]
Builder = Callable[[Records], Iterator[Event]]


def _front_door(records: Records) -> Iterator[Event]:
    for c in records[m.Contact]:
        yield _event(c, c.received_at, "Contact received",
                     _parts(f"From {describe('REFERRAL_SOURCE', c.source)}", c.source_detail,
                            c.summary), stage="contact")
        if c.decided_at:
            yield _event(c, c.decided_at,
                         f"Front-door decision: {describe('CONTACT_DECISION', c.decision)}",
                         _parts(f"Level of need: {describe('LEVEL_OF_NEED', c.level_of_need)}",
                                c.decision_rationale), stage="decision")
    for e in records[m.EarlyHelpEpisode]:
        yield _event(e, e.start_date, "Early help started", _parts(e.organisation, e.reason),
                     stage="early_help")
        if e.end_date:
            yield _event(e, e.end_date, "Early help ended",
                         describe("EARLY_HELP_END_REASON", e.end_reason),
                         stage="early_help_end")


def _cin(records: Records) -> Iterator[Event]:
    for r in records[m.Referral]:
        yield _event(r, r.referral_date, "Referral",
                     _parts(f"From {describe('REFERRAL_SOURCE', r.source)}",
                            describe("CIN_PRIMARY_NEED", r.primary_need),
                            "no further action" if r.is_nfa else ""),
                     significant=True, stage="referral")
        if r.closure_date:
            yield _event(r, r.closure_date, "Case closed",
                         describe("CLOSURE_REASON", r.closure_reason), significant=True,
                         stage="closure")
    for a in records[m.Assessment]:
        yield _event(a, a.start_date, "Assessment started",
                     _yes_no(a.child_seen, "child seen", "child not seen"), stage="assessment")
        if a.authorised_on:
            yield _event(a, a.authorised_on, "Assessment authorised",
                         "outcome: no further action" if a.outcome_nfa else "",
                         significant=True, stage="assessment_end")
    for p in records[m.CINPlan]:
        yield _event(p, p.start_date, "Child in need plan started", significant=True,
                     stage="cin_plan")
        if p.end_date:
            yield _event(p, p.end_date, "Child in need plan ended", significant=True,
                         stage="plan_end")


def _cp(records: Records) -> Iterator[Event]:
    for d in records[m.StrategyDiscussion]:
        yield _event(d, d.held_on, "Strategy discussion",
                     _parts("section 47 enquiry agreed" if d.section_47_agreed
                            else "no section 47 enquiry", d.rationale),
                     significant=True, stage="strategy")
    for s in records[m.Section47Enquiry]:
        yield _event(s, s.start_date, "Section 47 enquiry started", significant=True,
                     stage="s47")
        if s.end_date:
            yield _event(s, s.end_date, "Section 47 enquiry concluded",
                         _parts(_yes_no(s.icpc_required, "conference needed",
                                        "no conference needed"),
                                "no further action" if s.outcome_nfa else ""),
                         significant=True, stage="s47_end")
    for c in records[m.InitialConference]:
        title = ("Transfer-in child protection conference" if c.is_transfer_in
                 else "Initial child protection conference")
        yield _event(c, c.conference_date, title,
                     "child protection plan" if c.cp_plan_decided else "no child protection plan",
                     significant=True, stage="icpc")
    for p in records[m.CPPlan]:
        yield _event(p, p.start_date, "Child protection plan started",
                     f"Category: {describe('CATEGORY_OF_ABUSE', p.initial_category)}",
                     significant=True, stage="cp_plan")
        if p.end_date:
            yield _event(p, p.end_date, "Child protection plan ended", significant=True,
                         stage="plan_end")
    for v in records[m.CPReview]:
        yield _event(v, v.review_date, "Child protection review",
                     _yes_no(v.plan_continues, "plan continues", "plan ended"), stage="review")


def _care(records: Records) -> Iterator[Event]:
    episodes = sorted(records[m.CLAEpisode],
                      key=lambda e: (e.period_id, e.start_date, e.id))
    for p in records[m.PeriodOfCare]:
        own = [e for e in episodes if e.period_id == p.id]
        first = own[0].legal_status if own else ""
        yield _event(p, p.start_date, "Came into care",
                     describe("LEGAL_STATUS", first) if first else "", significant=True,
                     stage="care")
        if p.end_date:
            reason = own[-1].reason_ceased if own else ""
            yield _event(p, p.end_date, "Left care", describe("REC", reason), significant=True,
                         stage="leaving_care")
        for before, after in pairwise(own):
            if after.legal_status != before.legal_status:
                yield _event(after, after.start_date,
                             f"Legal status: {describe('LEGAL_STATUS', after.legal_status)}",
                             f"was {describe('LEGAL_STATUS', before.legal_status)}",
                             significant=True, stage="legal_status")
    placements = sorted(records[m.Placement],
                        key=lambda p: (p.period_id, p.start_date, p.id))
    for n, pl in enumerate(placements):
        moved = n > 0 and placements[n - 1].period_id == pl.period_id
        reason = placements[n - 1].change_reason if moved else ""
        yield _event(pl, pl.start_date, "Placement move" if moved else "Placed",
                     _parts(describe("PLACE", pl.placement_type),
                            describe("REASON_PLACE_CHANGE", reason)),
                     significant=moved, stage="placement")
    for r in records[m.CLAReview]:
        yield _event(r, r.review_date, "Looked-after review",
                     describe("REVIEW_PARTICIPATION", r.participation), stage="review")
    for mi in records[m.MissingEpisode]:
        returned = (f"returned {timezone.localtime(mi.end_at):%d/%m/%Y %H:%M}" if mi.end_at
                    else "not yet returned")
        rhi = ("return interview held" if mi.rhi_completed_at else
               "return interview offered" if mi.rhi_offered_at else "")
        title = "Away from placement" if mi.episode_type == "A" else "Missing"
        yield _event(mi, mi.start_at, title, _parts(returned, rhi), significant=True,
                     stage="missing")


PERMANENCE_MILESTONES = (
    ("adm_decision_date", "Decision: should be placed for adoption"),
    ("ffa_decision_date", "Decision: fostering for adoption"),
    ("placement_order_date", "Placement order"),
    ("matched_date", "Matched with adopters"),
    ("placed_ffa_date", "Placed with fostering for adoption carers"),
    ("placed_for_adoption_date", "Placed for adoption"),
    ("decision_reversed_date", "Adoption decision reversed"),
    ("permanence_order_date", "Permanence order"),
)


def _permanence(records: Records) -> Iterator[Event]:
    for p in records[m.Permanence]:
        for name, title in PERMANENCE_MILESTONES:
            when = getattr(p, name)
            if when is None:
                continue
            detail = ""
            if name == "permanence_order_date":
                detail = describe("PERMANENCE_ORDER_TYPE", p.permanence_order_type)
            elif name == "decision_reversed_date":
                detail = describe("ADOPTION_PLACEMENT_CEASED", p.decision_reversed_reason)
            yield _event(p, when, title, detail, significant=True, stage="permanence")
    for plan in records[m.PermanencePlan]:
        yield _event(plan, plan.decided_on,
                     f"Permanence plan: {describe('PERMANENCE_PLAN', plan.plan)}",
                     significant=True, stage="permanence_plan")
    for c in records[m.CareLeaver]:
        yield _event(c, c.start_date, "Care leaver",
                     describe("CARE_LEAVER_ELIGIBILITY", c.eligibility), significant=True,
                     stage="care_leaver")
    for pp in records[m.PathwayPlan]:
        yield _event(pp, pp.start_date, "Pathway plan", stage="pathway")


def _work(records: Records) -> Iterator[Event]:
    for i in records[m.Involvement]:
        yield _event(i, i.start_date, f"Allocated to {i.worker}", i.team, stage="allocation")
    for n in records[m.CaseNote]:
        yield _event(n, n.occurred_at, n.subject, _parts(n.kind, n.text), significant=True,
                     stage="note")
    for s in records[m.Supervision]:
        yield _event(s, s.supervision_date, "Supervision decision",
                     _parts(s.decision, f"Why: {s.rationale}", f"by {s.manager}"),
                     stage="supervision")


def _name_of(model: type[Model], key: str, columns: str = "forename || ' ' || surname") -> str:
    """SQL for the name of the `model` row that column `key` of `t` points to."""
    return f"(SELECT {columns} FROM {table(model)} x WHERE x.id = t.{key})"  # noqa: S608


# What the chronology reads: every kind of record it draws events from, in one query
# (casework.sql.read_records), the names of workers and teams looked up in it.
READS = (
    Read(m.Contact, ("received_at", "source", "source_detail", "summary", "decided_at",
                     "decision", "level_of_need", "decision_rationale")),
    Read(m.EarlyHelpEpisode, ("start_date", "end_date", "organisation", "reason",
                              "end_reason")),
    Read(m.Referral, ("referral_date", "source", "primary_need", "is_nfa", "closure_date",
                      "closure_reason")),
    Read(m.Assessment, ("start_date", "child_seen", "authorised_on", "outcome_nfa")),
    Read(m.CINPlan, ("start_date", "end_date")),
    Read(m.StrategyDiscussion, ("held_on", "section_47_agreed", "rationale")),
    Read(m.Section47Enquiry, ("start_date", "end_date", "icpc_required", "outcome_nfa")),
    Read(m.InitialConference, ("is_transfer_in", "conference_date", "cp_plan_decided")),
    Read(m.CPPlan, ("start_date", "end_date", "initial_category")),
    Read(m.CPReview, ("review_date", "plan_continues"), where="t.review_date IS NOT NULL"),
    Read(m.CLAEpisode, ("period_id", "start_date", "legal_status", "reason_ceased")),
    Read(m.PeriodOfCare, ("start_date", "end_date")),
    Read(m.Placement, ("period_id", "start_date", "placement_type", "change_reason")),
    Read(m.CLAReview, ("review_date", "participation"), where="t.review_date IS NOT NULL"),
    Read(m.MissingEpisode, ("episode_type", "start_at", "end_at", "rhi_offered_at",
                            "rhi_completed_at")),
    Read(m.Permanence, ("permanence_order_type", "decision_reversed_reason",
                        *(name for name, _ in PERMANENCE_MILESTONES))),
    Read(m.PermanencePlan, ("decided_on", "plan")),
    Read(m.CareLeaver, ("start_date", "eligibility")),
    Read(m.PathwayPlan, ("start_date",)),
    Read(m.Involvement, ("start_date",), where="t.role = %s", params=("CW",),
         extras=(("worker", _name_of(m.Professional, "professional_id")),
                 ("team", _name_of(m.Team, "team_id", "name")))),
    Read(m.CaseNote, ("occurred_at", "kind", "subject", "text"), where="t.significant = %s",
         params=(True,)),
    Read(m.Supervision, ("supervision_date", "decision", "rationale"),
         extras=(("manager", _name_of(m.Professional, "manager_id")),)),
    Read(m.ChronologyEntry, ("event_date", "title", "impact", "significant", "record_type",
                             "record_id", "version")),
)


BUILDERS: tuple[Builder, ...] = (_front_door, _cin, _cp, _care, _permanence, _work)


def chronology(child: m.Person, *, significant_only: bool = False) -> list[Event]:
    """The child's chronology, oldest first. The caller has checked access to the child."""
    records = dict(zip((r.model for r in READS), read_records(child.pk, READS), strict=True))
    events = [event for build in BUILDERS for event in build(records)]
    marks: dict[tuple[str, int, dt.date], Row] = {}
    entries = sorted(records[m.ChronologyEntry], key=lambda e: e.id)
    for entry in entries:
        if entry.record_type and entry.record_id is not None:
            marks[(entry.record_type, entry.record_id, entry.event_date)] = entry
        else:
            events.append(Event(on=entry.event_date, title=entry.title, detail="",
                                impact=entry.impact, record_type="chronologyentry",
                                record_id=entry.id, significant=entry.significant,
                                hand_added=True, mark_version=entry.version,
                                stage=STAGES["hand"]))
    for n, event in enumerate(events):
        mark = marks.get((event.record_type, event.record_id, event.on))
        if mark is not None:
            events[n] = replace(event, significant=mark.significant, impact=mark.impact,
                                marked=True, mark_version=mark.version)
    if significant_only:
        events = [e for e in events if e.significant]
    midnight = dt.time(0, 0)
    events.sort(key=lambda e: (e.on, e.stage, e.at.time() if e.at else midnight,
                               e.record_type, e.record_id))
    return events


def find_event(child: m.Person, key: str) -> Event:
    """The chronology event a form names by its key; refused if there is none."""
    for event in chronology(child):
        if event.key == key:
            return event
    raise refuse("event", f"{key!r} is not an event in this child's chronology")


def mark_event(child: m.Person, key: str, *, significant: bool, impact: str, acting_user: User,
               expected_version: int | None = None) -> m.ChronologyEntry:
    """Mark a generated (or hand-added) event significant or not, with what it meant."""
    event = find_event(child, key)
    return do_mark_event(child, record_type=event.record_type, record_id=event.record_id,
                         event_date=event.on, title=event.title, significant=significant,
                         impact=impact, acting_user=acting_user,
                         expected_version=expected_version)


def add_event(child: m.Person, *, event_date: dt.date | None, title: str, impact: str,
              acting_user: User) -> m.ChronologyEntry:
    """Add an event no record holds; refused (naming the field) when the date or title is
    missing."""
    if event_date is None:
        raise refuse("event_date", "(blank); give the date of the event")
    return do_add_chronology_event(child, event_date=event_date, title=title, impact=impact,
                                   acting_user=acting_user)

