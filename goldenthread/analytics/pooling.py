"""Several councils' SSD stores as one: a regional alliance's pooled figures.

`connect_pooled({"352": path, "353": path, ...})` gives a DuckDB connection whose every
ssd_*/gtx_* view is the UNION ALL of the stores' files, with each id prefixed by its
council's key (`352:GTS-0000001`), so ids that two systems both use never meet in a join,
and an `la` column saying whose row it is. The catalogue's SQL runs on it unchanged; the
population (gtx_population) is summed by mid-year, so a rate is the region's rate.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb

from goldenthread.ssd.extensions import EXTENSION_REFERENCES, STORE_TABLES
from goldenthread.ssd.io import replace_folder
from goldenthread.ssd.schema import REFERENCES, Table
from goldenthread.ssd.store import DUCKDB_TYPES

__all__ = ["connect_pooled", "id_columns", "write_pooled"]

# Columns named like ids that hold codes, not ids: they must stay as they are.
NOT_IDS = frozenset({"invo_professional_role_id"})
# Columns holding another table's ids without an id-like name.
ALSO_IDS = frozenset({"clea_care_leaver_personal_advisor"})
_REFERENCING = frozenset(r.column for r in (*REFERENCES, *EXTENSION_REFERENCES))


def id_columns(table: Table) -> frozenset[str]:
    """The text columns of `table` that hold ids (its key, references, *_id columns)."""
    return frozenset(
        c.name for c in table.columns
        if c.kind == "text" and c.name not in NOT_IDS
        and (c.primary_key or c.name in _REFERENCING or c.name in ALSO_IDS
             or c.name.lower().endswith("_id")))


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _select(table: Table, folder: Path, la: str) -> str:
    path = folder / f"{table.name}.parquet"
    ids = id_columns(table)
    if path.exists():
        columns = ", ".join(f"{_quote(la + ':')} || {c.name} AS {c.name}" if c.name in ids
                            else c.name for c in table.columns)
        return (f"SELECT {columns}, {_quote(la)} AS la "
                f"FROM read_parquet({_quote(str(path))})")
    empty = ", ".join(f"CAST(NULL AS {DUCKDB_TYPES[c.kind]}) AS {c.name}"
                      for c in table.columns)
    return f"SELECT {empty}, CAST(NULL AS VARCHAR) AS la WHERE false"


def connect_pooled(stores: Mapping[str, Path | str], *,
                   database: str = ":memory:") -> duckdb.DuckDBPyConnection:
    """One connection over several SSD stores, keyed by council (e.g. its DfE number)."""
    if not stores:
        raise ValueError("stores: none given; allowed: one or more SSD store folders")
    folders = {la: Path(folder) for la, folder in stores.items()}
    for la, folder in folders.items():
        if ":" in la:
            raise ValueError(f"stores: key {la!r} holds ':'; allowed: a key without ':'")
        if not folder.is_dir():
            raise FileNotFoundError(f"no SSD store at {folder} (council {la})")
    con = duckdb.connect(database)
    for name, table in STORE_TABLES.items():
        union = " UNION ALL ".join(_select(table, folder, la) for la, folder in folders.items())
        con.execute(f"CREATE VIEW {name} AS {union}")
    return con


def write_pooled(stores: Mapping[str, Path | str], out: Path | str) -> dict[str, int]:
    """Union the councils' stores into one store folder (ids prefixed, an `la` column);
    returns the rows written per table. The folder is replaced whole."""
    con = connect_pooled(stores)
    rows: dict[str, int] = {}
    try:
        with replace_folder(Path(out)) as temp:
            for name in STORE_TABLES:
                path = _quote(str(temp / f"{name}.parquet"))
                con.execute(f"COPY (SELECT * FROM {name}) TO {path} "
                            "(FORMAT parquet, COMPRESSION zstd)")
                rows[name] = int(con.execute(f"SELECT COUNT(*) FROM {name}").fetchall()[0][0])
    finally:
        con.close()
    return rows
