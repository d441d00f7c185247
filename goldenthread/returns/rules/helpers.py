"""Builders for the commonest rule shapes, so each rule module reads as a list of DfE rules."""

# ruff: noqa: S608 - SQL here is built from our own constants and DfE's column names, never input

from __future__ import annotations

from collections.abc import Iterable

from goldenthread.returns.rules.framework import SUPPORTED_YEARS, Rule
from goldenthread.returns.rules.tables import TABLES, ReturnName


def child_column(return_name: ReturnName, table: str) -> str:
    """The column naming the child in one of the return's tables."""
    child = TABLES[return_name][table].child
    if child is None:
        raise ValueError(f"{table} ({return_name}) has no child column to report")
    return child


def sql_list(codes: Iterable[str]) -> str:
    """A SQL list literal of codes: ('A', 'B')."""
    quoted = []
    for code in codes:
        if "'" in code:
            raise ValueError(f"code {code!r} cannot contain a quote")
        quoted.append(f"'{code}'")
    return "(" + ", ".join(quoted) + ")"


def code_list_rule(
    return_name: ReturnName,
    code: str,
    table: str,
    field: str,
    codes: Iterable[str],
    message: str,
    *,
    blank_allowed: bool,
    years: range = SUPPORTED_YEARS,
    note: str = "",
) -> Rule:
    """A rule failing rows whose ``field`` is not one of ``codes`` (or blank, unless allowed)."""
    child = child_column(return_name, table)
    condition = f"{field} NOT IN {sql_list(codes)}"
    condition = f"{field} IS NOT NULL AND {condition}" if blank_allowed else (
        f"{field} IS NULL OR {condition}"
    )
    return Rule(
        code=code,
        return_name=return_name,
        message=message,
        table=table,
        fields=(field,),
        sql=f"SELECT {child} AS child, row_id FROM {{{table}}} WHERE {condition}",
        years=years,
        note=note,
    )


def row_rule(
    return_name: ReturnName,
    code: str,
    table: str,
    fields: tuple[str, ...],
    condition: str,
    message: str,
    *,
    years: range = SUPPORTED_YEARS,
    note: str = "",
) -> Rule:
    """A rule on one table, failing each row where ``condition`` (SQL over its columns) holds."""
    child = child_column(return_name, table)
    return Rule(
        code=code,
        return_name=return_name,
        message=message,
        table=table,
        fields=fields,
        sql=f"SELECT {child} AS child, row_id FROM {{{table}}} WHERE {condition}",
        years=years,
        note=note,
    )
