"""The bulk load's shortcuts change its speed, never its answers.

With every row sent through Django's own `clean_fields()` and the model's `clean()`, one by
one (the reference), a batch earns the same refusals, in the same words, and its records end
with the same values, as through the shortcuts (field checks by column, declared rules by
batch, the overlap sweep). What the insert writes reads back as the records held.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from goldenthread.accounts.models import system_user
from goldenthread.core import rules, rules_batch
from goldenthread.core.field_checks import Columns
from goldenthread.core.models import BaseModel
from goldenthread.records import models as m
from goldenthread.records.actions import bulk
from goldenthread.synth.profile import load_profile
from goldenthread.synth.run import batches, build_world, council
from goldenthread.synth.world import new

pytestmark = pytest.mark.django_db
UTC = dt.UTC
Batch = list[tuple[type[BaseModel], list[Any]]]


def one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """The reference: no shortcut, every row checked as a form would check it."""
    def every(columns: Columns, *_: Any) -> set[int]:
        return set(range(len(columns.objs)))

    monkeypatch.setattr(bulk, "field_suspects", every)
    monkeypatch.setattr(rules_batch, "declared_suspects", every)
    monkeypatch.setattr(bulk, "clean_fields", lambda obj, checks: obj.clean_fields(
        exclude=[f.name for f in obj._meta.concrete_fields if f.many_to_one]))
    monkeypatch.setattr(rules.OverlapBatch, "SWEEP_FROM", 10**9)


def values(batch: Batch) -> list[dict[str, Any]]:
    return [{k: (type(v), v) for k, v in obj.__dict__.items() if k != "_state"}
            for _, objs in batch for obj in objs]


def both_ways(build: Callable[[], Batch],
              monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Refusals through the shortcuts and through the reference, each on a fresh batch;
    the records' values afterwards must agree too."""
    fast_batch = build()
    fast = bulk.validate_batch(fast_batch)
    with monkeypatch.context() as patch:
        one_by_one(patch)
        slow_batch = build()
        slow = bulk.validate_batch(slow_batch)
    assert values(fast_batch) == values(slow_batch)
    return fast, slow


def careless_batch() -> Batch:
    """One row breaking each kind of rule, among valid ones (dates of birth 2015)."""
    ada = new(m.Person, la_person_id="BULKT1", forename="Ada", surname="Test", sex="F",
              date_of_birth=dt.date(2015, 1, 1))
    ben = new(m.Person, la_person_id="BULKT2", forename="Ben", surname="Test", sex="M",
              date_of_birth=dt.date(2015, 1, 1))
    long_name = new(m.Person, la_person_id="BULKT3", forename="x" * 101, surname="Long",
                    sex="F")
    referral = new(m.Referral, person=ada, referral_date=dt.date(2022, 5, 3), source="5D")
    referrals = [
        referral,
        new(m.Referral, person=ben, referral_date=dt.date(2021, 5, 4), source="5D",  # code date
            closure_date=dt.date(2021, 6, 1), closure_reason="RC1"),
        new(m.Referral, person=ben, referral_date=dt.date(2022, 5, 4), source="6",  # backwards
            closure_date=dt.date(2022, 4, 1), closure_reason="RC1"),
        new(m.Referral, person=ben, referral_date=dt.date(2013, 1, 1), source="6"),  # pre-birth
        new(m.Referral, person=ben, referral_date=dt.date(2023, 6, 1), source="6",  # no reason
            closure_date=dt.date(2023, 7, 1)),
    ]
    assessments = [
        new(m.Assessment, person=ada, referral=referral, start_date=dt.date(2022, 5, 4)),
        new(m.Assessment, person=ben, referral=referral, start_date=dt.date(2022, 5, 4)),
        new(m.Assessment, person=ada, referral=referral, start_date=dt.date(2022, 5, 1)),
    ]
    periods = [new(m.PeriodOfCare, person=ada, start_date=dt.date(2022, 6, 1)),
               new(m.PeriodOfCare, person=ada, start_date=dt.date(2022, 7, 1),
                   end_date=dt.date(2022, 8, 1))]
    day = dt.datetime(2023, 1, 2, 10, tzinfo=UTC)
    missing = [new(m.MissingEpisode, person=child, episode_type="M",
                   start_at=day + dt.timedelta(days=7 * n),
                   end_at=day + dt.timedelta(days=7 * n + (9 if child is ada and n == 3 else 1)))
               for child in (ada, ben) for n in range(8)]
    return [(m.Person, [ada, ben, long_name]), (m.Referral, referrals),
            (m.Assessment, assessments), (m.PeriodOfCare, periods),
            (m.MissingEpisode, missing)]


def test_careless_rows_are_refused_in_the_same_words_either_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Too long a name, a code not yet valid, a closure before the referral, a referral
    long before birth, a closure with no reason, another child's referral, an assessment
    before its referral, overlapping periods of care, and a missing episode running into
    the next: nine refusals, word for word as one-by-one checking gives them."""
    fast, slow = both_ways(careless_batch, monkeypatch)
    assert fast == slow
    assert len(fast) == 11  # the nine above, and the second of each overlapping pair
    for words in ("Ensure this value has at most 100 characters",
                  "'5D' is a REFERRAL_SOURCE code only valid from 2022-04-01",
                  "is before referral_date", "before the child's date of birth",
                  "(blank) but the referral is closed", "belongs to person",
                  "is before the referral began", "periods of care for one child must not",
                  "missing or away episodes for one child must not overlap"):
        assert any(words in refusal for refusal in fast), words


def test_a_synthetic_authority_is_judged_the_same_either_way(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A small synthetic council (a few thousand rows of every kind): no refusals either
    way, and every record's values the same afterwards."""
    def build() -> Batch:
        world = build_world(load_profile("manchester"), scale=0.01, seed=5, start_year=2023,
                            end_year=2025)
        return [(model, list(objs)) for model, objs in batches(world, [*council(world),
                                                                       *world.staff])]

    fast, slow = both_ways(build, monkeypatch)
    assert fast == slow == []


def test_what_is_inserted_reads_back_as_the_records_held() -> None:
    """Every column of every row loaded equals the value the record held (dates, aware
    datetimes, decimals, blanks and keys alike)."""
    world = build_world(load_profile("manchester"), scale=0.01, seed=6, start_year=2023,
                        end_year=2025)
    batch = batches(world, [*council(world), *world.staff])
    bulk.do_bulk_load(batch, acting_user=system_user(), reason="test")
    checked = 0
    for model, objs in batch:
        names = [f.attname for f in model._meta.concrete_fields]
        stored = {row[0]: row for row in model._default_manager.filter(
            pk__in=[o.pk for o in objs]).values_list("pk", *names)}
        for obj in objs:
            assert stored[obj.pk][1:] == tuple(getattr(obj, n) for n in names), \
                (model.__name__, obj.pk)
            checked += 1
    assert checked > 5_000
