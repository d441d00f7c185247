"""The CIN census built from the synthetic authority's SSD store: schema-valid XML for every
census year DfE's validator has rules for, and the flat tables that XML is made from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
from lxml import etree  # type: ignore[import-untyped]

from goldenthread.returns import cin_census
from tests.returns import synthetic

pytestmark = pytest.mark.django_db
CREATED = dt.datetime(2025, 5, 1, 9, 30)


@pytest.fixture(scope="module")
def con(django_db_setup: None, django_db_blocker: Any,
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    connection = synthetic.open_store(django_db_blocker, tmp_path_factory.getbasetemp())
    yield connection
    connection.close()


@pytest.mark.parametrize("year", list(cin_census.YEARS))
def test_the_census_is_valid_against_the_year_schema(con: duckdb.DuckDBPyConnection,
                                                     year: int, tmp_path: Path) -> None:
    """2022-23 to 2026-27 (the last only the children still open in April 2026): hundreds
    of children, and not one schema error (element order,
    codes, dates, GenderCurrent or Sex as the year asks)."""
    tables = cin_census.flat_tables(con, year, created=CREATED)
    path = cin_census.write_xml(tables, year, tmp_path / "cin.xml")
    assert cin_census.validate_xml(path, year) == []
    assert tables["ChildIdentifiers"].num_rows > 250


def test_sex_replaces_gender_current_from_2024_25(con: duckdb.DuckDBPyConnection) -> None:
    """The census ending March 2024 codes GenderCurrent 1/2; from March 2025 it is Sex M/F."""
    old = cin_census.to_xml(cin_census.flat_tables(con, 2024, created=CREATED), 2024)
    new = cin_census.to_xml(cin_census.flat_tables(con, 2025, created=CREATED), 2025)
    assert set(old.xpath("//GenderCurrent/text()")) <= {"1", "2"} and not old.xpath("//Sex")
    assert set(new.xpath("//Sex/text()")) <= {"M", "F"} and not new.xpath("//GenderCurrent")


def test_header_names_the_census_and_the_council(con: duckdb.DuckDBPyConnection) -> None:
    """Reference date 31 March of the year (DfE's rule 100), the LA's 3-digit DfE number."""
    xml = cin_census.to_xml(cin_census.flat_tables(con, 2025, created=CREATED), 2025)
    assert xml.findtext("Header/CollectionDetails/ReferenceDate") == "2025-03-31"
    assert xml.findtext("Header/CollectionDetails/Year") == "2025"
    assert xml.findtext("Header/Source/LEA") == "352"
    assert xml.findtext("Header/Source/DateTime") == "2025-05-01T09:30:00"


def test_the_xml_holds_exactly_the_flat_tables(con: duckdb.DuckDBPyConnection) -> None:
    """What DfE's validator reads is what the file says: one Child per ChildIdentifiers row,
    one CINdetails per CINdetails row, and every review date of every plan in its plan's
    Reviews block."""
    tables = cin_census.flat_tables(con, 2025, created=CREATED)
    xml = cin_census.to_xml(tables, 2025)
    assert len(xml.findall("Children/Child")) == tables["ChildIdentifiers"].num_rows
    assert len(xml.findall("Children/Child/CINdetails")) == tables["CINdetails"].num_rows
    assert len(xml.xpath("//CPPreviewDate")) == tables["Reviews"].num_rows
    assert len(xml.xpath("//AssessmentFactors")) == \
        tables["AssessmentFactorsList"].num_rows


def test_a_schema_error_is_reported(tmp_path: Path) -> None:
    """A CIN episode without its ReferralNFA (mandatory) is named with its path."""
    message = etree.fromstring(
        "<Message><Children><Child><ChildIdentifiers><LAchildID>A1</LAchildID><Sex>F</Sex>"
        "</ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
        "</ChildCharacteristics><CINdetails><CINreferralDate>2024-05-01</CINreferralDate>"
        "<ReferralSource>1A</ReferralSource></CINdetails></Child></Children></Message>")
    path = tmp_path / "bad.xml"
    etree.ElementTree(message).write(str(path))
    problems = cin_census.validate_xml(path, 2025)
    assert len(problems) == 1 and "CINdetails" in problems[0] and "ReferralNFA" in problems[0]


def test_blocks_are_numbered_as_dfe_reader_numbers_them(
        con: duckdb.DuckDBPyConnection) -> None:
    """CINdetailsID counts each child's CIN episodes from 1, CPPID each episode's plans and
    AssessmentID its assessments, as DfE's reader numbers the XML blocks it reads."""
    tables = cin_census.flat_tables(con, 2025, created=CREATED)
    for name, parent, counter in (("CINdetails", ("LAchildID",), "CINdetailsID"),
                                  ("ChildProtectionPlans", ("LAchildID", "CINdetailsID"),
                                   "CPPID"),
                                  ("Assessments", ("LAchildID", "CINdetailsID"),
                                   "AssessmentID")):
        numbers: dict[tuple[Any, ...], list[int]] = {}
        for row in tables[name].to_pylist():
            numbers.setdefault(tuple(row[k] for k in parent), []).append(row[counter])
        assert numbers, name
        assert all(found == list(range(1, len(found) + 1)) for found in numbers.values()), name
