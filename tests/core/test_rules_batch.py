"""The bulk load's batch answers never pass a row the rules themselves would refuse.

`rules_batch.declared_suspects` vouches for rows column by column; `OverlapBatch` sweeps big
groups once; `field_checks.field_suspects` judges each distinct value once. Each is checked
here against the one-row rule it stands for, on rows drawn at random around the edges: code
validity dates, blanks, datetimes (aware and naive) where dates are expected, text where
dates are expected, parents of another child or with no key yet.
"""

from __future__ import annotations

import datetime as dt
import inspect
from typing import Any

from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goldenthread.core import rules
from goldenthread.core.field_checks import Columns, field_checks, field_suspects
from goldenthread.core.models import BaseModel
from goldenthread.core.rules_batch import declared_suspects
from goldenthread.records import models as m
from goldenthread.reference.codes import code_list
from goldenthread.synth.world import new

UTC = dt.UTC
# Either side of codes' first or last day (REFERRAL_SOURCE 5D from 1 April 2022, PLACE P2
# until 31 March 2025, ASSESSMENT_FACTOR 18A until 31 March 2020, 18B from the next day).
DAYS = [dt.date(2022, 3, 31), dt.date(2022, 4, 1), dt.date(2025, 3, 31), dt.date(2025, 4, 1),
        dt.date(2020, 3, 31), dt.date(2020, 4, 1), dt.date(2019, 6, 1), dt.date(2024, 1, 1)]
ODD = [None, dt.datetime(2022, 4, 1, 0, 30, tzinfo=UTC), dt.datetime(2022, 3, 31, 23, 30),
       "2022-04-01", dt.datetime(2022, 3, 31, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))]
day = st.sampled_from(DAYS)
any_day = st.one_of(day, day, day, day, day, day, st.sampled_from(ODD))
maybe_day = st.one_of(st.none(), any_day)


def code(list_id: str) -> st.SearchStrategy[str]:
    """Mostly a code of the list (some only valid for part of the time), else blank or not
    a code at all."""
    listed = st.sampled_from([c.code for c in code_list(list_id).codes])
    return st.one_of(listed, listed, listed, listed, st.sampled_from(["", "XX", "5D"]))


def people() -> list[m.Person]:
    found = []
    for n in (1, 2):
        person = new(m.Person, la_person_id=f"T{n}", forename="Test", surname=f"Child {n}",
                     sex="F", date_of_birth=dt.date(2010, 1, 1))
        person.pk = n
        found.append(person)
    return found


def keyed(obj: Any, pk: int | None) -> Any:
    obj.pk = pk
    return obj


@st.composite
def batch(draw: st.DrawFn) -> dict[type[BaseModel], list[Any]]:
    """A few rows of each model, linked at random (or not at all), with random values."""
    kids = people()
    pks = iter(range(10, 10_000))

    def pk() -> int | None:
        return draw(st.one_of(st.none(), st.just(next(pks)), st.just(next(pks))))

    contacts = [keyed(new(m.Contact, person=draw(st.sampled_from(kids)),
                          received_at=draw(any_day), source=draw(code("REFERRAL_SOURCE")),
                          decision="NFA"),
                      pk()) for _ in range(draw(st.integers(0, 2)))]
    referrals = [keyed(new(m.Referral, person=draw(st.sampled_from(kids)),
                           contact=draw(st.one_of(st.none(), st.sampled_from(contacts)))
                           if contacts else None,
                           referral_date=draw(any_day), source=draw(code("REFERRAL_SOURCE")),
                           primary_need=draw(code("CIN_PRIMARY_NEED")),
                           closure_date=draw(maybe_day),
                           closure_reason=draw(code("CLOSURE_REASON"))), pk())
                 for _ in range(draw(st.integers(1, 3)))]
    assessments = [keyed(new(m.Assessment, person=draw(st.sampled_from(kids)),
                             referral=draw(st.sampled_from(referrals)),
                             start_date=draw(any_day), completed_on=draw(maybe_day),
                             authorised_on=draw(maybe_day), child_seen_on=draw(maybe_day)),
                         pk()) for _ in range(draw(st.integers(0, 3)))]
    factors = [new(m.AssessmentFactor, assessment=draw(st.sampled_from(assessments)),
                   code=draw(code("ASSESSMENT_FACTOR")))
               for _ in range(draw(st.integers(0, 3)))] \
        if assessments else []
    periods = [keyed(new(m.PeriodOfCare, person=draw(st.sampled_from(kids)),
                         referral=draw(st.one_of(st.none(), st.sampled_from(referrals))),
                         start_date=draw(any_day), end_date=draw(maybe_day)), pk())
               for _ in range(draw(st.integers(1, 2)))]
    placements = [keyed(new(m.Placement, person=draw(st.sampled_from(kids)),
                            period=draw(st.sampled_from(periods)), start_date=draw(any_day),
                            end_date=draw(maybe_day), placement_type=draw(code("PLACE")),
                            provider=draw(code("PLACE_PROVIDER"))), pk())
                  for _ in range(draw(st.integers(0, 3)))]
    missing = [new(m.MissingEpisode, person=draw(st.sampled_from(kids)), episode_type="M",
                   start_at=draw(any_day), end_at=draw(maybe_day))
               for _ in range(draw(st.integers(0, 2)))]
    return {m.Person: kids, m.Contact: contacts, m.Referral: referrals,
            m.Assessment: assessments, m.AssessmentFactor: factors, m.PeriodOfCare: periods,
            m.Placement: placements, m.MissingEpisode: missing}


def declared_refusals(obj: BaseModel) -> list[ValidationError]:
    """The declared part of BaseModel.clean(), one row at a time."""
    errors = [*rules.check_codes(obj), *rules.check_date_order(obj, obj.DATE_ORDER)]
    errors += rules.check_same(obj, "person", obj.SAME_PERSON_AS)
    errors += rules.check_same(obj, "referral", obj.SAME_REFERRAL_AS)
    errors += rules.check_same(obj, "period", obj.SAME_PERIOD_AS)
    for within in obj.WITHIN:
        errors += within.check(obj)
    return errors


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch())
def test_declared_rules_vouch_only_for_rows_the_rules_pass(rows: dict[Any, list[Any]]) -> None:
    """Every row not named a suspect passes each declared rule (without raising); a row the
    rules refuse is always a suspect."""
    with rules.caching_codes():
        for model, objs in rows.items():
            suspects = declared_suspects(Columns(model, objs))
            for n, obj in enumerate(objs):
                if n in suspects:
                    continue
                assert declared_refusals(obj) == [], (model.__name__, obj.__dict__)


def test_declared_rules_vouch_for_ordinary_valid_rows() -> None:
    """The point of it: valid rows are vouched for, so they skip the per-row chain."""
    kids = people()
    referral = keyed(new(m.Referral, person=kids[0], referral_date=dt.date(2023, 5, 2),
                         source="5D", closure_date=dt.date(2023, 9, 1), closure_reason="RC1"),
                     20)
    period = keyed(new(m.PeriodOfCare, person=kids[0], referral=referral,
                       start_date=dt.date(2023, 6, 1), end_date=dt.date(2023, 8, 1)), 21)
    placement = new(m.Placement, person=kids[0], period=period, start_date=dt.date(2023, 6, 1),
                    end_date=dt.date(2023, 8, 1), placement_type="U4", provider="PR1")
    with rules.caching_codes():
        assert declared_suspects(Columns(m.Referral, [referral])) == set()
        assert declared_suspects(Columns(m.PeriodOfCare, [period])) == set()
        assert declared_suspects(Columns(m.Placement, [placement])) == set()


def test_base_clean_is_the_one_rules_batch_mirrors() -> None:
    """rules_batch and the bulk loader split BaseModel.clean() into its declared rules, the
    overlap check and clean_record(): a change to clean() must be made there too."""
    body = [line.strip() for line in inspect.getsource(BaseModel.clean).splitlines()[1:]]
    assert body[:10] == [
        "errors: list[ValidationError] = []",
        "errors += rules.check_codes(self)",
        "errors += rules.check_date_order(self, self.DATE_ORDER)",
        'errors += rules.check_same(self, "person", self.SAME_PERSON_AS)',
        'errors += rules.check_same(self, "referral", self.SAME_REFERRAL_AS)',
        'errors += rules.check_same(self, "period", self.SAME_PERIOD_AS)',
        "for within in self.WITHIN:",
        "errors += within.check(self)",
        "if not errors and self.OVERLAP is not None:",
        "errors += self.OVERLAP.check(self)",
    ]
    assert body[10] == "errors += self.clean_record()"


# --- NoOverlap over a big group: the sweep answers as the pairs do ------------------------

interval = st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(-2, 40)))


@settings(max_examples=300, deadline=None)
@given(st.lists(interval, min_size=1, max_size=14), st.lists(st.booleans(), min_size=14,
                                                               max_size=14))
def test_overlap_sweep_finds_the_same_clash_as_every_pair(spans: list[tuple[int, int | None]],
                                                           shared_pk: list[bool]) -> None:
    """Missing episodes of one child (some with no end, some empty or reversed, some sharing
    a key): each row's first clash is the same with the sweep as with the pairs alone."""
    base = dt.datetime(2024, 1, 1, tzinfo=UTC)
    person = people()[0]
    rows = []
    for n, (start, length) in enumerate(spans):
        row = new(m.MissingEpisode, person=person, episode_type="M",
                  start_at=base + dt.timedelta(days=start),
                  end_at=None if length is None else base + dt.timedelta(days=start + length))
        row.pk = 1 if shared_pk[n] else 100 + n
        rows.append(row)
    rule = m.MissingEpisode.OVERLAP
    assert rule is not None

    def clashes(sweep_from: int) -> list[Any]:
        index = rules.OverlapBatch({m.MissingEpisode})
        index.SWEEP_FROM = sweep_from
        for row in rows:
            index.add(rule, row)
        found = []
        for row in rows:
            found.append(index.first_clash(rule, row, (person.pk,), row.start_at, row.end_at))
            index.touched(row)
        return found

    assert clashes(sweep_from=1) == clashes(sweep_from=10_000)


def test_overlap_sweep_notices_a_row_whose_dates_changed() -> None:
    """A row cleaned to other dates after the sweep sends its group back to the pairs."""
    person = people()[0]
    day = dt.datetime(2024, 1, 1, tzinfo=UTC)
    rows = [new(m.MissingEpisode, person=person, episode_type="M",
                start_at=day + dt.timedelta(days=10 * n),
                end_at=day + dt.timedelta(days=10 * n + 1)) for n in range(8)]
    for n, row in enumerate(rows):
        row.pk = n + 1
    rule = m.MissingEpisode.OVERLAP
    assert rule is not None
    index = rules.OverlapBatch({m.MissingEpisode})
    for row in rows:
        index.add(rule, row)
    assert index.first_clash(rule, rows[0], (person.pk,), rows[0].start_at,
                             rows[0].end_at) is None
    rows[0].end_at = day + dt.timedelta(days=15)  # now runs into the second episode
    index.touched(rows[0])
    assert index.first_clash(rule, rows[1], (person.pk,), rows[1].start_at,
                             rows[1].end_at) is rows[0]


# --- Field checks: a value judged once for its column stands for every row with it --------

value = st.one_of(st.none(), st.just(""), st.text(max_size=3),
                  st.text(alphabet="ab\x00", min_size=0, max_size=3), st.just("x" * 120),
                  st.sampled_from([1, True, 0, False, 1.0, dt.date(2020, 1, 1),
                                   dt.datetime(2020, 1, 1, tzinfo=UTC), "F", "M", "Z"]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(value, value, value), min_size=1, max_size=8))
def test_field_checks_pass_only_rows_clean_fields_passes_unchanged(
        rows: list[tuple[Any, Any, Any]]) -> None:
    """A row field_suspects() passes is one clean_fields() accepts and leaves as it was."""
    people_rows = []
    for forename, sex, born in rows:
        person = new(m.Person, la_person_id="F1", forename="Ok", surname="Fine", sex="F")
        person.forename, person.sex, person.date_of_birth = forename, sex, born
        people_rows.append(person)
    checks, keys = field_checks(m.Person)
    suspects = field_suspects(Columns(m.Person, people_rows), checks)
    for n, person in enumerate(people_rows):
        if n in suspects:
            continue
        before = dict(person.__dict__)
        person.clean_fields(exclude=[f.name for f in keys])
        assert {k: (type(v), v) for k, v in person.__dict__.items() if k != "_state"} == \
            {k: (type(v), v) for k, v in before.items() if k != "_state"}
