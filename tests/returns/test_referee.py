"""The referee: DfE's own validators, run in their own virtualenv on our return tables.

The synthetic authority's SSDA903 (with last year's tables, so the cross-year rules run)
and CIN census for 2024-25 must pass with zero errors, apart from the known validator faults
on the allow-list. Without `.venv-referee` (`make referee`) these tests are skipped, never
faked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from goldenthread.returns import allowlist, cin_census
from goldenthread.returns.referee import available, referee_903, referee_cin, referee_cin_xml
from goldenthread.returns.validation import Outcome, check
from tests.returns import synthetic

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not available(), reason="no .venv-referee: run make referee")]


@pytest.fixture(scope="module")
def con(django_db_setup: None, django_db_blocker: Any,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = synthetic.open_store(django_db_blocker, tmp_path_factory.getbasetemp())
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def outcome(con: duckdb.DuckDBPyConnection) -> Outcome:
    return check(con, 2025, la_ons_code="E08000003", referee=True)


def _shown(outcome: Outcome) -> list[str]:
    return [f.line() for f in outcome.errors if f.source == "DfE"]


def test_both_validators_ran_every_rule_they_could(outcome: Outcome) -> None:
    """903 2024-25 has 305 rules: all run but the 7 that need Ofsted's provider lists and
    105 (XML input only); CIN 2024-25 runs all 109."""
    by_return = {v.return_name: v for v in outcome.verdicts}
    lac, cin = by_return["903"], by_return["cin"]
    assert set(lac.skipped) == {"105", "219", "221", "224", "227", "228", "229", "1008"}
    assert len(lac.ran) + len(lac.skipped) + len(lac.crashed) == 305
    assert len(cin.ran) + len(cin.crashed) == 109


def test_the_synthetic_authority_has_zero_referee_errors(outcome: Outcome) -> None:
    """Every DfE error on either return is on the allow-list (with its reason), and no rule
    crashed that is not known to crash."""
    assert "\n".join(_shown(outcome)) == ""


def test_allowed_findings_carry_their_reason(outcome: Outcome) -> None:
    """The two-year limit of rules 1001/1002 shows up (care leavers of 19-21 left care before
    last year), reported apart with the allow-list's reason."""
    allowed = {f.rule: f.allowed for f in outcome.allowed}
    assert "last year" in (allowed.get("1002") or "")
    assert all(reason for reason in allowed.values())


def test_each_finding_names_the_allocated_worker(outcome: Outcome) -> None:
    """A child's finding carries the social worker allocated on 31 March (or last before)."""
    with_child = [f for f in outcome.findings if f.source == "DfE" and f.child]
    assert with_child
    assert sum(f.worker is not None for f in with_child) > len(with_child) * 0.9


def test_a_broken_code_is_reported_for_its_child_and_row() -> None:
    """One header row with SEX 'X': DfE's rule 101 (sex not valid) names that child, the
    Header table, row 1 and the SEX field."""
    header = pa.table({"CHILD": ["A1", "B2"], "SEX": ["M", "X"],
                       "DOB": [dt.date(2015, 1, 1), dt.date(2016, 2, 2)],
                       "ETHNIC": ["WBRI", "WBRI"], "UPN": ["UN2", "UN2"],
                       "MOTHER": [None, None], "MC_DOB": [None, None]},
                      schema=pa.schema([("CHILD", pa.string()), ("SEX", pa.string()),
                                        ("DOB", pa.date32()), ("ETHNIC", pa.string()),
                                        ("UPN", pa.string()), ("MOTHER", pa.string()),
                                        ("MC_DOB", pa.date32())]))
    verdict = referee_903({"Header": header}, year=2025, la_ons_code="E08000003",
                          rules=["101", "231"])
    assert [(f.rule, f.child, f.table, f.row, f.fields) for f in verdict.failures] == \
        [("101", "B2", "Header", 1, ("SEX",))]
    assert verdict.failures[0].values == {"SEX": "X"}
    assert set(verdict.crashed) == {"231"}  # it always crashes; reported, never fatal
    assert allowlist.unexpected_crashes(verdict) == {}


def test_the_validator_leaves_no_log_file_behind(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """DfE's 903 package writes a log file into its working directory: the referee runs it
    in a temporary one, so ours stays clean."""
    monkeypatch.chdir(tmp_path)
    header = pa.table({c: [None] for c in ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER",
                                           "MC_DOB")})
    referee_903({"Header": header.cast(pa.schema([(c, pa.string())
                                                   for c in header.column_names]))},
                year=2025, la_ons_code="E08000003", rules=["103"])
    assert list(tmp_path.iterdir()) == []


def test_our_tables_say_what_dfe_reader_says_of_our_file(con: duckdb.DuckDBPyConnection,
                                                         tmp_path: Path) -> None:
    """The referee hands DfE's CIN validator our flat tables instead of letting it read the
    XML (its reader is quadratic: minutes for thousands of children). For the first 120
    children of the 2024-25 census, both ways give the very same findings: rule, child,
    table, row, fields and values (and the same crashes)."""
    tables = cin_census.flat_tables(con, 2025)
    first = pa.array(tables["ChildIdentifiers"].column("LAchildID").to_pylist()[:120])
    subset = {name: table if name == "Header"
              else table.filter(pc.is_in(table["LAchildID"], value_set=first))
              for name, table in tables.items()}
    path = cin_census.write_xml(subset, 2025, tmp_path / "cin.xml")

    def said(failures: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        return sorted((f.rule, f.child, f.table, f.row, f.fields, sorted(f.values.items()))
                      for f in failures)

    ours = referee_cin(subset, year=2025)
    theirs = referee_cin_xml(path, year=2025)
    assert said(ours.failures) == said(theirs.failures)
    assert ours.crashed == theirs.crashed
    assert ours.ran == theirs.ran
