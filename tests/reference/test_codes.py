"""The code-list API: loading, checking a value on the date of an event, and file errors."""

from __future__ import annotations

import pickle
from datetime import date

import pytest

from goldenthread.reference.codes import (
    Code,
    CodeList,
    CodeListError,
    CodeNotAllowed,
    UnknownCodeList,
    check_code,
    code_list,
    code_lists,
    parse_code_list,
)

JUNE_2025 = date(2025, 6, 1)
JUNE_2023 = date(2023, 6, 1)


# --------------------------------------------------------------------------- Code / CodeList


def test_code_valid_on_includes_both_bounds() -> None:
    """A code valid 2024-04-01..2025-03-31 is valid on both of those days, not a day outside."""
    code = Code("H5", "x", valid_from=date(2024, 4, 1), valid_to=date(2025, 3, 31))
    assert code.valid_on(date(2024, 4, 1))
    assert code.valid_on(date(2025, 3, 31))
    assert not code.valid_on(date(2024, 3, 31))
    assert not code.valid_on(date(2025, 4, 1))


def test_code_without_dates_is_always_valid() -> None:
    """No valid_from and no valid_to: valid on 1900-01-01 and on 2100-12-31."""
    code = Code("A3", "x", None, None)
    assert code.valid_on(date(1900, 1, 1))
    assert code.valid_on(date(2100, 12, 31))


def test_code_list_get_returns_code_whatever_its_dates() -> None:
    """PLACE.get('Z1') finds Z1 although it ended on 2025-03-31; get('ZZ') is None."""
    place = code_list("PLACE")
    z1 = place.get("Z1")
    assert z1 is not None
    assert z1.valid_to == date(2025, 3, 31)
    assert place.get("ZZ") is None


def test_code_list_valid_on_keeps_file_order() -> None:
    """SEX valid on 2025-06-01 is (M, F, U), the order of the file."""
    assert [c.code for c in code_list("SEX").valid_on(JUNE_2025)] == ["M", "F", "U"]


def test_code_list_refuses_duplicate_codes() -> None:
    """Building a CodeList with 'A' twice raises CodeListError naming the list and the code."""
    with pytest.raises(CodeListError, match=r"TEST.*'A'"):
        CodeList("TEST", "t", "local", (Code("A", "a"), Code("A", "again")))


def test_code_lists_is_loaded_once() -> None:
    """code_lists() returns the same object each call (read once per process)."""
    assert code_lists() is code_lists()


def test_code_lists_is_read_only() -> None:
    """The mapping of lists cannot be changed by a caller."""
    lists = code_lists()
    with pytest.raises(TypeError):
        lists["PLACE"] = lists["SEX"]  # type: ignore[index]


def test_is_local_tells_local_lists_from_dfe_lists() -> None:
    """CONTACT_DECISION is local; PLACE is DfE's."""
    assert code_list("CONTACT_DECISION").is_local
    assert not code_list("PLACE").is_local


# --------------------------------------------------------------------------- code_list


def test_unknown_list_id_is_a_key_error_naming_the_id() -> None:
    """code_list('NOPE') → KeyError "unknown code list 'NOPE'; known lists: ADDRESS_TYPE, …"."""
    with pytest.raises(KeyError) as caught:
        code_list("NOPE")
    message = str(caught.value)
    assert message.startswith("unknown code list 'NOPE'; known lists: ")
    assert "PLACE" in message
    assert isinstance(caught.value, UnknownCodeList)


def test_check_code_with_unknown_list_id_raises_key_error() -> None:
    """check_code('PLACES', …) is a programming error: KeyError, not CodeNotAllowed."""
    with pytest.raises(KeyError, match="PLACES"):
        check_code("PLACES", "U1", JUNE_2025, field="placement_type")


# --------------------------------------------------------------------------- check_code


def test_check_code_accepts_a_valid_code() -> None:
    """U1 is a PLACE code valid on 2025-06-01: no error, returns None."""
    check_code("PLACE", "U1", JUNE_2025, field="placement_type")


def test_check_code_refuses_unknown_value_naming_field_value_and_allowed() -> None:
    """'Q9' on 2025-06-01 → "placement_type: 'Q9' is not a PLACE code valid on 2025-06-01;
    allowed: A3, A4, …, Z14"."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("PLACE", "Q9", JUNE_2025, field="placement_type")
    message = str(caught.value)
    assert message.startswith(
        "placement_type: 'Q9' is not a PLACE code valid on 2025-06-01; allowed: A3, A4, A5, A6, "
    )
    assert message.endswith("Z11, Z12, Z13, Z14")


def test_check_code_error_carries_attributes() -> None:
    """The error exposes list_id, field, value, on and the allowed codes as a tuple."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("SEX", "X", JUNE_2025, field="sex")
    error = caught.value
    assert error.list_id == "SEX"
    assert error.field == "sex"
    assert error.value == "X"
    assert error.on == JUNE_2025
    assert error.allowed == ("F", "M", "U")
    assert isinstance(error, ValueError)


def test_sex_1_refused_in_2025_as_a_code_of_an_earlier_period() -> None:
    """SEX '1' ended on 2024-03-31 → "sex: '1' is a SEX code only valid until 2024-03-31
    (not on 2025-06-01); allowed: F, M, U"."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("SEX", "1", JUNE_2025, field="sex")
    assert str(caught.value) == (
        "sex: '1' is a SEX code only valid until 2024-03-31 (not on 2025-06-01); allowed: F, M, U"
    )


def test_sex_1_accepted_in_2023() -> None:
    """SEX '1' (male, before 2024-25) is valid on 2023-06-01."""
    check_code("SEX", "1", JUNE_2023, field="sex")


def test_sex_m_refused_in_2023_as_a_code_of_a_later_period() -> None:
    """SEX 'M' starts on 2024-04-01 → "sex: 'M' is a SEX code only valid from 2024-04-01
    (not on 2023-06-01); allowed: 0, 1, 2, 9"."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("SEX", "M", JUNE_2023, field="sex")
    assert str(caught.value) == (
        "sex: 'M' is a SEX code only valid from 2024-04-01 (not on 2023-06-01); allowed: 0, 1, 2, 9"
    )


def test_sex_changes_code_set_at_midnight_on_1_april_2024() -> None:
    """'1' is valid on 2024-03-31 and refused on 2024-04-01; 'M' the other way round."""
    check_code("SEX", "1", date(2024, 3, 31), field="sex")
    check_code("SEX", "M", date(2024, 4, 1), field="sex")
    with pytest.raises(CodeNotAllowed):
        check_code("SEX", "1", date(2024, 4, 1), field="sex")
    with pytest.raises(CodeNotAllowed):
        check_code("SEX", "M", date(2024, 3, 31), field="sex")


def test_place_z1_refused_after_it_was_split() -> None:
    """Z1 (other placement) ended 2025-03-31 → refused on 2025-06-01, with Z11-Z14 allowed."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("PLACE", "Z1", JUNE_2025, field="placement_type")
    message = str(caught.value)
    assert "placement_type: 'Z1' is a PLACE code only valid until 2025-03-31" in message
    assert "Z11" in caught.value.allowed


def test_on_none_accepts_any_code_ever_in_the_list() -> None:
    """With no event date, SEX '1' and 'M' are both accepted."""
    check_code("SEX", "1", None, field="sex")
    check_code("SEX", "M", None, field="sex")


def test_on_none_refuses_value_never_in_the_list() -> None:
    """With no event date, 'X' → "sex: 'X' is not a SEX code; allowed: 0, 1, 2, 9, F, M, U"."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("SEX", "X", None, field="sex")
    assert str(caught.value) == "sex: 'X' is not a SEX code; allowed: 0, 1, 2, 9, F, M, U"
    assert caught.value.on is None


def test_check_code_is_case_sensitive() -> None:
    """Codes are exact: 'u1' is not U1 (the 903 validator upper-cases input; we do not)."""
    with pytest.raises(CodeNotAllowed):
        check_code("PLACE", "u1", JUNE_2025, field="placement_type")


def test_allowed_codes_sort_numbers_naturally() -> None:
    """REFERRAL_SOURCE allowed codes run 1A … 9, 10 (not 10 before 2A)."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("REFERRAL_SOURCE", "11", JUNE_2025, field="referral_source")
    allowed = caught.value.allowed
    assert allowed[0] == "1A"
    assert allowed[-2:] == ("9", "10")


def test_code_not_allowed_survives_pickling() -> None:
    """The error can cross a process boundary (bulk loaders in worker processes)."""
    with pytest.raises(CodeNotAllowed) as caught:
        check_code("SEX", "1", JUNE_2025, field="sex")
    copy = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own object
    assert str(copy) == str(caught.value)
    assert copy.allowed == ("F", "M", "U")


# --------------------------------------------------------------------------- file checks

GOOD = """\
id: TEST
title: Test list
source: local
codes:
  - code: "A"
    description: "Alpha"
  - code: "B"
    description: "Beta"
    valid_from: 2024-04-01
    valid_to: 2025-03-31
"""


def test_parse_code_list_reads_a_good_file() -> None:
    """Two codes, B with both dates as date objects."""
    parsed = parse_code_list(GOOD, filename="TEST.yaml")
    assert parsed.id == "TEST"
    assert parsed.source == "local"
    assert parsed.codes[1] == Code("B", "Beta", date(2024, 4, 1), date(2025, 3, 31))


def test_duplicate_code_in_file_names_file_and_code() -> None:
    """Code A twice → "TEST.yaml: code 'A' appears more than once"."""
    text = GOOD + '  - code: "A"\n    description: "Again"\n'
    with pytest.raises(CodeListError, match=r"TEST\.yaml: code 'A' appears more than once"):
        parse_code_list(text, filename="TEST.yaml")


def test_valid_to_before_valid_from_names_file_and_code() -> None:
    """B valid 2025-04-01 to 2024-03-31 → error naming TEST.yaml and code 'B'."""
    text = GOOD.replace("valid_to: 2025-03-31", "valid_to: 2024-03-31").replace(
        "valid_from: 2024-04-01", "valid_from: 2025-04-01"
    )
    with pytest.raises(CodeListError, match=r"TEST\.yaml.*code 'B': valid_to 2024-03-31 is before"):
        parse_code_list(text, filename="TEST.yaml")


def test_unknown_key_on_a_code_names_file_code_and_key() -> None:
    """'valid_until' is not a key → error naming TEST.yaml, code 'A' and valid_until."""
    text = GOOD.replace('description: "Alpha"', 'description: "Alpha"\n    valid_until: 2025-01-01')
    with pytest.raises(CodeListError, match=r"TEST\.yaml.*code 'A': unknown key\(s\) valid_until"):
        parse_code_list(text, filename="TEST.yaml")


def test_unknown_top_level_key_names_file_and_key() -> None:
    """A 'version' key at the top → "TEST.yaml: unknown key(s) version"."""
    with pytest.raises(CodeListError, match=r"TEST\.yaml: unknown key\(s\) version"):
        parse_code_list(GOOD + "version: 2\n", filename="TEST.yaml")


def test_missing_description_is_refused() -> None:
    """A code without a description → "… code 'C': 'description' is missing"."""
    text = GOOD + '  - code: "C"\n'
    with pytest.raises(CodeListError, match=r"code 'C': 'description' is missing"):
        parse_code_list(text, filename="TEST.yaml")


def test_unquoted_no_is_refused_with_a_hint() -> None:
    """`code: NO` is read by YAML as False → error telling the author to quote it."""
    text = GOOD + "  - code: NO\n    description: No\n"
    with pytest.raises(CodeListError, match="put it in quotes"):
        parse_code_list(text, filename="TEST.yaml")


def test_date_written_as_text_is_refused() -> None:
    """valid_from: "2024-04-01" (quoted) is text, not a date → error naming the field."""
    text = GOOD.replace("valid_from: 2024-04-01", 'valid_from: "2024-04-01"')
    with pytest.raises(CodeListError, match=r"code 'B': 'valid_from' must be an ISO date"):
        parse_code_list(text, filename="TEST.yaml")


def test_id_must_match_file_name() -> None:
    """id TEST in OTHER.yaml → "OTHER.yaml: id 'TEST' does not match the file name"."""
    with pytest.raises(CodeListError, match=r"OTHER\.yaml: id 'TEST' does not match"):
        parse_code_list(GOOD, filename="OTHER.yaml")


def test_empty_codes_list_is_refused() -> None:
    """codes: [] → "TEST.yaml: 'codes' must be a non-empty list"."""
    text = "id: TEST\ntitle: t\nsource: local\ncodes: []\n"
    with pytest.raises(CodeListError, match=r"TEST\.yaml: 'codes' must be a non-empty list"):
        parse_code_list(text, filename="TEST.yaml")


def test_broken_yaml_names_the_file() -> None:
    """Unbalanced quotes → "TEST.yaml: not valid YAML: …"."""
    with pytest.raises(CodeListError, match=r"TEST\.yaml: not valid YAML"):
        parse_code_list('id: "TEST\n', filename="TEST.yaml")
