"""What the generated records give for each calibration target, read back from the database.

Definitions follow reference/indicators.md (DfE's): the check year runs 1 April to 31 March,
snapshots are at 31 March, and the workforce snapshot is at 30 September (CSWW).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from goldenthread.records import models as m
from goldenthread.reference.calendar import working_days_between
from goldenthread.reference.timescales import add_months
from goldenthread.synth.profile import Profile
from goldenthread.synth.world import PREFIX

# Targets that are counts for the whole authority: compared after dividing by the scale.
COUNTS = frozenset({"contacts_per_month", "missing_per_month"})


@dataclass(frozen=True)
class Line:
    name: str
    target: float
    value: float | None
    main: bool
    source: str

    @property
    def off_pct(self) -> float | None:
        if self.value is None or not self.target:
            return None
        return (self.value - self.target) / self.target * 100


class Measures:
    def __init__(self, profile: Profile, scale: float, end_year: int) -> None:
        self.pop = profile.population * scale
        self.scale = scale
        self.ys = dt.date(end_year - 1, 4, 1)
        self.ye = dt.date(end_year, 3, 31)
        self.sep = dt.date(end_year - 1, 9, 30)
        self.mine = Q(person__la_person_id__startswith=PREFIX)

    def per_10k(self, n: int) -> float:
        return n / self.pop * 10_000

    def in_year(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.ys, f"{field}__lte": self.ye})

    def open_at(self, start: str, end: str, day: dt.date) -> Q:
        return Q(**{f"{start}__lte": day}) & (Q(**{f"{end}__isnull": True})
                                               | Q(**{f"{end}__gt": day}))

    # -- the front door ---------------------------------------------------------------
    def referral_rate(self) -> float:
        return self.per_10k(m.Referral.objects.filter(self.mine, self.in_year("referral_date"))
                            .count())

    def rereferral_pct(self) -> float | None:
        dates: dict[int, list[dt.date]] = defaultdict(list)
        for person, day in m.Referral.objects.filter(self.mine).order_by("referral_date") \
                .values_list("person_id", "referral_date"):
            dates[person].append(day)
        total = again = 0
        for days in dates.values():
            for i, day in enumerate(days):
                if self.ys <= day <= self.ye:
                    total += 1
                    again += any(0 < (day - d).days <= 365 for d in days[:i])
        return again / total * 100 if total else None

    def nfa_pct(self) -> float | None:
        qs = m.Referral.objects.filter(self.mine, self.in_year("referral_date"))
        total = qs.count()
        return qs.filter(is_nfa=True).count() / total * 100 if total else None

    def not_in_need_pct(self) -> float | None:
        total = m.Referral.objects.filter(self.mine, self.in_year("referral_date")).count()
        n = m.Assessment.objects.filter(self.mine, outcome_nfa=True,
                                        referral__referral_date__gte=self.ys,
                                        referral__referral_date__lte=self.ye).count()
        return n / total * 100 if total else None

    def assessment_45wd_pct(self) -> float | None:
        rows = m.Assessment.objects.filter(self.mine, self.in_year("authorised_on")) \
            .values_list("start_date", "authorised_on")
        done = [working_days_between(s, a) <= 45 for s, a in rows if a is not None]
        return sum(done) / len(done) * 100 if done else None

    # -- child protection --------------------------------------------------------------
    def s47_rate(self) -> float:
        return self.per_10k(m.Section47Enquiry.objects.filter(self.mine, self.in_year(
            "start_date")).count())

    def icpc_15wd_pct(self) -> float | None:
        rows = m.InitialConference.objects.filter(
            self.mine, self.in_year("conference_date"), section_47__isnull=False,
        ).values_list("section_47__strategy_discussion__held_on", "conference_date")
        done = [working_days_between(s, c) <= 15 for s, c in rows if s is not None]
        return sum(done) / len(done) * 100 if done else None

    def _cp_open(self) -> list[tuple[int, dt.date]]:
        return list(m.CPPlan.objects.filter(self.mine, self.open_at("start_date", "end_date",
                                                                     self.ye))
                    .values_list("person_id", "start_date"))

    def cp_rate(self) -> float:
        return self.per_10k(len({p for p, _ in self._cp_open()}))

    def cp_2y_open_pct(self) -> float | None:
        rows = self._cp_open()
        old = [s for _, s in rows if (self.ye - s).days >= 730]
        return len(old) / len(rows) * 100 if rows else None

    def cp_second_pct(self) -> float | None:
        plans: dict[int, list[dt.date]] = defaultdict(list)
        for person, start in m.CPPlan.objects.filter(self.mine).values_list("person_id",
                                                                            "start_date"):
            plans[person].append(start)
        new = [(p, s) for p, starts in plans.items() for s in starts if self.ys <= s <= self.ye]
        second = [1 for p, s in new if any(other < s for other in plans[p])]
        return len(second) / len(new) * 100 if new else None

    # -- children in need and looked after -----------------------------------------------
    def cin_rate(self) -> float:
        return self.per_10k(m.Referral.objects.filter(
            self.mine, self.open_at("referral_date", "closure_date", self.ye), is_nfa=False,
        ).values("person_id").distinct().count())

    def _cla_at_end(self) -> list[int]:
        return list(m.PeriodOfCare.objects.filter(self.mine, self.open_at(
            "start_date", "end_date", self.ye)).values_list("person_id", flat=True))

    def cla_rate(self) -> float:
        return self.per_10k(len(self._cla_at_end()))

    def cla_start_rate(self) -> float:
        return self.per_10k(m.PeriodOfCare.objects.filter(self.mine, self.in_year("start_date"))
                            .count())

    def placements_3plus_pct(self) -> float | None:
        children = set(self._cla_at_end())
        counts = Counter(m.Placement.objects.filter(
            self.mine, Q(end_date__isnull=True) | Q(end_date__gt=self.ys),
            start_date__lte=self.ye).exclude(placement_type__startswith="T")
            .values_list("person_id", flat=True))
        return sum(counts[c] >= 3 for c in children) / len(children) * 100 if children else None

    def long_term_stability_pct(self) -> float | None:
        """Children under 16 at the year end, in care for 2.5 years or more, in the same
        placement for 2 years or more (adoption placements with their own foster carer
        are not counted apart: the synthetic A5 placement starts the day of the order)."""
        long_ago = add_months(self.ye, -30)
        periods = m.PeriodOfCare.objects.filter(
            self.mine, self.open_at("start_date", "end_date", self.ye),
            start_date__lte=long_ago, person__date_of_birth__gt=add_months(self.ye, -16 * 12))
        children = set(periods.values_list("person_id", flat=True))
        settled = set(m.Placement.objects.filter(
            self.mine, self.open_at("start_date", "end_date", self.ye),
            person_id__in=children, start_date__lte=add_months(self.ye, -24))
            .values_list("person_id", flat=True)) if children else set()
        return len(settled) / len(children) * 100 if children else None

    def missing_per_month(self) -> float:
        start = dt.datetime(self.ys.year, 4, 1, tzinfo=dt.UTC)
        end = dt.datetime(self.ye.year, 4, 1, tzinfo=dt.UTC)
        return m.MissingEpisode.objects.filter(self.mine, start_at__gte=start,
                                               start_at__lt=end).count() / 12

    def missing_per_child(self) -> float | None:
        in_care = set(m.PeriodOfCare.objects.filter(
            self.mine, Q(end_date__isnull=True) | Q(end_date__gte=self.ys),
            start_date__lte=self.ye).values_list("person_id", flat=True))
        start = dt.datetime(self.ys.year, 4, 1, tzinfo=dt.UTC)
        end = dt.datetime(self.ye.year, 4, 1, tzinfo=dt.UTC)
        counts = Counter(p for p in m.MissingEpisode.objects.filter(
            self.mine, start_at__gte=start, start_at__lt=end).values_list("person_id",
                                                                           flat=True)
            if p in in_care)
        return sum(counts.values()) / len(counts) if counts else None

    def contacts_per_month(self) -> float:
        start = dt.datetime(self.ys.year, 4, 1, tzinfo=dt.UTC)
        end = dt.datetime(self.ye.year, 4, 1, tzinfo=dt.UTC)
        return m.Contact.objects.filter(self.mine, received_at__gte=start,
                                        received_at__lt=end).count() / 12

    def health_check_pct(self) -> float | None:
        cohort = set(m.PeriodOfCare.objects.filter(
            self.mine, self.open_at("start_date", "end_date", self.ye),
            start_date__lte=self.ye - dt.timedelta(days=365)).values_list("person_id",
                                                                           flat=True))
        checked = set(m.HealthCheck.objects.filter(
            self.mine, self.in_year("check_date"), check_type="HEALTH_ASSESSMENT",
            completed=True, person_id__in=cohort).values_list("person_id", flat=True)) \
            if cohort else set()
        return len(checked) / len(cohort) * 100 if cohort else None

    def sdq_average(self) -> float | None:
        scores = [s for s in m.SDQScore.objects.filter(self.mine, self.in_year("completed_on"))
                  .values_list("score", flat=True) if s is not None]
        return sum(scores) / len(scores) if scores else None

    # -- workforce (30 September) --------------------------------------------------------
    def _social_workers(self) -> list[m.Professional]:
        return list(m.Professional.objects.filter(
            staff_id__startswith=PREFIX, is_social_worker=True, is_manager=False,
            start_date__lte=self.sep).filter(Q(leave_date__isnull=True)
                                             | Q(leave_date__gt=self.sep)))

    def caseload(self) -> float | None:
        cases = Counter(m.Involvement.objects.filter(
            self.mine, self.open_at("start_date", "end_date", self.sep), role="CW")
            .values_list("professional_id", flat=True))
        fte = {p.pk: float(p.fte) for p in m.Professional.objects.filter(pk__in=cases)}
        total = sum(fte.values())
        return sum(cases.values()) / total if total else None

    def agency_pct(self) -> float | None:
        workers = [w for w in self._social_workers() if w.job_title == "Social worker"]
        total = sum(float(w.fte) for w in workers)
        return sum(float(w.fte) for w in workers if w.is_agency) / total * 100 if total else None

    def turnover_pct(self) -> float | None:
        year_start = self.sep - dt.timedelta(days=365)
        employed = [w for w in self._social_workers() if not w.is_agency
                    and w.job_title == "Social worker"]
        leavers = m.Professional.objects.filter(
            staff_id__startswith=PREFIX, is_agency=False, job_title="Social worker",
            leave_date__gt=year_start, leave_date__lte=self.sep)
        fte = sum(float(w.fte) for w in employed)
        return sum(float(w.fte) for w in leavers) / fte * 100 if fte else None

    def asye_pct(self) -> float | None:
        workers = [w for w in self._social_workers() if w.job_title == "Social worker"]
        return sum(w.in_asye_on(self.sep) for w in workers) / len(workers) * 100 \
            if workers else None


def check(profile: Profile, scale: float, end_year: int) -> list[Line]:
    measures = Measures(profile, scale, end_year)
    lines = []
    for name, target in profile.targets.items():
        method: Callable[[], float | None] = getattr(measures, name)
        value = method()
        if value is not None and name in COUNTS:
            value /= scale
        lines.append(Line(name, target.value, value, target.main, target.source))
    return lines


def format_lines(lines: list[Line], heading: str) -> str:
    out = [heading, f"{'figure':<22}{'target':>9}{'generated':>11}{'off':>8}  main  source"]
    for line in lines:
        value = "-" if line.value is None else f"{line.value:.1f}"
        off = "-" if line.off_pct is None else f"{line.off_pct:+.0f}%"
        out.append(f"{line.name:<22}{line.target:>9.1f}{value:>11}{off:>8}  "
                   f"{'yes ' if line.main else '    '}  {line.source}")
    return "\n".join(out)
