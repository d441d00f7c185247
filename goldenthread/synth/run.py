"""Run the simulation and load what it made through the bulk-load action."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from goldenthread.accounts.models import User, system_user
from goldenthread.core.models import BaseModel
from goldenthread.records import models as m
from goldenthread.records.actions.base import archive_record
from goldenthread.records.actions.bulk import BulkResult, do_bulk_load, do_remove_people
from goldenthread.synth import care, journeys, statutory, workforce
from goldenthread.synth.profile import Profile
from goldenthread.synth.world import PREFIX, Child, Segment, World, new

# Parents before children: the order rows are numbered, validated and inserted in.
LOAD_ORDER: tuple[type[BaseModel], ...] = (
    m.LocalAuthority, m.ChildPopulation,
    m.Team, m.Professional, m.TeamMembership, m.Person, m.Address, m.ImmigrationStatus,
    m.PreviousPermanence, m.PersonDisability,
    m.Contact, m.Referral, m.EarlyHelpEpisode, m.Assessment, m.AssessmentFactor, m.CINPlan,
    m.CINVisit, m.StrategyDiscussion, m.Section47Enquiry, m.InitialConference, m.CPPlan,
    m.CPReview, m.CPVisit, m.PeriodOfCare, m.Placement, m.CLAEpisode, m.CLAReview,
    m.PermanencePlan, m.CLAVisit, m.HealthCheck, m.Immunisation, m.SDQScore,
    m.PersonalEducationPlan, m.MissingEpisode, m.Permanence, m.CareLeaver, m.PathwayPlan,
    m.CareLeaverContact, m.Involvement,
)
AGES = [10] + [5] * 9 + [6] * 6 + [4] * 2  # weights for ages 0..17 at first referral
CARE_AGES = [20, 4, 4, 4, 3, 4, 4, 4, 4, 4, 5, 6, 7, 7, 7, 6, 5, 2]
POPULATION_SOURCE = "synthetic (goldenthread synth: the profile's population x scale)"


class AlreadyLoaded(Exception):
    """Synthetic data is already in the database and --replace was not given."""


@dataclass
class Outcome:
    people: int
    result: BulkResult
    removed: dict[str, int]


def _dob(world: World, day: dt.date, weights: list[int]) -> dt.date:
    # Given the running totals, choices() draws exactly as it does given the weights.
    age = world.rng.choices(range(18), cum_weights=_running_totals(tuple(weights)))[0]
    return day - dt.timedelta(days=age * 365 + world.rng.randint(0, 364))


@functools.cache
def _running_totals(weights: tuple[int, ...]) -> list[int]:
    return list(itertools.accumulate(weights))


def simulate(world: World) -> None:
    """Every child's journey, from the warm-up to the end of the window."""
    b, t = world.profile.b, world.profile.targets
    referrals = world.per_year(t["referral_rate"].value)
    first_referrals = referrals * b("first_referral_share") / 365.25
    contacts = t["contacts_per_month"].value * 12 * world.scale
    contact_only = max(0.0, contacts - b("contacts_per_referral_child") * referrals) \
        / b("repeat_contact_mean") / 365.25
    uasc = world.per_year(b("uasc_per_year_per_10k")) / 365.25
    _legacy_care(world)
    day = world.warm
    while day <= world.end:
        for _ in range(world.poisson(first_referrals)):
            child = world.new_child(_dob(world, day, AGES))
            journeys.referral_chain(world, child, day)
            world.keep_if_active(child)
        for _ in range(world.poisson(contact_only)):
            child = world.new_child(_dob(world, day, AGES))
            step_up = journeys.contacts_only(world, child, day)
            if step_up is not None:
                journeys.referral_chain(world, child, step_up,
                                        "5D" if step_up >= dt.date(2022, 4, 1) else "5B")
            world.keep_if_active(child)
        for _ in range(world.poisson(uasc)):
            child = world.new_child(day - dt.timedelta(days=world.rng.randint(15 * 365,
                                                                              17 * 365 + 300)))
            _uasc(world, child, day)
            world.keep_if_active(child)
        day += dt.timedelta(days=1)


def _legacy_care(world: World) -> None:
    """Children who came into care before the warm-up and are still looked after then."""
    starts = world.per_year(world.profile.targets["cla_start_rate"].value) / 365.25
    day = world.warm - dt.timedelta(days=18 * 365)
    while day < world.warm:
        for _ in range(world.poisson(starts)):
            child = world.new_child(_dob(world, day, CARE_AGES))
            planned = care.plan_care(world, child, day)
            if planned[1] >= world.warm:
                _care_from_referral(world, child, day, "legacy", planned, "10")
                world.keep_if_active(child)
        day += dt.timedelta(days=1)


def _uasc(world: World, child: Child, day: dt.date) -> None:
    child.records.append(new(m.ImmigrationStatus, person=child.person, status="UASC",
                             start_date=day, end_date=world.clip(child.birthday(18))))
    _care_from_referral(world, child, day, "uasc", None, "7")


def _care_from_referral(world: World, child: Child, day: dt.date, route: str,
                        planned: tuple[str, dt.date] | None, source: str) -> None:
    first = journeys.contact(world, child, day, "REFERRAL", source)
    referral = new(m.Referral, person=child.person, contact=first, referral_date=day, source=source,
                          primary_need="N1" if route == "legacy" else "N9")
    child.records.append(referral)
    journeys.care_assessment(world, child, referral, day)
    child.segments.append(Segment(child.person, referral, "cla", day, None,
                                           child.locality))
    end = care.period_of_care(world, child, referral, day, route, planned)
    child.segments[-1].end = end
    if end is not None:
        journeys.close_referral(world, child, referral, end,
                                care.CLOSURE.get(child.care_outcome, "RC7"))


def council(world: World) -> list[BaseModel]:
    """The council and its children aged 0-17 for every mid-year the run's rates divide by
    (from the one before the warm-up to the last), so the analytics have rates per 10,000."""
    profile = world.profile
    children = round(world.population)
    return [new(m.LocalAuthority, name=f"Synthetic {profile.name} (goldenthread)",
                ons_code=profile.ons_code, dfe_code=profile.la_code),
            *(new(m.ChildPopulation, mid_year=year, children_0_17=children,
                  source=POPULATION_SOURCE)
              for year in range(world.warm.year - 1, world.end.year + 1))]


def _archive_council(user: User, reason: str) -> None:
    """A new run's council replaces the last synthetic one: archived, never removed."""
    for record in [*m.LocalAuthority.objects.filter(archived_at__isnull=True,
                                                    name__endswith="(goldenthread)"),
                   *m.ChildPopulation.objects.filter(archived_at__isnull=True,
                                                     source=POPULATION_SOURCE)]:
        archive_record(record, acting_user=user, expected_version=record.version,
                       reason=reason)


def batches(world: World, staff: list[BaseModel]) -> list[tuple[type[BaseModel],
                                                                  list[BaseModel]]]:
    by_model: dict[type[BaseModel], list[BaseModel]] = defaultdict(list)
    for record in staff:
        by_model[type(record)].append(record)
    for child in world.kept:
        for record in child.records:
            by_model[type(record)].append(record)
    unknown = set(by_model) - set(LOAD_ORDER)
    assert not unknown, f"no load order for {unknown}"
    return [(model, by_model[model]) for model in LOAD_ORDER if by_model.get(model)]


def build_world(profile: Profile, *, scale: float, seed: int, start_year: int,
                end_year: int, until: dt.date | None = None) -> World:
    """Simulate the journeys and the workforce that carries them (nothing is written)."""
    world = World(profile, scale=scale, seed=seed, start_year=start_year, end_year=end_year,
                  until=until)
    simulate(world)
    world.staff = workforce.build(world)
    statutory.complete(world)
    return world


def synthetic_present() -> bool:
    return m.Person.objects.filter(la_person_id__startswith=PREFIX).exists()


def generate(profile: Profile, *, scale: float, seed: int, start_year: int, end_year: int,
             replace: bool, until: dt.date | None = None) -> Outcome:
    """Simulate and load; refuses (AlreadyLoaded) if synthetic data exists, unless `replace`,
    which removes the old synthetic data and loads the new in one transaction."""
    from django.db import transaction

    if not replace and synthetic_present():  # refuse before the work, not after
        raise AlreadyLoaded("synthetic data is already loaded; run with --replace to "
                            "replace it whole")
    with _cycle_collector_paused():
        world = build_world(profile, scale=scale, seed=seed, start_year=start_year,
                            end_year=end_year, until=until)
        batch = batches(world, [*council(world), *world.staff])
        user = system_user()
        reason = (f"goldenthread synth --profile {profile.name} --scale {scale} --seed {seed} "
                  f"--start-year {start_year} --end-year {end_year}"
                  f"{f' --until {until:%Y-%m-%d}' if until else ''}")
        with transaction.atomic():
            removed: dict[str, int] = {}
            if synthetic_present():
                if not replace:
                    raise AlreadyLoaded("synthetic data is already loaded; run with --replace "
                                        "to replace it whole")
                removed = do_remove_people(person_prefix=PREFIX, staff_prefix=PREFIX,
                                           team_prefix=PREFIX, acting_user=user,
                                           reason=reason + " --replace")
            _archive_council(user, reason)
            result = do_bulk_load(batch, acting_user=user, reason=reason)
    return Outcome(people=len(world.kept), result=result, removed=removed)


@contextlib.contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A run makes millions of objects that live to its end and almost no reference cycles,
    so Python's cycle collector would only walk them again and again (about a tenth of a
    full-size run): it is paused for the run (memory stays the same)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
