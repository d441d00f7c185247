"""CIN census rules, each as DfE's validator (csc-validator-be-cin 0.1.13) implements it.

Read from ``cin_validator/rules/cin20xx_yy/rule_<code>.py`` and written again as set-based
SQL over the validator's own flat tables. Codes ending in Q are DfE's queries (to be
checked and explained), the rest errors. As for the 903, where DfE's code reads differently
from its message we follow the code and say so in ``note``. DfE's messages are kept word
for word, curly apostrophes included (hence the RUF001 exemptions).
"""

# ruff: noqa: S608 - SQL here is built from our own constants and DfE's column names, never input

from __future__ import annotations

from typing import Final

from goldenthread.returns.rules.framework import Rule
from goldenthread.returns.rules.helpers import code_list_rule, row_rule, sql_list
from goldenthread.returns.rules.ssda903_rules import ETHNIC

_ALL: Final = range(2023, 2028)
ABUSE: Final = ("NEG", "PHY", "SAB", "EMO", "MUL")
DISABILITY: Final = (
    "NONE", "MOB", "HAND", "PC", "INC", "COMM", "LD", "HEAR", "VIS", "BEH", "CON", "AUT", "DDA",
)
REFERRAL_SOURCE: Final = (
    "1A", "1B", "1C", "1D", "2A", "2B", "3A", "3B", "3C", "3D", "3E", "3F", "4", "5A", "5B",
    "5C", "5D", "6", "7", "8", "9", "10",
)
_NO_FURTHER_ACTION_FALSE: Final = "('false', '0')"
_ICPC_NOT_REQUIRED: Final = "('1', 'true')"
_CHECK_LETTERS: Final = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _la_codes() -> tuple[str, ...]:
    """Characters 2-4 of a UPN: the post-1998 LA codes and pseudo-LA codes DfE accepts."""
    spans = [(1, 5), (201, 213), (301, 320), (330, 336), (340, 344), (350, 359), (370, 373),
             (380, 384), (390, 394), (660, 681), (701, 708), (800, 803), (805, 808), (810, 813),
             (820, 823), (835, 839), (850, 852), (855, 857), (865, 896), (935, 938), (940, 941)]
    singles = [420, 815, 816, 825, 826, 830, 831, 840, 841, 845, 846, 860, 861, 908, 909, 916,
               919, 921, 925, 926, 928, 929, 931, 933, 942, 943]
    codes = [n for low, high in spans for n in range(low, high + 1)] + singles
    return tuple(f"{n:03d}" for n in codes)


def upn_check_letter_sql(upn: str = "UPN") -> str:
    """SQL for the check letter of a 13-character UPN: digits 2-13 weighted 2-13, mod 23."""
    total = " + ".join(f"CAST(substr({upn}, {i}, 1) AS INTEGER) * {i}" for i in range(2, 14))
    return f"substr('{_CHECK_LETTERS}', (({total}) % 23) + 1, 1)"


def cin_code(code: str, table: str, field: str, codes: tuple[str, ...], message: str, *,
          blank_allowed: bool, years: range = _ALL, note: str = "") -> Rule:
    return code_list_rule("cin", code, table, field, codes, message,
                          blank_allowed=blank_allowed, years=years, note=note)


def cin_row(code: str, table: str, fields: tuple[str, ...], condition: str, message: str, *,
         years: range = _ALL, note: str = "") -> Rule:
    return row_rule("cin", code, table, fields, condition, message, years=years, note=note)


def cin_rule(code: str, table: str, fields: tuple[str, ...], message: str, sql: str, *,
          years: range = _ALL, note: str = "") -> Rule:
    return Rule(code=code, return_name="cin", table=table, fields=fields, message=message,
                sql=sql, years=years, note=note)


def before_referral(code: str, table: str, field: str, message: str) -> Rule:
    """A dated item of a CIN episode that must not come before that episode's referral."""
    return cin_rule(code, table, (field, "CINreferralDate"), message, f"""
        SELECT x.LAchildID AS child, x.row_id FROM {{{table}}} x
        JOIN {{CINdetails}} d ON d.LAchildID = x.LAchildID AND d.CINdetailsID = x.CINdetailsID
        WHERE x.{field} < d.CINreferralDate
    """)


_IDENTIFIERS: Final = (
    cin_row("8500", "ChildIdentifiers", ("LAchildID",), "LAchildID IS NULL", "LA Child ID missing"),
    cin_rule("8510", "ChildIdentifiers", ("LAchildID",),
          "More than one child record with the same LA Child ID", """
        SELECT LAchildID AS child, row_id FROM (
            SELECT *, count(*) OVER (PARTITION BY LAchildID) AS records FROM {ChildIdentifiers})
        WHERE records > 1
    """),
    cin_row("1570", "ChildIdentifiers", ("LAchildID",), "length(LAchildID) > 20",
         "LA Child ID must not be longer than 20 characters", years=range(2025, 2028)),
    cin_row("1580", "ChildIdentifiers", ("LAchildID",),
         "NOT regexp_full_match(LAchildID, '[\\pL\\pN]+')",
         "LA Child ID must not contain any non-alphanumeric characters",
         years=range(2025, 2028)),
    cin_row("8520", "ChildIdentifiers", ("PersonBirthDate",), "PersonBirthDate > {end}",
         "Date of Birth is after data collection period (must be on or before the end of the "
         "census period)"),
    cin_row("8525Q", "ChildIdentifiers", ("PersonBirthDate", "ExpectedPersonBirthDate"),
         "(PersonBirthDate IS NULL) = (ExpectedPersonBirthDate IS NULL)",
         "Either Date of Birth or Expected Date of Birth must be provided (but not both)"),
    cin_row("8535Q", "ChildIdentifiers", ("PersonDeathDate", "PersonBirthDate"),
         "PersonDeathDate IS NOT NULL "
         "AND (PersonBirthDate IS NULL OR PersonBirthDate > PersonDeathDate)",
         "Please check and either amend data or provide a reason: "
         "Child’s date of death should not be prior to the date of birth"),  # noqa: RUF001
    cin_code("4180", "ChildIdentifiers", "Sex", ("M", "F", "U"),
          "Sex must be provided and equal M, F, or U", blank_allowed=False,
          years=range(2025, 2028)),
    cin_code("4220", "ChildCharacteristics", "Ethnicity", ETHNIC,
          "Ethnicity is missing or invalid (see Ethnicity table)", blank_allowed=False),
    cin_row("1510", "ChildIdentifiers", ("UPN",),
         "length(UPN) = 13 AND regexp_full_match(substr(UPN, 2), '[0-9]{12}') "
         f"AND substr(UPN, 1, 1) <> {upn_check_letter_sql()}",
         "UPN invalid (wrong check letter at character 1)"),
    cin_rule("1520", "ChildIdentifiers", ("UPN",), "More than one record with the same UPN.", """
        SELECT LAchildID AS child, row_id FROM {ChildIdentifiers}
        WHERE UPN IN (SELECT UPN FROM {ChildIdentifiers} WHERE UPN IS NOT NULL
                      GROUP BY UPN HAVING count(*) > 1)
    """),
    cin_row("1530", "ChildIdentifiers", ("UPN",),
         f"length(UPN) = 13 AND substr(UPN, 2, 3) NOT IN {sql_list(_la_codes())}",
         "UPN invalid (characters 2-4 not a recognised LA code)", years=range(2024, 2028)),
    cin_row("1540", "ChildIdentifiers", ("UPN",),
         "NOT regexp_full_match(substr(UPN, 5, 8), '[0-9]+')",
         "UPN invalid (characters 5-12 not all numeric)"),
    cin_row("1550", "ChildIdentifiers", ("UPN",),
         "length(UPN) = 13 AND substr(UPN, 13, 1) NOT IN "
         f"{sql_list((*_CHECK_LETTERS, *'0123456789'))}",
         "UPN invalid (character 13 not a recognised value)"),
    cin_rule("8590", "ChildIdentifiers", ("LAchildID",),
          "Child does not have a recorded CIN episode.", """
        SELECT c.LAchildID AS child, c.row_id FROM {ChildIdentifiers} c
        WHERE NOT EXISTS (SELECT 1 FROM {CINdetails} d
                          WHERE d.LAchildID IS NOT DISTINCT FROM c.LAchildID)
    """, note="As in DfE's pandas join, a blank LA child ID matches a blank one."),
)

_DISABILITIES: Final = (
    cin_rule("8540", "ChildIdentifiers", ("Disability", "PersonBirthDate", "ReferralNFA"),
          "Child’s disability is missing or invalid (see Disability table)",  # noqa: RUF001
          f"""
        SELECT c.LAchildID AS child, c.row_id FROM {{ChildIdentifiers}} c
        LEFT JOIN {{CINdetails}} d ON d.LAchildID = c.LAchildID
        LEFT JOIN {{Disabilities}} x ON x.LAchildID = c.LAchildID
        WHERE (x.Disability IS NULL OR x.Disability NOT IN {sql_list(DISABILITY)})
          AND c.PersonBirthDate IS NOT NULL AND d.ReferralNFA IN {_NO_FURTHER_ACTION_FALSE}
    """, note="Reported on the child's identifiers row (a missing disability has no row of "
              "its own). DfE's 0.1.13 code for 8540 never reports: its row column is named "
              "ROW_ID_x, which its report cannot read."),
    cin_rule("8790", "Disabilities", ("Disability",),
          "Disability information includes both None and other values", """
        SELECT x.LAchildID AS child, x.row_id FROM {Disabilities} x
        WHERE (x.Disability IS NULL OR upper(x.Disability) <> 'NONE')
          AND x.LAchildID IN (SELECT LAchildID FROM {Disabilities}
                              WHERE upper(Disability) = 'NONE')
    """),
    cin_rule("8794", "Disabilities", ("Disability",),
          "Child has two or more disabilities with the same code", """
        SELECT LAchildID AS child, row_id FROM (
            SELECT *, count(*) OVER (PARTITION BY LAchildID, Disability) AS times
            FROM {Disabilities} WHERE LAchildID IS NOT NULL AND Disability IS NOT NULL)
        WHERE times >= 2
    """),
)

_DETAILS: Final = (
    cin_row("8600", "CINdetails", ("CINreferralDate",),
         "CINreferralDate IS NULL OR CINreferralDate > {end}",
         "Child referral date missing or after data collection period"),
    cin_rule("8606", "CINdetails",
          ("CINreferralDate", "PersonBirthDate", "ExpectedPersonBirthDate"),
          "Child referral date is more than 40 weeks before DOB or expected DOB", """
        SELECT d.LAchildID AS child, d.row_id FROM {CINdetails} d
        JOIN {ChildIdentifiers} c ON c.LAchildID = d.LAchildID
        WHERE d.CINreferralDate < c.PersonBirthDate - INTERVAL 280 DAY
           OR d.CINreferralDate < c.ExpectedPersonBirthDate - INTERVAL 280 DAY
    """),
    cin_row("8610", "CINdetails", ("ReferralNFA", "PrimaryNeedCode"),
         f"ReferralNFA IN {_NO_FURTHER_ACTION_FALSE} AND PrimaryNeedCode IS NULL",
         "Primary Need code is missing for a referral which led to further action."),
    cin_row("8620", "CINdetails", ("CINclosureDate",),
         "CINclosureDate IS NOT NULL "
         "AND NOT (CINclosureDate >= {start} AND CINclosureDate <= {end})",
         "CIN Closure Date present and does not fall within the Census year"),
    cin_row("8630", "CINdetails", ("CINreferralDate", "CINclosureDate"),
         "CINclosureDate < CINreferralDate",
         "CIN Closure Date is before CIN Referral Date for the same CIN episode"),
    cin_code("8640", "CINdetails", "ReasonForClosure", tuple(f"RC{n}" for n in range(1, 10)),
          "CIN Reason for closure code invalid (see Reason for Closure table in CIN Census code "
          "set)", blank_allowed=True),
    cin_code("8650", "CINdetails", "PrimaryNeedCode", tuple(f"N{n}" for n in range(10)),
          "Primary Need Code invalid (see Primary Need table in CIN census code set)",
          blank_allowed=True),
    cin_row("8866", "CINdetails", ("CINreferralDate", "ReferralSource"),
         "CINreferralDate >= DATE '2013-04-01' AND (ReferralSource IS NULL "
         f"OR ReferralSource NOT IN {sql_list(REFERRAL_SOURCE)})",
         "Source of Referral is missing or an invalid code"),
    cin_row("8810", "CINdetails", ("ReasonForClosure", "CINclosureDate"),
         "ReasonForClosure IS NOT NULL AND CINclosureDate IS NULL",
         "A CIN case cannot have a Reason for Closure without a CIN Closure Date"),
    cin_row("8805", "CINdetails", ("CINclosureDate", "ReasonForClosure"),
         "CINclosureDate IS NOT NULL AND ReasonForClosure IS NULL",
         "A CIN case cannot have a CIN closure date without a Reason for Closure"),
    cin_row("8568", "CINdetails", ("ReferralNFA",),
         "ReferralNFA IS NULL OR lower(ReferralNFA) NOT IN ('1', '0', 'false', 'true')",
         "RNFA flag is missing or invalid"),
    cin_rule("8555Q", "CINdetails", ("PersonDeathDate", "CINreferralDate"),
          "Child cannot be referred after its recorded date of death", """
        SELECT d.LAchildID AS child, d.row_id FROM {CINdetails} d
        JOIN {ChildIdentifiers} c ON c.LAchildID = d.LAchildID
        WHERE c.PersonDeathDate < d.CINreferralDate
    """),
    cin_rule("8815", "CINdetails", ("ReferralNFA", "CINclosureDate"),
          "More than one open CIN Details episode (a module with no CIN Closure Date) has been "
          "provided for this child and case is not a referral with no further action.", f"""
        SELECT LAchildID AS child, row_id FROM {{CINdetails}}
        WHERE CINclosureDate IS NULL AND LAchildID IN (
            SELECT LAchildID FROM {{CINdetails}}
            WHERE CINclosureDate IS NULL AND ReferralNFA IN {_NO_FURTHER_ACTION_FALSE}
            GROUP BY LAchildID HAVING count(*) > 1)
    """),
    cin_rule("8820", "CINdetails", ("CINreferralDate", "CINclosureDate"),
          "The dates on the CIN episodes for this child overlap", f"""
        WITH pairs AS (
            SELECT a.LAchildID, a.row_id AS later, b.row_id AS earlier
            FROM {{CINdetails}} a JOIN {{CINdetails}} b
              ON a.LAchildID = b.LAchildID AND a.row_id <> b.row_id
            WHERE a.CINreferralDate IS NOT NULL AND b.CINreferralDate IS NOT NULL
              AND a.CINreferralDate >= b.CINreferralDate
              AND (a.CINreferralDate < b.CINclosureDate
                   OR (a.CINreferralDate < {{end}} AND b.CINclosureDate IS NULL
                       AND lower(b.ReferralNFA) IN {_NO_FURTHER_ACTION_FALSE})))
        SELECT LAchildID AS child, later AS row_id FROM pairs
        UNION SELECT LAchildID AS child, earlier AS row_id FROM pairs
    """),
)

RULES_DETAILS: Final[tuple[Rule, ...]] = (*_IDENTIFIERS, *_DISABILITIES, *_DETAILS)
