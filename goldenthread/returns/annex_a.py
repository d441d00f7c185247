"""Ofsted ILACS Annex A: the child-level lists 1-11 as an Excel workbook, from the SSD.

`build(con, inspection_date)` runs each list's query (annex_a_lists.py) over an SSD store
and gives its rows in the template's column order, codes written as the template's
drop-down answers; `write_workbook` writes one sheet per list with the template's exact
headings (annex_a.yaml, with their source). Lists 1-9 cover the 6 months before the
inspection date, lists 10-11 the 12 months (`window`). Dates are real Excel dates; a text
cell can never become a formula (core.spreadsheet.safe_cell). Columns the SSD does not
hold (list 8's placement location and LA, list 10's family identifier, all of list 11)
keep their heading over empty cells. Where each column comes from: annex_a.yaml `from`,
and docs/returns.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, cast

import duckdb
import yaml
from openpyxl import Workbook
from openpyxl.styles import Font

from goldenthread.core.spreadsheet import safe_cell
from goldenthread.returns.annex_a_lists import LIST_SQL

__all__ = ["AnnexList", "Column", "Spec", "build", "build_one", "months_before", "spec",
           "window", "write_workbook"]

Kind = Literal["text", "date", "number"]
DATE_FORMAT = "DD/MM/YYYY"
Row = tuple[Any, ...]


@dataclass(frozen=True)
class Column:
    heading: str
    kind: Kind
    values: str | None  # the drop-down list the code is written as
    source: str


@dataclass(frozen=True)
class AnnexList:
    number: int
    sheet: str
    title: str
    months: int
    population: str
    columns: tuple[Column, ...]

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(c.heading for c in self.columns)


@dataclass(frozen=True)
class Spec:
    source: Mapping[str, str]
    values: Mapping[str, tuple[Mapping[str, str], str | None]]  # name -> (codes, default)
    lists: tuple[AnnexList, ...]


@functools.cache
def spec() -> Spec:
    """annex_a.yaml, read once."""
    text = resources.files("goldenthread.returns").joinpath("annex_a.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    values = {name: ({str(k): str(v) for k, v in item["codes"].items()}, item.get("default"))
              for name, item in raw["values"].items()}
    lists = tuple(
        AnnexList(number=int(item["number"]), sheet=str(item["sheet"]), title=str(item["title"]),
                  months=int(item["months"]), population=str(item["population"]),
                  columns=tuple(Column(heading=str(c["heading"]),
                                       kind=cast(Kind, c.get("kind", "text")),
                                       values=c.get("values"), source=str(c["from"]))
                                for c in item["columns"]))
        for item in raw["lists"])
    for annex in lists:
        unknown = {c.values for c in annex.columns if c.values and c.values not in values}
        if unknown:
            raise ValueError(f"annex_a.yaml {annex.sheet}: no value list named {unknown}")
    return Spec(source={str(k): str(v) for k, v in raw["source"].items()},
                values=values, lists=lists)


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` earlier, or the month's last day if it has none (31 August ->
    28 or 29 February), as DuckDB's interval arithmetic does."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def window(inspection: dt.date, months: int) -> tuple[dt.date, dt.date]:
    """The list's window: from `months` before the inspection date to it, both included."""
    return months_before(inspection, months), inspection


def _label(value: Any, values: tuple[Mapping[str, str], str | None] | None) -> Any:
    if values is None:
        return value
    codes, default = values
    if value is None or value == "":
        return default
    # A code outside the template's list is written as it is, so nothing is hidden.
    return codes.get(str(value), value)


def build_one(con: duckdb.DuckDBPyConnection, annex: AnnexList,
              inspection: dt.date) -> dict[int, list[Row]]:
    """One list's rows for an inspection on `inspection`, by its number."""
    sql = LIST_SQL[annex.number]
    if sql is None:
        return {annex.number: []}
    start, _ = window(inspection, annex.months)
    given = {"day": inspection, "start": start, "year_ago": months_before(inspection, 12),
             "six_ago": months_before(inspection, 6)}
    # DuckDB refuses a parameter the query does not use.
    rows = con.execute(sql, {k: v for k, v in given.items() if f"${k}" in sql}).fetchall()
    labels = [spec().values[c.values] if c.values else None for c in annex.columns]
    out: list[Row] = []
    for row in rows:
        if len(row) != len(annex.columns):
            raise RuntimeError(f"{annex.sheet}: the query gives {len(row)} columns, the "
                               f"template has {len(annex.columns)}")
        out.append(tuple(_label(v, lab) for v, lab in zip(row, labels, strict=True)))
    return {annex.number: out}


def build(con: duckdb.DuckDBPyConnection, inspection: dt.date) -> dict[int, list[Row]]:
    """Every list's rows for an inspection on `inspection`, by list number."""
    found: dict[int, list[Row]] = {}
    for annex in spec().lists:
        found.update(build_one(con, annex, inspection))
    return found


def _cell_value(value: Any, column: Column) -> Any:
    if value is None:
        return None
    if column.kind == "date":
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if column.kind == "number" and isinstance(value, int | float):
        return value
    return safe_cell(str(value))


def write_workbook(lists: Mapping[int, Sequence[Row]], path: Path) -> Path:
    """One sheet per list, in order: the template's headings in row 1 (bold, frozen), then
    the rows. Dates are dates shown dd/mm/yyyy; text is never a formula."""
    book = Workbook()
    book.remove(book.worksheets[0])  # the default empty sheet
    bold = Font(bold=True)
    for annex in spec().lists:
        sheet = book.create_sheet(annex.sheet)
        for index, column in enumerate(annex.columns, start=1):
            cell = sheet.cell(row=1, column=index, value=safe_cell(column.heading))
            cell.font = bold
            sheet.column_dimensions[cell.column_letter].width = \
                max(12, min(40, len(column.heading) + 2))
        for number, row in enumerate(lists.get(annex.number, ()), start=2):
            for index, (value, column) in enumerate(zip(row, annex.columns, strict=True),
                                                    start=1):
                cell = sheet.cell(row=number, column=index,
                                  value=_cell_value(value, column))
                if column.kind == "date":
                    cell.number_format = DATE_FORMAT
        sheet.freeze_panes = "A2"
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
