"""The children in need census for a census year, from the SSD tables, as DfE's XML.

`flat_tables(con, year)` gives the census as the flat tables DfE's validator reads the XML
into (one Arrow table each: Header, ChildIdentifiers, ChildCharacteristics, Disabilities,
CINdetails, Assessments, AssessmentFactorsList, CINplanDates, Section47,
ChildProtectionPlans, Reviews), numbered as it numbers them (CINdetailsID per child,
AssessmentID and CPPID per CIN episode, from 1). `to_xml` writes those tables as the census
XML in the schema's element order, and `validate_xml` checks a file against the year's
schema (schemas/). The census year is named by its end: 2025 is 1 April 2024 to 31 March
2025, reference date 31 March 2025. Where each field comes from: docs/returns.md.
"""

# ruff: noqa: S608 - SQL built from our own constants and the year's dates (as parameters)

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

import duckdb
import pyarrow as pa
import xmlschema
from lxml import etree  # type: ignore[import-untyped]

__all__ = ["COLUMNS", "SCHEMAS", "YEARS", "flat_tables", "schema_for", "to_xml",
           "validate_xml", "write_xml"]

# The census years DfE's validator has rulesets for (cin2022_23 ... cin2026_27).
YEARS = range(2023, 2028)
SCHEMAS = Path(__file__).with_name("schemas")

COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Header": ("Collection", "Year", "ReferenceDate", "SourceLevel", "LEA", "SoftwareCode",
               "Release", "SerialNo", "DateTime"),
    "ChildIdentifiers": ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
                         "ExpectedPersonBirthDate", "GenderCurrent", "Sex",
                         "PersonDeathDate"),
    "ChildCharacteristics": ("LAchildID", "Ethnicity"),
    "Disabilities": ("LAchildID", "Disability"),
    "CINdetails": ("LAchildID", "CINdetailsID", "CINreferralDate", "ReferralSource",
                   "PrimaryNeedCode", "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC",
                   "ReferralNFA"),
    "Assessments": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentActualStartDate",
                    "AssessmentInternalReviewDate", "AssessmentAuthorisationDate"),
    "AssessmentFactorsList": ("LAchildID", "CINdetailsID", "AssessmentID", "AssessmentFactor"),
    "CINplanDates": ("LAchildID", "CINdetailsID", "CINPlanStartDate", "CINPlanEndDate"),
    "Section47": ("LAchildID", "CINdetailsID", "S47ActualStartDate", "InitialCPCtarget",
                  "DateOfInitialCPC", "ICPCnotRequired"),
    "ChildProtectionPlans": ("LAchildID", "CINdetailsID", "CPPID", "CPPstartDate",
                             "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse",
                             "NumberOfPreviousCPP"),
    "Reviews": ("LAchildID", "CINdetailsID", "CPPID", "CPPreviewDate"),
})
ID_COLUMNS = frozenset({"CINdetailsID", "AssessmentID", "CPPID"})
DATE_COLUMNS = frozenset({"ReferenceDate", "PersonBirthDate", "ExpectedPersonBirthDate",
                          "PersonDeathDate", "CINreferralDate", "CINclosureDate",
                          "DateOfInitialCPC", "AssessmentActualStartDate",
                          "AssessmentInternalReviewDate", "AssessmentAuthorisationDate",
                          "CINPlanStartDate", "CINPlanEndDate", "S47ActualStartDate",
                          "InitialCPCtarget", "CPPstartDate", "CPPendDate", "CPPreviewDate"})


def schema_for(year: int) -> Path:
    """GenderCurrent until the census ending March 2024, Sex from March 2025."""
    return SCHEMAS / ("cin_census_2023.xsd" if year <= 2024 else "cin_census_2025.xsd")


def _d(column: str) -> str:
    return f"CAST({column} AS DATE)"


def _ended(column: str) -> str:
    """An end date as the census shows it: blank if after the reference date."""
    return f"CASE WHEN {_d(column)} <= $end THEN {_d(column)} END"


def _flag(column: str) -> str:
    return f"CASE {column} WHEN 'Y' THEN 'true' WHEN 'N' THEN 'false' END"


# CIN episodes open at any time in the year, numbered per child in date order. An initial
# conference is recorded once: with its section 47 enquiry when that is in the census,
# otherwise (a transfer-in, or an enquiry before the year) on the CIN episode.
_EPISODE = f"""
episode AS (
    SELECT r.cine_person_id AS child, r.cine_referral_id AS referral,
        ROW_NUMBER() OVER (PARTITION BY r.cine_person_id
                           ORDER BY r.cine_referral_date, r.cine_referral_id) AS cin_id,
        r.*
    FROM ssd_cin_episodes r
    WHERE {_d("r.cine_referral_date")} <= $end
        AND (r.cine_close_date IS NULL OR {_d("r.cine_close_date")} >= $start)
),
icpc AS (
    SELECT c.*, {_d("c.icpc_icpc_date")} AS held FROM ssd_initial_cp_conference c
    WHERE c.icpc_icpc_date IS NOT NULL AND {_d("c.icpc_icpc_date")} <= $end
),
-- Section 47 enquiries in the census: started in the year or open at its start, or with
-- their conference in the year.
s47 AS (
    SELECT s.*, e.child, e.cin_id FROM ssd_s47_enquiry s
    JOIN episode e ON e.referral = s.s47e_referral_id
    WHERE {_d("s.s47e_s47_start_date")} <= $end
        AND (s.s47e_s47_end_date IS NULL OR {_d("s.s47e_s47_end_date")} >= $start
             OR EXISTS (SELECT 1 FROM icpc c
                        WHERE c.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id
                        AND c.held >= $start))
)"""

_SQL: Mapping[str, str] = {
    "ChildIdentifiers": f"""WITH {_EPISODE}
        SELECT p.pers_person_id AS LAchildID, p.pers_upn AS UPN,
            (SELECT MIN(l.link_identifier_value) FROM ssd_linked_identifiers l
             WHERE l.link_person_id = p.pers_person_id
             AND l.link_identifier_type = 'Former Unique Pupil Number') AS FormerUPN,
            CASE WHEN p.pers_upn IS NULL THEN p.pers_upn_unknown END AS UPNunknown,
            {_d("p.pers_dob")} AS PersonBirthDate,
            CASE WHEN p.pers_dob IS NULL THEN {_d("p.pers_expected_dob")} END
                AS ExpectedPersonBirthDate,
            {{gender}} AS GenderCurrent, {{sex}} AS Sex,
            {_ended("p.pers_death_date")} AS PersonDeathDate
        FROM ssd_person p WHERE p.pers_person_id IN (SELECT child FROM episode)
        ORDER BY 1""",
    "ChildCharacteristics": f"""WITH {_EPISODE}
        SELECT p.pers_person_id AS LAchildID, p.pers_ethnicity AS Ethnicity
        FROM ssd_person p WHERE p.pers_person_id IN (SELECT child FROM episode)
        ORDER BY 1""",
    "Disabilities": f"""WITH {_EPISODE}
        SELECT DISTINCT d.disa_person_id AS LAchildID, d.disa_disability_code AS Disability
        FROM ssd_disability d WHERE d.disa_person_id IN (SELECT child FROM episode)
        ORDER BY 1, 2""",
    "CINdetails": f"""WITH {_EPISODE}
        SELECT e.child AS LAchildID, e.cin_id AS CINdetailsID,
            {_d("e.cine_referral_date")} AS CINreferralDate,
            e.cine_referral_source_code AS ReferralSource,
            e.cine_cin_primary_need_code AS PrimaryNeedCode,
            {_ended("e.cine_close_date")} AS CINclosureDate,
            CASE WHEN {_d("e.cine_close_date")} <= $end THEN e.cine_close_reason END
                AS ReasonForClosure,
            (SELECT MIN(c.held) FROM icpc c WHERE c.icpc_referral_id = e.referral
             AND (c.icpc_s47_enquiry_id IS NULL OR c.icpc_s47_enquiry_id NOT IN
                  (SELECT s47e_s47_enquiry_id FROM s47))) AS DateOfInitialCPC,
            {_flag("e.cine_referral_nfa")} AS ReferralNFA
        FROM episode e ORDER BY 1, 2""",
    # Assessments open in the year; the authorisation date only once it has happened.
    "Assessments": f"""WITH {_EPISODE}, assessment AS (
            SELECT a.*, e.child, e.cin_id, ROW_NUMBER() OVER (
                PARTITION BY e.child, e.cin_id
                ORDER BY a.cina_assessment_start_date, a.cina_assessment_id) AS assessment_id
            FROM ssd_cin_assessments a JOIN episode e ON e.referral = a.cina_referral_id
            WHERE {_d("a.cina_assessment_start_date")} <= $end
                AND (a.cina_assessment_auth_date IS NULL
                     OR {_d("a.cina_assessment_auth_date")} >= $start))
        SELECT child AS LAchildID, cin_id AS CINdetailsID, assessment_id AS AssessmentID,
            {_d("cina_assessment_start_date")} AS AssessmentActualStartDate,
            CAST(NULL AS DATE) AS AssessmentInternalReviewDate,
            {_ended("cina_assessment_auth_date")} AS AssessmentAuthorisationDate,
            cina_assessment_id AS assessment
        FROM assessment ORDER BY 1, 2, 3""",
    "CINplanDates": f"""WITH {_EPISODE}
        SELECT e.child AS LAchildID, e.cin_id AS CINdetailsID,
            {_d("p.cinp_cin_plan_start_date")} AS CINPlanStartDate,
            {_ended("p.cinp_cin_plan_end_date")} AS CINPlanEndDate
        FROM ssd_cin_plans p JOIN episode e ON e.referral = p.cinp_referral_id
        WHERE {_d("p.cinp_cin_plan_start_date")} <= $end
            AND (p.cinp_cin_plan_end_date IS NULL
                 OR {_d("p.cinp_cin_plan_end_date")} >= $start)
        ORDER BY 1, 2, 3""",
    # ICPCnotRequired is true when the enquiry decided no conference was needed
    # (CP_CONFERENCE_FLAG N); false when one was, or no decision is recorded yet.
    "Section47": f"""WITH {_EPISODE}
        SELECT s.child AS LAchildID, s.cin_id AS CINdetailsID,
            {_d("s.s47e_s47_start_date")} AS S47ActualStartDate,
            (SELECT MIN({_d("c.icpc_icpc_target_date")}) FROM ssd_initial_cp_conference c
             WHERE c.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id) AS InitialCPCtarget,
            (SELECT MIN(c.held) FROM icpc c
             WHERE c.icpc_s47_enquiry_id = s.s47e_s47_enquiry_id) AS DateOfInitialCPC,
            CASE WHEN json_extract_string(s.s47e_s47_outcome_json, '$.CP_CONFERENCE_FLAG')
                = 'N' THEN 'true' ELSE 'false' END AS ICPCnotRequired
        FROM s47 s ORDER BY 1, 2, 3""",
    # Plans open in the year; NumberOfPreviousCPP counts the child's earlier plans.
    "ChildProtectionPlans": f"""WITH {_EPISODE}, plan AS (
            SELECT p.*, e.child, e.cin_id, ROW_NUMBER() OVER (
                PARTITION BY e.child, e.cin_id
                ORDER BY p.cppl_cp_plan_start_date, p.cppl_cp_plan_id) AS cpp_id
            FROM ssd_cp_plans p JOIN episode e ON e.referral = p.cppl_referral_id
            WHERE {_d("p.cppl_cp_plan_start_date")} <= $end
                AND (p.cppl_cp_plan_end_date IS NULL
                     OR {_d("p.cppl_cp_plan_end_date")} >= $start))
        SELECT child AS LAchildID, cin_id AS CINdetailsID, cpp_id AS CPPID,
            {_d("cppl_cp_plan_start_date")} AS CPPstartDate,
            {_ended("cppl_cp_plan_end_date")} AS CPPendDate,
            cppl_cp_plan_initial_category AS InitialCategoryOfAbuse,
            cppl_cp_plan_latest_category AS LatestCategoryOfAbuse,
            CAST((SELECT COUNT(*) FROM ssd_cp_plans o
                  WHERE o.cppl_person_id = plan.cppl_person_id
                  AND o.cppl_cp_plan_start_date < plan.cppl_cp_plan_start_date) AS VARCHAR)
                AS NumberOfPreviousCPP,
            cppl_cp_plan_id AS plan
        FROM plan ORDER BY 1, 2, 3""",
}


def _schema(table: str) -> pa.Schema:
    def kind(column: str) -> pa.DataType:
        if column in ID_COLUMNS:
            return pa.int64()
        return pa.date32() if column in DATE_COLUMNS else pa.string()
    return pa.schema([pa.field(c, kind(c)) for c in COLUMNS[table]])


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, dt.date]
           ) -> pa.Table:
    return con.sql(sql, params=dict(params)).to_arrow_table()


def _typed(found: pa.Table, table: str) -> pa.Table:
    return found.select(list(COLUMNS[table])).cast(_schema(table))


def _codes(text: str | None) -> list[object]:
    found = json.loads(text) if text else []
    return list(found) if isinstance(found, list) else []


def _factors(con: duckdb.DuckDBPyConnection, assessments: pa.Table) -> pa.Table:
    """One row per factor of each assessment completed by the reference date, in the
    assessment's order (an assessment still open has no findings yet)."""
    found = con.sql("SELECT cinf_assessment_id, cinf_assessment_factors_json "
                    "FROM ssd_assessment_factors").fetchall()
    codes: dict[str, list[str]] = defaultdict(list)
    for assessment, text in found:
        codes[str(assessment)].extend(str(c) for c in _codes(text))
    rows: dict[str, list[Any]] = {c: [] for c in COLUMNS["AssessmentFactorsList"]}
    for row in assessments.to_pylist():
        if row["AssessmentAuthorisationDate"] is None:
            continue  # factors are the findings of a completed assessment
        for code in codes.get(str(row["assessment"]), []):
            rows["LAchildID"].append(row["LAchildID"])
            rows["CINdetailsID"].append(row["CINdetailsID"])
            rows["AssessmentID"].append(row["AssessmentID"])
            rows["AssessmentFactor"].append(code)
    return pa.table(rows, schema=_schema("AssessmentFactorsList"))


def flat_tables(con: duckdb.DuckDBPyConnection, year: int, *, la_dfe_code: str | None = None,
                created: dt.datetime | None = None,
                software: tuple[str, str] = ("goldenthread", "0.1.0")) -> dict[str, pa.Table]:
    """The census ending 31 March `year` as the validator's flat tables. `la_dfe_code`
    (the 3-digit LEA) defaults to gtx_local_authority's; `created` stamps the header."""
    if year not in YEARS:
        raise ValueError(f"year: {year} has no CIN census ruleset; allowed: "
                         f"{YEARS.start}–{YEARS.stop - 1}")
    start, end = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    params = {"start": start, "end": end}
    new_sex = year >= 2025
    gender = "NULL" if new_sex else \
        "CASE p.pers_sex WHEN 'M' THEN '1' WHEN 'F' THEN '2' WHEN 'U' THEN '0' END"
    sex = "p.pers_sex" if new_sex else "NULL"
    tables: dict[str, pa.Table] = {}
    for name, sql in _SQL.items():
        found = _fetch(con, sql.replace("{gender}", gender).replace("{sex}", sex), params)
        if name == "Assessments":
            tables["AssessmentFactorsList"] = _factors(con, found)
        tables[name] = _typed(found, name)
        if name == "ChildProtectionPlans":
            tables["Reviews"] = _reviews(con, found, params)
    if la_dfe_code is None:
        row = con.sql("SELECT la_dfe_code FROM gtx_local_authority LIMIT 1").fetchall()
        la_dfe_code = str(row[0][0]) if row else ""
    stamp = (created or dt.datetime.now(dt.UTC)).replace(microsecond=0, tzinfo=None)
    tables["Header"] = pa.table(
        {"Collection": ["CIN"], "Year": [str(year)], "ReferenceDate": [end],
         "SourceLevel": ["L"], "LEA": [la_dfe_code], "SoftwareCode": [software[0]],
         "Release": [software[1]], "SerialNo": ["001"], "DateTime": [stamp.isoformat()]},
        schema=_schema("Header"))
    return {name: tables[name] for name in COLUMNS}


def _reviews(con: duckdb.DuckDBPyConnection, plans: pa.Table,
             params: Mapping[str, dt.date]) -> pa.Table:
    """Each plan's review conferences held in the year, in date order."""
    con.register("cin_plans", plans.select(["LAchildID", "CINdetailsID", "CPPID", "plan"]))
    try:
        found = _fetch(con, f"""
            SELECT p.LAchildID, p.CINdetailsID, p.CPPID,
                {_d("r.cppr_cp_review_date")} AS CPPreviewDate
            FROM cin_plans p JOIN ssd_cp_reviews r ON r.cppr_cp_plan_id = p.plan
            WHERE {_d("r.cppr_cp_review_date")} BETWEEN $start AND $end
            ORDER BY 1, 2, 3, 4""", params)
    finally:
        con.unregister("cin_plans")
    return _typed(found, "Reviews")


# -- XML ---------------------------------------------------------------------------------------

Grouped = dict[tuple[Any, ...], list[dict[str, Any]]]


def _text(value: object) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _add(parent: etree._Element, row: Mapping[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        value = row.get(name)
        if value is not None and value != "":
            etree.SubElement(parent, name).text = _text(value)


def _grouped(table: pa.Table, *keys: str) -> Grouped:
    out: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in table.to_pylist():
        out[tuple(row[k] for k in keys)].append(row)
    return out


def _children(tables: Mapping[str, pa.Table]) -> Iterator[tuple[dict[str, Any], ...]]:
    characteristics = _grouped(tables["ChildCharacteristics"], "LAchildID")
    for row in tables["ChildIdentifiers"].to_pylist():
        found = characteristics.get((row["LAchildID"],), [{}])
        yield row, found[0]


def to_xml(tables: Mapping[str, pa.Table], year: int) -> etree._Element:
    """The census XML (a `Message` element) from the flat tables, in the schema's order."""
    header = tables["Header"].to_pylist()[0]
    message = etree.Element("Message")
    head = etree.SubElement(message, "Header")
    _add(etree.SubElement(head, "CollectionDetails"), header,
         ("Collection", "Year", "ReferenceDate"))
    _add(etree.SubElement(head, "Source"), header,
         ("SourceLevel", "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime"))
    children = etree.SubElement(message, "Children")
    disabilities = _grouped(tables["Disabilities"], "LAchildID")
    episodes = _grouped(tables["CINdetails"], "LAchildID")
    parts = {name: _grouped(tables[name], "LAchildID", "CINdetailsID")
             for name in ("Assessments", "CINplanDates", "Section47", "ChildProtectionPlans")}
    factors = _grouped(tables["AssessmentFactorsList"], "LAchildID", "CINdetailsID",
                       "AssessmentID")
    reviews = _grouped(tables["Reviews"], "LAchildID", "CINdetailsID", "CPPID")
    sex = ("Sex",) if year >= 2025 else ("GenderCurrent",)
    for ids, traits in _children(tables):
        child = etree.SubElement(children, "Child")
        child_id = ids["LAchildID"]
        _add(etree.SubElement(child, "ChildIdentifiers"), ids,
             ("LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate",
              "ExpectedPersonBirthDate", *sex, "PersonDeathDate"))
        character = etree.SubElement(child, "ChildCharacteristics")
        _add(character, traits, ("Ethnicity",))
        codes = disabilities.get((child_id,), [])
        if codes:
            block = etree.SubElement(character, "Disabilities")
            for code in codes:
                etree.SubElement(block, "Disability").text = code["Disability"]
        for episode in episodes.get((child_id,), []):
            _cin_details(etree.SubElement(child, "CINdetails"), episode, parts, factors,
                         reviews)
    return message


def _cin_details(cin: etree._Element, episode: Mapping[str, Any],
                 parts: Mapping[str, Grouped], factors: Grouped, reviews: Grouped) -> None:
    """One CINdetails block, its parts in the schema's order."""
    key = (episode["LAchildID"], episode["CINdetailsID"])
    _add(cin, episode, ("CINreferralDate", "ReferralSource", "PrimaryNeedCode",
                        "CINclosureDate", "ReasonForClosure", "DateOfInitialCPC"))
    for assessment in parts["Assessments"].get(key, []):
        element = etree.SubElement(cin, "Assessments")
        _add(element, assessment, ("AssessmentActualStartDate", "AssessmentInternalReviewDate",
                                   "AssessmentAuthorisationDate"))
        found = factors.get((*key, assessment["AssessmentID"]), [])
        if found:
            block = etree.SubElement(element, "FactorsIdentifiedAtAssessment")
            for factor in found:
                etree.SubElement(block, "AssessmentFactors").text = factor["AssessmentFactor"]
    for plan in parts["CINplanDates"].get(key, []):
        _add(etree.SubElement(cin, "CINPlanDates"), plan, ("CINPlanStartDate", "CINPlanEndDate"))
    for enquiry in parts["Section47"].get(key, []):
        _add(etree.SubElement(cin, "Section47"), enquiry,
             ("S47ActualStartDate", "InitialCPCtarget", "DateOfInitialCPC", "ICPCnotRequired"))
    _add(cin, episode, ("ReferralNFA",))
    for plan in parts["ChildProtectionPlans"].get(key, []):
        element = etree.SubElement(cin, "ChildProtectionPlans")
        _add(element, plan, ("CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse",
                             "LatestCategoryOfAbuse", "NumberOfPreviousCPP"))
        held = reviews.get((*key, plan["CPPID"]), [])
        if held:
            block = etree.SubElement(element, "Reviews")
            for review in held:
                etree.SubElement(block, "CPPreviewDate").text = _text(review["CPPreviewDate"])


def write_xml(tables: Mapping[str, pa.Table], year: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    etree.ElementTree(to_xml(tables, year)).write(
        str(path), xml_declaration=True, encoding="utf-8", pretty_print=True)
    return path


def validate_xml(path: Path, year: int) -> list[str]:
    """Every way the file breaks the year's schema (empty when it is valid)."""
    schema = xmlschema.XMLSchema(str(schema_for(year)))
    return [f"{error.path}: {error.reason}" for error in schema.iter_errors(str(path))]
