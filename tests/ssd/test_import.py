"""Importing an SSD extract: round trip, each kind of bad input, nothing half-loaded, and the
DuckDB store the analytics read."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from goldenthread.ssd.extensions import EXTENSIONS, STORE_TABLES
from goldenthread.ssd.importer import Problem, import_extract
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.schema import FILLED, TABLES
from goldenthread.ssd.store import connect
from tests.ssd.conftest import Projected

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_round_trip_export_then_import(projected: Projected, tmp_path: Path, fmt: str) -> None:
    """What we export, we import with zero problems, and the store holds the same values."""
    extract = tmp_path / "extract"
    write_tables(projected.tables, extract, fmt)  # type: ignore[arg-type]
    assert sorted(p.name for p in extract.iterdir()) == sorted(f"{t}.{fmt}"
                                                               for t in (*FILLED, *EXTENSIONS))
    report = import_extract(extract, tmp_path / "store")
    assert report.problems == []
    assert report.warnings == []
    for name in (*FILLED, *EXTENSIONS):
        stored = pq.read_table(tmp_path / "store" / f"{name}.parquet")
        assert stored.to_pylist() == projected.tables[name].to_pylist(), name


def _csv(folder: Path, table: str, header: str, *rows: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{table}.csv").write_text("\n".join((header, *rows)) + "\n")


PERSON = ",".join(TABLES["ssd_person"].column_names)
EPISODE = ",".join(TABLES["ssd_cin_episodes"].column_names)
ASSESSMENT = ",".join(TABLES["ssd_cin_assessments"].column_names)


def _good(folder: Path) -> None:
    """Two children; one referral for P1 with one assessment. Dates in both accepted forms."""
    _csv(folder, "ssd_person", PERSON,
         ",P1,,Ann,Smith,F,,WBRI,01/05/2015,,,,,,N,",
         ",P2,,Bo,Jones,M,,WBRI,2016-02-29,,,,,,N,")
    _csv(folder, "ssd_cin_episodes", EPISODE, "R1,P1,2024-01-08 09:30:00,N1,2A,Schools,,N,,,,")
    _csv(folder, "ssd_cin_assessments", ASSESSMENT, "A1,P1,R1,08/01/2024,Y,,,N,,")


def test_a_clean_extract_loads_and_dates_are_read(tmp_path: Path) -> None:
    """01/05/2015 is 1 May 2015 (dd/mm/yyyy), 2016-02-29 a leap day; a time is kept."""
    _good(tmp_path / "in")
    report = import_extract(tmp_path / "in", tmp_path / "store")
    assert report.ok, report.problems
    assert report.rows == {"ssd_person": 2, "ssd_cin_episodes": 1, "ssd_cin_assessments": 1}
    con = connect(tmp_path / "store")
    assert con.execute("SELECT pers_dob FROM ssd_person ORDER BY pers_person_id").fetchall() \
        == [(dt.datetime(2015, 5, 1),), (dt.datetime(2016, 2, 29),)]
    assert con.execute("SELECT cine_referral_date FROM ssd_cin_episodes").fetchall() \
        == [(dt.datetime(2024, 1, 8, 9, 30),)]


def _problems(tmp_path: Path) -> list[Problem]:
    """Import tmp_path/in into a store that already holds a good load; it must not change."""
    _good(tmp_path / "good")
    assert import_extract(tmp_path / "good", tmp_path / "store").ok
    before = {p.name: p.read_bytes() for p in (tmp_path / "store").iterdir()}
    report = import_extract(tmp_path / "in", tmp_path / "store")
    after = {p.name: p.read_bytes() for p in (tmp_path / "store").iterdir()}
    assert after == before, "a failed import changed the store"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good", "in", "store"]
    assert not report.ok
    return report.problems


def test_bad_values_are_reported_by_table_row_and_column(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    _csv(tmp_path / "in", "ssd_cin_assessments", ASSESSMENT,
         "A1,P1,R1,2024-01-08,Y,,,N,,",
         "A2,P1,R9,31/02/2024,yes,,,N,,",
         "A1,P3,R1,2024-01-08,N,,,N,,")
    problems = {(p.table, p.row, p.column, p.value) for p in _problems(tmp_path)}
    assert problems == {
        ("ssd_cin_assessments", 2, "cina_assessment_start_date", "31/02/2024"),  # no 31 Feb
        ("ssd_cin_assessments", 2, "cina_assessment_child_seen", "yes"),  # flags are Y/N
        ("ssd_cin_assessments", 2, "cina_referral_id", "R9"),  # no such referral
        ("ssd_cin_assessments", 3, "cina_assessment_id", "A1"),  # duplicate id
        ("ssd_cin_assessments", 3, "cina_person_id", "P3"),  # no such person
    }


def test_each_problem_says_what_is_allowed(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    _csv(tmp_path / "in", "ssd_cin_assessments", ASSESSMENT, "A1,P1,R1,soon,Y,,,N,,")
    [problem] = _problems(tmp_path)
    assert str(problem) == ("ssd_cin_assessments row 1 column cina_assessment_start_date: "
                            "'soon': a date, YYYY-MM-DD or DD/MM/YYYY, optionally with a "
                            "time (or blank)")


def test_unknown_table_and_missing_column(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    _csv(tmp_path / "in", "ssd_children", "id,name", "1,Ann")
    _csv(tmp_path / "in", "ssd_cin_episodes", EPISODE.replace(",cine_close_date", ""),
         "R1,P1,2024-01-08,N1,2A,Schools,,N,,,")
    problems = {(p.table, p.row, p.column, p.value) for p in _problems(tmp_path)}
    assert ("ssd_children", None, None, "ssd_children.csv") in problems
    assert ("ssd_cin_episodes", None, "cine_close_date", None) in problems
    # Without its referrals table, the assessment's referral cannot be checked: said once.
    assert ("ssd_cin_assessments", None, "cina_referral_id", None) in problems


def test_extra_columns_warn_and_are_ignored(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    _csv(tmp_path / "in", "ssd_person", PERSON + ",pers_shoe_size",
         ",P1,,Ann,Smith,F,,WBRI,01/05/2015,,,,,,N,,5", ",P2,,Bo,Jones,M,,WBRI,,,,,,,N,,6")
    report = import_extract(tmp_path / "in", tmp_path / "store")
    assert report.ok
    assert report.warnings == ["ssd_person.csv: columns not in the SSD, ignored: "
                               "pers_shoe_size"]
    assert pq.read_schema(tmp_path / "store" / "ssd_person.parquet").names \
        == list(TABLES["ssd_person"].column_names)


def test_many_problems_are_listed_twenty_then_counted(tmp_path: Path) -> None:
    _good(tmp_path / "in")
    _csv(tmp_path / "in", "ssd_cin_assessments", ASSESSMENT,
         *(f"A{n},P1,R1,2024-01-08,X,,,N,," for n in range(25)))
    problems = _problems(tmp_path)
    assert len(problems) == 21
    assert problems[-1].allowed == "and 5 more rows with the same problem"


def test_store_has_a_view_for_every_ssd_table(projected: Projected, tmp_path: Path) -> None:
    """The indicator engine's entry point: every ssd_* and gtx_* table is a view, even when
    the extract lacked it (then empty, with the table's columns)."""
    shutil.copytree(projected.folder, tmp_path / "store")
    con = connect(tmp_path / "store")
    views = {row[0] for row in con.execute(
        "SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()}
    assert views == set(STORE_TABLES)
    assert con.execute("SELECT count(*) FROM ssd_pre_proceedings").fetchone() == (0,)
    assert [d[0] for d in con.execute("SELECT * FROM ssd_send").description] \
        == list(TABLES["ssd_send"].column_names)
    [(children,)] = con.execute(
        "SELECT count(DISTINCT cine_person_id) FROM ssd_cin_episodes e "
        "JOIN ssd_person p ON p.pers_person_id = e.cine_person_id").fetchall()
    assert children == 1
