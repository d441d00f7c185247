"""The SSDA903 return built from the synthetic authority's SSD store: DfE's exact files.

The headers below are DfE's, copied from the SSDA903 specification (and the validator's
`lac_validator.config.column_names`), not from our code: a file whose columns differ in
name, number or order is refused whole by DfE's tools.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.returns import ssda903
from tests.returns import synthetic

pytestmark = pytest.mark.django_db

DFE_HEADERS = {
    "Header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "Episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,"
                "HOME_POST,PL_POST,URN",
    "Reviews": "CHILD,DOB,REVIEW,REVIEW_CODE",
    "UASC": "CHILD,SEX,DOB,DUC",
    "OC2": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,"
           "HEALTH_ASSESSMENT,SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
    "OC3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
    "AD1": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
    "PlacedAdoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    "PrevPerm": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    "Missing": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    "SWEpisodes": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
}


@pytest.fixture(scope="module")
def con(django_db_setup: None, django_db_blocker: Any,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = synthetic.open_store(django_db_blocker, tmp_path_factory.getbasetemp())
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def written(con: duckdb.DuckDBPyConnection,
            tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[list[str]]]:
    out = tmp_path_factory.mktemp("ssda903")
    ssda903.write_csv(ssda903.build(con, 2025), out)
    found = {}
    for path in sorted(out.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            found[path.stem] = list(csv.reader(handle))
    return found


def test_every_table_has_exactly_dfe_headers(written: dict[str, list[list[str]]]) -> None:
    """2024-25 asks for all eleven tables, social-worker episodes included; each file's
    first line is DfE's header, column for column."""
    assert {name: ",".join(rows[0]) for name, rows in written.items()} == DFE_HEADERS


def test_dates_are_day_month_year(written: dict[str, list[list[str]]]) -> None:
    """Every date cell is dd/mm/YYYY (DfE's rules parse with format %d/%m/%Y); e.g. the
    Episodes table has a DECOM on every row and DEC where the episode ended by 31 March."""
    pattern = re.compile(r"^\d{2}/\d{2}/\d{4}$")
    checked = 0
    for name, rows in written.items():
        header = rows[0]
        for row in rows[1:]:
            for column, cell in zip(header, row, strict=True):
                if column in ssda903.DATE_COLUMNS and cell:
                    assert pattern.match(cell), f"{name}.{column}: {cell!r}"
                    checked += 1
    assert checked > 500


def test_the_synthetic_authority_fills_the_main_tables(
        written: dict[str, list[list[str]]]) -> None:
    """About 130 episodes in the year at test scale; every child in a table is in Header,
    once (DfE's INT01-INT09, INT32)."""
    children = [row[0] for row in written["Header"][1:]]
    assert len(children) == len(set(children))
    for name in ("Episodes", "Reviews", "OC2", "OC3", "Missing", "SWEpisodes", "PrevPerm"):
        assert len(written[name]) > 5, name
        assert {row[0] for row in written[name][1:]} <= set(children), name


def test_social_worker_episodes_join_in_2023_24() -> None:
    """The SWEpisodes table is asked for from the year ending 31 March 2024."""
    assert "SWEpisodes" not in ssda903.tables_for(2023)
    assert ssda903.tables_for(2024)[-1] == "SWEpisodes"


def test_sex_codes_follow_the_year(con: duckdb.DuckDBPyConnection) -> None:
    """1/2 until 2023-24, M/F from 2024-25; last year's tables given beside this year's to
    DfE's validator are re-coded in this year's codes (its rule 202 compares them)."""
    assert set(ssda903.build(con, 2024)["Header"].column("SEX").to_pylist()) <= {"1", "2"}
    recoded = ssda903.build(con, 2024, coding_year=2025)
    assert set(recoded["Header"].column("SEX").to_pylist()) <= {"M", "F"}
    assert set(recoded["UASC"].column("SEX").to_pylist()) <= {"M", "F"}


def test_a_blank_required_field_is_listed_not_guessed() -> None:
    """A header row with no ethnicity cannot be fully expressed: `gaps` names the table,
    row, child and field, so the command can refuse to call the file complete."""
    import pyarrow as pa

    header = pa.table({c: [None] for c in ssda903.COLUMNS["Header"]})
    header = header.set_column(0, "CHILD", pa.array(["C1"]))
    header = header.set_column(1, "SEX", pa.array(["F"]))
    header = header.set_column(4, "UPN", pa.array(["UN2"]))
    assert ssda903.gaps({"Header": header}) == ["Header row 0 (child C1): DOB, ETHNIC blank"]


@pytest.mark.parametrize("year", [2022, 2028])
def test_a_year_without_a_ruleset_exits_2(year: int, tmp_path: Path) -> None:
    """DfE's rulesets run from 2022-23 to 2026-27: another year is refused before any work,
    with exit status 2 and a message naming the allowed range."""
    with pytest.raises(CommandError, match=f"--year: {year} has no DfE ruleset; allowed: "
                                           "2023–2027") as refused:
        call_command("returns", "903", "--year", str(year), "--out", str(tmp_path))
    assert refused.value.returncode == 2
    assert not list(tmp_path.iterdir())


def test_a_missing_store_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"--store: .* is not a folder") as refused:
        call_command("returns", "cin", "--year", "2025", "--out", str(tmp_path),
                     "--store", str(tmp_path / "nowhere"))
    assert refused.value.returncode == 2


def test_the_command_writes_the_files(con: duckdb.DuckDBPyConnection, django_db_blocker: Any,
                                      tmp_path_factory: pytest.TempPathFactory,
                                      tmp_path: Path) -> None:
    """`returns 903 --store` writes one CSV per table and records the export."""
    folder = synthetic.store(django_db_blocker, tmp_path_factory.getbasetemp())
    call_command("returns", "903", "--year", "2026", "--out", str(tmp_path / "out"),
                 "--store", str(folder))
    assert sorted(p.stem for p in (tmp_path / "out").glob("*.csv")) == sorted(DFE_HEADERS)


def test_a_nightly_validation_stores_each_worker_s_fixes(
        con: duckdb.DuckDBPyConnection, django_db_blocker: Any,
        tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> None:
    """`returns validate --save` stores the findings by worker, whole, for the pages that
    will show each worker their data fixes; on the clean synthetic authority there are none
    outside the allow-list, and the file says so rather than being absent."""
    folder = synthetic.store(django_db_blocker, tmp_path_factory.getbasetemp())
    saved = tmp_path / "nightly" / "findings-2025.json"
    with django_db_blocker.unblock():
        call_command("returns", "validate", "--year", "2025", "--store", str(folder),
                     "--save", str(saved))
    stored = json.loads(saved.read_text())
    assert (stored["year"], stored["errors"], stored["workers"]) == (2025, 0, {})
    assert not saved.with_name(saved.name + ".partial").exists()
