"""goldenthread's own validation of the SSDA903 and CIN census returns, by DfE's rule codes.

Set-based DuckDB SQL over the return tables (``tables``), one ``Rule`` per DfE rule
(``ssda903_rules``, ``cin_rules``, ``cin_activity_rules``), each checked against DfE's own
validators by the injected-error tests in ``tests/returns/test_rules_*.py``::

    failures = validate(connection, 2026)   # tables in schemas ssda903 and cin
    failures = validate_tables(2026, ssda903=tables_903, cin=flat_cin_tables)
"""

from goldenthread.returns.rules.engine import (
    DEFAULT_SCHEMAS,
    Report,
    run,
    validate,
    validate_tables,
)
from goldenthread.returns.rules.framework import SUPPORTED_YEARS, Failure, Rule
from goldenthread.returns.rules.registry import RULES, rule_codes
from goldenthread.returns.rules.tables import CIN_TABLES, SSDA903_TABLES, TABLES, TableSpec

__all__ = [
    "CIN_TABLES",
    "DEFAULT_SCHEMAS",
    "RULES",
    "SSDA903_TABLES",
    "SUPPORTED_YEARS",
    "TABLES",
    "Failure",
    "Report",
    "Rule",
    "TableSpec",
    "rule_codes",
    "run",
    "validate",
    "validate_tables",
]
