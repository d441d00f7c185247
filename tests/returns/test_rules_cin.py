"""Our CIN census rules against DfE's: one injected error, the same rule for the same child.

Each case changes the clean 2025-26 census (``clean_returns.clean_cin``: B1 on a child
protection plan, B2 a closed CIN plan case, B3 a referral with no further action, B4 an
unborn child under assessment) in one place. Our engine must report exactly the injected
rule for exactly the named child, and DfE's CIN validator (the referee, run once for every
case) must report that rule for that child too, on the same row.
"""

from __future__ import annotations

from tests.returns.clean_returns import COLUMNS_CIN, clean_cin
from tests.returns.injected_suite import InjectedErrorSuite, Tables
from tests.returns.rules_referee import RefereeReport
from tests.returns.rules_support import (
    Injection,
    add_row,
    duplicate_row,
    inject,
    rename_child,
    set_values,
)

# DfE's query 2887Q counts the children recorded with disability NONE, not the codes used, so
# it fires on any return with fewer than eight such children: a return-level query about the
# validator, not about our small clean census (see reference/returns.md).
RETURN_LEVEL_ALLOWED = frozenset({"2887Q"})
B1_UPN = "T352251000006"

INJECTIONS: tuple[Injection, ...] = (
    # Child identifiers
    inject("8500", "B3 is sent without his LA child ID (in every table).",
           rename_child("B3", None), None),
    inject("8510", "B4's identifiers are sent twice.", duplicate_row("ChildIdentifiers", 3), "B4"),
    inject("1570", "B3's LA child ID is 21 characters long.",
           rename_child("B3", "B3ABCDEFGHIJKLMNOPQRS"), "B3ABCDEFGHIJKLMNOPQRS"),
    inject("1580", "B3's LA child ID is B-3, with a hyphen.", rename_child("B3", "B-3"), "B-3"),
    inject("8520", "B3's date of birth is 02/04/2026, after the census year.",
           set_values("ChildIdentifiers", 2, PersonBirthDate="2026-04-02"), "B3"),
    inject("8525Q", "B4 has neither a date of birth nor an expected one.",
           set_values("ChildIdentifiers", 3, ExpectedPersonBirthDate=None), "B4"),
    inject("8535Q", "B4, unborn, has a date of death but no date of birth to compare it with.",
           set_values("ChildIdentifiers", 3, PersonDeathDate="2026-03-01"), "B4"),
    inject("8555Q", "B2 died on 10/04/2025, five days before his referral.",
           set_values("ChildIdentifiers", 1, PersonDeathDate="2025-04-10"), "B2"),
    inject("4180", "B1's sex is X.", set_values("ChildIdentifiers", 0, Sex="X"), "B1"),
    inject("4220", "B2's ethnicity is ZZZZ.",
           set_values("ChildCharacteristics", 1, Ethnicity="ZZZZ"), "B2"),
    inject("1510", "B1's UPN has the check letter A instead of T.",
           set_values("ChildIdentifiers", 0, UPN="A" + B1_UPN[1:]), "B1"),
    inject("1520", "B3 is sent with B1's UPN: both records carry the duplicate.",
           set_values("ChildIdentifiers", 2, UPN=B1_UPN), "B1", "B3"),
    inject("1530", "B1's UPN names LA 999 (its check letter right for that).",
           set_values("ChildIdentifiers", 0, UPN="Z999251000006"), "B1"),
    inject("1540", "B1's UPN has a letter at character 9.",
           set_values("ChildIdentifiers", 0, UPN=B1_UPN[:8] + "A" + B1_UPN[9:]), "B1"),
    inject("1550", "B1's UPN ends in I, never used as a 13th character.",
           set_values("ChildIdentifiers", 0, UPN=B1_UPN[:12] + "I"), "B1"),
    inject("8590", "B3's only CIN episode is left out.",
           lambda tables: tables["CINdetails"].pop(2), "B3"),
    # Disabilities
    inject("8540", "B1's autism is sent as XYZ.",
           set_values("Disabilities", 0, Disability="XYZ"), "B1",
           referee_bug="DfE's 8540 names its row column ROW_ID_x, which its reporting cannot "
                       "read, so the rule never reports anything (csc-validator-be-cin 0.1.13)"),
    inject("8790", "B1's second disability is sent as NONE, beside autism.",
           set_values("Disabilities", 1, Disability="NONE"), "B1"),
    inject("8794", "B1's second disability is autism again.",
           set_values("Disabilities", 1, Disability="AUT"), "B1"),
    # CIN details
    inject("8600", "B1's referral date is missing.",
           set_values("CINdetails", 0, CINreferralDate=None), "B1"),
    inject("8606", "B4 (due 10/05/2026) was referred on 01/07/2025, 313 days before.",
           set_values("CINdetails", 3, CINreferralDate="2025-07-01"), "B4"),
    inject("8610", "B1's referral led to action but has no primary need.",
           set_values("CINdetails", 0, PrimaryNeedCode=None), "B1"),
    inject("8620", "B2's case closes on 05/04/2026, after the census year.",
           set_values("CINdetails", 1, CINclosureDate="2026-04-05"), "B2"),
    inject("8630", "B2's case closes (14/04) the day before his referral (15/04).",
           set_values("CINdetails", 1, CINclosureDate="2025-04-14"), "B2"),
    inject("8640", "B2's reason for closure is RC0.",
           set_values("CINdetails", 1, ReasonForClosure="RC0"), "B2"),
    inject("8650", "B1's primary need is N10.",
           set_values("CINdetails", 0, PrimaryNeedCode="N10"), "B1"),
    inject("8866", "B1's referral source is 11.",
           set_values("CINdetails", 0, ReferralSource="11"), "B1"),
    inject("8810", "B1's open case has a reason for closure.",
           set_values("CINdetails", 0, ReasonForClosure="RC7"), "B1"),
    inject("8805", "B2's closed case has no reason for closure.",
           set_values("CINdetails", 1, ReasonForClosure=None), "B2"),
    inject("8568", "B3's no-further-action flag is 'maybe'.",
           set_values("CINdetails", 2, ReferralNFA="maybe"), "B3"),
    inject("8815", "A second open case for B1, referred on 31/03/2026 (the last day, so the "
                   "two do not count as overlapping for 8820).",
           add_row("cin", "CINdetails", LAchildID="B1", CINdetailsID=2,
                   CINreferralDate="2026-03-31", ReferralSource="5A", PrimaryNeedCode="N1",
                   ReferralNFA="0"), "B1"),
    inject("8820", "A second case for B2, referred 01/11/2025 while the first ran to 01/12.",
           add_row("cin", "CINdetails", LAchildID="B2", CINdetailsID=2,
                   CINreferralDate="2025-11-01", ReferralSource="1A", PrimaryNeedCode="N3",
                   CINclosureDate="2026-01-10", ReasonForClosure="RC7", ReferralNFA="0"), "B2"),
    # Assessments and CIN plans
    inject("8608", "B2's assessment is authorised (15/04) before it starts (16/04).",
           set_values("Assessments", 1, AssessmentAuthorisationDate="2025-04-15"), "B2"),
    inject("1103", "B2's assessment starts (14/04) before his referral (15/04).",
           set_values("Assessments", 1, AssessmentActualStartDate="2025-04-14"), "B2"),
    inject("8736", "B4's open assessment starts on 02/04/2026, after the census year.",
           set_values("Assessments", 2, AssessmentActualStartDate="2026-04-02"), "B4"),
    inject("4010", "B2's CIN plan has no start date.",
           set_values("CINplanDates", 0, CINPlanStartDate=None), "B2"),
    inject("4011", "B2's CIN plan ends (20/05) before it starts (21/05).",
           set_values("CINplanDates", 0, CINPlanEndDate="2025-05-20"), "B2"),
    inject("4013", "B2's CIN plan ends on 02/04/2026, after the census year.",
           set_values("CINplanDates", 0, CINPlanEndDate="2026-04-02"), "B2"),
    inject("4015", "B2's CIN plan starts (14/04) before his referral (15/04).",
           set_values("CINplanDates", 0, CINPlanStartDate="2025-04-14"), "B2"),
    inject("4004", "Two open CIN plans are sent for B4's case (one record too many).",
           lambda tables: tables["CINplanDates"].extend([
               {"LAchildID": "B4", "CINdetailsID": 1, "CINPlanStartDate": "2026-02-20",
                "CINPlanEndDate": None},
               {"LAchildID": "B4", "CINdetailsID": 1, "CINPlanStartDate": "2026-03-01",
                "CINPlanEndDate": None},
           ]), "B4"),
    # Section 47 enquiries
    inject("2889", "B1's section 47 enquiry starts (05/05) before her referral (06/05).",
           set_values("Section47", 0, S47ActualStartDate="2025-05-05"), "B1"),
    inject("1104", "B1's initial conference is dated 05/05, before her referral (06/05) - and "
                   "so before the enquiry began (20/05), which 8615 reports too.",
           set_values("Section47", 0, DateOfInitialCPC="2025-05-05"), "B1", also=("8615",)),
    inject("8615", "B1's enquiry starts (10/06) after its initial conference (09/06).",
           set_values("Section47", 0, S47ActualStartDate="2025-06-10"), "B1"),
    inject("8715", "B1's initial conference is dated 06/04/2026, after the census year.",
           set_values("Section47", 0, DateOfInitialCPC="2026-04-06"), "B1"),
    inject("8740", "An enquiry for B4 starts on 01/04/2026, after the census year, with its "
                   "conference still required.",
           add_row("cin", "Section47", LAchildID="B4", CINdetailsID=1,
                   S47ActualStartDate="2026-04-01", ICPCnotRequired="0"), "B4"),
    inject("8875", "B1's initial conference is on a Saturday (07/06/2025).",
           set_values("Section47", 0, DateOfInitialCPC="2025-06-07"), "B1"),
    inject("8868", "B2's closed case has an enquiry with neither conference nor 'not "
                   "required'.",
           add_row("cin", "Section47", LAchildID="B2", CINdetailsID=1,
                   S47ActualStartDate="2025-05-01", ICPCnotRequired="0"), "B2"),
    # Child protection plans and reviews
    inject("1105", "B1's plan starts (05/05) before her referral (06/05).",
           set_values("ChildProtectionPlans", 0, CPPstartDate="2025-05-05"), "B1"),
    inject("8720", "B1's plan has no start date.",
           set_values("ChildProtectionPlans", 0, CPPstartDate=None), "B1"),
    inject("8840", "B1's plan ends the day it starts (09/06).",
           set_values("ChildProtectionPlans", 0, CPPendDate="2025-06-09"), "B1"),
    inject("8925", "B1's plan ends (08/06) before it starts (09/06).",
           set_values("ChildProtectionPlans", 0, CPPendDate="2025-06-08"), "B1"),
    inject("8930", "B1's plan ends on 02/04/2026, after the census year.",
           set_values("ChildProtectionPlans", 0, CPPendDate="2026-04-02"), "B1"),
    inject("8905", "B1's initial category of abuse is BAD.",
           set_values("ChildProtectionPlans", 0, InitialCategoryOfAbuse="BAD"), "B1"),
    inject("8910", "B1's latest category of abuse is missing.",
           set_values("ChildProtectionPlans", 0, LatestCategoryOfAbuse=None), "B1"),
    inject("8730", "B1's number of previous plans is missing.",
           set_values("ChildProtectionPlans", 0, NumberOfPreviousCPP=None), "B1"),
    inject("8935", "B1's open plan is sent twice.", duplicate_row("ChildProtectionPlans", 0), "B1"),
    inject("8940", "A second plan for B1 starts 01/08/2025 while the first is open.",
           add_row("cin", "ChildProtectionPlans", LAchildID="B1", CINdetailsID=1, CPPID=2,
                   CPPstartDate="2025-08-01", InitialCategoryOfAbuse="NEG",
                   LatestCategoryOfAbuse="NEG", NumberOfPreviousCPP="0"), "B1"),
    inject("8841", "B1's plan is reviewed the day it starts (09/06).",
           set_values("Reviews", 0, CPPreviewDate="2025-06-09"), "B1"),
)


class TestRulesCin(InjectedErrorSuite):
    RETURN = "cin"
    INJECTIONS = INJECTIONS
    COLUMNS = COLUMNS_CIN

    @classmethod
    def clean(cls) -> Tables:
        return clean_cin()

    def test_dfe_finds_nothing_in_the_clean_census(self, referee: dict[str, RefereeReport]) -> None:
        report = referee["clean"]

        assert [i for i in report.issues if i.code not in RETURN_LEVEL_ALLOWED] == []
        assert all(i.child is None and i.table is None for i in report.issues)
        assert report.crashed == ()
