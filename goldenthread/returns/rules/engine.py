"""Runs the rules over a return's tables in DuckDB, all rules of a return in one query.

The input tables sit in a DuckDB connection, one schema per return (by default ``ssda903``
and ``cin``; ``schemas=`` says otherwise), named and shaped as in ``tables``. Each is first
copied once into a temporary table in the shape the rules expect, reading it the way DfE's
validators do:

- 903: every text value upper-cased, empty text is missing, dates parsed as dd/mm/YYYY
  (``DOB`` is the date, ``DOB_text`` what was sent, so "not a valid date" rules can tell a
  blank from nonsense); DATE columns are taken as they are.
- CIN: text kept as sent, dates parsed as ISO (or dd/mm/YYYY), block counters as integers.

``row_id`` is the row's 0-based position in the input table, the row DfE's tools report.
A rule whose tables are not all given is skipped, as DfE's validators skip it.
"""

# ruff: noqa: S608 - SQL here is built from our own constants and DfE's column names, never input

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from goldenthread.returns.rules.framework import SUPPORTED_YEARS, Failure, Rule
from goldenthread.returns.rules.registry import RULES
from goldenthread.returns.rules.tables import RETURN_NAMES, TABLES, ReturnName, TableSpec

DEFAULT_SCHEMAS: Mapping[ReturnName, str] = {"903": "ssda903", "cin": "cin"}
_DATE_TYPES = frozenset({"DATE", "TIMESTAMP", "TIMESTAMP_NS", "TIMESTAMP_MS", "TIMESTAMP_S",
                         "TIMESTAMP WITH TIME ZONE"})


@dataclass(frozen=True)
class Report:
    """What one validation run did: the failures, and which rules ran or were skipped."""

    failures: tuple[Failure, ...]
    rules_run: tuple[Rule, ...]
    rules_skipped: tuple[Rule, ...]
    seconds: float


def validate(
    connection: duckdb.DuckDBPyConnection,
    year: int,
    *,
    returns: Iterable[ReturnName] = RETURN_NAMES,
    schemas: Mapping[ReturnName, str] | None = None,
) -> list[Failure]:
    """Every failure of our rules for collection ``year`` (2026 = 2025-26), by rule then row."""
    return list(run(connection, year, returns=returns, schemas=schemas).failures)


def validate_tables(
    year: int,
    *,
    ssda903: Mapping[str, object] | None = None,
    cin: Mapping[str, object] | None = None,
) -> list[Failure]:
    """Validate returns given as tables (Arrow tables, as the builders give them, or anything
    else DuckDB can scan), keyed by DfE's table names, in a connection of their own."""
    connection = duckdb.connect()
    try:
        given: dict[ReturnName, Mapping[str, object]] = {}
        if ssda903 is not None:
            given["903"] = ssda903
        if cin is not None:
            given["cin"] = cin
        for return_name, tables in given.items():
            schema = DEFAULT_SCHEMAS[return_name]
            connection.execute(f'CREATE SCHEMA "{schema}"')
            for name, table in tables.items():
                if name not in TABLES[return_name]:
                    raise ValueError(
                        f"table: {name!r} is not a {return_name} table; allowed: "
                        f"{', '.join(TABLES[return_name])}"
                    )
                connection.register("gt_rules_source", table)
                connection.execute(
                    f'CREATE TABLE "{schema}"."{name}" AS SELECT * FROM gt_rules_source'
                )
                connection.unregister("gt_rules_source")
        return validate(connection, year, returns=tuple(given))
    finally:
        connection.close()


def run(
    connection: duckdb.DuckDBPyConnection,
    year: int,
    *,
    returns: Iterable[ReturnName] = RETURN_NAMES,
    schemas: Mapping[ReturnName, str] | None = None,
    rules: Sequence[Rule] = RULES,
) -> Report:
    """Validate the returns in ``connection``: the failures, and which rules ran or not."""
    if year not in SUPPORTED_YEARS:
        raise ValueError(
            f"year: {year} is not a supported collection year; allowed: "
            f"{SUPPORTED_YEARS.start}–{SUPPORTED_YEARS.stop - 1}"
        )
    schemas = {**DEFAULT_SCHEMAS, **(schemas or {})}
    started = time.perf_counter()
    failures: list[Failure] = []
    ran: list[Rule] = []
    skipped: list[Rule] = []
    for return_name in returns:
        wanted = [r for r in rules if r.return_name == return_name and r.applies_to(year)]
        staged = _Staging(connection, return_name, schemas[return_name])
        try:
            present = staged.stage()
            runnable = [r for r in wanted if r.tables <= present]
            skipped.extend(r for r in wanted if not r.tables <= present)
            if runnable:
                start, end = staged.period(year)
                failures.extend(_run_rules(connection, runnable, staged.names, start, end))
            ran.extend(runnable)
        finally:
            staged.drop()
    return Report(tuple(failures), tuple(ran), tuple(skipped), time.perf_counter() - started)


def _run_rules(
    connection: duckdb.DuckDBPyConnection,
    rules: Sequence[Rule],
    names: Mapping[str, str],
    start: date,
    end: date,
) -> list[Failure]:
    values = {**names, "start": f"DATE '{start.isoformat()}'", "end": f"DATE '{end.isoformat()}'"}
    parts = [
        f"SELECT {index} AS rule_index, CAST(child AS VARCHAR) AS child, row_id "
        f"FROM ({rule.render(values)})"
        for index, rule in enumerate(rules)
    ]
    query = (
        "SELECT DISTINCT rule_index, child, row_id FROM ("
        + "\nUNION ALL\n".join(parts)
        + ") WHERE row_id IS NOT NULL ORDER BY rule_index, row_id, child"
    )
    rows = connection.execute(query).fetchall()
    failures = []
    for index, child, row_id in rows:
        rule = rules[index]
        failures.append(
            Failure(rule.code, rule.return_name, child, rule.table, int(row_id), rule.fields,
                    rule.message, "query" if rule.is_query else "error")
        )
    return failures


@contextmanager
def _transaction(connection: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """One transaction for many DDL statements (halves their cost), unless one is open."""
    try:
        connection.begin()
    except duckdb.TransactionException:
        yield
        return
    try:
        yield
    except BaseException:
        connection.rollback()
        raise
    connection.commit()


class _Staging:
    """The temporary, typed copies of one return's input tables."""

    def __init__(
        self, connection: duckdb.DuckDBPyConnection, return_name: ReturnName, schema: str
    ) -> None:
        self.connection = connection
        self.return_name = return_name
        self.schema = schema
        self.names: dict[str, str] = {}

    def stage(self) -> frozenset[str]:
        # Look the tables up first: a failed lookup inside a transaction would abort it.
        found = {}
        for spec in TABLES[self.return_name].values():
            types = self._column_types(f'"{self.schema}"."{spec.name}"')
            if types is not None:
                found[spec.name] = (spec, types)
        with _transaction(self.connection):
            for spec, types in found.values():
                self._stage_table(spec, types)
        return frozenset(self.names)

    def _stage_table(self, spec: TableSpec, types: Mapping[str, str]) -> None:
        name = f"gt_rules_{self.return_name}_{spec.name}"
        expressions = ", ".join(self._expressions(spec, types))
        source = f'"{self.schema}"."{spec.name}"'
        # A plain copy keeps the input's order, so the copy's rowid is the input's row.
        self.connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {name}_copy AS SELECT {expressions} FROM {source}"
        )
        self.connection.execute(
            f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT rowid AS row_id, * FROM {name}_copy"
        )
        self.names[spec.name] = name

    def drop(self) -> None:
        with _transaction(self.connection):
            for name in self.names.values():
                self.connection.execute(f"DROP VIEW IF EXISTS {name}")
                self.connection.execute(f"DROP TABLE IF EXISTS {name}_copy")

    def period(self, year: int) -> tuple[date, date]:
        """The collection year: for CIN, as DfE's validator reads it, from the ReferenceDate."""
        end = date(year, 3, 31)
        if self.return_name == "cin" and "Header" in self.names:
            found = self.connection.execute(
                f"SELECT ReferenceDate FROM {self.names['Header']} ORDER BY row_id LIMIT 1"
            ).fetchone()
            if found is not None and found[0] is not None:
                end = found[0]
            try:
                start = end.replace(year=end.year - 1) + timedelta(days=1)
            except ValueError:  # 29 February
                start = date(end.year - 1, 3, 1)
            return start, end
        return date(year - 1, 4, 1), end

    def _column_types(self, source: str) -> dict[str, str] | None:
        try:
            described = self.connection.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.CatalogException:
            return None
        return {str(row[0]).lower(): str(row[1]).upper() for row in described}

    def _expressions(self, spec: TableSpec, types: Mapping[str, str]) -> list[str]:
        expressions = []
        for column in spec.columns:
            kind = types.get(column.lower())
            source = f'"{column}"' if kind else "NULL"
            text = f"nullif(CAST({source} AS VARCHAR), '')"
            if self.return_name == "903":
                text = f"upper({text})"
            if column in spec.dates:
                expressions.extend(self._date(column, source, text, kind))
            elif column in spec.integers:
                expressions.append(f"TRY_CAST({source} AS INTEGER) AS {column}")
            else:
                expressions.append(f"{text} AS {column}")
        return expressions

    def _date(self, column: str, source: str, text: str, kind: str | None) -> list[str]:
        if kind in _DATE_TYPES:
            return [
                f"CAST({source} AS DATE) AS {column}",
                f"strftime(CAST({source} AS DATE), '%d/%m/%Y') AS {column}_text",
            ]
        dmy = f"CAST(try_strptime({text}, '%d/%m/%Y') AS DATE)"
        iso = f"coalesce(TRY_CAST({text} AS DATE), CAST(TRY_CAST({text} AS TIMESTAMP) AS DATE))"
        parsed = dmy if self.return_name == "903" else f"coalesce({iso}, {dmy})"
        return [f"{parsed} AS {column}", f"{text} AS {column}_text"]
