"""Our SSDA903 rules against DfE's: one injected error, the same rule for the same child.

Each case changes the clean 2025-26 return (``clean_returns``: A1 long-term fostered since
2023, A2 in care since May 2025, A3 moved once and went home in December, A4 a care leaver)
in one place. Our engine must report exactly the injected rule for exactly the named child,
and DfE's own validator (the referee, run once for every case) must report that rule for
that child too, on the same row.
"""

from __future__ import annotations

from tests.returns.clean_returns import COLUMNS_903, clean_903
from tests.returns.injected_suite import InjectedErrorSuite, Tables
from tests.returns.rules_referee import RefereeReport
from tests.returns.rules_support import (
    Injection,
    add_row,
    changes,
    duplicate_row,
    inject,
    set_values,
)

# DfE rules that crash on every return (reference/returns.md): never a finding about our data.
KNOWN_CRASHES = frozenset({"231", "233"})

INJECTIONS: tuple[Injection, ...] = (
    # Header
    inject("101", "A2's sex is sent as X, not M, F or U.", set_values("Header", 1, SEX="X"), "A2"),
    inject("102", "A1's date of birth is 31 February.",
           set_values("Header", 0, DOB="31/02/2012"), "A1"),
    inject("103", "A3's ethnicity is WXYZ.", set_values("Header", 2, ETHNIC="WXYZ"), "A3"),
    inject("168", "A1's UPN starts with I, a letter UPNs never use.",
           set_values("Header", 0, UPN="I352251000001"), "A1"),
    inject("444", "A2 is sent with A1's UPN: both records carry the duplicate.",
           set_values("Header", 1, UPN="X352251000001"), "A1", "A2"),
    inject("INT32", "A4's header is sent twice (the copy with UPN unknown, UN2).",
           duplicate_row("Header", 3, UPN="UN2"), "A4"),
    inject("611", "A1 is recorded as a mother with no date of birth for her child.",
           set_values("Header", 0, MOTHER="1"), "A1"),
    inject("612", "A3 (not a mother) has a child's date of birth recorded.",
           set_values("Header", 2, MC_DOB="01/01/2025"), "A3"),
    inject("620", "A2, aged 3, is recorded as the mother of a child born 01/01/2025.",
           set_values("Header", 1, MOTHER="1", MC_DOB="01/01/2025"), "A2"),
    inject("621", "A3 (born 2009) is recorded as the mother of a child born in 2008.",
           set_values("Header", 2, MOTHER="1", MC_DOB="01/01/2008"), "A3"),
    # Episodes: codes and dates
    inject("141", "A2's episode began on the 10th of month 13.",
           set_values("Episodes", 1, DECOM="10/13/2025"), "A2"),
    inject("143", "A2's reason for new episode is Q.", set_values("Episodes", 1, RNE="Q"), "A2"),
    inject("144", "A1's legal status is C9.", set_values("Episodes", 0, LS="C9"), "A1"),
    inject("145", "A1's category of need is N9.", set_values("Episodes", 0, CIN="N9"), "A1"),
    inject("146", "A2's placement is Z1, retired in 2025-26 for Z11-Z14.",
           set_values("Episodes", 1, PLACE="Z1"), "A2"),
    inject("147", "A3's second episode ended on 32/12/2025.",
           set_values("Episodes", 3, DEC="32/12/2025"), "A3"),
    inject("148", "A3's second episode has an end date but no reason.",
           set_values("Episodes", 3, REC=None), "A3"),
    inject("149", "A3's second episode ended for reason E99.",
           set_values("Episodes", 3, REC="E99"), "A3"),
    inject("178", "A1's placement provider is PR9.",
           set_values("Episodes", 0, PLACE_PROVIDER="PR9"), "A1"),
    inject("1009", "A3's reason for changing placement is MOVED.",
           set_values("Episodes", 2, REASON_PLACE_CHANGE="MOVED"), "A3"),
    inject("356", "A3's second episode ends (19/09) the day before it began (20/09).",
           set_values("Episodes", 3, DEC="19/09/2025"), "A3"),
    inject("354", "A2's episode begins on 02/04/2026, after the year ends.",
           set_values("Episodes", 1, DECOM="02/04/2026"), "A2"),
    inject("385", "A3's second episode ends on 02/04/2026, after the year ends.",
           set_values("Episodes", 3, DEC="02/04/2026"), "A3"),
    inject("380", "A2's care begins in a temporary placement (T4) with reason S.",
           set_values("Episodes", 1, PLACE="T4"), "A2"),
    inject("381", "A3's care ends (E4A) from a temporary placement (T4).",
           set_values("Episodes", 3, PLACE="T4"), "A3"),
    # Episodes: across a child's records
    inject("142", "A3's first episode has neither end date nor reason, yet a second follows.",
           set_values("Episodes", 2, DEC=None, REC=None), "A3"),
    inject("501", "A3's second episode begins 19/09, before the first ends on 20/09.",
           set_values("Episodes", 3, DECOM="19/09/2025"), "A3"),
    inject("302", "A2's first episode begins on 10/05/2021, before his birth (20/08/2021).",
           set_values("Episodes", 1, DECOM="10/05/2021"), "A2"),
    inject("352", "A3's date of birth is 03/03/2007: she was 18 when care began on 01/06/2025.",
           set_values("Header", 2, DOB="03/03/2007"), "A3"),
    inject("358", "A2, aged 3, is looked after on youth justice legal status J2.",
           set_values("Episodes", 1, LS="J2"), "A2"),
    inject("387", "A3 is recorded as born in 2013 and as leaving at 12 to live independently "
                  "(E5): one record of a child too young for E5.",
           changes(set_values("Header", 2, DOB="03/03/2013"),
                   set_values("Episodes", 3, REC="E5")), "A3"),
    # Reviews
    inject("166", "A1's review is dated 31 June.",
           set_values("Reviews", 0, REVIEW="31/06/2025"), "A1"),
    inject("167", "A1's participation code is PN9.",
           set_values("Reviews", 1, REVIEW_CODE="PN9"), "A1"),
    inject("441", "A2's review at age 3 (02/06/2025) is coded PN1, for 4 and over.",
           set_values("Reviews", 2, REVIEW_CODE="PN1"), "A2"),
    inject("440", "A2's review at age 4 (28/10/2025) is coded PN0, for under 4s.",
           set_values("Reviews", 3, REVIEW_CODE="PN0"), "A2"),
    # Missing
    inject("1006", "A3's missing episode is of type X.",
           set_values("Missing", 2, MISSING="X"), "A3"),
    inject("567", "A1's missing episode ends (02/09) before it starts (03/09).",
           set_values("Missing", 0, MIS_END="02/09/2025"), "A1"),
    inject("570", "A2 is recorded missing from 05/04/2026, after the year ends, still missing.",
           add_row("903", "Missing", CHILD="A2", DOB="20/08/2021", MISSING="M",
                   MIS_START="05/04/2026"), "A2"),
    inject("571", "A3's missing episode ends on 02/04/2026, after the year ends.",
           set_values("Missing", 2, MIS_END="02/04/2026"), "A3"),
    inject("574", "A1's second missing episode starts on 04/09, inside the first (03/09-05/09).",
           set_values("Missing", 1, MIS_START="04/09/2025"), "A1"),
    # OC2, OC3
    inject("180", "A1's SDQ score is 41 (the scale is 0-40).",
           set_values("OC2", 0, SDQ_SCORE="41"), "A1"),
    inject("196", "A1's reason for no SDQ is SDQ9.",
           set_values("OC2", 0, SDQ_REASON="SDQ9"), "A1"),
    inject("131", "A4's in-touch status is MAYBE.", set_values("OC3", 0, IN_TOUCH="MAYBE"), "A4"),
    inject("132", "A4's activity is F9.", set_values("OC3", 0, ACTIV="F9"), "A4"),
    inject("133", "A4's accommodation is Q1.", set_values("OC3", 0, ACCOM="Q1"), "A4"),
)


class TestRules903(InjectedErrorSuite):
    RETURN = "903"
    INJECTIONS = INJECTIONS
    COLUMNS = COLUMNS_903

    @classmethod
    def clean(cls) -> Tables:
        return clean_903()

    def test_dfe_finds_nothing_in_the_clean_return(self, referee: dict[str, RefereeReport]) -> None:
        report = referee["clean"]

        assert report.issues == ()
        assert set(report.crashed) <= KNOWN_CRASHES
