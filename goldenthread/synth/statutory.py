"""What a careful council records for its statutory returns, on top of the simulated journeys.

The journey simulator draws events; DfE's SSDA903 rules also ask how each one was recorded:
a review's participation code fits the child's age, an SDQ's reason fits the child's age,
"0" when a care leaver is not in touch, the permanence a child had before care, and no
placement with parents under a single period of section 20 accommodation. `complete` fixes
the simulated records to that standard after the simulation, with a random stream of its
own, so the journeys themselves (and every figure calibrated on them) do not change.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import random
from collections import defaultdict
from decimal import Decimal

from goldenthread.records import models as m
from goldenthread.synth.names import real_postcodes
from goldenthread.synth.world import Child, World, new

__all__ = ["complete"]

NOT_IN_TOUCH = frozenset({"NO", "REFU", "NREQ", "DIED", "RHOM"})
# Disability as the CIN census codes it: most children have none recorded as NONE.
DISABILITIES = {"NONE": 880, "LD": 25, "AUT": 25, "BEH": 15, "COMM": 15, "MOB": 8, "HEAR": 6,
                "VIS": 6, "PC": 5, "HAND": 4, "INC": 4, "CON": 3, "DDA": 4}
_DISABILITY_CODES = list(DISABILITIES)
_DISABILITY_TOTALS = list(itertools.accumulate(DISABILITIES.values()))
# Permanence before care: most children had none (Z1); the rest an order made here.
PREVIOUS = {"Z1": 88, "P1": 3, "P2": 6, "P3": 3}


def _age(child: Child, day: dt.date) -> int:
    years = day.year - child.dob.year
    return years - ((day.month, day.day) < (child.dob.month, child.dob.day))


def complete(world: World) -> None:
    """Bring every kept child's records up to what the SSDA903 asks of them."""
    rng = random.Random(f"{world.profile.name}-{world.start}-{world.end}-{len(world.kept)}")  # noqa: S311
    for child in world.kept:
        by_type: dict[type, list[object]] = defaultdict(list)
        for record in child.records:
            by_type[type(record)].append(record)
        _participation(child, by_type[m.CLAReview])  # type: ignore[arg-type]
        _police_protection(by_type[m.CLAEpisode])  # type: ignore[arg-type]
        _yearly_checks(world, rng, child, by_type)
        _sdq(child, by_type, rng)
        if any(isinstance(s, m.ImmigrationStatus) and s.status == "UASC"
               for s in by_type[m.ImmigrationStatus]):
            _no_home_address(child, by_type)
        _care_leaver_contacts(by_type[m.CareLeaverContact])  # type: ignore[arg-type]
        _placed_with_parents(world, rng, child, by_type)
        _supported_accommodation_here(world, rng, by_type[m.Placement])  # type: ignore[arg-type]
        _closure_reasons(by_type)
        _care_codes(by_type)
        _disability(rng, child)
        periods: list[m.PeriodOfCare] = by_type[m.PeriodOfCare]  # type: ignore[assignment]
        if periods:
            _previous_permanence(world, rng, child, min(p.start_date for p in periods))


def _participation(child: Child, reviews: list[m.CLAReview]) -> None:
    """PN0 is the code for a child under 4 at the review, and only for them."""
    for review in reviews:
        if review.review_date is None:
            continue
        if _age(child, review.review_date) < 4:
            review.participation = "PN0"
        elif review.participation == "PN0":
            review.participation = "PN1"


def _police_protection(episodes: list[m.CLAEpisode]) -> None:
    """Police protection (L1) lasts 72 hours at most: a child held longer before a care
    order was under an emergency protection order (L2)."""
    runs: list[list[m.CLAEpisode]] = []
    for episode in sorted(episodes, key=lambda e: e.start_date):
        if episode.legal_status != "L1":
            continue
        if runs and runs[-1][-1].end_date == episode.start_date:
            runs[-1].append(episode)
        else:
            runs.append([episode])
    for run in runs:
        ended = run[-1].end_date
        if ended is not None and (ended - run[0].start_date).days > 3:
            for episode in run:
                episode.legal_status = "L2"


def _yearly_checks(world: World, rng: random.Random, child: Child,
                   by_type: dict[type, list[object]]) -> None:
    """The yearly health assessment (and the dental check, immunisation review and SDQ
    done with it) is never more than a year after the last while the child is looked
    after: a later one is held on the anniversary instead, and one falls due while care
    goes on."""
    checks = sorted({c.check_date for c in by_type[m.HealthCheck]
                     if isinstance(c, m.HealthCheck)})
    moved: dict[dt.date, dt.date] = {}
    last: dt.date | None = None
    for day in checks:
        held = day if last is None or (day - last).days <= 365 \
            else last + dt.timedelta(days=365)
        if held != day:
            moved[day] = held
        last = held
    for record in by_type[m.HealthCheck]:
        assert isinstance(record, m.HealthCheck)
        record.check_date = moved.get(record.check_date, record.check_date)
    for record in by_type[m.Immunisation]:
        assert isinstance(record, m.Immunisation)
        record.as_at = moved.get(record.as_at, record.as_at)
    for record in by_type[m.SDQScore]:
        assert isinstance(record, m.SDQScore)
        record.completed_on = moved.get(record.completed_on, record.completed_on)
    held_on = sorted(moved.get(d, d) for d in checks)
    for period in by_type[m.PeriodOfCare]:
        assert isinstance(period, m.PeriodOfCare)
        stop = period.end_date or world.end
        within = [d for d in held_on if period.start_date <= d <= stop]
        if not within:
            continue
        day = within[-1] + dt.timedelta(days=365)
        while day < stop:
            _health_check(rng, child, by_type, day)
            day += dt.timedelta(days=365)


def _health_check(rng: random.Random, child: Child, by_type: dict[type, list[object]],
                  day: dt.date) -> None:
    for record in (new(m.HealthCheck, person=child.person, check_type="HEALTH_ASSESSMENT",
                       check_date=day, completed=rng.random() < 0.93),
                   new(m.HealthCheck, person=child.person, check_type="DENTAL",
                       check_date=day, completed=rng.random() < 0.9),
                   new(m.Immunisation, person=child.person, up_to_date=rng.random() < 0.95,
                       as_at=day)):
        child.records.append(record)
        by_type[type(record)].append(record)


def _no_home_address(child: Child, by_type: dict[type, list[object]]) -> None:
    """An unaccompanied asylum-seeking child has no home address here: 903 leaves HOME_POST
    blank, so no distance from home is worked out (rule 406)."""
    addresses = {id(a) for a in by_type[m.Address]}
    child.records[:] = [r for r in child.records if id(r) not in addresses]
    for episode in by_type[m.CLAEpisode]:
        assert isinstance(episode, m.CLAEpisode)
        episode.home_postcode = ""


def _sdq(child: Child, by_type: dict[type, list[object]], rng: random.Random) -> None:
    """An SDQ at every yearly health assessment: SDQ1 ("aged under 4 or over 16 at the
    latest assessment") outside ages 4-16 and only there; a score (or, for one in four,
    a reason) where a moved assessment had none."""
    scores: list[m.SDQScore] = by_type[m.SDQScore]  # type: ignore[assignment]
    done = {s.completed_on for s in scores}
    for score in scores:
        if score.reason == "SDQ1" and 4 <= _age(child, score.completed_on) < 17:
            score.reason = "SDQ4"
    for check in by_type[m.HealthCheck]:
        assert isinstance(check, m.HealthCheck)
        age = _age(child, check.check_date)
        if check.check_type != "HEALTH_ASSESSMENT" or check.check_date in done:
            continue
        added = new(m.SDQScore, person=child.person, completed_on=check.check_date)
        if age < 4 or age >= 17:
            added.reason = "SDQ1"
        elif rng.random() < 0.75:
            added.score = max(0, min(40, round(rng.gauss(12.8, 6.5))))
        else:
            added.reason = rng.choice(("SDQ2", "SDQ3", "SDQ4", "SDQ5"))
        child.records.append(added)
        done.add(check.check_date)


def _care_leaver_contacts(contacts: list[m.CareLeaverContact]) -> None:
    """Not in touch: activity and accommodation are recorded as 0 (no information)."""
    for contact in contacts:
        if contact.in_touch in NOT_IN_TOUCH:
            contact.activity = contact.activity or "0"
            contact.accommodation = contact.accommodation or "0"


def _placed_with_parents(world: World, rng: random.Random, child: Child,
                         by_type: dict[type, list[object]]) -> None:
    """A child accommodated for a single period under section 20 (V2) is not placed with
    parents (903 rule 378): such a placement is with a relative or friend (U3) instead."""
    single_s20 = {id(e.placement) for e in by_type[m.CLAEpisode]
                  if isinstance(e, m.CLAEpisode) and e.legal_status == "V2"}
    if not single_s20:  # most children: nothing to move, so no postcodes to look up
        return
    district = child.postcode.split(" ")[0]
    choices = [p for p in real_postcodes().get(district, []) if p != child.postcode]
    for placement in by_type[m.Placement]:
        assert isinstance(placement, m.Placement)
        if placement.placement_type != "P1" or id(placement) not in single_s20 \
                or not choices:
            continue
        placement.placement_type, placement.provider = "U3", "PR1"
        placement.urn = world.names.urn()
        placement.postcode = rng.choice(choices)
        placement.distance_miles = Decimal(f"{rng.uniform(0.5, 5):.1f}")
        placement.carer_name = f"{child.person.surname} family"


def _supported_accommodation_here(world: World, rng: random.Random,
                                  placements: list[m.Placement]) -> None:
    """Supported accommodation (K3) with an Ofsted URN is inside the council's own area
    (903 rule 241): such a placement outside it moves inside."""
    inside, own = _own_area(world.profile.districts)
    for placement in placements:
        if placement.placement_type == "K3" and placement.urn and inside \
                and placement.postcode.split(" ")[0] not in own:
            placement.postcode = rng.choice(inside)


@functools.cache
def _own_area(districts: tuple[str, ...]) -> tuple[list[str], frozenset[str]]:
    """The real postcodes of the council's own districts, and those districts (found once,
    not for every child)."""
    inside = [p for d in districts for p in real_postcodes().get(d, [])]
    return inside, frozenset(p.split(" ")[0] for p in inside)


def _closure_reasons(by_type: dict[type, list[object]]) -> None:
    """RC8/RC9 (closed after assessment) only for a referral that led to nothing more; one
    whose single assessment found no factors (21) and led to nothing more closes RC8."""
    went_on = {id(getattr(r, "referral", None))
               for kind in (m.Section47Enquiry, m.CINPlan, m.CPPlan, m.PeriodOfCare)
               for r in by_type[kind]}
    assessments: dict[int, list[m.Assessment]] = defaultdict(list)
    for record in by_type[m.Assessment]:
        assert isinstance(record, m.Assessment)
        assessments[id(record.referral)].append(record)
    factors: dict[int, set[str]] = defaultdict(set)
    for factor in by_type[m.AssessmentFactor]:
        assert isinstance(factor, m.AssessmentFactor)
        factors[id(factor.assessment)].add(factor.code)
    for referral in by_type[m.Referral]:
        assert isinstance(referral, m.Referral)
        if not referral.closure_reason:
            continue
        if referral.closure_reason in ("RC8", "RC9") and id(referral) in went_on:
            referral.closure_reason = "RC7"
        found = assessments.get(id(referral), [])
        if len(found) == 1 and factors.get(id(found[0])) == {"21"} \
                and id(referral) not in went_on and referral.closure_reason not in ("RC8", "RC9"):
            referral.closure_reason = "RC8"


def _care_codes(by_type: dict[type, list[object]]) -> None:
    """903 codes that must agree with each other: the category of need stays that of the
    period's first episode; an SGO to former foster carers (E45/E46) only from a foster
    placement, else to other carers (E47/E48); a move to adoption with the current foster
    carer (A3/A5) is a new placement, not a new carer (otherwise it is A4/A6); one adopter
    is single (M1/F1, L0), two are a couple."""
    episodes = sorted((e for e in by_type[m.CLAEpisode] if isinstance(e, m.CLAEpisode)),
                      key=lambda e: e.start_date)
    need: dict[int, str] = {}
    for episode in episodes:
        episode.cin_need = need.setdefault(id(episode.period), episode.cin_need)
        placement = episode.placement
        if episode.reason_ceased in ("E45", "E46") and not placement.placement_type.startswith("U"):
            episode.reason_ceased = {"E45": "E47", "E46": "E48"}[episode.reason_ceased]
        if placement.placement_type in ("A3", "A5") and episode.reason_new_episode in ("P", "B"):
            placement.placement_type = {"A3": "A4", "A5": "A6"}[placement.placement_type]
    for record in by_type[m.Permanence]:
        assert isinstance(record, m.Permanence)
        if record.adopter_sex in ("M1", "F1"):
            record.adopter_legal_status, record.number_of_adopters = "L0", 1
        elif record.adopter_sex:  # a couple: married (L11) unless recorded otherwise
            if record.adopter_legal_status == "L0":
                record.adopter_legal_status = "L11"
            record.number_of_adopters = 2


def _disability(rng: random.Random, child: Child) -> None:
    # Given the running totals, choices() draws exactly as it does given the weights.
    code = rng.choices(_DISABILITY_CODES, cum_weights=_DISABILITY_TOTALS)[0]
    child.records.append(new(m.PersonDisability, person=child.person, code=code))


def _previous_permanence(world: World, rng: random.Random, child: Child,
                         first_care: dt.date) -> None:
    """The permanence the child had before first coming into care (903 PrevPerm)."""
    option = rng.choices(list(PREVIOUS), weights=list(PREVIOUS.values()))[0]
    if (first_care - child.dob).days < 400:  # too young to have had an order before
        option = "Z1"
    record = new(m.PreviousPermanence, person=child.person, option=option)
    if option != "Z1":
        record.la_code = world.profile.la_code
        earliest = max(child.dob + dt.timedelta(days=120), first_care - dt.timedelta(days=3000))
        span = (first_care - dt.timedelta(days=60) - earliest).days
        record.order_date = earliest + dt.timedelta(days=rng.randint(0, max(0, span)))
    child.records.append(record)
