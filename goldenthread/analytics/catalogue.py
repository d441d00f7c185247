"""The indicator catalogue: each figure declared once, with the SQL that computes it.

How an indicator's SQL is written (the engine relies on this; see docs/analytics.md):

- It reads only `ssd_*` tables, the `gtx_*` goldenthread extension tables, and four inputs
  the engine provides:
  - `periods(period_id INTEGER, period_start DATE, period_end DATE)`: one row per point asked
    for. `period_end` is the "as at" date (31 March for a reporting year); `period_start` is
    the first day of the window the period rule gives (1 April for a year to 31 March, the
    day after 12 months earlier for a rolling year, 1 April three years back for A1/A2/A10).
  - `period_days(period_id INTEGER, day DATE)`: every day of each period's window, so "a
    date in the window" is an equi-join (`JOIN period_days pd ON pd.day = x`), two to three
    times cheaper than a range join to `periods`.
  - `calendar(day DATE, wd INTEGER)`: `wd` counts England working days from a fixed origin up
    to and including `day`, so the working days after `a` up to and including `b` are
    `wd(b) - wd(a)` (0 when both fall on the same day).
  - `population(period_id INTEGER, children_0_17 BIGINT)`: the ONS mid-year estimate DfE uses
    for the period (the mid-year before the 31 March).
- It returns one row per counted unit (a referral, a child, a plan, a case) per period, with
  columns `period_id`, `person_id` (VARCHAR), `subject_id` (VARCHAR: the counted record's id),
  `numerator` and `denominator` (DOUBLE), and optionally `team_id` and `worker_id` (VARCHAR)
  when the indicator itself knows whom to attribute the unit to. Those rows are the
  drill-down: the children behind the number.
- How rows become a value depends on the unit (`aggregate` in engine.py): a count sums the
  numerators; a percent is 100 x sum(numerator) / sum(denominator); a rate per 10,000 is
  10,000 x sum(numerator) / population; a mean or ratio is sum(numerator) / sum(denominator);
  a median is the median numerator over rows with denominator 1.
- Indicators that count the same unit rows in different ways (referrals: all of them, the
  re-referrals, those with no further action) declare a `Measure` over shared rows instead
  of their own SQL: the engine then computes all of them in one query (their `sql`, the
  contract's unit rows, is made from the measure, for the drill-down and for Spark).
- Dialect: DuckDB SQL that sqlglot transpiles to Spark SQL (tests/analytics prove it), so
  no DuckDB-only functions; dates with `DATE_DIFF('day', a, b)`, `a + INTERVAL 1 YEAR`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Unit = Literal["count", "percent", "rate_per_10k", "mean", "median", "ratio"]
PeriodRule = Literal[
    "year_to_31_march",      # CIN and CLA reporting years: 1 April to 31 March
    "at_date",               # a snapshot on the day (the 12 months before as the window)
    "rolling_12_months",     # the 12 months ending on the day
    "year_to_30_september",  # workforce (CSWW): 1 October to 30 September
    "three_years_to_31_march",  # adoption scorecard A1, A2, A10
]
Breakdown = Literal["locality", "team", "worker", "age_band", "sex", "ethnicity", "disability",
                    "legal_status"]
CHILD_BREAKDOWNS: frozenset[Breakdown] = frozenset(
    {"locality", "team", "worker", "age_band", "sex", "ethnicity", "disability"})
LOOKED_AFTER_BREAKDOWNS: frozenset[Breakdown] = CHILD_BREAKDOWNS | {"legal_status"}
WORKFORCE_BREAKDOWNS: frozenset[Breakdown] = frozenset({"locality", "team", "worker"})


@dataclass(frozen=True)
class Benchmark:
    """A published comparison figure, quoted as published (see reference/indicators.md)."""

    label: str        # "England", "Manchester", "SN25 mean", "SN21 mean", "threshold"
    year: str         # the reporting year as published: "2025", "2015-18"
    value: float
    note: str = ""    # "[derived]" where the figure is arithmetic on published counts


@dataclass(frozen=True)
class Measure:
    """An indicator as a measure over unit rows it shares with others. `rows` is SQL giving
    `period_id`, `person_id`, `subject_id`, the `attributed` columns (`team_id`, `worker_id`)
    when it has them, and whatever columns the expressions read; the indicator's rows are
    those where `keep` holds, with `numerator` and `denominator` computed from them. The
    engine computes every measure of the same rows and period rule in one query."""

    rows: str
    numerator: str = "1"
    denominator: str = "1"
    keep: str = "TRUE"
    attributed: tuple[str, ...] = ()

    @property
    def sql(self) -> str:
        """The contract's unit rows (drill-down, a single value, Spark)."""
        extra = "".join(f", m.{column}" for column in self.attributed)
        return (f"SELECT m.period_id, m.person_id, m.subject_id, "
                f"CAST({self.numerator} AS DOUBLE) AS numerator, "
                f"CAST({self.denominator} AS DOUBLE) AS denominator{extra}\n"
                f"FROM ({self.rows.strip()}) m\nWHERE {self.keep}")


@dataclass(frozen=True)
class Indicator:
    id: str                       # stable, e.g. "CIN-REFERRAL-RATE"
    title: str
    definition: str               # plain English: what is counted, over what
    source: str                   # DfE table, Ofsted list or the seed that asks for it
    unit: Unit
    higher_is_better: bool | None  # None where neither direction is good in itself
    period: PeriodRule
    counts: str                   # what one drill-down row is: "referrals", "children"
    sql: str = ""                 # the unit rows; made from `measure` when that is given
    breakdowns: frozenset[Breakdown] = CHILD_BREAKDOWNS
    benchmarks: tuple[Benchmark, ...] = ()
    target: float | None = None
    target_source: str = ""
    dfe_rounding: bool = False    # round and suppress as DfE publishes this figure
    decimals: int | None = None   # places shown (None: counts 0, others 1); DfE CLA % and
                                  # rates are whole numbers (0), CIN ones 1 place
    needs: tuple[str, ...] = field(default=())  # gtx_* extension tables it cannot do without
    measure: Measure | None = None  # shared rows: computed in one query with the others

    def __post_init__(self) -> None:
        if self.measure is not None:
            if self.sql and self.sql != self.measure.sql:
                raise ValueError(f"{self.id}: give sql or a measure, not both")
            object.__setattr__(self, "sql", self.measure.sql)  # frozen: set once, here
        elif not self.sql.strip():
            raise ValueError(f"{self.id}: no sql; allowed: sql or a measure")


_CATALOGUE: dict[str, Indicator] = {}


def register(*indicators: Indicator) -> None:
    for indicator in indicators:
        if indicator.id in _CATALOGUE:
            raise ValueError(f"indicator {indicator.id} is declared twice")
        _CATALOGUE[indicator.id] = indicator


def catalogue() -> dict[str, Indicator]:
    """Every indicator, by id, in declaration order."""
    from goldenthread.analytics import indicators  # noqa: F401  (declaring registers them)

    return dict(_CATALOGUE)
