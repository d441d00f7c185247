"""The return tables our rules read, with DfE's names for tables and columns.

SSDA903: the tables and columns of DfE's CSV files (``lac_validator.config.column_names``);
dates are dd/mm/YYYY text as sent, or DATE columns. CIN census: the flat tables DfE's CIN
validator builds from the XML (``cin_validator.ingress.XMLtoCSV``), so the same tables can be
handed to both; CINdetailsID, AssessmentID and CPPID number the blocks within their parent
from 1, as that validator does, and dates are ISO text or DATE columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

ReturnName = Literal["903", "cin"]
RETURN_NAMES: Final[tuple[ReturnName, ...]] = ("903", "cin")


@dataclass(frozen=True)
class TableSpec:
    """One input table: its columns in DfE's order and which of them hold dates or counters."""

    name: str
    columns: tuple[str, ...]
    dates: frozenset[str] = frozenset()
    integers: frozenset[str] = frozenset()
    child: str | None = "CHILD"  # the column naming the child; None for the CIN header

    def __post_init__(self) -> None:
        named = self.dates | self.integers | ({self.child} if self.child else set())
        unknown = named - set(self.columns)
        if unknown:
            raise ValueError(f"{self.name}: {sorted(unknown)} are not columns of the table")


def _specs(*specs: TableSpec) -> dict[str, TableSpec]:
    return {spec.name: spec for spec in specs}


SSDA903_TABLES: Final = _specs(
    TableSpec(
        "Header", ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
        dates=frozenset({"DOB", "MC_DOB"}),
    ),
    TableSpec(
        "Episodes",
        ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
         "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
        dates=frozenset({"DECOM", "DEC"}),
    ),
    TableSpec(
        "Reviews", ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
        dates=frozenset({"DOB", "REVIEW"}),
    ),
    TableSpec("UASC", ("CHILD", "SEX", "DOB", "DUC"), dates=frozenset({"DOB", "DUC"})),
    TableSpec(
        "OC2",
        ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
         "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
         "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
        dates=frozenset({"DOB"}),
    ),
    TableSpec("OC3", ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"), dates=frozenset({"DOB"})),
    TableSpec(
        "AD1",
        ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
         "LS_ADOPTR"),
        dates=frozenset({"DOB", "DATE_INT", "DATE_MATCH"}),
    ),
    TableSpec(
        "PlacedAdoption",
        ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        dates=frozenset({"DOB", "DATE_PLACED", "DATE_PLACED_CEASED"}),
    ),
    TableSpec(
        "PrevPerm", ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
        dates=frozenset({"DOB", "DATE_PERM"}),
    ),
    TableSpec(
        "Missing", ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
        dates=frozenset({"DOB", "MIS_START", "MIS_END"}),
    ),
    TableSpec(
        "SWEpisodes", ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        dates=frozenset({"DOB", "SW_DECOM", "SW_DEC"}),
    ),
    TableSpec(
        "DoLo", ("CHILD", "DOB", "DOLO_START", "DOLO_END"),
        dates=frozenset({"DOB", "DOLO_START", "DOLO_END"}),
    ),
)

_IDS = frozenset({"CINdetailsID"})

CIN_TABLES: Final = _specs(
    TableSpec(
        "Header",
        ("Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
         "Release", "SerialNo", "DateTime"),
        dates=frozenset({"ReferenceDate"}),
        child=None,
    ),
    TableSpec(
        "ChildIdentifiers",
        ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
         "ExpectedPersonBirthDate", "GenderCurrent", "Sex", "PersonDeathDate"),
        dates=frozenset({"PersonBirthDate", "ExpectedPersonBirthDate", "PersonDeathDate"}),
        child="LAchildID",
    ),
    TableSpec("ChildCharacteristics", ("LAchildID", "Ethnicity"), child="LAchildID"),
    TableSpec("Disabilities", ("LAchildID", "Disability"), child="LAchildID"),
    TableSpec(
        "CINdetails",
        ("LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource", "PrimaryNeedCode",
         "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA"),
        dates=frozenset({"CINreferralDate", "CINclosureDate", "DateOfInitialCPC"}),
        integers=_IDS,
        child="LAchildID",
    ),
    TableSpec(
        "Assessments",
        ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentActualStartDate",
         "AssessmentInternalReviewDate", "AssessmentAuthorisationDate"),
        dates=frozenset({"AssessmentActualStartDate", "AssessmentInternalReviewDate",
                         "AssessmentAuthorisationDate"}),
        integers=_IDS | {"AssessmentID"},
        child="LAchildID",
    ),
    TableSpec(
        "AssessmentFactorsList",
        ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactor"),
        integers=_IDS | {"AssessmentID"},
        child="LAchildID",
    ),
    TableSpec(
        "CINplanDates", ("LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate"),
        dates=frozenset({"CINPlanStartDate", "CINPlanEndDate"}),
        integers=_IDS,
        child="LAchildID",
    ),
    TableSpec(
        "Section47",
        ("LAchildID", "CINdetailsID", "S47ActualStartDate", "InitialCPCtarget",
         "DateOfInitialCPC", "ICPCnotRequired"),
        # InitialCPCtarget stays text: DfE's validator only parses columns named "...date...".
        dates=frozenset({"S47ActualStartDate", "DateOfInitialCPC"}),
        integers=_IDS,
        child="LAchildID",
    ),
    TableSpec(
        "ChildProtectionPlans",
        ("LAchildID", "CINdetailsID", "CPPID", "CPPstartDate", "CPPendDate",
         "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP"),
        dates=frozenset({"CPPstartDate", "CPPendDate"}),
        integers=_IDS | {"CPPID"},
        child="LAchildID",
    ),
    TableSpec(
        "Reviews", ("LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"),
        dates=frozenset({"CPPreviewDate"}),
        integers=_IDS | {"CPPID"},
        child="LAchildID",
    ),
)

TABLES: Final[dict[ReturnName, dict[str, TableSpec]]] = {"903": SSDA903_TABLES, "cin": CIN_TABLES}
