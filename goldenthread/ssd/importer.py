"""Load an SSD extract made by another council system into a validated SSD store.

The extract is a folder of `<table>.csv` or `<table>.parquet` files named like the SSD
tables (and, optionally, goldenthread's gtx_* extension tables, `extensions.py`). Every
file is read and checked before anything is written: the table is an SSD (or gtx) table,
it has every column, each value fits its column's kind (dates ISO or
dd/mm/yyyy, flags Y or N, whole numbers, numbers), primary keys are present and unique,
and every id that points to another table (a person, a referral, a CP plan...) is found
there. Any problem stops the load and is reported with table, row, column, value and what
is allowed; nothing is written. A clean extract becomes the store in one rename
(`io.replace_folder`). Unknown extra columns are ignored with a warning.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from goldenthread.ssd.extensions import EXTENSION_REFERENCES, STORE_TABLES
from goldenthread.ssd.io import ARROW_TYPES, write_tables
from goldenthread.ssd.schema import REFERENCES, SOFT_TARGETS, TABLES, Kind, Table
from goldenthread.ssd.shaping import UK

__all__ = ["ImportReport", "Problem", "import_extract", "read_extract", "summary"]

# After this many problems of one kind in one column, the rest are counted, not listed.
LISTED_PER_COLUMN = 20
NULLS = ["", "NULL"]


@dataclass(frozen=True)
class Problem:
    table: str
    row: int | None  # 1 = the first data row (a CSV's header is not counted)
    column: str | None
    value: str | None
    allowed: str

    def __str__(self) -> str:
        where = self.table + (f" row {self.row}" if self.row is not None else "") + \
            (f" column {self.column}" if self.column else "")
        value = "" if self.value is None else f" {self.value!r}:"
        return f"{where}:{value} {self.allowed}"


@dataclass
class ImportReport:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Bad(ValueError):
    pass


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?\Z")
_INT = re.compile(r"[+-]?\d+\Z")
ALLOWED: dict[Kind, str] = {
    "text": "text", "flag": "Y or N (or blank)",
    "datetime": "a date, YYYY-MM-DD or DD/MM/YYYY, optionally with a time (or blank)",
    "date": "a date, YYYY-MM-DD or DD/MM/YYYY (or blank)",
    "int": "a whole number (or blank)", "float": "a number (or blank)",
    "bit": "1 or 0, true or false, Y or N (or blank)",
}


def _datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.astimezone(UK).replace(tzinfo=None) if value.tzinfo else value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    text = str(value).strip()
    match = _DMY.match(text)
    try:
        if match:
            day, month, year, hour, minute, second = match.groups()
            return dt.datetime(int(year), int(month), int(day), int(hour or 0),
                               int(minute or 0), int(second or 0))
        return _datetime(dt.datetime.fromisoformat(text))
    except ValueError:
        raise _Bad from None


def _flag(value: object) -> str:
    if value in ("Y", "N"):
        return str(value)
    raise _Bad


def _int(value: object) -> int:
    if isinstance(value, bool):
        raise _Bad
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value)
    raise _Bad


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _Bad from None


_BITS = {"1": True, "0": False, "true": True, "false": False, "y": True, "n": False}


def _bit(value: object) -> bool:
    if isinstance(value, bool):
        return value
    found = _BITS.get(str(value).strip().lower())
    if found is None:
        raise _Bad
    return found


_PARSE: dict[Kind, Callable[[Any], Any]] = {
    "text": str, "flag": _flag, "datetime": _datetime, "int": _int, "float": _float,
    "bit": _bit, "date": lambda v: _datetime(v).date(),
}


def _read(path: Path) -> pa.Table:
    if path.suffix == ".parquet":
        return pq.read_table(path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return pa_csv.read_csv(
        path, read_options=pa_csv.ReadOptions(encoding="utf-8-sig"),
        convert_options=pa_csv.ConvertOptions(
            column_types=dict.fromkeys(header, pa.string()), null_values=NULLS,
            strings_can_be_null=True, quoted_strings_can_be_null=False))


class _Problems:
    """Collects problems, listing at most LISTED_PER_COLUMN of a kind in one column."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.counts: Counter[tuple[str, str | None, str]] = Counter()

    def add(self, table: str, row: int | None, column: str | None, value: object,
            allowed: str) -> None:
        key = (table, column, allowed)
        self.counts[key] += 1
        if self.counts[key] <= LISTED_PER_COLUMN:
            shown = None if value is None else str(value)
            self.report.problems.append(Problem(table, row, column, shown, allowed))

    def close(self) -> None:
        for (table, column, _allowed), count in self.counts.items():
            if count > LISTED_PER_COLUMN:
                self.report.problems.append(Problem(
                    table, None, column, None,
                    f"and {count - LISTED_PER_COLUMN} more rows with the same problem"))


def _convert(table: Table, data: pa.Table, problems: _Problems) -> pa.Table:
    arrays = []
    for column in table.columns:
        parse = _PARSE[column.kind]
        values: list[Any] = []
        for number, value in enumerate(data[column.name].to_pylist(), start=1):
            if value is None or (isinstance(value, str) and value.strip() == ""):
                values.append(None)
                continue
            try:
                values.append(parse(value))
            except _Bad:
                values.append(None)
                problems.add(table.name, number, column.name, value, ALLOWED[column.kind])
        arrays.append(pa.array(values, type=ARROW_TYPES[column.kind]))
    return pa.Table.from_arrays(arrays, names=list(table.column_names))


def _check_keys(table: Table, data: pa.Table, problems: _Problems) -> None:
    key = table.primary_key
    if key is None:
        return
    seen: set[object] = set()
    for number, value in enumerate(data[key].to_pylist(), start=1):
        if value is None:
            problems.add(table.name, number, key, None, "the table's id; it cannot be blank")
        elif value in seen:
            problems.add(table.name, number, key, value,
                         "a unique id; this one is on an earlier row too")
        seen.add(value)


def _check_references(tables: dict[str, pa.Table], problems: _Problems) -> None:
    ids: dict[tuple[str, str], set[object]] = {}
    for ref in (*REFERENCES, *EXTENSION_REFERENCES):
        if ref.table not in tables:
            continue
        values = tables[ref.table][ref.column].to_pylist()
        if ref.target not in tables:
            if ref.target not in SOFT_TARGETS and any(v is not None for v in values):
                problems.add(ref.table, None, ref.column, None,
                             f"ids of {ref.target}, which is not in the extract")
            continue
        known = ids.setdefault((ref.target, ref.target_column),
                               set(tables[ref.target][ref.target_column].to_pylist()))
        for number, value in enumerate(values, start=1):
            if value is not None and value not in known:
                problems.add(ref.table, number, ref.column, value,
                             f"an id in {ref.target}.{ref.target_column}; it is not there")


def _files(source: Path, report: ImportReport, problems: _Problems) -> dict[str, Path]:
    found: dict[str, list[Path]] = defaultdict(list)
    for path in sorted(source.iterdir()):
        if path.suffix not in (".csv", ".parquet") or path.name.startswith("."):
            report.warnings.append(f"{path.name}: not a .csv or .parquet file; ignored")
        elif path.stem not in STORE_TABLES:
            problems.add(path.stem, None, None, path.name,
                         "not an SSD table: files must be named after one of the SSD's "
                         f"{len(TABLES)} tables (docs/ssd.md), e.g. ssd_person.csv, or "
                         "a goldenthread extension table (gtx_*, docs/analytics.md)")
        else:
            found[path.stem].append(path)
    for name, paths in found.items():
        if len(paths) > 1:
            problems.add(name, None, None, ", ".join(p.name for p in paths),
                         "one file per table; give either the CSV or the Parquet file")
    return {name: paths[0] for name, paths in found.items() if len(paths) == 1}


def read_extract(source: Path, progress: Callable[[str], None] | None = None
                 ) -> tuple[dict[str, pa.Table], ImportReport]:
    """Read and check every file; the tables are usable only if the report is ok."""
    report = ImportReport()
    problems = _Problems(report)
    if not source.is_dir():
        problems.add(str(source), None, None, None, "an extract is a folder of files")
        problems.close()
        return {}, report
    tables: dict[str, pa.Table] = {}
    for name, path in _files(source, report, problems).items():
        table = STORE_TABLES[name]
        try:
            data = _read(path)
        except (pa.ArrowInvalid, OSError, UnicodeDecodeError) as error:
            problems.add(name, None, None, path.name, f"cannot be read: {error}")
            continue
        missing = [c for c in table.column_names if c not in data.column_names]
        for column in missing:
            problems.add(name, None, column, None, "this SSD column is missing from the file")
        extra = [c for c in data.column_names if c not in table.column_names]
        if extra:
            report.warnings.append(f"{path.name}: columns not in the SSD, ignored: "
                                   f"{', '.join(extra)}")
        if missing:
            continue
        tables[name] = _convert(table, data, problems)
        _check_keys(table, tables[name], problems)
        report.rows[name] = data.num_rows
        if progress is not None:
            progress(f"{name}: {data.num_rows} rows read")
    _check_references(tables, problems)
    problems.close()
    return tables, report


def import_extract(source: Path, into: Path,
                   progress: Callable[[str], None] | None = None) -> ImportReport:
    """Check the extract at `source`; if clean, it replaces the store at `into` whole."""
    tables, report = read_extract(source, progress)
    if report.ok:
        write_tables(tables, into, "parquet", progress)
    return report


def summary(report: ImportReport) -> Iterable[str]:
    yield from (f"warning: {w}" for w in report.warnings)
    yield from (str(p) for p in report.problems)
