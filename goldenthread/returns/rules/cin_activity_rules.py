"""CIN census rules on the work within an episode: assessments, CIN plans, section 47
enquiries, child protection plans and their reviews (csc-validator-be-cin 0.1.13).

Several of DfE's cross-record rules pair records by their counters in ways their messages
do not say: 8935 counts open plans per (child, CPPID) and 8940 compares plans only when
their CPPIDs differ, and CPPID restarts at 1 in each CIN episode. We follow DfE's code.
"""

# ruff: noqa: S608 - SQL here is built from our own constants and DfE's column names, never input

from __future__ import annotations

from typing import Final

from goldenthread.returns.rules.cin_rules import (
    ABUSE,
    before_referral,
    cin_code,
    cin_row,
    cin_rule,
)
from goldenthread.returns.rules.framework import Rule

_ICPC_NOT_REQUIRED: Final = "('1', 'true')"

_ASSESSMENTS: Final = (
    cin_row("8608", "Assessments", ("AssessmentActualStartDate", "AssessmentAuthorisationDate"),
         "AssessmentActualStartDate > AssessmentAuthorisationDate",
         "Assessment Start Date cannot be later than its End Date"),
    before_referral("1103", "Assessments", "AssessmentActualStartDate",
                     "The assessment start date cannot be before the referral date"),
    cin_row("8736", "Assessments", ("AssessmentAuthorisationDate", "AssessmentActualStartDate"),
         "CINdetailsID IS NOT NULL AND AssessmentAuthorisationDate IS NULL AND NOT coalesce("
         "AssessmentActualStartDate >= {start} AND AssessmentActualStartDate <= {end}, false)",
         "For an Assessment that has not been completed, the start date must fall within the "
         "census year",
         note="An open assessment with no start date fails too, as in DfE's code."),
)

_PLANS: Final = (
    cin_row("4010", "CINplanDates", ("CINPlanStartDate",),
         "CINPlanStartDate IS NULL OR CINPlanStartDate > {end}",
         "CIN Plan start date is missing or out of data collection period"),
    cin_row("4011", "CINplanDates", ("CINPlanEndDate", "CINPlanStartDate"),
         "CINPlanEndDate < CINPlanStartDate", "CIN Plan End Date earlier than Start Date"),
    cin_row("4013", "CINplanDates", ("CINPlanEndDate",),
         "CINPlanEndDate < {start} OR CINPlanEndDate > {end}",
         "CIN Plan end date must fall within the census year"),
    before_referral("4015", "CINplanDates", "CINPlanStartDate",
                     "The CIN Plan start date cannot be before the referral date"),
    cin_rule("4004", "CINplanDates", ("CINPlanEndDate",),
          "This child is showing more than one open CIN Plan, i.e. with no End Date", """
        SELECT LAchildID AS child, row_id FROM {CINplanDates}
        WHERE (LAchildID, CINdetailsID) IN (
            SELECT (LAchildID, CINdetailsID) FROM {CINplanDates} WHERE CINPlanEndDate IS NULL
            GROUP BY LAchildID, CINdetailsID HAVING count(*) > 1)
    """),
)

_SECTION_47: Final = (
    before_referral("2889", "Section47", "S47ActualStartDate",
                     "The S47 start date cannot be before the referral date."),
    before_referral("1104", "Section47", "DateOfInitialCPC",
                     "The date of the initial child protection conference cannot be before "
                     "the referral date"),
    cin_row("8615", "Section47", ("S47ActualStartDate", "DateOfInitialCPC"),
         "S47ActualStartDate > DateOfInitialCPC "
         "OR (DateOfInitialCPC IS NOT NULL AND S47ActualStartDate IS NULL)",
         "Section 47 Enquiry Start Date must be present and cannot be later than the date of "
         "the initial Child Protection Conference"),
    cin_row("8715", "Section47", ("DateOfInitialCPC",),
         "DateOfInitialCPC < {start} OR DateOfInitialCPC > {end}",
         "Date of Initial Child Protection Conference must fall within the census year"),
    cin_row("8740", "Section47", ("S47ActualStartDate", "DateOfInitialCPC", "ICPCnotRequired"),
         "DateOfInitialCPC IS NULL AND ICPCnotRequired = '0' "
         "AND (S47ActualStartDate < {start} OR S47ActualStartDate > {end})",
         "For a Section 47 Enquiry that has not held the Initial Child Protection Conference by "
         "the end of the census year, the start date must fall within the census year",
         note="DfE's code treats only '0' as 'conference required', not 'false'."),
    cin_row("8875", "Section47", ("DateOfInitialCPC",), "isodow(DateOfInitialCPC) >= 6",
         "The Date of Initial Child Protection Conference cannot be a weekend"),
    cin_rule("8868", "Section47", ("ICPCnotRequired", "CINclosureDate", "DateOfInitialCPC"),
          "CIN episode is shown as closed, however Section 47 enquiry is not shown as completed "
          "by ICPC date or ICPC not required flag", f"""
        SELECT s.LAchildID AS child, s.row_id FROM {{Section47}} s
        JOIN {{CINdetails}} d ON d.LAchildID = s.LAchildID AND d.CINdetailsID = s.CINdetailsID
        WHERE d.CINclosureDate IS NOT NULL AND (
            (s.DateOfInitialCPC IS NULL
             AND NOT coalesce(s.ICPCnotRequired IN {_ICPC_NOT_REQUIRED}, false))
            OR (s.DateOfInitialCPC IS NOT NULL AND s.ICPCnotRequired IN {_ICPC_NOT_REQUIRED}))
    """),
)

_PROTECTION: Final = (
    before_referral("1105", "ChildProtectionPlans", "CPPstartDate",
                     "The child protection plan start date cannot be before the referral date"),
    cin_row("8720", "ChildProtectionPlans", ("CPPstartDate",),
         "CPPID IS NOT NULL AND (CPPstartDate IS NULL OR CPPstartDate > {end})",
         "Child Protection Plan Start Date missing or out of data collection period"),
    cin_row("8840", "ChildProtectionPlans", ("CPPstartDate", "CPPendDate"),
         "CPPstartDate = CPPendDate",
         "Child Protection Plan cannot start and end on the same day"),
    cin_row("8925", "ChildProtectionPlans", ("CPPstartDate", "CPPendDate"),
         "CPPendDate < CPPstartDate", "Child Protection Plan End Date earlier than Start Date"),
    cin_row("8930", "ChildProtectionPlans", ("CPPendDate",),
         "CPPendDate < {start} OR CPPendDate > {end}",
         "Child Protection Plan End Date must fall within the census year"),
    cin_code("8905", "ChildProtectionPlans", "InitialCategoryOfAbuse", ABUSE,
          "Initial Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
          "Census code set)", blank_allowed=False),
    cin_code("8910", "ChildProtectionPlans", "LatestCategoryOfAbuse", ABUSE,
          "Latest Category of Abuse code missing or invalid (see Category of Abuse table in CIN "
          "Census code set)", blank_allowed=False),
    cin_row("8730", "ChildProtectionPlans", ("NumberOfPreviousCPP",),
         "NumberOfPreviousCPP IS NULL OR TRY_CAST(NumberOfPreviousCPP AS INTEGER) < 0",
         "Total Number of previous Child Protection Plans missing"),
    cin_rule("8935", "ChildProtectionPlans", ("CPPendDate",),
          "This child is showing more than one open Child Protection plan, i.e. with no End Date",
          """
        SELECT LAchildID AS child, row_id FROM {ChildProtectionPlans}
        WHERE (LAchildID, CPPID) IN (
            SELECT (LAchildID, CPPID) FROM {ChildProtectionPlans} WHERE CPPendDate IS NULL
            GROUP BY LAchildID, CPPID HAVING count(*) > 1)
    """, note="DfE counts open plans per (child, CPPID), and CPPID restarts in each episode."),
    cin_rule("8940", "ChildProtectionPlans", ("CPPstartDate", "CPPendDate"),
          "Child Protection Plan data contains overlapping dates", """
        WITH pairs AS (
            SELECT a.LAchildID, a.row_id AS later, b.row_id AS earlier
            FROM {ChildProtectionPlans} a JOIN {ChildProtectionPlans} b
              ON a.LAchildID = b.LAchildID AND a.CPPID <> b.CPPID
            WHERE a.CPPstartDate IS NOT NULL AND b.CPPstartDate IS NOT NULL
              AND a.CPPstartDate >= b.CPPstartDate
              AND (a.CPPstartDate <= b.CPPendDate
                   OR (a.CPPstartDate <= {end} AND b.CPPendDate IS NULL)))
        SELECT LAchildID AS child, later AS row_id FROM pairs
        UNION SELECT LAchildID AS child, earlier AS row_id FROM pairs
    """, note="DfE compares two plans only when their CPPIDs differ."),
    cin_rule("8841", "Reviews", ("CPPstartDate", "CPPreviewDate"),
          "The review date cannot be on the same day or before the Child protection Plan start "
          "date.", """
        SELECT r.LAchildID AS child, r.row_id FROM {Reviews} r
        JOIN {ChildProtectionPlans} p ON p.LAchildID = r.LAchildID
             AND p.CINdetailsID = r.CINdetailsID AND p.CPPID = r.CPPID
        WHERE r.CPPreviewDate <= p.CPPstartDate
    """, note="DfE's XML reader keeps only the first review date of each plan; we check "
              "every review given."),
)

RULES_ACTIVITY: Final[tuple[Rule, ...]] = (*_ASSESSMENTS, *_PLANS, *_SECTION_47, *_PROTECTION)
