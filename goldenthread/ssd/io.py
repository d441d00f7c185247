"""SSD tables on disk: one file per table, `<table>.parquet` (default) or `<table>.csv`.

A folder is written whole or not at all: the files go to a hidden temporary folder beside the
target, which then replaces the target by rename. A failed export or import leaves the
previous folder as it was and no half-written one.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from goldenthread.ssd.extensions import STORE_TABLES
from goldenthread.ssd.schema import Kind, Table

__all__ = ["ARROW_TYPES", "FORMATS", "Format", "arrow_schema", "replace_folder",
           "write_tables"]

Format = Literal["parquet", "csv"]
FORMATS: tuple[Format, ...] = ("parquet", "csv")

# Ids stay strings, as in the SSD (NVARCHAR(48)); SSD datetimes are UK local, without zone.
ARROW_TYPES: Mapping[Kind, pa.DataType] = {
    "text": pa.string(), "flag": pa.string(), "datetime": pa.timestamp("us"),
    "date": pa.date32(), "int": pa.int64(), "float": pa.float64(), "bit": pa.bool_(),
}


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema([pa.field(c.name, ARROW_TYPES[c.kind]) for c in table.columns])


@contextmanager
def replace_folder(target: Path) -> Iterator[Path]:
    """Yield an empty temporary folder; on success it becomes `target`, on error it goes."""
    target = target.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield temp
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    old = target.with_name(f".{target.name}.old")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        os.replace(target, old)
    os.replace(temp, target)
    shutil.rmtree(old, ignore_errors=True)


def write_tables(tables: Mapping[str, pa.Table], out: Path, fmt: Format = "parquet",
                 progress: Callable[[str], None] | None = None) -> None:
    """Write each table to `out/<name>.<fmt>`, replacing `out` as a whole."""
    with replace_folder(out) as temp:
        for name, data in tables.items():
            data = data.cast(arrow_schema(STORE_TABLES[name]))
            if fmt == "parquet":
                pq.write_table(data, temp / f"{name}.parquet", compression="zstd")
            else:
                pa_csv.write_csv(data, temp / f"{name}.csv")
            if progress is not None:
                progress(f"{name}: {data.num_rows} rows")
