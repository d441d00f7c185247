"""The rule engine itself: how it reads the return tables, which rules it runs, what it says.

The DfE agreement of each rule is in test_rules_903.py and test_rules_cin.py; here the
clean returns of ``clean_returns`` (A1-A4 in the 903, B1-B4 in the CIN census) are read
in other shapes, other years and in bulk.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from goldenthread.returns.rules import (
    RULES,
    SSDA903_TABLES,
    Failure,
    Rule,
    run,
    validate,
    validate_tables,
)
from goldenthread.returns.rules.framework import check_registry
from tests.returns.clean_returns import YEAR, clean_903, clean_cin
from tests.returns.rules_support import load_tables, our_failures, replicate


def _connection(return_name: str, tables: dict[str, list[dict[str, str | int | None]]]) -> (
    duckdb.DuckDBPyConnection
):
    connection = duckdb.connect()
    load_tables(connection, return_name, tables)
    return connection


def test_a_failure_names_the_rule_child_table_row_fields_and_dfe_message() -> None:
    """A3's second episode (row 3 of Episodes) ends for reason E99: rule 149, on that row."""
    tables = clean_903()
    tables["Episodes"][3]["REC"] = "E99"

    assert our_failures("903", tables, YEAR) == [
        Failure("149", "903", "A3", "Episodes", 3, ("REC",),
                "Reason episode ceased code is not valid."),
    ]


def test_dates_given_as_date_columns_are_read_like_the_dates_sent_as_text() -> None:
    """The same 903 with DATE columns: clean stays clean, and A3's episode ending the day
    before it began (19/09 < 20/09/2025) is still rule 356."""
    connection = _connection("903", clean_903())
    for table, column in (("Episodes", "DECOM"), ("Episodes", "DEC"), ("Header", "DOB"),
                          ("Missing", "MIS_START"), ("Missing", "MIS_END")):
        connection.execute(
            f"ALTER TABLE ssda903.{table} ALTER {column} TYPE DATE "
            f"USING CAST(strptime({column}, '%d/%m/%Y') AS DATE)"
        )
    assert validate(connection, YEAR) == []

    connection.execute("UPDATE ssda903.Episodes SET DEC = DATE '2025-09-19' WHERE CHILD = 'A3' "
                       "AND DECOM = DATE '2025-09-20'")
    assert [(f.code, f.child, f.row) for f in validate(connection, YEAR)] == [("356", "A3", 3)]


def test_903_codes_are_read_in_upper_case_as_dfe_reads_them_but_cin_codes_are_not() -> None:
    """DfE's 903 reader upper-cases every value, its CIN reader does not: 'm' is a valid
    903 sex, and an invalid CIN one (4180)."""
    tables_903 = clean_903()
    tables_903["Header"][1]["SEX"] = "m"
    tables_cin = clean_cin()
    tables_cin["ChildIdentifiers"][1]["Sex"] = "m"

    assert our_failures("903", tables_903, YEAR) == []
    assert [(f.code, f.child) for f in our_failures("cin", tables_cin, YEAR)] == [("4180", "B2")]


def test_rules_whose_tables_are_not_given_are_skipped_not_failed() -> None:
    """Without OC3 the care-leaver rules 131-133 cannot run; nothing fails for it."""
    tables = clean_903()
    del tables["OC3"]
    connection = _connection("903", tables)

    report = run(connection, YEAR, returns=("903",))

    assert report.failures == ()
    assert sorted(r.code for r in report.rules_skipped) == ["131", "132", "133"]
    assert "101" in {r.code for r in report.rules_run}


def test_returns_given_as_arrow_tables_with_date_columns_are_validated_alike() -> None:
    """As the builders hand them over: Arrow tables, 903 dates as date32. A3's second
    episode (row 3) ends for reason E99: rule 149 on that row, nothing else."""
    tables = clean_903()
    tables["Episodes"][3]["REC"] = "E99"
    arrow = {}
    for name, rows in tables.items():
        spec = SSDA903_TABLES[name]
        arrays = []
        for column in spec.columns:
            values = [row[column] for row in rows]
            if column in spec.dates:
                dates = [dt.date(int(v[6:]), int(v[3:5]), int(v[:2])) if v else None
                         for v in values]
                arrays.append(pa.array(dates, type=pa.date32()))
            else:
                arrays.append(pa.array(values, type=pa.string()))
        arrow[name] = pa.table(arrays, names=list(spec.columns))

    failures = validate_tables(YEAR, ssda903=arrow)

    assert [(f.code, f.child, f.table, f.row) for f in failures] == [
        ("149", "A3", "Episodes", 3)
    ]


def test_a_table_that_is_not_part_of_the_return_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="table: 'Episode' is not a 903 table; allowed: Header,"):
        validate_tables(YEAR, ssda903={"Episode": pa.table({"CHILD": ["A1"]})})


def test_tables_can_sit_in_any_schema() -> None:
    connection = duckdb.connect()
    tables = clean_cin()
    tables["CINdetails"][1]["ReasonForClosure"] = "RC0"
    load_tables(connection, "cin", tables, schema="census_2026")

    failures = validate(connection, YEAR, returns=("cin",), schemas={"cin": "census_2026"})

    assert [(f.code, f.child) for f in failures] == [("8640", "B2")]


def test_a_year_outside_the_supported_rulesets_is_refused() -> None:
    with pytest.raises(ValueError, match="year: 2022 is not a supported collection year; "
                                         "allowed: 2023–2027"):
        validate(duckdb.connect(), 2022)


def test_each_year_uses_the_version_of_a_rule_in_force_that_year() -> None:
    """Rule 101: until 2023-24 sex was coded 1/2, from 2024-25 M/F/U. The clean 903 codes
    M and F, so under 2023-24's version all four children fail and under 2025-26's none."""
    connection = _connection("903", clean_903())
    only_101 = [r for r in RULES if r.code == "101"]

    in_2024 = run(connection, 2024, returns=("903",), rules=only_101).failures
    in_2026 = run(connection, 2026, returns=("903",), rules=only_101).failures

    assert [f.child for f in in_2024] == ["A1", "A2", "A3", "A4"]
    assert {f.message for f in in_2024} == {"Gender code is not valid."}
    assert in_2026 == ()


def test_the_census_year_is_read_from_the_reference_date_as_dfe_does() -> None:
    """A header ReferenceDate of 31/03/2025 makes the census year 2024-25, whatever year is
    asked for: every referral after it fails 8600."""
    tables = clean_cin()
    tables["Header"][0]["ReferenceDate"] = "2025-03-31"

    failing = {f.child for f in our_failures("cin", tables, YEAR) if f.code == "8600"}

    assert failing == {"B1", "B2", "B3", "B4"}


def test_validation_leaves_no_tables_behind() -> None:
    connection = _connection("903", clean_903())
    before = connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone()

    validate(connection, YEAR)

    assert connection.execute("SELECT count(*) FROM duckdb_tables()").fetchone() == before
    assert connection.execute(
        "SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'gt_rules%'"
    ).fetchone() == (0,)


def test_in_a_large_return_each_error_is_found_on_its_own_child() -> None:
    """1,000 copies of each clean return (4,000 children each). Two errors in two copies:
    A2 of copy 17 has sex X (101), A3 of copy 512 ends an episode for E99 (149); B2 of
    copy 999 has ethnicity ZZZZ (4220). Nothing else fails."""
    connection = duckdb.connect()
    replicate(connection, "903", clean_903(), 1000)
    replicate(connection, "cin", clean_cin(), 1000)
    connection.execute("UPDATE ssda903.Header SET SEX = 'X' WHERE CHILD = 'A2000017'")
    connection.execute("UPDATE ssda903.Episodes SET REC = 'E99' "
                       "WHERE CHILD = 'A3000512' AND REC = 'E4A'")
    connection.execute("UPDATE cin.ChildCharacteristics SET Ethnicity = 'ZZZZ' "
                       "WHERE LAchildID = 'B2000999'")

    failures = validate(connection, YEAR)

    assert {(f.code, f.child) for f in failures} == {
        ("101", "A2000017"), ("149", "A3000512"), ("4220", "B2000999"),
    }


def test_a_rule_must_name_a_table_and_fields_of_its_return() -> None:
    with pytest.raises(ValueError, match="table 'Episode' is not a 903 table"):
        Rule("143", "903", "m", "Episode", ("RNE",), "SELECT 1 FROM {Episode}")
    with pytest.raises(ValueError, match=r"fields \['RNEX'\] are unknown"):
        Rule("143", "903", "m", "Episodes", ("RNEX",), "SELECT 1 FROM {Episodes}")
    with pytest.raises(ValueError, match=r"\['Episode'\] in its SQL are not tables"):
        Rule("143", "903", "m", "Episodes", ("RNE",), "SELECT 1 FROM {Episodes}, {Episode}")


def test_two_versions_of_a_rule_cannot_both_be_in_force_in_one_year() -> None:
    first = Rule("143", "903", "m", "Episodes", ("RNE",), "SELECT 1 FROM {Episodes}",
                 years=range(2023, 2026))
    second = Rule("143", "903", "m", "Episodes", ("RNE",), "SELECT 1 FROM {Episodes}",
                  years=range(2025, 2028))

    with pytest.raises(ValueError, match="rule 143 \\(903\\) is declared twice for 2025"):
        check_registry([first, second])


def test_every_rule_carries_dfes_code_and_message() -> None:
    assert all(rule.code and rule.message and rule.message == rule.message.strip()
               for rule in RULES)
    assert {r.code for r in RULES if r.is_query} == {"8525Q", "8535Q", "8555Q"}
