"""The simulation's shortcuts give exactly what the plain code they replace gives.

Each shortcut (identifier check sums from tables, `World.pick` without copying its table,
the on-duty workers kept up to date, `new()` storing a blank parent directly) is compared
with the straightforward version, so a shortcut that drew, chose or stored anything else
would fail here (and would also change the data a seed gives).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from goldenthread.core.identifiers import nhs_number_problem, upn_check_letter, upn_problem
from goldenthread.records import models as m
from goldenthread.synth.names import NameMaker
from goldenthread.synth.profile import load_profile
from goldenthread.synth.workforce import Worker, _OnDuty
from goldenthread.synth.world import World, new


def _plain_upn(la_code: str, serial: int) -> str:
    body = f"{la_code}9{serial % 1000:03d}{serial // 1000:05d}"
    return upn_check_letter("A" + body) + body


def _plain_nhs(serial: int) -> str | None:
    digits = f"999{serial:06d}"
    total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
    check = (11 - total % 11) % 11
    return None if check == 10 else digits + str(check)


@pytest.mark.parametrize("start", [0, 990, 99_990, 99_999_990])
@pytest.mark.parametrize("la_code", ["352", "A52", "35"])
def test_upn_from_tables_is_the_check_letter_rule(start: int, la_code: str) -> None:
    names = NameMaker(random.Random(1), la_code)
    names._upn_serial = start
    for serial in range(start + 1, start + 2_100):
        upn = names.upn()
        assert upn == _plain_upn(la_code, serial)
        if la_code == "352" and serial < 100_000_000:
            assert upn_problem(upn) is None


@pytest.mark.parametrize("start", [0, 5_000, 998_000])
def test_nhs_number_from_tables_is_the_modulus_11_rule(start: int) -> None:
    names = NameMaker(random.Random(1), "352")
    names._nhs_serial = start
    expected = [n for n in map(_plain_nhs, range(start + 1, min(start + 3_000, 1_000_000)))
                if n is not None]
    got = [names.nhs_number() for _ in expected]
    assert got == expected
    assert all(nhs_number_problem(n) is None for n in got)


def _plain_pick(rng: random.Random, weighted: Any) -> str:
    items = list(weighted.items()) if hasattr(weighted, "items") else list(weighted)
    total = sum([w for _, w in items])
    x = rng.random() * total
    for item, weight in items:
        x -= weight
        if x < 0:
            return str(item)
    return str(items[-1][0])


@pytest.fixture(scope="module")
def world() -> World:
    return World(load_profile("manchester"), scale=0.01, seed=1, start_year=2023,
                 end_year=2025)


weights = st.dictionaries(st.text(min_size=1, max_size=3),
                          st.one_of(st.integers(0, 100), st.floats(0, 100)),
                          min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(table=weights, seed=st.integers(0, 2**32))
def test_pick_draws_as_the_plain_loop(world: World, table: dict[str, float],
                                      seed: int) -> None:
    as_tuple = tuple(table.items())
    for given_table in (table, as_tuple, list(as_tuple), MappingProxyType(table)):
        for _ in range(2):  # the second time from the remembered total
            world.rng.seed(seed)
            plain = random.Random(seed)
            assert [world.pick(given_table) for _ in range(5)] \
                == [_plain_pick(plain, given_table) for _ in range(5)]
            assert world.rng.random() == plain.random()  # the same draws were taken


def test_pick_of_an_empty_table_fails_as_before(world: World) -> None:
    empties: tuple[Any, ...] = ({}, (), [])
    for empty in empties:
        with pytest.raises(IndexError):
            world.pick(empty)


def _worker(start: dt.date, leave: dt.date | None, fte: str, cases: int) -> Worker:
    pro = new(m.Professional, staff_id="GTSW0", forename="A", surname="B", job_title="SW",
              fte=Decimal(fte), start_date=start, leave_date=leave)
    return Worker(pro, None, None, dict.fromkeys(range(cases)))  # type: ignore[arg-type]


@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_on_duty_finds_the_least_loaded_worker_as_a_full_scan_does(seed: int) -> None:
    rng = random.Random(seed)
    first = dt.date(2020, 1, 1)

    def hire(on: dt.date) -> Worker:
        start = on + dt.timedelta(days=rng.randint(-30, 60))
        leave = None if rng.random() < 0.4 else start + dt.timedelta(days=rng.randint(-5, 200))
        return _worker(start, leave, rng.choice(("1.00", "0.60", "0.80")), rng.randint(0, 4))

    pool = [hire(first) for _ in range(rng.randint(0, 12))]
    duty = _OnDuty(pool)
    day = first
    for _ in range(120):
        day += dt.timedelta(days=rng.choice((0, 0, 1, 3, 10)))
        if rng.random() < 0.05:  # days going back are answered too (by starting again)
            day -= dt.timedelta(days=rng.randint(1, 40))
        if rng.random() < 0.1:
            pool.append(hire(day))
        active = [w for w in pool if w.active(day)]
        expected = min(active, key=Worker.load) if active else None
        assert duty.least_loaded(day) is expected
        if expected is not None and rng.random() < 0.5:  # it takes a case
            expected.cases[len(expected.cases) + 1000] = None  # type: ignore[assignment]


def test_new_stores_a_blank_parent_as_the_descriptor_does() -> None:
    person = new(m.Person, la_person_id="GTS0000001", forename="A", surname="B", sex="F",
                 ethnicity="WBRI", date_of_birth=dt.date(2015, 1, 1))
    values = {"person": person, "start_date": dt.date(2021, 1, 1), "stepped_down_from": None,
              "reason": "Needs identified at the front door"}
    made = new(m.EarlyHelpEpisode, **values)
    plain = m.EarlyHelpEpisode()
    for name, value in values.items():
        setattr(plain, name, value)

    def state(obj: Any) -> tuple[dict[str, Any], Any, dict[str, Any]]:
        return ({k: v for k, v in obj.__dict__.items() if k != "_state"}, obj._state.db,
                obj._state.fields_cache)

    assert state(made) == state(plain)
    assert made._state.fields_cache == {"person": person, "stepped_down_from": None}
