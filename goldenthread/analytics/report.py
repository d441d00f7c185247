"""Figures and drill-downs as text: an aligned table, formula-safe CSV, or JSON.

Used by `goldenthread indicators`; plain Python (no Django), so a notebook can use it too.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from goldenthread.analytics.catalogue import Breakdown, Indicator
from goldenthread.analytics.engine import DrillDown, Figure
from goldenthread.analytics.presentation import benchmark, direction, places, show
from goldenthread.core.spreadsheet import csv_text

__all__ = ["FORMATS", "Format", "drill_down_text", "figures_text"]

Format = Literal["table", "csv", "json"]
FORMATS: tuple[Format, ...] = ("table", "csv", "json")
SN_LABELS = ("SN25 mean", "SN21 mean", "SN25 median")
TITLE_WIDTH = 60
UNIT_NAMES = {"count": "count", "percent": "%", "rate_per_10k": "per 10k", "mean": "mean",
              "median": "median", "ratio": "ratio"}


def _number(indicator: Indicator, value: float | None) -> str:
    return "" if value is None else f"{value:,.{places(indicator)}f}"


def _row(indicator: Indicator, figure: Figure, by: Breakdown | None) -> dict[str, Any]:
    england = benchmark(indicator, "England")
    neighbours = benchmark(indicator, *SN_LABELS)
    return {
        "id": indicator.id, "title": indicator.title,
        "period_end": figure.period_end.isoformat(),
        "breakdown": by or "", "group": figure.group or "", "label": figure.label or "",
        "value": figure.value, "shown": show(indicator, figure.value, figure.numerator,
                                             figure.denominator, blank="–"),
        "unit": UNIT_NAMES[indicator.unit], "numerator": figure.numerator,
        "denominator": figure.denominator, "rows": figure.rows,
        "population": figure.population,
        "england": _number(indicator, england.value) if england else "",
        "sn": f"{_number(indicator, neighbours.value)} ({neighbours.label})"
              if neighbours else "",
        "target": _number(indicator, indicator.target),
        "direction": direction(indicator),
    }


def _aligned(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(header)]
    right = {"value", "England", "SN", "target"}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if h in right else c.ljust(w)
                         for c, w, h in zip(cells, widths, header, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *map(line, rows)]) + "\n"


def _short(text: str, width: int = TITLE_WIDTH) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def figures_text(catalogue: Mapping[str, Indicator], figures: Sequence[Figure],
                 fmt: Format, *, by: Breakdown | None = None) -> str:
    """The figures in `fmt`: one line per indicator, date and group."""
    rows = [_row(catalogue[f.indicator], f, by) for f in figures]
    if fmt == "json":
        for row, figure in zip(rows, figures, strict=True):
            indicator = catalogue[figure.indicator]
            row["benchmarks"] = [{"label": b.label, "year": b.year, "value": b.value,
                                  "note": b.note} for b in indicator.benchmarks]
            row["target_source"] = indicator.target_source
            row["higher_is_better"] = indicator.higher_is_better
            row["unit"] = indicator.unit
        return json.dumps({"figures": rows}, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        header = ["id", "title", "period_end", "breakdown", "group", "label", "value",
                  "shown", "unit", "numerator", "denominator", "rows", "population",
                  "england", "sn", "target", "direction"]
        text, _ = csv_text(header, ([row[h] for h in header] for row in rows))
        return text
    dates = len({f.period_end for f in figures}) > 1
    header = ["id", "title", *(["date"] if dates else []), *([by] if by else []), "value",
              "unit", "England", "SN", "target", ""]
    cells = [[row["id"], _short(row["title"]), *([row["period_end"]] if dates else []),
              *([_short(row["label"] or row["group"], 40)] if by else []), row["shown"],
              row["unit"], row["england"], row["sn"], row["target"], row["direction"]]
             for row in rows]
    legend = "▲ higher is better, ▼ lower is better; SN: statistical neighbours\n"
    return _aligned(header, cells) + legend


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def drill_down_text(indicator: Indicator, drill: DrillDown, fmt: Format) -> str:
    """The rows behind one figure in `fmt`, with a heading line in a table."""
    if fmt == "json":
        return json.dumps({"indicator": indicator.id, "period_end": drill.period_end.isoformat(),
                           "counts": indicator.counts, "rows": drill.as_dicts()},
                          indent=2, default=str, ensure_ascii=False) + "\n"
    if fmt == "csv":
        text, _ = csv_text(drill.columns, ([_cell(v) for v in row] for row in drill.rows))
        return text
    heading = (f"{indicator.id} {indicator.title}, {drill.period_end.isoformat()}: "
               f"{len(drill.rows)} {indicator.counts}\n")
    return heading + _aligned(drill.columns, [[_cell(v) for v in row] for row in drill.rows])
