"""The code-list files: every list present, well formed, and agreeing with DfE's validators.

Expected code sets are transcribed from the DfE validator packages (MIT licence):
csc-validator-be-903 0.1.17 (``lac_validator/rules/lac20xx_yy``) and csc-validator-be-cin 0.1.13
(``cin_validator/rules/cin20xx_yy``). Each collection year runs 1 April to 31 March.
"""

from __future__ import annotations

from datetime import date
from importlib import resources

import pytest
import yaml

from goldenthread.reference.codes import code_list, code_lists

REQUIRED_LISTS = (
    "REFERRAL_SOURCE",
    "CIN_PRIMARY_NEED",
    "ASSESSMENT_FACTOR",
    "CATEGORY_OF_ABUSE",
    "CLOSURE_REASON",
    "RNE",
    "LEGAL_STATUS",
    "PLACE",
    "PLACE_PROVIDER",
    "REC",
    "REASON_PLACE_CHANGE",
    "MISSING_TYPE",
    "SDQ_REASON",
    "CARE_LEAVER_IN_TOUCH",
    "CARE_LEAVER_ACTIVITY",
    "CARE_LEAVER_ACCOMMODATION",
    "UPN_UNKNOWN",
    "ETHNICITY",
    "DISABILITY",
    "SEX",
    "REVIEW_PARTICIPATION",
    "PREVIOUS_PERMANENCE",
    "ADOPTER_SEX",
    "ADOPTER_LEGAL_STATUS",
    "ADOPTION_PLACEMENT_CEASED",
    "SW_CHANGE_REASON",
    "CONTACT_DECISION",
    "LEVEL_OF_NEED",
    "INVOLVEMENT_ROLE",
    "IMMIGRATION_STATUS",
    "HEALTH_CHECK_TYPE",
    "CARE_LEAVER_ELIGIBILITY",
    "PERMANENCE_ORDER_TYPE",
    "PERMANENCE_PLAN",
    "RELATIONSHIP_TYPE",
    "ADDRESS_TYPE",
    "EARLY_HELP_END_REASON",
)

LOCAL_LISTS = (
    "CONTACT_DECISION",
    "LEVEL_OF_NEED",
    "INVOLVEMENT_ROLE",
    "IMMIGRATION_STATUS",
    "HEALTH_CHECK_TYPE",
    "CARE_LEAVER_ELIGIBILITY",
    "PERMANENCE_ORDER_TYPE",
    "PERMANENCE_PLAN",
    "RELATIONSHIP_TYPE",
    "ADDRESS_TYPE",
    "EARLY_HELP_END_REASON",
)
DFE_LISTS = tuple(list_id for list_id in REQUIRED_LISTS if list_id not in LOCAL_LISTS)

# First and last day of the collection years 2024-25, 2025-26 and 2026-27.
COLLECTION_DAYS = (
    date(2024, 4, 1),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2026, 3, 31),
    date(2026, 4, 1),
    date(2027, 3, 31),
)
IN_2023_24 = date(2023, 6, 1)
IN_2024_25 = date(2024, 6, 1)
IN_2025_26 = date(2025, 6, 1)
IN_2026_27 = date(2026, 6, 1)


def codes_on(list_id: str, on: date) -> set[str]:
    return {item.code for item in code_list(list_id).valid_on(on)}


# --------------------------------------------------------------------------- shape


@pytest.mark.parametrize("list_id", REQUIRED_LISTS)
def test_required_list_is_present_and_not_empty(list_id: str) -> None:
    """Each of the 37 required list ids has a file with at least one code."""
    assert code_list(list_id).codes


def test_no_list_beyond_the_required_ones_without_a_test() -> None:
    """Every list file is one this module knows about (add new lists to REQUIRED_LISTS)."""
    assert set(code_lists()) == set(REQUIRED_LISTS)


def test_no_file_repeats_a_code() -> None:
    """Read straight from the YAML, no list has the same code twice (the loader also checks)."""
    directory = resources.files("goldenthread.reference").joinpath("data", "codelists")
    for entry in directory.iterdir():
        if entry.name.endswith(".yaml"):
            raw = yaml.safe_load(entry.read_text(encoding="utf-8"))
            codes = [item["code"] for item in raw["codes"]]
            assert len(codes) == len(set(codes)), entry.name


@pytest.mark.parametrize("list_id", REQUIRED_LISTS)
def test_every_code_has_a_real_description(list_id: str) -> None:
    """Descriptions are words, not the code repeated: at least 2 characters and unlike the code."""
    for item in code_list(list_id).codes:
        assert len(item.description) >= 2, item.code
        assert item.description.strip() != item.code, item.code


@pytest.mark.parametrize("list_id", REQUIRED_LISTS)
def test_codes_are_short_and_have_no_spaces(list_id: str) -> None:
    """Codes are stored and exported as they are: 1 to 20 characters, upper case, no spaces."""
    for item in code_list(list_id).codes:
        assert 1 <= len(item.code) <= 20, item.code
        assert item.code == item.code.upper(), item.code
        assert " " not in item.code, item.code


@pytest.mark.parametrize("list_id", LOCAL_LISTS)
def test_local_lists_say_source_local(list_id: str) -> None:
    """A list that is not DfE's says `source: local` and explains itself in the title."""
    codes = code_list(list_id)
    assert codes.source == "local"
    assert "local" in codes.title


@pytest.mark.parametrize("list_id", DFE_LISTS)
def test_dfe_lists_name_their_source(list_id: str) -> None:
    """A DfE list names DfE guidance as its source."""
    assert "DfE" in code_list(list_id).source


@pytest.mark.parametrize("list_id", REQUIRED_LISTS)
def test_every_list_has_codes_on_every_collection_day(list_id: str) -> None:
    """On 1 April and 31 March of 2024-25, 2025-26 and 2026-27 each list offers some code."""
    for day in COLLECTION_DAYS:
        assert code_list(list_id).valid_on(day), day


# --------------------------------------------------------------------------- SSDA903 facts

PLACE_2023_24 = {
    *("A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5"),
    *("S1", "T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6", "Z1"),
}
PLACE_2025_26 = {
    *("A3", "A4", "A5", "A6", "K1", "K2", "K3", "P1", "P3", "R1", "R2", "R3", "R5", "S1"),
    *("T0", "T1", "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6"),
    *("Z11", "Z12", "Z13", "Z14"),
}


def test_place_2023_24_matches_validator() -> None:
    """lac2022_23 rule 146 (unchanged in lac2023_24): 27 codes incl. H5, P2, Z1; no K3."""
    assert codes_on("PLACE", IN_2023_24) == PLACE_2023_24


def test_place_2024_25_adds_k3() -> None:
    """lac2024_25 rule 146 = 2023-24 plus K3 (the validator spells it 'k3', a known bug)."""
    assert codes_on("PLACE", IN_2024_25) == PLACE_2023_24 | {"K3"}


def test_place_2025_26_and_2026_27_match_validator() -> None:
    """lac2025_26 rule 146 (kept in lac2026_27): H5, P2, Z1 gone; Z11-Z14 new; 29 codes."""
    assert codes_on("PLACE", IN_2025_26) == PLACE_2025_26
    assert codes_on("PLACE", IN_2026_27) == PLACE_2025_26


def test_rec_matches_validator() -> None:
    """lac rule 149 (all years 2022-23 to 2026-27): 22 reasons an episode ceased."""
    expected = {
        *("E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48"),
        *("E5", "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1"),
    }
    for day in (IN_2024_25, IN_2025_26, IN_2026_27):
        assert codes_on("REC", day) == expected


def test_legal_status_matches_validator_less_freeing_orders() -> None:
    """lac rule 144 lists 13 codes; D1 (freeing order) is refused after 2005 by rule 445."""
    expected = {"C1", "C2", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3"}
    assert codes_on("LEGAL_STATUS", IN_2025_26) == expected
    assert "D1" in codes_on("LEGAL_STATUS", date(2005, 6, 1))


def test_small_903_lists_match_validator() -> None:
    """RNE (143), PLACE_PROVIDER (178), RPC (1009), MISSING (1006), SDQ_REASON (196),
    REVIEW_CODE (167), PREV_PERM (631), SEX_ADOPTR (176), LS_ADOPTR (177), RD (120)."""
    expected = {
        "RNE": {"S", "P", "L", "T", "U", "B"},
        "PLACE_PROVIDER": {"PR0", "PR1", "PR2", "PR3", "PR4", "PR5"},
        "REASON_PLACE_CHANGE": {
            *("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD"),
            *("LAREQ", "PLACE", "CUSTOD", "OTHER"),
        },
        "MISSING_TYPE": {"M", "A"},
        "SDQ_REASON": {"SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"},
        "REVIEW_PARTICIPATION": {"PN0", "PN1", "PN2", "PN3", "PN4", "PN5", "PN6", "PN7"},
        "PREVIOUS_PERMANENCE": {"P1", "P2", "P3", "P4", "Z1"},
        "ADOPTER_SEX": {"M1", "F1", "MM", "FF", "MF"},
        "ADOPTER_LEGAL_STATUS": {"L0", "L11", "L12", "L2", "L3", "L4"},
        "ADOPTION_PLACEMENT_CEASED": {"RD1", "RD2", "RD3", "RD4"},
    }
    for list_id, codes in expected.items():
        assert codes_on(list_id, IN_2025_26) == codes, list_id


def test_care_leaver_lists_match_validator() -> None:
    """OC3: IN_TOUCH (131) 6 codes, ACTIV (132) 12 codes, ACCOM (133) 31 codes."""
    assert codes_on("CARE_LEAVER_IN_TOUCH", IN_2025_26) == {
        "YES",
        "NO",
        "DIED",
        "REFU",
        "NREQ",
        "RHOM",
    }
    assert codes_on("CARE_LEAVER_ACTIVITY", IN_2025_26) == {
        *("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"),
    }
    assert codes_on("CARE_LEAVER_ACCOMMODATION", IN_2025_26) == {
        *("B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2"),
        *("R1", "R2", "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2"),
        *("Z1", "Z2", "0"),
    }


def test_sw_change_reasons_start_with_2023_24() -> None:
    """SW13STG1: 10 reasons, required for social worker episodes from 1 April 2023."""
    assert codes_on("SW_CHANGE_REASON", IN_2025_26) == {
        *("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN"),
        *("SWDIED", "OTHERS"),
    }
    assert codes_on("SW_CHANGE_REASON", date(2023, 3, 31)) == set()


def test_sex_codes_by_year() -> None:
    """903 rule 101 / CIN rule 4180: M, F, U from 2024-25; before, 1, 2 (903) and 0, 9 (CIN)."""
    assert codes_on("SEX", IN_2023_24) == {"1", "2", "0", "9"}
    for day in (IN_2024_25, IN_2025_26, IN_2026_27):
        assert codes_on("SEX", day) == {"M", "F", "U"}


def test_upn_unknown_covers_both_returns() -> None:
    """UN1-UN5 (903 rule 168) and UN6-UN7 (CIN only); UN6/UN7 descriptions say CIN only."""
    assert codes_on("UPN_UNKNOWN", IN_2025_26) == {f"UN{n}" for n in range(1, 8)}
    for code in ("UN6", "UN7"):
        item = code_list("UPN_UNKNOWN").get(code)
        assert item is not None
        assert "CIN census only" in item.description


# --------------------------------------------------------------------------- CIN facts


def test_referral_source_matches_validator() -> None:
    """CIN rule 8866: 22 sources, 1A to 10, with 5D (early help) from 2022-23."""
    expected = {
        *("1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4"),
        *("5A", "5B", "5C", "5D", "6", "7", "8", "9", "10"),
    }
    assert codes_on("REFERRAL_SOURCE", IN_2025_26) == expected
    assert "5D" not in codes_on("REFERRAL_SOURCE", date(2021, 6, 1))


def test_assessment_factors_match_validator_without_withdrawn_codes() -> None:
    """CIN rule 8897Q lists 44 factors; 18A and 19A are withdrawn (queried by 8945Q/8950Q)."""
    expected = {
        *("1A", "1B", "1C", "2A", "2B", "2C", "3A", "3B", "3C", "4A", "4B", "4C", "5A", "5B"),
        *("5C", "6A", "6B", "6C", "7A", "8B", "8C", "8D", "8E", "8F", "9A", "10A", "11A"),
        *("12A", "13A", "14A", "15A", "16A", "17A", "18B", "18C", "19B", "19C", "20", "21"),
        *("22A", "23A", "24A"),
    }
    assert codes_on("ASSESSMENT_FACTOR", IN_2025_26) == expected
    assert "18A" in codes_on("ASSESSMENT_FACTOR", date(2019, 6, 1))


def test_closure_reasons_rc1_to_rc9_valid_throughout() -> None:
    """CIN rule 8640: RC1-RC9 on every day of 2024-25 to 2026-27; RC9 not before 2022-23."""
    for day in COLLECTION_DAYS:
        assert codes_on("CLOSURE_REASON", day) == {f"RC{n}" for n in range(1, 10)}
    assert codes_on("CLOSURE_REASON", date(2021, 6, 1)) == {f"RC{n}" for n in range(1, 9)}


def test_primary_need_abuse_category_ethnicity_disability_match_validator() -> None:
    """CIN rules 8650 (N0-N9), 8905 (abuse), 4220 (20 ethnicities), 8540 (13 disabilities)."""
    assert codes_on("CIN_PRIMARY_NEED", IN_2025_26) == {f"N{n}" for n in range(10)}
    assert codes_on("CATEGORY_OF_ABUSE", IN_2025_26) == {"NEG", "PHY", "SAB", "EMO", "MUL"}
    assert codes_on("ETHNICITY", IN_2025_26) == {
        *("ABAN", "AIND", "AOTH", "APKN", "BAFR", "BCRB", "BOTH", "CHNE", "MOTH", "MWAS"),
        *("MWBA", "MWBC", "NOBT", "OOTH", "REFU", "WBRI", "WIRI", "WIRT", "WOTH", "WROM"),
    }
    assert codes_on("DISABILITY", IN_2025_26) == {
        *("NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON"),
        *("AUT", "DDA"),
    }


# --------------------------------------------------------------------------- local lists


def test_contact_decisions_mirror_ssd_outcome_flags() -> None:
    """The SSD contact outcome flags all have a decision (NEW_REFERRAL is REFERRAL here)."""
    assert codes_on("CONTACT_DECISION", IN_2025_26) >= {
        *("NFA", "ADVICE", "EARLY_HELP", "REFERRAL", "EXISTING_REFERRAL", "CP_ENQUIRY"),
        *("PRIVATE_FOSTERING", "MISSING", "OLA_CP"),
    }


def test_level_of_need_is_a_four_level_continuum() -> None:
    """Levels 1 (universal) to 4 (acute / child protection)."""
    assert [item.code for item in code_list("LEVEL_OF_NEED").codes] == ["1", "2", "3", "4"]


def test_permanence_order_types_name_their_rec_codes() -> None:
    """ADOPTION names E11/E12, SGO names E45-E48, CAO names E41."""
    orders = code_list("PERMANENCE_ORDER_TYPE")
    descriptions = {item.code: item.description for item in orders.codes}
    assert "E11" in descriptions["ADOPTION"]
    assert "E12" in descriptions["ADOPTION"]
    assert "E45-E48" in descriptions["SGO"]
    assert "E41" in descriptions["CAO"]


def test_child_arrangements_orders_replace_residence_orders_on_22_april_2014() -> None:
    """Children and Families Act 2014: RESIDENCE_ORDER to 2014-04-21, CAO from 2014-04-22."""
    assert codes_on("PERMANENCE_ORDER_TYPE", date(2014, 4, 21)) == {
        "ADOPTION",
        "SGO",
        "RESIDENCE_ORDER",
    }
    assert codes_on("PERMANENCE_ORDER_TYPE", date(2014, 4, 22)) == {"ADOPTION", "SGO", "CAO"}
