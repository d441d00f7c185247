"""The workforce: localities → services → teams, staff who start and leave, and dated case
allocations (Involvement, role CW) sized so caseloads come out near the profile's target.

Staffing follows demand month by month: leavers go at the profile's turnover, and enough
starters (some newly qualified, some agency) are hired to keep cases ÷ FTE at the target.
Cases go to the least-loaded worker in the right team; a leaver's cases are reallocated.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from goldenthread.core.models import BaseModel
from goldenthread.records import models as m
from goldenthread.reference.timescales import add_months
from goldenthread.synth.world import PREFIX, Segment, World, new

KINDS = {"assess": "Assessment", "locality": "Children in need and protection",
         "cla": "Children looked after"}
REASONS_FROM = dt.date(2023, 4, 1)  # SW_CHANGE_REASON codes are valid from 2023-24


@dataclass
class Worker:
    pro: m.Professional
    team: m.Team
    membership: m.TeamMembership
    cases: dict[int, m.Involvement] = field(default_factory=dict)

    def load(self) -> float:
        return len(self.cases) / float(self.pro.fte)

    def active(self, day: dt.date) -> bool:
        leave = self.pro.leave_date
        return self.pro.start_date <= day and (leave is None or day < leave)


class Workforce:
    def __init__(self, world: World) -> None:
        self.world = world
        self.records: list[BaseModel] = []
        self._n = 0
        self.teams: dict[tuple[int, str], list[m.Team]] = {}
        self.managers: dict[tuple[int, str], list[m.Professional]] = defaultdict(list)
        self.pools: dict[tuple[int, str], list[Worker]] = defaultdict(list)

    def team(self, code: str, name: str, kind: str, parent: m.Team | None) -> m.Team:
        team = new(m.Team, code=f"{PREFIX}{code}", name=name, kind=kind, parent=parent,
                      start_date=self.world.warm - dt.timedelta(days=3650))
        self.records.append(team)
        return team

    def professional(self, start: dt.date, *, manager: bool = False, agency: bool = False,
                     asye: bool = False, social_worker: bool = True,
                     title: str = "Social worker") -> m.Professional:
        world, rng = self.world, self.world.rng
        self._n += 1
        sex = "F" if rng.random() < 0.8 else "M"
        qualified = start - dt.timedelta(days=rng.randint(0, 60) if asye
                                         else rng.randint(400, 7000))
        fte = Decimal("1.00") if manager or rng.random() > world.profile.workforce[
            "part_time_share"] else Decimal(rng.choice(("0.60", "0.80")))
        pro = new(m.Professional, staff_id=f"{PREFIX}W{self._n:05d}",
                             forename=world.names.forename(sex), surname=world.names.surname(),
                             swe_registration_number=f"SW{900000 + self._n}"
                             if social_worker else "",
                             job_title=title, is_social_worker=social_worker,
                             is_manager=manager, fte=fte, is_agency=agency,
                             qualified_on=qualified if social_worker else None,
                             asye_start=start if asye else None, start_date=start)
        self.records.append(pro)
        return pro

    def member(self, pro: m.Professional, team: m.Team,
               manager: bool = False) -> m.TeamMembership:
        membership = new(m.TeamMembership, professional=pro, team=team, start_date=pro.start_date,
                                      is_team_manager=manager)
        self.records.append(membership)
        return membership

    def build_structure(self, peak: dict[tuple[int, str], float]) -> None:
        world = self.world
        size = world.profile.workforce["team_size"]
        begin = world.warm - dt.timedelta(days=400)
        for i, name in enumerate(world.profile.localities):
            locality = self.team(f"L{i}", f"{name} locality", m.TeamKind.LOCALITY, None)
            for kind, label in KINDS.items():
                service = self.team(f"L{i}-{kind}", f"{name} {label.lower()}",
                                    m.TeamKind.SERVICE, locality)
                count = max(1, math.ceil(peak.get((i, kind), 1) / size))
                teams = [self.team(f"L{i}-{kind}-{n + 1}", f"{name} {label.lower()} team {n + 1}",
                                   m.TeamKind.TEAM, service) for n in range(count)]
                self.teams[(i, kind)] = teams
                for team in teams:
                    boss = self.professional(begin, manager=True, title="Team manager")
                    self.member(boss, team, manager=True)
                    self.managers[(i, kind)].append(boss)
        city = self.team("CITY", "Citywide services", m.TeamKind.LOCALITY, None)
        for kind, label, title in (("front", "Front door (MASH)", "Team manager"),
                                   ("iro", "Independent reviewing officers", "IRO")):
            team = self.team(f"CITY-{kind}", label, m.TeamKind.TEAM, city)
            for _ in range(max(2, math.ceil(world.scale * 40 / (10 if kind == "iro" else 20)))):
                pro = self.professional(begin, manager=kind == "front", title=title)
                self.member(pro, team)
                self.managers[(-1, kind)].append(pro)

    def staff(self, key: tuple[int, str], open_cases: list[int]) -> None:
        """Hire and lose social workers month by month to keep the caseload near target."""
        world, rng, wf = self.world, self.world.rng, self.world.profile.workforce
        target = wf["caseload_target"]
        agency_hire = wf["agency_share"] * wf["agency_turnover_per_year"] / wf["turnover_per_year"]
        pool, teams = self.pools[key], self.teams[key]
        month = world.warm
        while month <= world.end:
            index = min(len(open_cases) - 1, (month - world.warm).days + 15)
            need = max(1.0, open_cases[index] / target)
            active = [w for w in pool if w.active(month)]
            have = sum(float(w.pro.fte) for w in active)
            for w in active:
                rate = wf["agency_turnover_per_year"] if w.pro.is_agency \
                    else wf["turnover_per_year"]
                # Staff leave at the turnover rate; agency contracts also end when demand falls.
                surplus = w.pro.is_agency and have - float(w.pro.fte) > need * 1.05
                if have - float(w.pro.fte) >= 0.5 and (surplus or rng.random() < rate / 12):
                    w.pro.leave_date = month + world.days(1, 27)
                    w.pro.leave_reason = "Contract ended" if w.pro.is_agency else "Resigned"
                    have -= float(w.pro.fte)
            have = sum(float(w.pro.fte) for w in active if w.pro.leave_date is None)
            while have < need - 0.4:  # whole people: round to the nearest, not up
                agency = rng.random() < agency_hire
                asye = not agency and month > world.warm and \
                    rng.random() < wf["asye_share_of_starters"]
                pro = self.professional(month if month == world.warm else
                                        month - world.days(0, 20), agency=agency, asye=asye)
                team = teams[len(pool) % len(teams)]
                pool.append(Worker(pro, team, self.member(pro, team)))
                have += float(pro.fte)
            month = add_months(month, 1)
        for w in pool:
            w.membership.end_date = w.pro.leave_date


def _merge(segments: list[Segment]) -> list[Segment]:
    """A plan following a plan in the same team is one allocation, not two."""
    merged: list[Segment] = []
    for seg in segments:
        last = merged[-1] if merged else None
        if last is not None and last.referral is seg.referral and last.kind == seg.kind \
                and last.end == seg.start:
            last.end = seg.end
        elif seg.end is None or seg.end > seg.start:
            merged.append(Segment(seg.person, seg.referral, seg.kind, seg.start, seg.end,
                                  seg.locality))
    return merged


def build(world: World) -> list[BaseModel]:
    """Teams, staff and allocations for the cases the kept children's journeys produced."""
    force = Workforce(world)
    segments = [s for child in world.kept for s in _merge(child.segments)]
    span = (world.end - world.warm).days + 2
    counts: dict[tuple[int, str], list[int]] = {}
    for seg in segments:
        diff = counts.setdefault((seg.locality, seg.kind), [0] * span)
        diff[max(0, (seg.start - world.warm).days)] += 1
        if seg.end is not None:
            diff[max(0, (seg.end - world.warm).days)] -= 1
    target = world.profile.workforce["caseload_target"]
    peak = {}
    for key, diff in counts.items():
        running = 0
        for i, value in enumerate(diff):
            running += value
            diff[i] = running
        peak[key] = max(diff) / target
    force.build_structure(peak)
    for key, open_cases in sorted(counts.items()):
        force.staff(key, open_cases)
    _allocate(force, segments)
    _assign_managers(world, force)
    return force.records


def _allocate(force: Workforce, segments: list[Segment]) -> None:
    events: list[tuple[dt.date, int, int, object]] = []
    for n, seg in enumerate(segments):
        if seg.end is not None and seg.end <= force.world.warm:
            continue  # over by the warm-up's first day: nothing to allocate
        # Cases opened before the warm-up are allocated from its first day (staff start then).
        events.append((max(seg.start, force.world.warm), 2, n, seg))
        if seg.end is not None:
            events.append((seg.end, 0, n, seg))
    workers = [w for _, pool in sorted(force.pools.items()) for w in pool]
    for number, w in enumerate(workers):
        if w.pro.leave_date is not None:
            events.append((w.pro.leave_date, 1, number, w))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    holder: dict[int, Worker] = {}
    duty: dict[tuple[int, str], _OnDuty] = {}
    for day, kind, n, item in events:
        if kind == 0:
            worker = holder.pop(n, None)
            if worker is not None:
                involvement = worker.cases.pop(n)
                involvement.end_date = day
                involvement.change_reason = "TSPROC" if day >= REASONS_FROM else ""
        elif kind == 2:
            assert isinstance(item, Segment)
            _give(force, duty, holder, n, item, day)
        else:
            assert isinstance(item, Worker)
            for case, involvement in list(item.cases.items()):
                involvement.end_date = day
                involvement.change_reason = "LEFTRL" if day >= REASONS_FROM else ""
                del item.cases[case]
                _give(force, duty, holder, case, segments[case], day)


class _OnDuty:
    """One pool's workers active on a day, in pool order: what `[w for w in pool if
    w.active(day)]` lists, kept up to date as the days move on (allocation runs in date
    order) instead of found again among everyone the pool ever had, for each case."""

    def __init__(self, pool: list[Worker]) -> None:
        self.pool = pool
        self.day: dt.date | None = None
        self.known = 0  # workers of the pool looked at so far (hires are appended)
        self.waiting: list[tuple[dt.date, int]] = []  # heap: (start, position), not started
        self.current: list[int] = []  # positions of the active workers, ascending
        self.fte: list[float] = []  # float(pro.fte) by position, as Worker.load reads it

    def least_loaded(self, day: dt.date) -> Worker | None:
        """`min(active, key=Worker.load)`: the first active worker of least load."""
        if self.day is not None and day < self.day:  # the days went back: start again
            self.known, self.waiting, self.current, self.fte = 0, [], [], []
        self.day = day
        pool = self.pool
        while self.known < len(pool):
            pro = pool[self.known].pro
            heapq.heappush(self.waiting, (pro.start_date, self.known))
            self.fte.append(float(pro.fte))
            self.known += 1
        while self.waiting and self.waiting[0][0] <= day:
            bisect.insort(self.current, heapq.heappop(self.waiting)[1])
        best: Worker | None = None
        best_load = 0.0
        still = []
        for i in self.current:
            worker = pool[i]
            leave = worker.pro.leave_date
            if leave is not None and not day < leave:
                continue  # left: never active again on a later day
            still.append(i)
            load = len(worker.cases) / self.fte[i]
            if best is None or load < best_load:
                best, best_load = worker, load
        self.current = still
        return best


def _give(force: Workforce, duty: dict[tuple[int, str], _OnDuty], holder: dict[int, Worker],
          n: int, seg: Segment, day: dt.date) -> None:
    key = (seg.locality, seg.kind)
    pool = force.pools[key]
    on_duty = duty.get(key)
    if on_duty is None or on_duty.pool is not pool:
        on_duty = duty[key] = _OnDuty(pool)
    worker = on_duty.least_loaded(day)
    if worker is None:  # everyone has left: an agency worker covers from that day
        pro = force.professional(day, agency=True)
        team = force.teams[key][0]
        worker = Worker(pro, team, force.member(pro, team))
        pool.append(worker)
    involvement = new(m.Involvement, person=seg.person, professional=worker.pro, role="CW",
                                team=worker.team, referral=seg.referral, start_date=day)
    force.records.append(involvement)
    worker.cases[n] = involvement
    holder[n] = worker


def _assign_managers(world: World, force: Workforce) -> None:
    rng = world.rng
    for child in world.kept:
        for record, _kind in child.jobs:
            if isinstance(record, m.Contact):
                record.decided_by = rng.choice(force.managers[(-1, "front")])
            elif isinstance(record, m.Assessment):
                record.authorised_by = rng.choice(force.managers[(child.locality, "assess")])
            elif isinstance(record, m.CLAReview):
                record.chaired_by = rng.choice(force.managers[(-1, "iro")])
