"""Being looked after: periods of care with 903 episodes and placements, reviews, visits,
health, SDQs, education plans, going missing, permanence, and leaving care at 18."""

from __future__ import annotations

import bisect
import datetime as dt
from decimal import Decimal

from goldenthread.records import models as m
from goldenthread.reference.calendar import add_working_days
from goldenthread.reference.timescales import add_months
from goldenthread.synth.world import UTC, Child, World, new

CHANGE_REASONS = {"CARPL": 30, "CREQB": 20, "CREQO": 12, "CHILD": 8, "LAREQ": 10, "STAND": 4,
                  "ALLEG": 3, "CLOSE": 3, "OTHER": 10}
PLAN_CODES = {"return_home": "RETURN_HOME", "adoption": "ADOPTION", "sgo": "SGO",
              "cao": "CAO", "to_18": "LONG_TERM_FOSTER"}
CLOSURE = {"adoption": "RC1", "sgo": "RC4", "cao": "RC3"}


def plan_care(world: World, child: Child, start: dt.date) -> tuple[str, dt.date]:
    """Draw how and when a period of care ends (before anything is written)."""
    age = child.age_on(start)
    weights = dict(world.profile.behaviour["cla_outcomes"])
    if age >= 5:
        weights["adoption"] = 0
    if age >= 13:
        weights["sgo"] = weights["sgo"] / 4
        weights["cao"] = 0
    weights["to_18"] = weights["to_18"] * (0.5 + age / 8)
    outcome = world.pick(weights)
    months = world.profile.b("short_stay_months")
    days = {"return_home": world.lognormal_days(months * 30.4, 1.0),
            "adoption": world.rng.randint(520, 900), "sgo": world.rng.randint(300, 800),
            "cao": world.rng.randint(200, 600)}.get(outcome)
    eighteen = child.birthday(18)
    end = eighteen if days is None else min(eighteen, start + dt.timedelta(days=days))
    return ("to_18" if end == eighteen else outcome), end


def period_of_care(world: World, child: Child, referral: m.Referral | None, start: dt.date,
                   route: str, planned: tuple[str, dt.date] | None = None) -> dt.date | None:
    """Write a period of care; returns its end date (None: still looked after)."""
    rng = world.rng
    outcome, planned_end = planned or plan_care(world, child, start)
    child.care_outcome = outcome
    end = world.clip(planned_end)
    period = new(m.PeriodOfCare, person=child.person, referral=referral, start_date=start,
                            end_date=end)
    child.records.append(period)
    stop = end or world.end
    # Legal status over time: (date, status); placement changes over time: dates.
    first_status = {"emergency": rng.choice(("L1", "L2")), "uasc": "V2",
                    "cp": "C1" if rng.random() < 0.7 else "V2",
                    "cin": "V2" if rng.random() < 0.7 else "C1", "legacy": "C2"}[route]
    statuses = {start: first_status}
    if first_status in ("L1", "L2"):
        statuses[start + world.days(2, 8)] = "C1"
    if statuses[max(statuses)] == "C1":
        statuses[max(statuses) + world.days(150, 330)] = "C2"
    milestones, by_foster_carer = _permanence(world, child, period, start, planned_end, outcome)
    if milestones.get("placement_order"):
        statuses = {d: s for d, s in statuses.items() if d < milestones["placement_order"]}
        statuses[milestones["placement_order"]] = "E1"
    moves = set(_placement_moves(world, child, start, stop, milestones.get("placed")))
    changes = sorted(d for d in ({d for d in statuses if d != start} | moves) if d < stop)
    placement = _placement(world, child, period, start, child.age_on(start), first=True)
    placements = [placement]
    status = first_status
    episode = _episode(child, period, placement, start, "S", status)
    for day in changes:
        new_status = statuses.get(day, status)
        if day in moves:
            placement.end_date = day
            placement.change_reason = world.pick(CHANGE_REASONS)
            placement = _placement(world, child, period, day, child.age_on(day),
                                   adoptive=day == milestones.get("placed"),
                                   adopter_foster_carer=by_foster_carer)
            placements.append(placement)
        elif new_status == status:
            continue
        episode.end_date, episode.reason_ceased = day, "X1"
        rne = ("B" if new_status != status else "P") if day in moves else "L"
        episode = _episode(child, period, placement, day, rne, new_status)
        status = new_status
    if end is not None:
        placement.end_date = end
        episode.end_date = end
        episode.reason_ceased = _reason_ceased(world, outcome, end)
    _looked_after_records(world, child, period, start, end, placements)
    _missing(world, child, start, stop, world.profile.b("missing_child_share_cla"))
    if outcome == "to_18" or (end is None and child.age_on(stop) >= 16):
        _care_leaver(world, child, start, end)
    world.touch(child, end)
    return end


def _reason_ceased(world: World, outcome: str, end: dt.date) -> str:
    if outcome == "adoption":
        return world.pick({"E11": 60, "E12": 40})
    if outcome == "sgo":
        return world.pick({"E45": 40, "E46": 10, "E47": 40, "E48": 10}) \
            if end >= dt.date(2018, 4, 1) else "E43"
    if outcome == "cao":
        return "E41"
    if outcome == "to_18":
        return world.pick({"E17": 20, "E5": 45, "E6": 20, "E8": 15})
    return world.pick({"E4A": 45, "E13": 35, "E4B": 10, "E8": 10})


# A placement that has lasted a year has settled: it breaks down far less often after.
SETTLED_AFTER = dt.timedelta(days=365)


def _placement_moves(world: World, child: Child, start: dt.date, stop: dt.date,
                     adoptive: dt.date | None) -> list[dt.date]:
    """The days the child moves placement. Most children's moves come early in a placement
    (`placement_move_per_year`), rarely once it has lasted a year
    (`settled_move_per_year`), so most children long in care stay put (DfE's long-term
    stability, 69% in Manchester); a few children's placements break down often, whatever
    their age (`unstable_share`, `unstable_moves_per_year`)."""
    b = world.profile.b
    unstable = world.chance(b("unstable_share"))
    early = b("unstable_moves_per_year") if unstable else b("placement_move_per_year")
    settled = early if unstable else b("settled_move_per_year")
    moves = set()
    day = placed = start
    while True:
        wait = world.rng.expovariate(early / 365.25)
        if not unstable and day + dt.timedelta(days=wait) >= placed + SETTLED_AFTER:
            # Past a year in the placement, the rest of the wait runs at the settled rate.
            day = placed + SETTLED_AFTER
            wait = world.rng.expovariate(settled / 365.25)
        day += dt.timedelta(days=max(7, int(wait)))
        if day >= stop:
            break
        moves.add(day)
        placed = day
    if adoptive is not None and start < adoptive < stop:
        moves = {d for d in moves if d < adoptive - dt.timedelta(days=30)} | {adoptive}
    return sorted(moves)


def _placement(world: World, child: Child, period: m.PeriodOfCare, day: dt.date, age: float,
               first: bool = False, adoptive: bool = False,
               adopter_foster_carer: bool = False) -> m.Placement:
    rng = world.rng
    if adoptive:  # placement order: with the current foster carer (A5) or with others (A6)
        kind = "A5" if adopter_foster_carer else "A6"
    elif age >= 16:
        kind = world.pick({"U6": 40, "K2": 25, "K3" if day >= dt.date(2024, 4, 1) else "H5": 35})
    elif age < 1 and first:
        kind = world.pick({"U6": 70, "R3": 15, "U3": 15})
    else:
        kind = world.pick({"U6": 50, "U4": 12, "U3": 15, "U1": 4, "K2": 12 if age >= 10 else 2,
                           "P1": 5})
    provider = {"P1": "PR0", "K2": "PR4", "H5": "PR4", "K3": "PR4", "R3": "PR5",
                "A5": "PR1", "A6": "PR5"}.get(kind) or world.pick({"PR1": 55, "PR4": 45})
    outside = rng.random() < 0.49
    districts = world.profile.neighbours if outside else world.profile.districts
    miles = rng.uniform(6, 45) if outside and rng.random() < 0.18 else rng.uniform(0.5, 12)
    placement = new(m.Placement, person=child.person, period=period, start_date=day, end_date=None,
                            placement_type=kind, provider=provider,
                            urn="" if kind == "P1" else world.names.urn(),
                            postcode=child.postcode if kind == "P1"
                            else world.names.postcode(districts, avoid=child.postcode),
                            distance_miles=Decimal(f"{miles:.1f}") if kind != "P1" else None,
                            carer_name="" if kind[0] in "KHRP" else
                            f"{world.names.surname()} family")
    child.records.append(placement)
    return placement


def _episode(child: Child, period: m.PeriodOfCare, placement: m.Placement, day: dt.date,
             rne: str, status: str) -> m.CLAEpisode:
    episode = new(m.CLAEpisode, person=child.person, period=period, placement=placement,
                           start_date=day, reason_new_episode=rne, legal_status=status,
                           cin_need="N1" if status != "V2" else "N4",
                           home_postcode=child.postcode)
    child.records.append(episode)
    return episode


def _adopters(world: World, record: m.Permanence) -> None:
    """Who adopts, told consistently (903 rules 520 and 335): their number, sexes and legal
    status agree, and a child adopted by their foster carer is placed with them (A5)."""
    sexes = world.pick({"MF": 70, "F1": 15, "FF": 8, "MM": 4, "M1": 3})
    record.number_of_adopters = 1 if sexes in ("F1", "M1") else 2
    record.adopter_sex = sexes
    record.adopter_legal_status = (
        "L0" if record.number_of_adopters == 1
        else world.pick({"L11": 75, "L2": 25}) if sexes == "MF"
        else world.pick({"L12": 80, "L2": 20}))
    record.adopted_by_foster_carer = world.chance(0.1)


def _permanence(world: World, child: Child, period: m.PeriodOfCare, start: dt.date,
                end: dt.date, outcome: str) -> tuple[dict[str, dt.date], bool]:
    """Adoption milestones worked back from the adoption order; SGO and CAO orders. Also
    whether the adopters are the child's foster carers."""
    if outcome not in ("adoption", "sgo", "cao"):
        return {}, False
    record = new(m.Permanence, person=child.person, period=period)
    found: dict[str, dt.date] = {}
    if outcome == "adoption":
        placed = end - world.days(120, 270)
        matched = placed - world.days(14, 45)
        order = max(start + world.days(60, 120), matched - world.days(60, 200))
        adm = max(start + world.days(30, 90), order - world.days(40, 120))
        found = {"placed": placed, "placement_order": order}
        for attr, day in (("adm_decision_date", adm), ("placement_order_date", order),
                          ("matched_date", matched), ("placed_for_adoption_date", placed)):
            if day <= world.end:
                setattr(record, attr, day)
        if record.matched_date:
            _adopters(world, record)
    if end <= world.end:
        record.permanence_order_date = end
        record.permanence_order_type = {"adoption": "ADOPTION", "sgo": "SGO",
                                        "cao": "CAO"}[outcome]
    if any(getattr(record, f) for f in ("adm_decision_date", "permanence_order_date")):
        child.records.append(record)
    return {k: v for k, v in found.items() if v > start}, bool(record.adopted_by_foster_carer)


def _looked_after_records(world: World, child: Child, period: m.PeriodOfCare,
                          start: dt.date, end: dt.date | None,
                          placements: list[m.Placement]) -> None:
    rng = world.rng
    stop = end or world.end
    since = max(start, world.start)  # recurring records are kept from the window's start
    person = child.person
    add = child.records.append
    # Reviews: 20 working days, then 3 months, then every 6 months.
    due, n = add_working_days(start, 20), 0
    outcome = child.care_outcome
    while due <= stop:
        held = due - world.days(0, 5) if rng.random() < 0.92 else due + world.days(1, 25)
        if held > stop:
            break
        n += 1
        review = None
        if held >= since:
            review = new(m.CLAReview, person=person, period=period, due_date=due, review_date=held,
                                 participation=world.pick({"PN1": 5, "PN3": 2, "PN0": 2,
                                                           "PN5": 1}))
            add(review)
            child.jobs.append((review, "iro"))
        if n == 2:
            # Kept even when its review came before the window (and is not kept), so a child
            # long in care has the plan their second review made.
            add(new(m.PermanencePlan, person=person, period=period, decided_on=held,
                    plan=PLAN_CODES.get(outcome, "LONG_TERM_FOSTER"), decided_at_review=review))
        due = add_months(held, 3 if n == 1 else 6)
    _visits(world, child, period, stop, since, placements)
    _health(world, child, period, start, stop, since)


# Placements meant to last until 18 (long-term fostering): visited three-monthly after their
# first year (casework.tasks.LONG_TERM_PLACEMENTS).
LONG_TERM = frozenset({"U1", "U4"})


def _visits(world: World, child: Child, period: m.PeriodOfCare, stop: dt.date, since: dt.date,
            placements: list[m.Placement]) -> None:
    """Visits as the regulations set them (Care Planning Regulations 2010, reg. 28): within
    a week of each placement starting, then at most six weeks apart, or three months after
    a long-term placement's first year; one interval in twelve runs late."""
    rng = world.rng
    starts = [p.start_date for p in placements]
    day = starts[0] + world.days(1, 7)
    while day <= stop:
        if day >= since:
            seen = rng.random() < 0.95
            child.records.append(new(m.CLAVisit, person=child.person, period=period,
                                     visit_date=day, seen=seen,
                                     seen_alone=seen and rng.random() < 0.55))
        placement = placements[bisect.bisect_right(starts, day) - 1]
        settled = placement.placement_type in LONG_TERM \
            and day >= add_months(placement.start_date, 12)
        following = day + (world.days(60, 88) if settled else world.days(28, 42))
        if rng.random() < 1 / 12:
            following += world.days(1, 21)
        moved = [s for s in starts if day < s < following]
        day = moved[0] + world.days(1, 7) if moved else following


def _health(world: World, child: Child, period: m.PeriodOfCare, start: dt.date, stop: dt.date,
            since: dt.date) -> None:
    rng = world.rng
    person = child.person
    add = child.records.append
    # Health and education: yearly health and dental checks, SDQs, termly PEPs.
    day = add_working_days(start, rng.randint(10, 20))
    while day <= stop:
        if day >= since:
            add(new(m.HealthCheck, person=person, check_type="HEALTH_ASSESSMENT", check_date=day,
                              completed=rng.random() < 0.93))
            add(new(m.HealthCheck, person=person, check_type="DENTAL", check_date=day,
                              completed=rng.random() < 0.9))
            add(new(m.Immunisation, person=person, up_to_date=rng.random() < 0.95, as_at=day))
            if 4 <= child.age_on(day) < 17:
                if rng.random() < 0.75:
                    score = max(0, min(40, round(rng.gauss(12.8, 6.5))))
                    add(new(m.SDQScore, person=person, completed_on=day, score=score))
                else:
                    add(new(m.SDQScore, person=person, completed_on=day,
                                   reason=rng.choice(("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"))))
        day += world.days(330, 375)
    day = start + world.days(10, 30)
    while day <= stop:
        if day >= since and 4 <= child.age_on(day) < 16:
            add(new(m.PersonalEducationPlan, person=person, plan_date=day, school_urn="9999"
                                        + f"{rng.randint(100, 999)}"))
        day += world.days(100, 130)


def _missing(world: World, child: Child, start: dt.date, stop: dt.date, share: float) -> None:
    """Repeat missing episodes, concentrated in a minority of children aged 11 and over."""
    rng = world.rng
    year_start = max(start, world.start, child.birthday(11))
    while year_start < stop:
        year_end = min(stop, year_start + dt.timedelta(days=365))
        if rng.random() < share * (year_end - year_start).days / 365:
            n = 1 + int(rng.expovariate(1 / (world.profile.b("missing_episodes_per_child") - 1)))
            span = max(1, (year_end - year_start).days)
            for _ in range(n):
                day = year_start + dt.timedelta(days=rng.randrange(span))
                if day not in child.missing_days:  # one episode a day at most: none overlap
                    child.missing_days.add(day)
                    _missing_episode(world, child, day)
        year_start = year_end
    world.touch(child, stop if stop <= world.end else None)


def _missing_episode(world: World, child: Child, day: dt.date) -> None:
    rng = world.rng
    start = dt.datetime(day.year, day.month, day.day, rng.randint(14, 22), rng.randint(0, 59),
                        tzinfo=UTC)
    end = start + dt.timedelta(hours=rng.randint(2, 14))
    episode = new(m.MissingEpisode, person=child.person, episode_type="M" if rng.random() < 0.8
                               else "A", start_at=start, end_at=end, reported_to_police=True)
    if rng.random() < 0.93:
        episode.rhi_offered_at = end + dt.timedelta(hours=rng.randint(4, 70))
        episode.rhi_accepted = rng.random() < world.profile.b("rhi_accepted")
        if episode.rhi_accepted:
            episode.rhi_completed_at = episode.rhi_offered_at + dt.timedelta(hours=rng.randint(
                1, 24))
    child.records.append(episode)


def missing_from_home(world: World, child: Child, start: dt.date, stop: dt.date) -> None:
    _missing(world, child, start, stop, world.profile.b("missing_child_share_cin"))


def _care_leaver(world: World, child: Child, start: dt.date, end: dt.date | None) -> None:
    """Eligible from 16 (after 13 weeks in care since 14), former relevant from 18."""
    sixteen, eighteen = child.birthday(16), child.birthday(18)
    eligible_from = max(sixteen, start + dt.timedelta(days=91))
    if eligible_from >= eighteen or eligible_from > world.end or (end and end < eligible_from):
        return
    person = child.person
    add = child.records.append
    add(new(m.CareLeaver, person=person, eligibility="ELIGIBLE", start_date=eligible_from,
                     end_date=world.clip(eighteen)))
    day = eligible_from
    while day <= world.end and day < child.birthday(21):
        review = add_months(day, 6)
        add(new(m.PathwayPlan, person=person, start_date=day, review_date=review,
                          end_date=world.clip(review)))
        day = review
    if eighteen > world.end:
        return
    add(new(m.CareLeaver, person=person, eligibility="FORMER_RELEVANT", start_date=eighteen,
                     end_date=world.clip(child.birthday(21))))
    day = eighteen + world.days(20, 60)
    while day <= world.end and day < child.birthday(21):
        in_touch = world.pick({"YES": 90, "NO": 4, "REFU": 3, "NREQ": 3})
        activity = accommodation = ""
        if in_touch == "YES":
            modern = day >= dt.date(2021, 4, 1)
            activity = world.pick({"F2": 25, "F1": 8, "F5" if modern else "F3": 25,
                                   "P5" if modern else "P3": 7, "G5": 25, "G6": 5, "G4": 5})
            accommodation = world.pick({"D1": 25, "U1": 25, "Z1": 12, "B1": 12, "E1": 8,
                                        "T1": 6, "S2": 3, "V2": 3, "X2": 2, "B2": 4})
        add(new(m.CareLeaverContact, person=person, contact_date=day, in_touch=in_touch,
                                activity=activity, accommodation=accommodation))
        day += world.days(50, 100)
    world.touch(child, world.end if child.birthday(21) > world.end else child.birthday(21))
