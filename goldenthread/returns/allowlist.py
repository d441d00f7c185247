"""The allow-list of known faults in DfE's validators (allowlist.yaml), applied when the
referee's findings are reported: a matching failure or crash is listed apart with the
reason, never counted as an error in our data."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import yaml

from goldenthread.returns.referee import Failure, Verdict

__all__ = ["Allowed", "entries", "match_crash", "match_failure", "split", "unexpected_crashes"]


@dataclass(frozen=True)
class Allowed:
    rule: str
    return_name: Literal["903", "cin"]
    reason: str
    years: frozenset[int] = frozenset()
    crash: bool = False
    when: Mapping[str, Literal["blank", "filled"]] | None = None

    def applies(self, return_name: str, year: int) -> bool:
        return self.return_name == return_name and (not self.years or year in self.years)


@functools.cache
def entries() -> tuple[Allowed, ...]:
    text = resources.files("goldenthread.returns").joinpath("allowlist.yaml").read_text("utf-8")
    return tuple(Allowed(rule=str(e["rule"]), return_name=str(e["return"]),  # type: ignore[arg-type]
                         reason=" ".join(str(e["reason"]).split()),
                         years=frozenset(int(y) for y in e.get("years", ())),
                         crash=bool(e.get("crash", False)), when=e.get("when"))
                 for e in yaml.safe_load(text)["allowed"])


def _holds(when: Mapping[str, str] | None, failure: Failure) -> bool:
    if not when:
        return True
    for name, state in when.items():
        value = failure.values.get(name)
        if (state == "blank") != (value is None or value == ""):
            return False
    return True


def match_failure(failure: Failure, return_name: str, year: int) -> Allowed | None:
    return next((a for a in entries() if not a.crash and a.rule == failure.rule
                 and a.applies(return_name, year) and _holds(a.when, failure)), None)


def match_crash(rule: str, return_name: str, year: int) -> Allowed | None:
    return next((a for a in entries() if a.crash and a.rule == rule
                 and a.applies(return_name, year)), None)


def split(verdict: Verdict) -> tuple[list[Failure], list[tuple[Failure, Allowed]]]:
    """The verdict's failures not on the allow-list, and those that are (with the entry)."""
    kept: list[Failure] = []
    allowed: list[tuple[Failure, Allowed]] = []
    for failure in verdict.failures:
        found = match_failure(failure, verdict.return_name, verdict.year)
        if found is None:
            kept.append(failure)
        else:
            allowed.append((failure, found))
    return kept, allowed


def unexpected_crashes(verdict: Verdict) -> dict[str, str]:
    """Crashes of rules not on the allow-list: a crash hides what the rule would say."""
    return {rule: error for rule, error in verdict.crashed.items()
            if match_crash(rule, verdict.return_name, verdict.year) is None}
