"""My work: the children allocated to a worker (or a manager's teams) and what is due for
each, computed from the records and the statutory timescales (reference.timescales).

A task is something the records say must happen by a date and has not happened yet: an
assessment not yet authorised, a conference not yet held, a review or visit whose interval
is running, a return home interview not offered. Each names where the work is recorded.

Speed: a page lists a worker's 15–20 children or a manager's few hundred, so the tasks of a
set of children come from four set-based queries (casework.task_rows: referrals, CP plans,
periods of care, returns from missing; each row carries what its tasks need), never one
query per child.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Q
from django.utils import timezone

from goldenthread.access.policy import has_role_flag, visible_among
from goldenthread.accounts.models import User
from goldenthread.casework import task_rows
from goldenthread.casework.sql import as_date, day, rows, table
from goldenthread.core.sql import one_of
from goldenthread.records.models import Involvement, Person, Professional, Team, TeamMembership
from goldenthread.records.models.cla import SHORT_BREAK_LEGAL_STATUSES
from goldenthread.reference import timescales

SOON = dt.timedelta(days=7)
# A return home interview not offered is a task for this long after the child came back;
# older omissions are for audit, not for today's list.
RHI_TASK_WINDOW = dt.timedelta(days=28)
# Reg 28(2)(c), SI 2010/959: long-term foster placements (PLACE U1, U4) are those intended to
# last until the child is 18, so after their first year visits may be three-monthly.
LONG_TERM_PLACEMENTS = frozenset({"U1", "U4"})
# SDQs are for children aged 4 to 16 (SSDA903 OC2).
SDQ_AGES = (4, 17)


class Due(StrEnum):
    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"

    @property
    def label(self) -> str:
        return {"overdue": "Overdue", "soon": "Due in the next 7 days", "later": "Later"}[self]


class Kind(StrEnum):
    """What is due. The value names the work in URLs and filters."""

    ASSESSMENT = "assessment"
    AUTHORISE_ASSESSMENT = "authorise_assessment"
    ICPC = "icpc"
    CP_REVIEW = "cp_review"
    CP_VISIT = "cp_visit"
    CLA_REVIEW = "cla_review"
    CLA_VISIT = "cla_visit"
    RHI = "rhi"
    SDQ = "sdq"
    PERMANENCE_PLAN = "permanence_plan"

    @property
    def label(self) -> str:
        return TITLES[self]


TITLES = {
    Kind.ASSESSMENT: "Assessment due",
    Kind.AUTHORISE_ASSESSMENT: "Assessment awaiting authorisation",
    Kind.ICPC: "Initial child protection conference due",
    Kind.CP_REVIEW: "Child protection review due",
    Kind.CP_VISIT: "Child protection visit due",
    Kind.CLA_REVIEW: "Looked-after review due",
    Kind.CLA_VISIT: "Looked-after visit due",
    Kind.RHI: "Return home interview due",
    Kind.SDQ: "SDQ due",
    Kind.PERMANENCE_PLAN: "Permanence plan due",
}


def due_status(due: dt.date, today: dt.date) -> Due:
    if due < today:
        return Due.OVERDUE
    return Due.SOON if due <= today + SOON else Due.LATER


@dataclass(frozen=True)
class Task:
    """One thing due for one child; `record_type`/`record_id` is the record the work is
    recorded under (e.g. the referral for its assessment, the CP plan for its visits)."""

    person_id: int
    kind: Kind
    due: dt.date
    status: Due
    record_type: str
    record_id: int
    why: str
    due_at: dt.datetime | None = None  # the hour, where the timescale is in hours (RHI)

    @property
    def title(self) -> str:
        return self.kind.label


@dataclass
class ChildWork:
    """A child on a My work page: who, held by whom, and what is due (soonest first)."""

    person_id: int
    name: str
    la_person_id: str
    date_of_birth: dt.date | None
    worker_id: int
    worker_name: str
    team_name: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def first_due(self) -> dt.date | None:
        return self.tasks[0].due if self.tasks else None


@dataclass
class Work:
    """What a My work page shows."""

    is_manager: bool
    children: list[ChildWork]
    workers: list[tuple[int, str]]  # a manager's filter: professional id and name
    worker: int | None  # the worker chosen in the filter, if any
    today: dt.date

    def count(self, status: Due) -> int:
        return sum(1 for c in self.children for t in c.tasks if t.status == status)


def _open_on(today: dt.date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))


def managed_team_ids(user: User, today: dt.date) -> set[int]:
    """The teams a user manages today, with the teams inside them: those where their
    membership says team manager, and all their teams if a role of theirs manages staff
    (a service manager sits in the service, whose teams hang below it)."""
    sql = f"""
        SELECT m.team_id, m.is_team_manager FROM {table(TeamMembership)} m
        JOIN {table(Professional)} p ON p.id = m.professional_id
        WHERE p.user_id = %s AND p.archived_at IS NULL AND m.archived_at IS NULL
          AND m.start_date <= %s AND (m.end_date IS NULL OR m.end_date > %s)
    """  # noqa: S608 - table names from model metadata; values are parameters
    memberships = rows(sql, [user.pk, day(today), day(today)])
    manages_staff = has_role_flag(user, "manages_staff")
    managed = {int(r["team_id"]) for r in memberships
               if r["is_team_manager"] or manages_staff}
    if not managed:
        return set()
    children: dict[int | None, list[int]] = defaultdict(list)
    for team_id, parent_id in Team.objects.filter(archived_at__isnull=True) \
            .values_list("pk", "parent_id"):
        children[parent_id].append(team_id)
    result: set[int] = set()
    stack = list(managed)
    while stack:
        team = stack.pop()
        if team not in result:
            result.add(team)
            stack.extend(children.get(team, []))
    return result


def _allocations(user: User, today: dt.date, teams: set[int],
                 worker: int | None) -> list[dict[str, Any]]:
    """The children allocated today (live allocations of live children) to the user, or to
    a worker in `teams`; only `worker`'s if given. One plain query: this is every My work."""
    reach, params = "pr.user_id = %s", [user.pk]
    if teams:
        in_teams, team_params = one_of("i.team_id", sorted(teams))
        reach, params = f"({reach} OR {in_teams})", [*params, *team_params]
    if worker is not None:
        reach, params = f"{reach} AND i.professional_id = %s", [*params, worker]
    sql = f"""
        SELECT i.person_id, pe.forename, pe.surname, pe.la_person_id, pe.date_of_birth,
          i.professional_id, pr.forename AS worker_forename, pr.surname AS worker_surname,
          t.name AS team_name
        FROM {table(Involvement)} i
        JOIN {table(Person)} pe ON pe.id = i.person_id
        LEFT JOIN {table(Professional)} pr ON pr.id = i.professional_id
        LEFT JOIN {table(Team)} t ON t.id = i.team_id
        WHERE i.role = %s AND i.archived_at IS NULL AND pe.archived_at IS NULL
          AND i.start_date <= %s AND (i.end_date IS NULL OR i.end_date > %s) AND {reach}
    """  # noqa: S608 - table names from model metadata; values are parameters
    return rows(sql, ["CW", day(today), day(today), *params])


def my_work(user: User, *, now: dt.datetime | None = None, worker: int | None = None) -> Work:
    """The user's children and their tasks; a manager's also those of their teams,
    optionally only one worker's. Only children access.policy lets the user see."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    teams = managed_team_ids(user, today)
    workers: list[tuple[int, str]] = []
    if teams:
        workers = sorted({(p, f"{f} {s}") for p, f, s in TeamMembership.objects.filter(
            _open_on(today), team_id__in=teams, archived_at__isnull=True)
            .values_list("professional_id", "professional__forename",
                         "professional__surname")}, key=lambda w: (w[1], w[0]))
    children = [ChildWork(person_id=int(r["person_id"]), name=f"{r['forename']} {r['surname']}",
                          la_person_id=r["la_person_id"],
                          date_of_birth=as_date(r["date_of_birth"]),
                          worker_id=r["professional_id"],
                          worker_name=f"{r['worker_forename']} {r['worker_surname']}",
                          team_name=r["team_name"])
                for r in _allocations(user, today, teams, worker)]
    visible = visible_among(user, (c.person_id for c in children), now=now)
    children = [c for c in children if c.person_id in visible]
    tasks = open_tasks([c.person_id for c in children], now=now,
                       manager_tasks=bool(teams))
    for child in children:
        child.tasks = tasks.get(child.person_id, [])
    far = dt.date.max
    children.sort(key=lambda c: (c.first_due or far, c.name, c.person_id))
    return Work(is_manager=bool(teams), children=children, workers=workers, worker=worker,
                today=today)


def open_tasks(person_ids: Iterable[int], *, now: dt.datetime | None = None,
               manager_tasks: bool = False) -> dict[int, list[Task]]:
    """Every open task of these children, soonest first, by person id. The caller has
    decided the user may see them. `manager_tasks` adds work only a manager does
    (authorising assessments)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    ids = sorted(set(person_ids))
    found: dict[int, list[Task]] = defaultdict(list)
    if not ids:
        return {}
    for task in [*_referral_tasks(ids, today, manager_tasks), *_cp_tasks(ids, today),
                 *_care_tasks(ids, today), *_missing_tasks(ids, now)]:
        found[task.person_id].append(task)
    for tasks in found.values():
        tasks.sort(key=lambda t: (t.due, t.due_at or dt.datetime.min.replace(tzinfo=dt.UTC),
                                  t.kind))
    return dict(found)


def _referral_tasks(ids: list[int], today: dt.date, manager_tasks: bool) -> Iterator[Task]:
    """Assessment (45 working days from the referral) and ICPC (15 working days from the
    latest strategy discussion that agreed a section 47) on open referrals. A referral closed
    as no further action needs no assessment; a child already on a plan is reviewed, not
    conferenced again."""
    for r in task_rows.referrals(ids, today):
        due = timescales.assessment_due(r["referral_date"])
        why = f"45 working days from the referral of {r['referral_date']:%d/%m/%Y}"
        if r["submitted"] and not r["authorised"]:
            if manager_tasks:
                yield Task(r["person_id"], Kind.AUTHORISE_ASSESSMENT, due,
                           due_status(due, today), "assessment", r["submitted"],
                           f"submitted for authorisation; {why}")
        elif not r["authorised"] and not r["is_nfa"]:
            yield Task(r["person_id"], Kind.ASSESSMENT, due, due_status(due, today), "referral",
                       r["id"], why)
        if r["discussion_id"] and not r["icpc_settled"] and not r["on_cp_plan"]:
            due = timescales.icpc_due(r["discussion_on"])
            yield Task(r["person_id"], Kind.ICPC, due, due_status(due, today),
                       "strategydiscussion", r["discussion_id"],
                       f"15 working days from the strategy discussion of "
                       f"{r['discussion_on']:%d/%m/%Y}")


def _cp_tasks(ids: list[int], today: dt.date) -> Iterator[Task]:
    """The next review (3 months from the ICPC, then 6-monthly) and the next visit (local
    policy, 10 working days) of each open child protection plan."""
    for p in task_rows.cp_plans(ids, today):
        icpc = p["conference_date"] or p["start_date"]
        due = timescales.cp_review_due(icpc, p["last_review"])
        why = (f"6 months from the review of {p['last_review']:%d/%m/%Y}" if p["last_review"]
               else f"3 months from the initial conference of {icpc:%d/%m/%Y}")
        yield Task(p["person_id"], Kind.CP_REVIEW, due, due_status(due, today), "cpplan",
                   p["id"], why)
        since = p["last_visit"] or p["start_date"]
        due = timescales.cp_visit_due(since)
        why = (f"{timescales.CP_VISIT_WORKING_DAYS} working days from the last visit on "
               f"{since:%d/%m/%Y}" if p["last_visit"] else
               f"{timescales.CP_VISIT_WORKING_DAYS} working days from the start of the plan "
               f"on {since:%d/%m/%Y}")
        yield Task(p["person_id"], Kind.CP_VISIT, due, due_status(due, today), "cpplan",
                   p["id"], why)


def _care_tasks(ids: list[int], today: dt.date) -> Iterator[Task]:
    """Reviews, visits, SDQs and the permanence plan of each open period of care. Short
    breaks (legal status V3/V4) follow other regulations and make no tasks here."""
    for p in task_rows.periods(ids, today):
        if p["legal_status"] in SHORT_BREAK_LEGAL_STATUSES:
            continue
        yield from _period_tasks(p, today)


def _period_tasks(p: dict[str, Any], today: dt.date) -> Iterator[Task]:
    person, start, period = p["person_id"], p["start_date"], p["id"]
    held = p["reviews_held"]
    due = timescales.cla_review_due(start, held, p["last_review"])
    why = (f"20 working days from coming into care on {start:%d/%m/%Y}" if held == 0 else
           f"{3 if held == 1 else 6} months from the review of {p['last_review']:%d/%m/%Y}")
    yield Task(person, Kind.CLA_REVIEW, due, due_status(due, today), "periodofcare", period, why)
    if p["placement_id"]:
        placed = p["placement_start"]
        # The latest visit counts only if it was to this placement.
        last = p["last_visit"] if p["last_visit"] and p["last_visit"] >= placed else None
        due = timescales.cla_visit_due(placed, last,
                                       intended_until_18=p["placement_type"] in
                                       LONG_TERM_PLACEMENTS)
        why = (f"from the last visit on {last:%d/%m/%Y}" if last else
               f"within a week of the placement starting on {placed:%d/%m/%Y}")
        yield Task(person, Kind.CLA_VISIT, due, due_status(due, today), "placement",
                   p["placement_id"], why)
    sdq = _sdq_due(start, p["last_sdq"], p["date_of_birth"])
    if sdq is not None:
        why = (f"a year after the SDQ of {p['last_sdq']:%d/%m/%Y}" if p["last_sdq"] else
               f"a month after coming into care on {start:%d/%m/%Y}")
        yield Task(person, Kind.SDQ, sdq, due_status(sdq, today), "periodofcare", period, why)
    if not p["has_permanence_plan"]:
        due = timescales.permanence_plan_due(start, p["first_review"])
        yield Task(person, Kind.PERMANENCE_PLAN, due, due_status(due, today), "periodofcare",
                   period, "by the second looked-after review")


def _sdq_due(entered: dt.date, last: dt.date | None, born: dt.date | None) -> dt.date | None:
    """The next SDQ, not before the child's 4th birthday; none for a child 17 or over by
    then, or whose age is not known."""
    if born is None:
        return None
    due = timescales.sdq_due(entered, last)
    fourth = timescales.add_months(born, 12 * SDQ_AGES[0])
    due = max(due, fourth)
    return None if due >= timescales.add_months(born, 12 * SDQ_AGES[1]) else due


def _missing_tasks(ids: list[int], now: dt.datetime) -> Iterator[Task]:
    """A return home interview within 72 hours of the child's return, where none was
    offered (returns in the last four weeks)."""
    today = timezone.localdate(now)
    for e in task_rows.returns(ids, now - RHI_TASK_WINDOW, now):
        returned = timezone.localtime(e["end_at"])
        due_at = timescales.rhi_due(returned)
        status = Due.OVERDUE if due_at < now else due_status(due_at.date(), today)
        yield Task(e["person_id"], Kind.RHI, due_at.date(), status, "missingepisode", e["id"],
                   f"72 hours from the return at {returned:%d/%m/%Y %H:%M}", due_at=due_at)
