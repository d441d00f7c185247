"""How a value is shown: decimal places, DfE rounding and small-number suppression.

The engine's values are exact; only what is printed is rounded. Where the catalogue sets
`dfe_rounding`, a figure is shown as DfE publishes a council's figure:

- percentages and rates to the indicator's `decimals` (CIN: 1 place; CLA: whole numbers),
  counts as whole numbers, rounding halves up (DfE rounds 0.05 up, not to even);
- `c` where the figure rests on a small number: a count of 1 to 5, or a percentage, rate
  or mean whose numerator or denominator is 1 to 5 (DfE's disclosure control suppresses
  small counts and what could be derived from them);
- `x` where there is no value (not available).

Other figures are shown to their `decimals` (default: counts 0 places, the rest 1).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from goldenthread.analytics.catalogue import Benchmark, Indicator

__all__ = ["NO_VALUE", "SMALL", "SUPPRESSED", "benchmark", "direction", "places", "show"]

SUPPRESSED = "c"
NO_VALUE = "x"
SMALL = range(1, 6)  # 1 to 5: DfE's small numbers

UNIT_SUFFIX = {"count": "", "percent": "%", "rate_per_10k": " per 10,000", "mean": "",
               "median": "", "ratio": ""}


def places(indicator: Indicator) -> int:
    if indicator.decimals is not None:
        return indicator.decimals
    return 0 if indicator.unit == "count" else 1


def _round(value: float, decimals: int) -> str:
    exact = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}" if decimals else f"{exact:,.0f}"


def _small(value: float | None) -> bool:
    return value is not None and value == int(value) and int(value) in SMALL


def suppressed(indicator: Indicator, numerator: float, denominator: float) -> bool:
    """Whether DfE would show `c` for a figure with these sums."""
    if indicator.unit in ("count", "rate_per_10k"):
        return _small(numerator)
    if indicator.unit == "median":
        return _small(denominator)
    return _small(numerator) or _small(denominator)


def show(indicator: Indicator, value: float | None, numerator: float = 0.0,
         denominator: float = 0.0, *, blank: str = "") -> str:
    """The value as text for a table or file: rounded (and suppressed where the catalogue
    asks for DfE's rules); `blank` where there is no value (DfE's `x` under its rules)."""
    if indicator.dfe_rounding:
        if value is None:
            return NO_VALUE
        if suppressed(indicator, numerator, denominator):
            return SUPPRESSED
    if value is None:
        return blank
    return _round(value, places(indicator))


def benchmark(indicator: Indicator, *labels: str) -> Benchmark | None:
    """The latest published benchmark with the first of `labels` found (e.g. "SN25 mean",
    then "SN21 mean")."""
    for label in labels:
        found = [b for b in indicator.benchmarks if b.label == label]
        if found:
            return max(found, key=lambda b: b.year)
    return None


def direction(indicator: Indicator) -> str:
    """▲ where higher is better, ▼ where lower is, blank where neither is good in itself."""
    return {True: "▲", False: "▼", None: ""}[indicator.higher_is_better]
