"""The case summary at the top of every child's page (seed 003: case summaries that are
missing or out of date): who the child is, their status now, current plans, who holds the
case, key dates, alerts and open tasks, all read from the records as they are today."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import timezone

from goldenthread.casework.codes import describe
from goldenthread.casework.sql import Read, Row, day, read_records, table
from goldenthread.casework.tasks import Kind, Task, open_tasks
from goldenthread.records import models as m

VISITS = ((m.CINVisit, "child in need visit"), (m.CPVisit, "child protection visit"),
          (m.CLAVisit, "looked-after visit"))


@dataclass(frozen=True)
class Alert:
    """Something everyone opening the record should see first."""

    code: str  # restricted, missing, unborn, care_leaver, disability
    text: str


@dataclass(frozen=True)
class Worker:
    name: str
    role: str
    team: str
    since: dt.date


@dataclass(frozen=True)
class Plan:
    """A plan or period of care open today, with the record it lives in."""

    title: str
    since: dt.date
    detail: str
    record_type: str
    record_id: int


@dataclass
class Summary:
    child: m.Person
    age: int | None
    status: str  # the child's position in one phrase: looked after, on a CP plan, …
    legal_status: str  # the 903 legal status now, for a looked-after child
    plans: list[Plan] = field(default_factory=list)
    allocated: Worker | None = None
    others: list[Worker] = field(default_factory=list)  # IRO, personal adviser, …
    referral_date: dt.date | None = None
    last_visit: tuple[dt.date, str] | None = None
    next_review: Task | None = None
    alerts: list[Alert] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    family: list[Row] = field(default_factory=list)  # relationship_type, lives_with, relative


def age_on(born: dt.date | None, day: dt.date) -> int | None:
    if born is None:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _name_of(model: type[Model], key: str, columns: str = "forename || ' ' || surname") -> str:
    """SQL for the name of the `model` row that column `key` of `t` points to."""
    return f"(SELECT {columns} FROM {table(model)} x WHERE x.id = t.{key})"  # noqa: S608


def _reads(today: dt.date) -> tuple[Read, ...]:
    """Everything the summary reads about the child, as one query (casework.sql)."""
    on_or_before = (day(today),)
    return (
        Read(m.CINPlan, ("start_date", "end_date")),
        Read(m.CPPlan, ("start_date", "end_date", "latest_category")),
        Read(m.PeriodOfCare, ("start_date", "end_date")),
        Read(m.Placement, ("period_id", "start_date", "end_date", "placement_type",
                           "carer_name")),
        Read(m.CLAEpisode, ("period_id", "start_date", "end_date", "legal_status")),
        Read(m.Involvement, ("role", "start_date", "end_date"), where="t.start_date <= %s",
             params=on_or_before, extras=(("worker", _name_of(m.Professional, "professional_id")),
                                          ("team", _name_of(m.Team, "team_id", "name")))),
        Read(m.Referral, ("referral_date", "closure_date"), where="t.referral_date <= %s",
             params=on_or_before),
        *(Read(model, ("visit_date",), where="t.visit_date <= %s", params=on_or_before)
          for model, _ in VISITS),
        Read(m.MissingEpisode, ("episode_type", "start_at"), where="t.end_at IS NULL"),
        Read(m.CareLeaver, ("start_date", "end_date", "eligibility")),
        Read(m.PersonDisability, ("code",)),
        Read(m.Relationship, ("relationship_type", "lives_with"),
             extras=(("relative", _name_of(m.Person, "relative_id")),)),
    )


def case_summary(child: m.Person, *, now: dt.datetime | None = None) -> Summary:
    """The summary of one child, as of `now`. The caller has checked access to the child."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    (cin, cp, periods, placements, episodes, involvements, referrals, cin_visits, cp_visits,
     cla_visits, missing, leavers, disabilities, family) = read_records(child.pk, _reads(today))
    summary = Summary(child=child, age=age_on(child.date_of_birth, today), status="",
                      legal_status="")
    summary.plans, summary.legal_status = _plans(today, cin, cp, periods, placements,
                                                 episodes)
    _workers(summary, involvements, today)
    latest = max(referrals, key=lambda r: (r.referral_date, r.id), default=None)
    if latest is not None:
        summary.referral_date = latest.referral_date
    summary.status = _status(summary, latest is not None
                             and _still_open(latest.closure_date, today))
    summary.last_visit = max(((v.visit_date, label) for rows, (_, label)
                              in zip((cin_visits, cp_visits, cla_visits), VISITS, strict=True)
                              for v in rows), default=None)
    summary.alerts = _alerts(child, now, missing, leavers, disabilities)
    summary.family = sorted(family, key=lambda r: r.id)
    summary.tasks = open_tasks([child.pk], now=now, manager_tasks=True).get(child.pk, [])
    reviews = [t for t in summary.tasks if t.kind in (Kind.CP_REVIEW, Kind.CLA_REVIEW)]
    summary.next_review = min(reviews, key=lambda t: t.due) if reviews else None
    return summary


def _still_open(end: dt.date | None, today: dt.date) -> bool:
    return end is None or end > today


def _current(rows: list[Row], today: dt.date) -> Row | None:
    """The latest of the records open today (started, not ended)."""
    open_now = [r for r in rows if r.start_date <= today and _still_open(r.end_date, today)]
    return max(open_now, key=lambda r: (r.start_date, r.id), default=None)


def _plans(today: dt.date, cin_plans: list[Row], cp_plans: list[Row], periods: list[Row],
           placements: list[Row], episodes: list[Row]) -> tuple[list[Plan], str]:
    plans: list[Plan] = []
    legal_status = ""
    cin = _current(cin_plans, today)
    if cin is not None:
        plans.append(Plan("Child in need plan", cin.start_date, "", "cinplan", cin.id))
    cp = _current(cp_plans, today)
    if cp is not None:
        plans.append(Plan("Child protection plan", cp.start_date,
                          f"Category: {describe('CATEGORY_OF_ABUSE', cp.latest_category)}",
                          "cpplan", cp.id))
    period = _current(periods, today)
    if period is not None:
        placement = _current([p for p in placements if p.period_id == period.id], today)
        episode = _current([e for e in episodes if e.period_id == period.id], today)
        if episode is not None:
            legal_status = describe("LEGAL_STATUS", episode.legal_status)
        detail = ""
        if placement is not None:
            detail = (f"Placement: {describe('PLACE', placement.placement_type)} since "
                      f"{placement.start_date.day} {placement.start_date:%B %Y}")
            if placement.carer_name:
                detail += f" ({placement.carer_name})"
        plans.append(Plan("Looked after", period.start_date, detail, "periodofcare",
                          period.id))
    return plans, legal_status


def _workers(summary: Summary, involvements: list[Row], today: dt.date) -> None:
    for row in sorted(involvements, key=lambda r: (r.start_date, r.id)):
        if not _still_open(row.end_date, today):
            continue
        worker = Worker(row.worker, describe("INVOLVEMENT_ROLE", row.role), row.team,
                        row.start_date)
        if row.role == "CW":
            summary.allocated = worker
        else:
            summary.others.append(worker)


def _status(summary: Summary, open_case: bool) -> str:
    titles = [p.title for p in summary.plans]
    if "Looked after" in titles:
        return "Looked after"
    if "Child protection plan" in titles:
        return "Subject of a child protection plan"
    if "Child in need plan" in titles:
        return "Child in need (plan)"
    return "Open case (child in need)" if open_case else "No open case"


def _alerts(child: m.Person, now: dt.datetime, missing: list[Row], leavers: list[Row],
            disabilities: list[Row]) -> list[Alert]:
    today = timezone.localdate(now)
    alerts: list[Alert] = []
    if child.is_restricted:
        alerts.append(Alert("restricted", "Restricted record: seen only with a grant"))
    away = [e for e in missing if e.start_at <= now]
    if away:
        latest = max(away, key=lambda e: e.start_at)
        what = "Away from placement" if latest.episode_type == "A" else "Missing"
        since = timezone.localtime(latest.start_at)
        alerts.append(Alert("missing", f"{what} now: since {since:%d/%m/%Y %H:%M}"))
    if child.date_of_birth is None and child.expected_date_of_birth is not None:
        alerts.append(Alert("unborn", f"Unborn: expected "
                                      f"{child.expected_date_of_birth:%d/%m/%Y}"))
    leaver = _current(leavers, today)
    if leaver is not None:
        eligibility = describe("CARE_LEAVER_ELIGIBILITY", leaver.eligibility)
        alerts.append(Alert("care_leaver", f"Care leaver: {eligibility}"))
    described = [describe("DISABILITY", d.code) for d in sorted(disabilities, key=lambda d: d.id)
                 if d.code != "NONE"]
    if described:
        alerts.append(Alert("disability", "Disability: " + ", ".join(described)))
    return alerts
