"""From rows of Python values to typed Arrow tables, and the whole-extract passes over them:
dropping or blanking references to rows that are not in the extract, and the SSD's rolling
window. Pure Python plus pyarrow, so the importer can share it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc

from goldenthread.ssd.extensions import STORE_TABLES
from goldenthread.ssd.io import ARROW_TYPES
from goldenthread.ssd.schema import REFERENCES, Kind

__all__ = ["UK", "arrow_table", "drop_dangling", "window", "years_before"]

UK = ZoneInfo("Europe/London")


def _text(values: Sequence[Any]) -> list[str | None]:
    # Our blank CharFields ('') are the SSD's NULL: missing data stays missing.
    return [None if v is None or v == "" else str(v) for v in values]


def _flag(values: Sequence[Any]) -> list[str | None]:
    return [None if v is None else v if isinstance(v, str) else ("Y" if v else "N")
            for v in values]


def _local(value: dt.datetime) -> dt.datetime:
    """Stored datetimes are UTC (naive from SQLite's raw cursor); the SSD's are UK local."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(UK).replace(tzinfo=None)


def _datetime(values: Sequence[Any]) -> list[dt.datetime | None] | pa.Array:
    first = next((v for v in values if v is not None), None)
    if type(first) is dt.date:
        try:  # all plain dates (the usual case): let Arrow convert them, in C
            return pa.array(values, pa.date32()).cast(pa.timestamp("us"))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            pass
    out: list[dt.datetime | None] = []
    for v in values:
        if isinstance(v, str):  # SQLite returns expressions' dates as text
            v = dt.date.fromisoformat(v) if len(v) == 10 else dt.datetime.fromisoformat(v)
        if v is None:
            out.append(None)
        elif isinstance(v, dt.datetime):
            out.append(_local(v))
        else:
            out.append(dt.datetime(v.year, v.month, v.day))
    return out


def _number(cast: Callable[[Any], Any]) -> Callable[[Sequence[Any]], list[Any]]:
    return lambda values: [None if v is None else cast(v) for v in values]


def _bit(values: Sequence[Any]) -> list[bool | None]:
    return [None if v is None else bool(v) for v in values]


_CONVERT: Mapping[Kind, Callable[[Sequence[Any]], list[Any] | pa.Array]] = {
    "text": _text, "flag": _flag, "datetime": _datetime, "date": _datetime,
    "int": _number(int), "float": _number(lambda v: float(Decimal(str(v)))), "bit": _bit,
}


def arrow_table(name: str, rows: Iterable[Sequence[Any]]) -> pa.Table:
    """Rows of Python values in the SSD column order -> a table with the SSD's types."""
    table = STORE_TABLES[name]
    rows = list(rows)
    columns: list[Sequence[Any]] = list(zip(*rows, strict=True)) if rows else \
        [()] * len(table.columns)
    if len(columns) != len(table.columns):
        raise ValueError(f"{name}: {len(columns)} values a row, {len(table.columns)} columns")
    arrays = []
    for column, values in zip(table.columns, columns, strict=True):
        arrow_type = ARROW_TYPES[column.kind]
        converted = _CONVERT[column.kind](values)
        array = converted if isinstance(converted, pa.Array) else pa.array(
            converted, type=pa.timestamp("us") if column.kind == "date" else arrow_type)
        arrays.append(array.cast(arrow_type))
    return pa.Table.from_arrays(arrays, names=list(table.column_names))


def _ids(data: pa.Table, column: str) -> pa.Array:
    return pc.unique(data[column].drop_null()) if data.num_rows else pa.array([], pa.string())


def drop_dangling(tables: dict[str, pa.Table], required: frozenset[str]) -> None:
    """A reference to a row that is not in the extract (its record archived, say) is blanked;
    when the reference is one the row cannot be without (`required`), the row goes too.
    Repeats until nothing changes, since dropping a row can orphan its children."""
    changed = True
    while changed:
        changed = False
        for ref in REFERENCES:
            if ref.table not in tables or ref.target not in tables:
                continue
            data = tables[ref.table]
            known = pc.is_in(data[ref.column], value_set=_ids(tables[ref.target],
                                                              ref.target_column))
            bad = pc.and_(pc.invert(known), pc.is_valid(data[ref.column]))
            if not pc.any(bad).as_py():
                continue
            changed = True
            if ref.column in required:
                tables[ref.table] = data.filter(pc.invert(bad))
            else:
                index = data.column_names.index(ref.column)
                blanked = pc.if_else(bad, pa.scalar(None, pa.string()), data[ref.column])
                tables[ref.table] = data.set_column(index, ref.column, blanked)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _in_window(data: pa.Table, dates: Sequence[str], open_end: str | None,
               cutoff: dt.date) -> pa.ChunkedArray:
    since = pa.scalar(dt.datetime(cutoff.year, cutoff.month, cutoff.day), pa.timestamp("us"))
    mask = pa.chunked_array([pa.array([False] * data.num_rows, pa.bool_())])
    for name in (*dates, *([open_end] if open_end else [])):
        mask = pc.or_(mask, pc.fill_null(pc.greater_equal(data[name], since), False))
    if open_end:
        mask = pc.or_(mask, pc.is_null(data[open_end]))
    return mask


def window(tables: dict[str, pa.Table], rules: Mapping[str, tuple[tuple[str, ...], str | None]],
           person_level: Mapping[str, str], cutoff: dt.date) -> None:
    """The SSD's rolling window: keep event rows dated on or after `cutoff` (or still open),
    the rows they point to (a referral that began earlier, say), and the people they are
    about; person-level tables keep their rows for those people."""
    keep = {name: _in_window(tables[name], *rules[name], cutoff) for name in rules
            if name in tables}
    changed = True
    while changed:  # parents of kept rows are kept, however old
        changed = False
        for ref in REFERENCES:
            if ref.table not in keep or ref.target not in keep:
                continue
            wanted = _ids(tables[ref.table].filter(keep[ref.table]), ref.column)
            target = tables[ref.target]
            more = pc.or_(keep[ref.target], pc.is_in(target[ref.target_column],
                                                     value_set=wanted))
            if pc.sum(more).as_py() != pc.sum(keep[ref.target]).as_py():
                keep[ref.target], changed = more, True
    for name, mask in keep.items():
        tables[name] = tables[name].filter(mask)
    people = _people(tables, keep)
    for name, column in person_level.items():
        if name in tables:
            tables[name] = tables[name].filter(pc.is_in(tables[name][column], value_set=people))
    people = _people(tables, {**keep, **person_level})
    tables["ssd_person"] = tables["ssd_person"].filter(
        pc.is_in(tables["ssd_person"]["pers_person_id"], value_set=people))


def _people(tables: Mapping[str, pa.Table], names: Iterable[str]) -> pa.Array:
    found = [_ids(tables[ref.table], ref.column) for ref in REFERENCES
             if ref.target == "ssd_person" and ref.table in names and ref.table in tables]
    return pc.unique(pa.concat_arrays(found)) if found else pa.array([], pa.string())
