"""Loading hand-built return tables into DuckDB for our rule engine."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import duckdb
import pytest

from goldenthread.returns.rules import TABLES, Failure, validate
from goldenthread.returns.rules.cin_rules import upn_check_letter_sql
from tests.returns.rules_referee import RefereeReport, available

Value = str | int | None
Change = Callable[[dict[str, list[dict[str, Value]]]], None]


def load_tables(
    connection: duckdb.DuckDBPyConnection,
    return_name: str,
    tables: Mapping[str, Sequence[Mapping[str, Value]]],
    *,
    schema: str | None = None,
) -> None:
    """Create each table in ``schema`` (default: ssda903 or cin) as sent: text, and counters."""
    schema = schema or ("ssda903" if return_name == "903" else "cin")
    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
    specs = TABLES[return_name]  # type: ignore[index]
    for name, rows in tables.items():
        spec = specs[name]
        columns = ", ".join(
            f'"{c}" {"INTEGER" if c in spec.integers else "VARCHAR"}' for c in spec.columns
        )
        connection.execute(f'CREATE OR REPLACE TABLE "{schema}"."{name}" ({columns})')
        if rows:
            marks = ", ".join("?" for _ in spec.columns)
            connection.executemany(
                f'INSERT INTO "{schema}"."{name}" VALUES ({marks})',  # noqa: S608
                [[row.get(c) for c in spec.columns] for row in rows],
            )


@dataclass(frozen=True)
class Injection:
    """One error put into clean data, and the answer worked out by hand.

    ``children`` are the children the rule must name (a duplicate names both records'
    children); ``also`` lists rules that cannot help failing with it, and why in ``story``;
    ``referee_bug`` says why DfE's validator cannot report this rule at all, if it cannot.
    """

    code: str
    story: str
    change: Change
    children: frozenset[str | None]
    also: frozenset[str] = frozenset()
    referee_bug: str = ""

    def apply(
        self, tables: Mapping[str, Sequence[Mapping[str, Value]]]
    ) -> dict[str, list[dict[str, Value]]]:
        changed = {name: [dict(row) for row in rows] for name, rows in tables.items()}
        self.change(changed)
        return changed


def inject(
    code: str,
    story: str,
    change: Change,
    *children: str | None,
    also: tuple[str, ...] = (),
    referee_bug: str = "",
) -> Injection:
    return Injection(code, story, change, frozenset(children), frozenset(also), referee_bug)


def referee_cases(injections: Sequence[Injection]) -> list[object]:
    """The injections as test parameters, a known referee bug as a strict expected failure."""
    return [
        pytest.param(
            i, id=i.code,
            marks=[pytest.mark.xfail(strict=True, reason=i.referee_bug)] if i.referee_bug else [],
        )
        for i in injections
    ]


def set_values(table: str, row: int, **values: Value) -> Change:
    """A change: give row ``row`` of ``table`` these values."""

    def change(tables: dict[str, list[dict[str, Value]]]) -> None:
        target = tables[table][row]
        unknown = set(values) - set(target)
        assert not unknown, f"{table} has no columns {unknown}"
        target.update(values)

    return change


def add_row(return_name: str, table: str, **values: Value) -> Change:
    """A change: append one row to ``table`` of the return (columns not given are blank)."""

    def change(tables: dict[str, list[dict[str, Value]]]) -> None:
        columns = TABLES[return_name][table].columns  # type: ignore[index]
        unknown = set(values) - set(columns)
        assert not unknown, f"{table} has no columns {unknown}"
        tables[table].append({column: values.get(column) for column in columns})

    return change


def changes(*steps: Change) -> Change:
    """Several edits that together make one error (e.g. one record's id in every table)."""

    def change(tables: dict[str, list[dict[str, Value]]]) -> None:
        for step in steps:
            step(tables)

    return change


def rename_child(old: str, new: str | None) -> Change:
    """A change: the child's id becomes ``new`` in every table (CIN: LAchildID)."""

    def change(tables: dict[str, list[dict[str, Value]]]) -> None:
        for rows in tables.values():
            for row in rows:
                for key in ("LAchildID", "CHILD"):
                    if row.get(key) == old:
                        row[key] = new

    return change


def duplicate_row(table: str, row: int, **values: Value) -> Change:
    """A change: append a copy of row ``row`` of ``table``, with these values changed."""

    def change(tables: dict[str, list[dict[str, Value]]]) -> None:
        tables[table].append({**tables[table][row], **values})

    return change


def our_failures(
    return_name: str, tables: Mapping[str, Sequence[Mapping[str, Value]]], year: int
) -> list[Failure]:
    """Our engine's failures for one return given as hand-built tables."""
    connection = duckdb.connect()
    try:
        load_tables(connection, return_name, tables)
        return validate(connection, year, returns=(return_name,))  # type: ignore[arg-type]
    finally:
        connection.close()


def replicate(
    connection: duckdb.DuckDBPyConnection,
    return_name: str,
    tables: Mapping[str, Sequence[Mapping[str, Value]]],
    copies: int,
) -> None:
    """Load ``copies`` copies of a return, each child renamed by its copy (A1 → A1000017).

    UPNs are made unique per copy (characters 5-10 carry the copy number), with the CIN
    check letter recomputed, so copies do not collide on the duplicate-UPN rules.
    """
    staging = f"clean_{return_name}"
    load_tables(connection, return_name, tables, schema=staging)
    target = "ssda903" if return_name == "903" else "cin"
    connection.execute(f'CREATE SCHEMA IF NOT EXISTS "{target}"')
    specs = TABLES[return_name]  # type: ignore[index]
    for name in tables:
        spec = specs[name]
        columns = []
        for column in spec.columns:
            if column == spec.child:
                columns.append(f"{column} || lpad(CAST(copy AS VARCHAR), 6, '0') AS {column}")
            elif column == "UPN":
                body = "substr(UPN, 2, 3) || lpad(CAST(copy AS VARCHAR), 6, '0') || substr(UPN, 11)"
                letter = (upn_check_letter_sql(f"('X' || {body})") if return_name == "cin"
                          else "substr(UPN, 1, 1)")
                columns.append(f"CASE WHEN length(UPN) = 13 THEN {letter} || {body} "
                               f"ELSE UPN END AS UPN")
            else:
                columns.append(f'"{column}"')
        select = ", ".join(columns)
        connection.execute(
            f'CREATE OR REPLACE TABLE "{target}"."{name}" AS SELECT {select} '  # noqa: S608
            f'FROM "{staging}"."{name}" t, range({copies}) r(copy) ORDER BY copy'
        )


def referee_in_background(
    request: pytest.FixtureRequest, start: Callable[[], dict[str, RefereeReport]]
) -> Iterator[Future[dict[str, RefereeReport]] | None]:
    """Start the referee when a module's first test runs, if any selected test needs it.

    DfE's validators then work in their own process while our engine's tests run here,
    so the module costs about the longer of the two rather than their sum.
    """
    wanted = any(
        "referee" in getattr(item, "fixturenames", ()) and item.module is request.module
        for item in request.session.items
    )
    if not wanted or not available():
        yield None
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        yield pool.submit(start)


def referee_result(
    started: Future[dict[str, RefereeReport]] | None,
) -> dict[str, RefereeReport]:
    if started is None:
        pytest.skip("no referee virtualenv (.venv-referee or GOLDENTHREAD_REFEREE_PYTHON)")
    return started.result()
