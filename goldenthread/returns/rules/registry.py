"""Every rule we implement, checked once at import (no rule code twice in one year)."""

from __future__ import annotations

from typing import Final

from goldenthread.returns.rules.cin_activity_rules import RULES_ACTIVITY
from goldenthread.returns.rules.cin_rules import RULES_DETAILS
from goldenthread.returns.rules.framework import Rule, check_registry
from goldenthread.returns.rules.ssda903_rules import RULES as SSDA903_RULES

RULES: Final[tuple[Rule, ...]] = check_registry((*SSDA903_RULES, *RULES_DETAILS, *RULES_ACTIVITY))


def rule_codes(return_name: str, year: int) -> list[str]:
    """The codes of the rules in force for one return and collection year, in DfE's order."""
    return [r.code for r in RULES if r.return_name == return_name and r.applies_to(year)]
