"""The synthetic local authority: valid, deterministic, calibrated, and careful with input.

One test-size authority (scale 0.05, years to 31 March 2026) is built once for this module
inside a transaction that is rolled back at the end, so other tests never see it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from goldenthread.accounts.models import system_user
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.records import models as m
from goldenthread.records.actions.bulk import BulkRefused, do_bulk_load
from goldenthread.synth import measures
from goldenthread.synth.profile import load_profile
from goldenthread.synth.run import Outcome, build_world, generate
from goldenthread.synth.world import PREFIX, new

SCALE = 0.05
YEARS = {"start_year": 2020, "end_year": 2026}
# At test size each figure rests on few children (about 320 referrals a year, 33 CP plans
# and 65 looked-after children at 31 March), so chance alone moves it a lot; the full-size
# run is held to 10% (docs/benchmarks.md). Rates (and caseload, made of whole workers in
# small teams) must come within these percentages of their targets...
RATE_BOUNDS_PCT = {"referral_rate": 20, "cin_rate": 20, "cp_rate": 45, "cla_rate": 30,
                   "caseload": 25}
# ...and shares within three standard errors of the target, for the number of children
# (or events) they are a share of: e.g. 3+ placements among ~65 looked-after children,
# 12% ± 3 x 4.0 points.
SHARE_OF = {"rereferral_pct": "referral_rate", "assessment_45wd_pct": "referral_rate",
            "icpc_15wd_pct": "cp_rate", "placements_3plus_pct": "cla_rate"}


@pytest.fixture(scope="module")
def authority(django_db_setup: None, django_db_blocker: Any) -> Iterator[Outcome]:
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield generate(load_profile("manchester"), scale=SCALE, seed=7, replace=False,
                           **YEARS)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def lines(authority: Outcome, db: None) -> dict[str, measures.Line]:
    return {line.name: line for line in measures.check(load_profile("manchester"), SCALE,
                                                      YEARS["end_year"])}


def test_whole_authority_loads_with_zero_refusals(authority: Outcome, db: None) -> None:
    """Every record passed the model's own rules (a refusal would have raised BulkRefused)
    and every part of the journey is present: tens of thousands of rows at test size."""
    assert authority.result.refused == 0
    rows = authority.result.rows
    assert sum(rows.values()) > 40_000
    for model in (m.Contact, m.Referral, m.Assessment, m.Section47Enquiry, m.CPPlan,
                  m.CINVisit, m.PeriodOfCare, m.CLAEpisode, m.MissingEpisode, m.Permanence,
                  m.CareLeaver, m.EarlyHelpEpisode, m.Involvement, m.Professional):
        assert rows.get(model._meta.db_table, 0) > 0, model.__name__


def test_one_audit_event_per_table(authority: Outcome, db: None) -> None:
    """A bulk load is recorded as one BULK_LOAD event per table, with its row count."""
    events = AuditEvent.objects.filter(action=AuditAction.BULK_LOAD,
                                       reason__startswith="goldenthread synth")
    by_table = {e.detail["table"]: e.detail["rows"] for e in events}
    assert by_table == authority.result.rows


def test_main_figures_near_targets_at_test_scale(lines: dict[str, measures.Line]) -> None:
    """Referral, CIN, CP and CLA rates and caseload come within RATE_BOUNDS_PCT of the
    Manchester targets (e.g. referrals within 20% of 481.1 per 10,000); re-referrals, 3+
    placements and assessment and ICPC timeliness within three standard errors."""
    main = {name: line for name, line in lines.items() if line.main}
    assert set(main) == set(RATE_BOUNDS_PCT) | set(SHARE_OF)
    population = load_profile("manchester").population * SCALE
    far = {}
    for name, line in main.items():
        assert line.value is not None, name
        if name in RATE_BOUNDS_PCT:
            allowed = line.target * RATE_BOUNDS_PCT[name] / 100
        else:
            base = lines[SHARE_OF[name]].value
            assert base is not None
            n = base * population / 10_000
            p = line.target / 100
            allowed = 3 * 100 * (p * (1 - p) / n) ** 0.5
        if abs(line.value - line.target) > allowed:
            far[name] = f"{line.value:.1f} vs {line.target} ± {allowed:.1f}"
    assert not far


def test_journeys_follow_each_other(authority: Outcome, db: None) -> None:
    """Records are journeys, not random rows: each CP plan follows a conference that decided
    on one after a s47; each period of care opens with a 903 'S' episode; assessments are
    mostly but not all authorised within 45 working days (between 70% and 97%)."""
    for plan in m.CPPlan.objects.filter(person__la_person_id__startswith=PREFIX) \
            .select_related("initial_conference__section_47")[:200]:
        icpc = plan.initial_conference
        assert icpc.cp_plan_decided and icpc.section_47 is not None
        assert icpc.section_47.start_date <= icpc.conference_date <= plan.start_date
    firsts = m.CLAEpisode.objects.filter(person__la_person_id__startswith=PREFIX,
                                         start_date=models_period_start())
    assert set(firsts.values_list("reason_new_episode", flat=True)) == {"S"}
    share = lines_value("assessment_45wd_pct")
    assert 70 < share < 97


def models_period_start() -> Any:
    from django.db.models import OuterRef, Subquery

    return Subquery(m.PeriodOfCare.objects.filter(pk=OuterRef("period_id"))
                    .values("start_date")[:1])


def lines_value(name: str) -> float:
    line = next(x for x in measures.check(load_profile("manchester"), SCALE, YEARS["end_year"])
                if x.name == name)
    assert line.value is not None
    return line.value


def test_missing_concentrated_in_a_minority(authority: Outcome, db: None) -> None:
    """Repeat missing episodes are concentrated: the fifth of missing children who go missing
    most account for over 40% of episodes, and few children (under 10% of those known)
    ever go missing."""
    counts = sorted(Counter(m.MissingEpisode.objects.filter(
        person__la_person_id__startswith=PREFIX).values_list("person_id", flat=True))
        .values(), reverse=True)
    top = counts[:max(1, len(counts) // 5)]
    assert sum(top) / sum(counts) > 0.4
    assert len(counts) < 0.1 * authority.people


def test_same_seed_same_data_other_seed_other_data() -> None:
    """The same options and seed give identical records; another seed gives others."""
    profile = load_profile("manchester")

    def fingerprint(seed: int) -> list[tuple[str, ...]]:
        world = build_world(profile, scale=0.01, seed=seed, start_year=2023, end_year=2025)
        rows = [*world.staff, *(r for child in world.kept for r in child.records)]
        return [(type(r).__name__, *(str(v) for k, v in sorted(r.__dict__.items())
                                     if not k.startswith("_") and k != "id"))
                for r in rows]

    first = fingerprint(3)
    assert len(first) > 1000
    assert fingerprint(3) == first
    assert fingerprint(4) != first


def test_children_in_care_have_their_assessment_and_permanence_plan() -> None:
    """A child taken into care on the day of the referral (an emergency, an unaccompanied
    child, or one in care since before the simulation began) has an assessment of that
    referral; a child in care since more than a year before the window has the permanence
    plan of their second review, though the review itself, before the window, is not kept.
    Otherwise My work would show both overdue for years."""
    world = build_world(load_profile("manchester"), scale=0.02, seed=5, start_year=2022,
                        end_year=2025)
    records = [r for child in world.kept for r in child.records]
    assessed = {id(r.referral) for r in records if isinstance(r, m.Assessment)}
    # Records are not saved yet: people are told apart by object, not by id.
    referrals = {(id(r.person), r.referral_date): r for r in records
                 if isinstance(r, m.Referral)}
    periods = [r for r in records if isinstance(r, m.PeriodOfCare)]
    straight = [referrals[(id(p.person), p.start_date)] for p in periods
                if (id(p.person), p.start_date) in referrals]
    assert len(straight) > 20
    assert [r for r in straight if id(r) not in assessed] == []
    planned = {id(r.period) for r in records if isinstance(r, m.PermanencePlan)}
    long_in_care = [p for p in periods if p.start_date < world.start - dt.timedelta(days=365)]
    assert len(long_in_care) > 20
    assert [p for p in long_in_care if id(p) not in planned] == []


def test_until_runs_the_records_on_to_that_day() -> None:
    """A window to 31 March 2025 simulated on until 30 September 2025 (as `make demo` runs
    it on to yesterday): records come after the window's end, and none is dated after the
    last day simulated but dates planned ahead (a pathway plan's next review, a conference's
    target date)."""
    until = dt.date(2025, 9, 30)
    world = build_world(load_profile("manchester"), scale=0.01, seed=3, start_year=2023,
                        end_year=2025, until=until)
    dates = [(type(r).__name__, f.name, value.date() if isinstance(value, dt.datetime)
              else value)
             for r in [*world.staff, *(r for child in world.kept for r in child.records)]
             for f in r._meta.concrete_fields
             if isinstance(value := getattr(r, f.attname), dt.date)]
    planned_ahead = {("PathwayPlan", "review_date"), ("InitialConference", "target_date")}
    assert [d for d in dates if d[2] > until and d[:2] not in planned_ahead] == []
    after_window = Counter(name for name, _, day in dates if day > dt.date(2025, 3, 31))
    assert after_window["Contact"] > 100 and after_window["Referral"] > 10


@pytest.mark.parametrize(("args", "names"), [
    (["--profile", "atlantis"], "--profile: unknown profile 'atlantis'; allowed: manchester"),
    (["--scale", "-1"], "--scale: -1.0 is not allowed"),
    (["--start-year", "2024", "--end-year", "2020"], "--end-year: 2020 is not after"),
    (["--until", "someday"], "--until: 'someday' is not a date; allowed: a date as YYYY-MM-DD"),
    (["--end-year", "2025", "--until", "2025-03-30"], "--until: 2025-03-30 is outside the "
                                                       "window; allowed: a date as"),
    (["--until", "2999-01-01"], "--until: 2999-01-01 is outside the window"),
])
def test_bad_input_is_refused_with_status_2(args: list[str], names: str, db: None) -> None:
    """Bad options: a one-line error naming the option and what is allowed, exit status 2,
    nothing written."""
    before = m.Person.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("synth", *args)
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(names)
    assert "\n" not in str(raised.value)
    assert m.Person.objects.count() == before


def test_second_run_refused_then_replaced_whole(authority: Outcome, db: None) -> None:
    """Loading again is refused clearly; --replace removes the old synthetic data and loads
    the new in one transaction, so afterwards only the new authority's people remain."""
    with pytest.raises(CommandError) as raised:
        call_command("synth", "--scale", "0.01", "--start-year", "2023", "--end-year", "2025")
    assert raised.value.returncode == 2
    assert "--replace" in str(raised.value)
    outcome = generate(load_profile("manchester"), scale=0.01, seed=1, start_year=2023,
                       end_year=2025, replace=True)
    assert outcome.removed[m.Person._meta.db_table] == authority.people
    assert m.Person.objects.filter(la_person_id__startswith=PREFIX).count() == outcome.people


def test_bulk_load_refuses_invalid_records_and_writes_nothing(db: None) -> None:
    """The bulk loader runs the same rules as create_record: an overlapping period of care
    and a code not valid on its date are refused, and nothing of the batch is written."""
    person = new(m.Person, la_person_id="BULK-1", forename="Ada", surname="Test", sex="F",
                 date_of_birth=dt.date(2015, 1, 1))
    first = new(m.PeriodOfCare, person=person, start_date=dt.date(2020, 1, 1))
    second = new(m.PeriodOfCare, person=person, start_date=dt.date(2021, 1, 1),
                 end_date=dt.date(2021, 6, 1))
    factor_parent = new(m.Referral, person=person, referral_date=dt.date(2019, 5, 1), source="6")
    bad_source = new(m.Referral, person=person, referral_date=dt.date(2021, 5, 1), source="5D")
    with pytest.raises(BulkRefused) as refused:
        do_bulk_load([(m.Person, [person]), (m.Referral, [factor_parent, bad_source]),
                      (m.PeriodOfCare, [first, second])], acting_user=system_user(),
                     reason="test")
    message = str(refused.value)
    assert "'5D' is a REFERRAL_SOURCE code only valid from 2022-04-01" in message
    assert "periods of care for one child must not overlap" in message
    assert not m.Person.objects.filter(la_person_id="BULK-1").exists()


def test_placements_settle_after_their_first_year() -> None:
    """The hazard of a move (Manchester profile): 0.60 a year in a placement's first year
    and 0.10 after it for the 89% of children whose placements are not unstable; 3.2 a year
    for the other 11%. So a child's first placement breaks down within its first year with
    probability 0.89 (1 - e^-0.6) + 0.11 (1 - e^-3.2) = 0.51, and one that lasted a year
    breaks down in its second with probability about (0.89 e^-0.6 (1 - e^-0.1) + 0.11 e^-3.2
    (1 - e^-3.2)) / (0.89 e^-0.6 + 0.11 e^-3.2) = 0.10, against 0.45 with the first year's
    hazard. 4,000 children: the standard errors are under a point."""
    from goldenthread.synth import care
    from goldenthread.synth.world import World

    world = World(load_profile("manchester"), scale=0.01, seed=7, start_year=2022,
                  end_year=2026)
    start, stop = dt.date(2020, 1, 1), dt.date(2024, 1, 1)
    first_year = reached_a_year = second_year = 0
    for _ in range(4000):
        moves = care._placement_moves(world, None, start, stop, None)  # type: ignore[arg-type]
        lasted = ((moves[0] if moves else stop) - start).days  # the first placement
        first_year += lasted < 365
        if lasted >= 365:
            reached_a_year += 1
            second_year += lasted < 730
    assert 0.47 <= first_year / 4000 <= 0.55
    assert 0.07 <= second_year / reached_a_year <= 0.14
