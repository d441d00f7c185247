"""The simulated world: its clock, random stream, children and the records they gather.

Journeys run child by child (children are independent except for the workforce, which is
sized and allocated afterwards from the cases the journeys produced). Each child's records
are kept only if the child was active in the run's window, so a warm-up before the window
fills the system with the cases already open on its first day.
"""

from __future__ import annotations

import datetime as dt
import inspect
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import DEFAULT_DB_ALIAS, router
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute

from goldenthread.core.models import BaseModel
from goldenthread.records import models as m
from goldenthread.synth.names import NameMaker
from goldenthread.synth.profile import Profile

# Identifies synthetic people, staff and teams (for --replace); letters and digits only, as a
# CIN census LAchildID must be.
PREFIX = "GTS"
WARM_UP_YEARS = 3
UTC = dt.UTC

# Manchester's child population by ethnicity, roughly (2021 census shape).
ETHNICITY = (("WBRI", 48), ("WOTH", 4), ("WIRI", 1), ("MWBC", 4), ("MWBA", 2), ("MWAS", 2),
             ("MOTH", 3), ("APKN", 12), ("ABAN", 3), ("AIND", 2), ("AOTH", 3), ("BAFR", 8),
             ("BCRB", 2), ("BOTH", 2), ("CHNE", 1), ("OOTH", 3))


M = TypeVar("M", bound=BaseModel)
# Per model, found once: defaults by column, forward keys by name, and the names `new` may
# store directly (plain columns and those keys).
_PLANS: dict[type[BaseModel], tuple[dict[str, Any], dict[str, _Key], frozenset[str]]] = {}
_Key = tuple[Any, str, list[tuple[str, str]]]  # parent class, cache name, (column, parent's)


def new(model: type[M], **values: Any) -> M:
    """An unsaved instance of a records model, made as `Model.from_db` makes one: defaults
    copied in, then each value set through the model's own attribute descriptors. Several
    times cheaper than `Model(**values)`, which matters for a million records."""
    plan = _PLANS.get(model)
    if plan is None:
        keys = _forward_keys(model)
        plan = _PLANS[model] = ({f.attname: f.get_default() for f in model._meta.concrete_fields},
                                keys, _plain_fields(model) | frozenset(keys))
    defaults, keys, known = plan
    obj = model.__new__(model)
    data = obj.__dict__
    data.update(defaults)
    state = obj._state = ModelState()
    if not known.issuperset(values):
        for name, value in values.items():
            link = keys.get(name)
            if link is None:
                setattr(obj, name, value)
            else:
                _set_parent(obj, state, data, name, link, value)
        return obj
    # Parents (taken out first, in the order given) go through _set_parent; the plain
    # columns left are stored as setattr would store them. (Never put a parent in the
    # instance's __dict__, even for a moment: the dict would grow for good.)
    parents = [(name, values.pop(name)) for name in [n for n in values if n in keys]]
    data.update(values)
    if parents:
        routed = bool(router.routers)
        for name, value in parents:
            key = keys[name]
            if value is None and not routed:
                # What the descriptor stores for no parent on a new row (nothing held yet).
                for attname, _ in key[2]:
                    data[attname] = None
                state.fields_cache[key[1]] = None
            else:
                _set_parent(obj, state, data, name, key, value)
    return obj


def _set_parent(obj: BaseModel, state: ModelState, data: dict[str, Any], name: str,
                key: _Key, value: Any) -> None:
    if value is None or not isinstance(value, key[0]) or router.routers:
        setattr(obj, name, value)
        return
    # What ForwardManyToOneDescriptor.__set__ does for a new row, a parent of the right
    # class and no database routers; anything else is left to it (above).
    if state.db is None:
        state.db = value._state.db or DEFAULT_DB_ALIAS
    if value._state.db is None:
        value._state.db = state.db
    if value._state.db != state.db:
        setattr(obj, name, value)  # Django refuses the relation
        return
    for attname, parent_attname in key[2]:
        data[attname] = getattr(value, parent_attname)
    state.fields_cache[key[1]] = value


def _plain_fields(model: type[BaseModel]) -> frozenset[str]:
    """Fields whose `setattr` only stores the value in the instance's __dict__: a plain
    (non-key) column read through Django's DeferredAttribute, on a model that does not
    define its own __setattr__."""
    if model.__setattr__ is not object.__setattr__:
        return frozenset()
    return frozenset(f.attname for f in model._meta.concrete_fields
                     if type(inspect.getattr_static(model, f.attname, None))
                     is DeferredAttribute)


def _forward_keys(model: type[BaseModel]) -> dict[str, _Key]:
    """Many-to-one (not one-to-one) keys by name: parent class, cache name, columns."""
    fields: list[Any] = [f for f in model._meta.concrete_fields if f.many_to_one]
    return {f.name: (f.remote_field.model._meta.concrete_model, f.cache_name,
                     [(lh.attname, rh.attname) for lh, rh in f.related_fields])
            for f in fields if f.remote_field.multiple}


@dataclass
class Segment:
    """A stretch of a case that one kind of team holds (assessment, locality, looked after)."""

    person: m.Person
    referral: m.Referral
    kind: str
    start: dt.date
    end: dt.date | None
    locality: int


@dataclass
class Child:
    person: m.Person
    dob: dt.date
    locality: int
    postcode: str
    records: list[BaseModel] = field(default_factory=list)
    segments: list[Segment] = field(default_factory=list)
    last: dt.date = dt.date.min
    had_cp_plan: bool = False
    free_from: dt.date = dt.date.min  # no new early help or referral before this
    close_floor: dt.date = dt.date.min  # a referral closes no earlier (its assessment ended)
    pending_conference: m.InitialConference | None = None
    care_outcome: str = ""
    missing_days: set[dt.date] = field(default_factory=set)
    # Records a manager signs off (contact decisions, authorisations, reviews), by kind.
    jobs: list[tuple[BaseModel, str]] = field(default_factory=list)

    def age_on(self, day: dt.date) -> float:
        return (day - self.dob).days / 365.25

    def birthday(self, years: int) -> dt.date:
        try:
            return self.dob.replace(year=self.dob.year + years)
        except ValueError:  # 29 February
            return self.dob.replace(year=self.dob.year + years, day=28)


class _Random(random.Random):
    """Python's Mersenne Twister; `randint` (a million calls at full size) draws the same
    numbers as the standard one, without its argument checks for whole-number bounds."""

    def randint(self, a: int, b: int) -> int:
        if type(a) is int and type(b) is int and b >= a:
            return a + self._randbelow(b - a + 1)  # type: ignore[attr-defined, no-any-return]
        return super().randint(a, b)


# pick(): each weights table given as a tuple (kept, so its id stays its own), and its total.
_TOTALS: dict[int, tuple[tuple[Any, ...], float]] = {}


class World:
    def __init__(self, profile: Profile, *, scale: float, seed: int, start_year: int,
                 end_year: int, until: dt.date | None = None) -> None:
        self.profile = profile
        self.scale = scale
        self.rng = _Random(seed)
        self.names = NameMaker(self.rng, profile.la_code)
        self.start = dt.date(start_year, 4, 1)
        # The last day simulated: the window's last 31 March, or a later day (`until`, e.g.
        # today) so the records run up to it as a live system's do.
        self.end = until or dt.date(end_year, 3, 31)
        self.warm = dt.date(start_year - WARM_UP_YEARS, 4, 1)
        self.population = profile.population * scale
        self.kept: list[Child] = []
        self.staff: list[BaseModel] = []
        self._people = 0

    # -- randomness -------------------------------------------------------------------
    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def lognormal_days(self, mean_days: float, sigma: float = 0.6) -> int:
        mu = math.log(mean_days) - sigma * sigma / 2
        return max(1, int(self.rng.lognormvariate(mu, sigma)))

    def pick(self, weighted: Mapping[str, float] | Sequence[tuple[str, float]]) -> str:
        """One key, drawn with probability in proportion to its weight."""
        if type(weighted) is dict:  # the commonest: read in place, not copied to a list
            if weighted:
                x = self.rng.random() * sum(weighted.values())  # the same additions
                for key, weight in weighted.items():
                    x -= weight
                    if x < 0:
                        return str(key)
                return str(next(reversed(weighted)))
        elif type(weighted) is tuple:  # a constant table: its total found once
            known = _TOTALS.get(id(weighted))
            if known is None or known[0] is not weighted:
                known = (weighted, sum([w for _, w in weighted]))
                if len(_TOTALS) < 256:  # module constants, not one table a call
                    _TOTALS[id(weighted)] = known
            total = known[1]
            x = self.rng.random() * total
            for key, weight in weighted:
                x -= weight
                if x < 0:
                    return str(key)
            return str(weighted[-1][0])
        items = list(weighted.items()) if isinstance(weighted, Mapping) else list(weighted)
        total = sum([w for _, w in items])  # the same additions, in the same order
        x = self.rng.random() * total
        for item, weight in items:
            x -= weight
            if x < 0:
                return str(item)
        return str(items[-1][0])

    def poisson(self, mean: float) -> int:
        # Knuth's method: means here are small.
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p <= limit:
                return k
            k += 1

    def at(self, day: dt.date, hour: int | None = None) -> dt.datetime:
        """A working-hours moment on `day` (UTC hours that are the same day in London)."""
        h = self.rng.randint(8, 17) if hour is None else hour
        return dt.datetime(day.year, day.month, day.day, h, self.rng.randint(0, 59), tzinfo=UTC)

    def per_year(self, rate_per_10k: float) -> float:
        return rate_per_10k * self.population / 10_000

    # -- people ---------------------------------------------------------------------------
    def new_child(self, dob: dt.date) -> Child:
        self._people += 1
        names, rng = self.names, self.rng
        sex = "F" if rng.random() < 0.49 else "M"
        person = new(m.Person, la_person_id=f"{PREFIX}{self._people:07d}",
                     forename=names.forename(sex), surname=names.surname(), sex=sex,
                     ethnicity=self.pick(ETHNICITY), date_of_birth=dob,
                     nhs_number=names.nhs_number())
        if (self.end - dob).days > 5 * 365:
            person.upn = names.upn()
        else:
            person.upn_unknown_reason = "UN1"
        locality = rng.randrange(len(self.profile.localities))
        postcode = names.postcode(self.profile.districts)
        child = Child(person=person, dob=dob, locality=locality, postcode=postcode)
        child.records.append(person)
        child.records.append(new(m.Address, person=person, address_type="HOME", start_date=dob,
                                       line_1=names.street(), town="Manchester",
                                       postcode=postcode))
        return child

    def touch(self, child: Child, day: dt.date | None) -> None:
        """Note activity: a child active in the window (or open at its end) is kept."""
        child.last = max(child.last, self.end if day is None else day)

    def keep_if_active(self, child: Child) -> None:
        if child.last >= self.start:
            self.kept.append(child)

    def clip(self, day: dt.date) -> dt.date | None:
        """An end date, or None when it falls after the window (still open at its end)."""
        return None if day > self.end else day
