"""A DfE validation rule as data: its code, DfE's message, where it points, and one query.

Each rule is one DuckDB ``SELECT`` over the return's tables that yields the failing rows,
as ``child`` (the child's id) and ``row_id`` (the 0-based position of the row in ``table``,
the row DfE's validators report). In the SQL, ``{Episodes}``, ``{CINdetails}`` … name the
return's tables (with typed dates, see ``engine``), ``{start}`` and ``{end}`` the first and
last day of the collection year. A rule applies to the collection years in ``years``
(2026 is 2025-26, the year ending 31 March 2026); where DfE changed a rule between years,
each version is its own ``Rule`` with the same code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from goldenthread.returns.rules.tables import TABLES, ReturnName

SUPPORTED_YEARS: Final = range(2023, 2028)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_]\w*)\}")
_PARAMETERS: Final = frozenset({"start", "end"})


@dataclass(frozen=True)
class Rule:
    """One DfE rule, named by its DfE code, with DfE's own message."""

    code: str
    return_name: ReturnName
    message: str
    table: str
    fields: tuple[str, ...]
    sql: str
    years: range = SUPPORTED_YEARS
    # Where DfE's own implementation reads differently from its rule text, and which we follow.
    note: str = ""
    tables: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        specs = TABLES[self.return_name]
        if self.table not in specs:
            raise ValueError(
                f"rule {self.code}: table {self.table!r} is not a {self.return_name} table"
            )
        known = {column for spec in specs.values() for column in spec.columns}
        unknown_fields = set(self.fields) - known
        if not self.fields or unknown_fields:
            raise ValueError(f"rule {self.code}: fields {sorted(unknown_fields)} are unknown")
        names = set(_PLACEHOLDER.findall(self.sql))
        unknown = names - set(specs) - _PARAMETERS
        if unknown:
            raise ValueError(f"rule {self.code}: {sorted(unknown)} in its SQL are not tables")
        if self.table not in names:
            raise ValueError(f"rule {self.code}: its SQL does not read {self.table}")
        if not set(self.years) <= set(SUPPORTED_YEARS):
            raise ValueError(f"rule {self.code}: years {self.years} outside {SUPPORTED_YEARS}")
        object.__setattr__(self, "tables", frozenset(names - _PARAMETERS))

    def applies_to(self, year: int) -> bool:
        return year in self.years

    @property
    def is_query(self) -> bool:
        """DfE's queries (codes ending in Q) ask for a check or an explanation, not a fix."""
        return self.code.endswith("Q")

    def render(self, values: Mapping[str, str]) -> str:
        """The SQL with its table and date placeholders filled in (regex braces untouched)."""
        return _PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), self.sql)


@dataclass(frozen=True, slots=True)
class Failure:
    """One failing row: the rule, the child, and the table, row and fields to fix."""

    code: str
    return_name: ReturnName
    child: str | None
    table: str
    row: int
    fields: tuple[str, ...]
    message: str
    severity: Literal["error", "query"] = "error"  # DfE's queries end in Q: check, explain


def check_registry(rules: Iterable[Rule]) -> tuple[Rule, ...]:
    """The rules, refusing two versions of one rule code in force in the same year."""
    rules = tuple(rules)
    seen: dict[tuple[ReturnName, str, int], Rule] = {}
    for rule in rules:
        for year in rule.years:
            key = (rule.return_name, rule.code, year)
            if key in seen:
                raise ValueError(
                    f"rule {rule.code} ({rule.return_name}) is declared twice for {year}"
                )
            seen[key] = rule
    return rules
