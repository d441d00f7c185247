"""The story both rule suites tell (SSDA903 and CIN census), written once.

A subclass names the return, its clean hand-built tables and its injected errors. Then:
every rule of the year has an injection; the clean return passes every rule of ours; each
injection makes our engine report exactly that rule for exactly the named children; and DfE's
validator (the referee, run once in the background for all of a class's cases) reports that
rule for those children too, on a row where we report it. What "clean" means to the referee
differs by return (known crashes, return-level queries), so each subclass says it in a test
of its own.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from typing import Any, ClassVar

import pytest

from goldenthread.returns.rules import Failure, rule_codes
from tests.returns.clean_returns import LA_ONS, YEAR
from tests.returns.rules_referee import RefereeReport, run_referee
from tests.returns.rules_support import (
    Injection,
    Value,
    our_failures,
    referee_cases,
    referee_in_background,
    referee_result,
)

Tables = Mapping[str, Sequence[Mapping[str, Value]]]

_ours_cache: dict[tuple[str, str], list[Failure]] = {}


class InjectedErrorSuite:
    """Not collected itself (no `Test` prefix); subclasses set the four names below."""

    RETURN: ClassVar[str]  # "903" or "cin"
    INJECTIONS: ClassVar[tuple[Injection, ...]]
    COLUMNS: ClassVar[Any]

    @classmethod
    def clean(cls) -> Tables:
        raise NotImplementedError

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        """Every injection is a case; with the referee, a known referee bug is a strict xfail."""
        if "injection" not in metafunc.fixturenames:
            return
        if "referee" in metafunc.fixturenames:
            metafunc.parametrize("injection", referee_cases(self.INJECTIONS))
        else:
            metafunc.parametrize("injection", self.INJECTIONS, ids=lambda i: i.code)

    @classmethod
    def ours(cls, injection: Injection) -> list[Failure]:
        key = (cls.RETURN, injection.code)
        if key not in _ours_cache:
            _ours_cache[key] = our_failures(cls.RETURN, injection.apply(cls.clean()), YEAR)
        return _ours_cache[key]

    def test_every_rule_for_the_year_has_an_injected_error(self) -> None:
        assert sorted(i.code for i in self.INJECTIONS) == sorted(rule_codes(self.RETURN, YEAR))

    def test_the_clean_return_passes_every_rule_of_ours(self) -> None:
        assert our_failures(self.RETURN, self.clean(), YEAR) == []

    def test_our_engine_reports_exactly_the_injected_error(self, injection: Injection) -> None:
        failures = self.ours(injection)

        expected = {(code, child) for code in {injection.code, *injection.also}
                    for child in injection.children}
        assert {(f.code, f.child) for f in failures} == expected, injection.story

    @classmethod
    def _referee_run(cls) -> dict[str, RefereeReport]:
        datasets: dict[str, tuple[object, list[str] | None]] = {"clean": (cls.clean(), None)}
        for injection in cls.INJECTIONS:
            datasets[injection.code] = (injection.apply(cls.clean()),
                                        sorted({injection.code, *injection.also}))
        return run_referee(cls.RETURN, datasets, year=YEAR, la=LA_ONS,  # type: ignore[arg-type]
                           columns=cls.COLUMNS)

    @pytest.fixture(scope="class", autouse=True)
    @classmethod
    def referee_started(
        cls, request: pytest.FixtureRequest,
    ) -> Iterator[Future[dict[str, RefereeReport]] | None]:
        yield from referee_in_background(request, cls._referee_run)

    @pytest.fixture(scope="class")
    @classmethod
    def referee(
        cls, referee_started: Future[dict[str, RefereeReport]] | None,
    ) -> dict[str, RefereeReport]:
        return referee_result(referee_started)

    def test_dfe_reports_the_injected_error_for_the_same_child_and_row(
        self, injection: Injection, referee: dict[str, RefereeReport],
    ) -> None:
        report = referee[injection.code]
        ours = [f for f in self.ours(injection) if f.code == injection.code]

        assert injection.code not in report.crashed
        assert report.children(injection.code) == set(injection.children), injection.story
        theirs = {(i.table, i.row) for i in report.issues if i.code == injection.code}
        assert {(f.table, f.row) for f in ours} <= theirs
