"""goldenthread's extension tables (gtx_*): what the analytics need and the SSD does not hold.

The SSD has no child population, no council codes and no staff dates, so rates per 10,000,
returns headers and workforce measures (turnover, ASYE caseloads) would have nothing to read.
The projection writes these four tables beside the ssd_* ones; `ssd import` accepts them
when an extract has them (another council's system will usually not), and `store.connect`
gives an empty view for each one a store lacks, so a query always runs.

Plain Python, like `schema`: the analytics read it without Django.
"""

from __future__ import annotations

from types import MappingProxyType

from goldenthread.ssd.schema import TABLES, Column, Reference, Table

__all__ = ["EXTENSIONS", "EXTENSION_REFERENCES", "STORE_TABLES"]


def _columns(*spec: tuple[str, str]) -> tuple[Column, ...]:
    """(name, kind) pairs; the first column named `*name` is the primary key."""
    sql_types = {"text": "nvarchar(255)", "int": "int", "date": "date", "bit": "bit",
                 "float": "float"}
    return tuple(Column(name.lstrip("*"), sql_types[kind], kind,  # type: ignore[arg-type]
                        primary_key=name.startswith("*")) for name, kind in spec)


_ALL = (
    Table("gtx_local_authority", _columns(
        ("la_name", "text"), ("la_ons_code", "text"), ("la_dfe_code", "text"))),
    # ONS mid-year estimates of children aged 0-17: DfE divides a year to 31 March by the
    # mid-year before it (2025 by mid-2024).
    Table("gtx_population", _columns(("*mid_year", "int"), ("children_0_17", "int"))),
    Table("gtx_professional", _columns(
        ("*prof_professional_id", "text"), ("start_date", "date"), ("leave_date", "date"),
        ("leave_reason", "text"), ("qualified_date", "date"), ("asye_start_date", "date"),
        ("is_social_worker", "bit"), ("is_manager", "bit"), ("fte", "float"),
        ("is_agency", "bit"))),
    Table("gtx_team_membership", _columns(
        ("prof_professional_id", "text"), ("dept_team_id", "text"), ("start_date", "date"),
        ("end_date", "date"), ("is_team_manager", "bit"))),
)

EXTENSIONS: MappingProxyType[str, Table] = MappingProxyType({t.name: t for t in _ALL})

# Every table a store may hold: the SSD's, then ours.
STORE_TABLES: MappingProxyType[str, Table] = MappingProxyType({**TABLES, **EXTENSIONS})

# Workforce ids, checked like the SSD's own (only when the extract has the target table).
EXTENSION_REFERENCES: tuple[Reference, ...] = (
    Reference("gtx_professional", "prof_professional_id", "ssd_professionals",
              "prof_professional_id"),
    Reference("gtx_team_membership", "prof_professional_id", "ssd_professionals",
              "prof_professional_id"),
    Reference("gtx_team_membership", "dept_team_id", "ssd_department", "dept_team_id"),
)
