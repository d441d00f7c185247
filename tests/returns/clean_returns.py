"""Hand-built returns that break none of DfE's rules: the clean base for injected-error tests.

A handful of synthetic children in Manchester (ONS E08000003, DfE 352) for the 2025-26
collection year (1 April 2025 to 31 March 2026, ``YEAR = 2026``), written the way the
returns are sent: 903 tables with DfE's column names and dd/mm/YYYY text, CIN tables as the
flat tables DfE's CIN validator builds from the XML (ISO dates). Every table is a list of
dicts, one per row, in DfE's column order; the tests copy, change one value and compare.

SSDA903 children:

- ``A1`` (girl, born 12/06/2012) looked after since 15/01/2023 under a full care order in
  long-term foster care in the city: two reviews, two short missing episodes, OC2 (looked
  after 12 months at 31 March), one social worker since care began.
- ``A2`` (boy, born 20/08/2021) came into care on 10/05/2025 (interim care order), still
  looked after: reviewed once before his 4th birthday (PN0) and once after (PN1); previous
  permanence none (Z1).
- ``A3`` (girl, born 03/03/2009) accommodated under section 20 on 01/06/2025, moved from
  foster care to a children's home on 20/09/2025 (X1 then P, reason CARPL) and went home to
  her parents on 15/12/2025 (E4A). One missing episode; her social worker's episode stays
  open, as DfE's SW12/SW17 together require.
- ``A4`` (boy, born 10/11/2006) a care leaver in the OC3 cohort (19th birthday in the year),
  in touch, in full-time training, in semi-independent accommodation.

CIN census children are described above ``clean_cin``.
"""

from __future__ import annotations

import copy
from typing import Final

YEAR: Final = 2026
LA_ONS: Final = "E08000003"

Row = dict[str, str | None]
Tables = dict[str, list[Row]]

COLUMNS_903: Final[dict[str, tuple[str, ...]]] = {
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": (
        "CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
        "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN",
    ),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": (
        "CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
        "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
        "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED",
    ),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": (
        "CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
        "LS_ADOPTR",
    ),
    "PlacedAdoption": (
        "CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED",
    ),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
}

_N = None

_903: Final[dict[str, list[tuple[str | None, ...]]]] = {
    "Header": [
        ("A1", "F", "12/06/2012", "WBRI", "X352251000001", "0", _N),
        ("A2", "M", "20/08/2021", "BAFR", "L352251000002", _N, _N),
        ("A3", "F", "03/03/2009", "WBRI", "A352251000003", "0", _N),
        ("A4", "M", "10/11/2006", "WBRI", "P352251000004", _N, _N),
    ],
    "Episodes": [
        ("A1", "15/01/2023", "S", "C2", "N1", "U4", "PR1", _N, _N, _N,
         "M1 1AA", "M1 1AD", "SC100001"),
        ("A2", "10/05/2025", "S", "C1", "N1", "U4", "PR1", _N, _N, _N,
         "M1 1AE", "M1 1AF", "SC100001"),
        ("A3", "01/06/2025", "S", "V2", "N2", "U4", "PR1", "20/09/2025", "X1", "CARPL",
         "M1 1AA", "M1 1AD", "SC100001"),
        ("A3", "20/09/2025", "P", "V2", "N2", "K2", "PR1", "15/12/2025", "E4A", _N,
         "M1 1AA", "M1 1AE", "SC100002"),
    ],
    "Reviews": [
        ("A1", "12/06/2012", "10/07/2025", "PN1"),
        ("A1", "12/06/2012", "08/01/2026", "PN3"),
        ("A2", "20/08/2021", "02/06/2025", "PN0"),
        ("A2", "20/08/2021", "28/10/2025", "PN1"),
        ("A3", "03/03/2009", "25/06/2025", "PN1"),
        ("A3", "03/03/2009", "05/11/2025", "PN2"),
    ],
    "UASC": [],
    "OC2": [
        ("A1", "12/06/2012", "14", _N, "0", _N, "1", "1", "1", "0", _N, _N),
    ],
    "OC3": [
        ("A4", "10/11/2006", "YES", "F2", "S2"),
    ],
    "AD1": [],
    "PlacedAdoption": [],
    "PrevPerm": [
        ("A2", "20/08/2021", "Z1", _N, _N),
        ("A3", "03/03/2009", "Z1", _N, _N),
    ],
    "Missing": [
        ("A1", "12/06/2012", "M", "03/09/2025", "05/09/2025"),
        ("A1", "12/06/2012", "A", "14/11/2025", "15/11/2025"),
        ("A3", "03/03/2009", "M", "01/10/2025", "02/10/2025"),
    ],
    "SWEpisodes": [
        ("A1", "12/06/2012", "SW1001", "15/01/2023", _N, "FCONTA"),
        ("A2", "20/08/2021", "SW1002", "10/05/2025", _N, "FCONTA"),
        ("A3", "03/03/2009", "SW1003", "01/06/2025", _N, "FCONTA"),
    ],
}


def clean_903() -> Tables:
    """A fresh copy of the clean SSDA903 return (every table, DfE's column names)."""
    return {
        table: [dict(zip(COLUMNS_903[table], row, strict=True)) for row in rows]
        for table, rows in _903.items()
    }


def copy_tables(tables: Tables) -> Tables:
    return copy.deepcopy(tables)


# CIN census: the flat tables DfE's CIN validator builds from the XML (cin_validator's
# XMLtoCSV names). CINdetailsID, AssessmentID and CPPID count from 1 within their parent,
# as the validator numbers them. Dates are ISO, as in the XML.
COLUMNS_CIN: Final[dict[str, tuple[str, ...]]] = {
    "Header": (
        "Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
        "Release", "SerialNo", "DateTime",
    ),
    "ChildIdentifiers": (
        "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
        "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate",
    ),
    "ChildCharacteristics": ("LAchildID", "Ethnicity"),
    "Disabilities": ("LAchildID", "Disability"),
    "CINdetails": (
        "LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode",
        "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA",
    ),
    "Assessments": (
        "LAchildID", "CINdetailsID", "AssessmentID", "AssessmentActualStartDate",
        "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
    ),
    "AssessmentFactorsList": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactor"),
    "CINplanDates": ("LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate"),
    "Section47": (
        "LAchildID", "CINdetailsID", "S47ActualStartDate", "InitialCPCtarget",
        "DateOfInitialCPC", "ICPCnotRequired",
    ),
    "ChildProtectionPlans": (
        "LAchildID", "CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate",
        "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP",
    ),
    "Reviews": ("LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"),
}

CinRow = dict[str, str | int | None]
CinTables = dict[str, list[CinRow]]

_CIN: Final[dict[str, list[tuple[str | int | None, ...]]]] = {
    "Header": [
        ("CIN", "2026", "2026-03-31", "L", "352", "goldenthread", "1", "1",
         "2026-05-01T09:00:00"),
    ],
    "ChildIdentifiers": [
        ("B1", "T352251000006", _N, _N, "2016-02-14", _N, _N, "F", _N),
        ("B2", "G352251000007", _N, _N, "2013-09-30", _N, _N, "M", _N),
        ("B3", "W352251000008", _N, _N, "2018-07-02", _N, _N, "M", _N),
        ("B4", _N, _N, "UN1", _N, "2026-05-10", _N, "U", _N),
    ],
    "ChildCharacteristics": [
        ("B1", "WBRI"), ("B2", "APKN"), ("B3", "MWBC"), ("B4", "NOBT"),
    ],
    "Disabilities": [
        ("B1", "AUT"), ("B1", "COMM"),
        ("B2", "MOB"), ("B2", "HAND"), ("B2", "PC"), ("B2", "INC"), ("B2", "LD"),
        ("B2", "HEAR"),
        ("B3", "NONE"),
    ],
    "CINdetails": [
        ("B1", 1, "2025-05-06", "5A", "N1", _N, _N, _N, "0"),
        ("B2", 1, "2025-04-15", "1A", "N3", "2025-12-01", "RC7", _N, "0"),
        ("B3", 1, "2025-10-02", "2A", _N, "2025-10-02", "RC7", _N, "1"),
        ("B4", 1, "2026-02-09", "3B", "N2", _N, _N, _N, "0"),
    ],
    "Assessments": [
        ("B1", 1, 1, "2025-05-07", _N, "2025-06-10"),
        ("B2", 1, 1, "2025-04-16", _N, "2025-05-20"),
        ("B4", 1, 1, "2026-02-10", _N, _N),
    ],
    "AssessmentFactorsList": [
        ("B1", 1, 1, "2A"), ("B1", 1, 1, "3A"),
        ("B2", 1, 1, "1B"),
    ],
    "CINplanDates": [
        ("B2", 1, "2025-05-21", "2025-12-01"),
    ],
    "Section47": [
        ("B1", 1, "2025-05-20", "2025-06-10", "2025-06-09", "0"),
    ],
    "ChildProtectionPlans": [
        ("B1", 1, 1, "2025-06-09", _N, "NEG", "NEG", "0"),
    ],
    "Reviews": [
        ("B1", 1, 1, "2025-09-01"),
    ],
}


def clean_cin() -> CinTables:
    """A fresh copy of the clean CIN census, as DfE's CIN validator's flat tables.

    - ``B1`` (girl, born 14/02/2016) referred 06/05/2025 by the police (5A); assessment
      07/05–10/06/2025 (factors 2A, 3A); section 47 from 20/05/2025, initial conference
      09/06/2025 (target 10/06); child protection plan for neglect from 09/06/2025, reviewed
      01/09/2025, still open; autism and communication needs.
    - ``B2`` (boy, born 30/09/2013) referred 15/04/2025; assessment 16/04–20/05/2025
      (factor 1B); CIN plan 21/05–01/12/2025; case closed 01/12/2025 (RC7); six disability
      codes, so the return uses at least eight (DfE query 2887Q).
    - ``B3`` (boy, born 02/07/2018) referred 02/10/2025, no further action (closed the same
      day, RC7: no assessment, so not RC8); no disability.
    - ``B4`` an unborn child due 10/05/2026 (sex U, UPN unknown UN1, ethnicity not yet
      obtained) referred 09/02/2026; assessment started 10/02/2026 and still open.
    """
    return {
        table: [dict(zip(COLUMNS_CIN[table], row, strict=True)) for row in rows]
        for table, rows in _CIN.items()
    }
