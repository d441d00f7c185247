"""SSDA903 rules, each as DfE's validator (csc-validator-be-903 0.1.17) implements it.

Read from the validator's rule modules (``lac_validator/rules/lac20xx_yy/rule_<code>.py``)
and written again as set-based SQL. Where DfE's code does something its message does not
say (a blank counted as invalid, a DECOM rule whose message speaks of DEC), we follow the
code, because that is what a council's return is judged by, and say so in ``note``.
"""



from __future__ import annotations

from typing import Final

from goldenthread.returns.rules.framework import Rule
from goldenthread.returns.rules.helpers import code_list_rule, row_rule, sql_list

_ALL: Final = range(2023, 2028)

ETHNIC: Final = (
    "WBRI", "WIRI", "WOTH", "WIRT", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN",
    "ABAN", "AOTH", "BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT",
)
LS: Final = ("C1", "C2", "D1", "E1", "V2", "V3", "V4", "J1", "J2", "J3", "L1", "L2", "L3")
REC: Final = (
    "E11", "E12", "E2", "E3", "E4A", "E4B", "E13", "E41", "E45", "E46", "E47", "E48", "E5",
    "E6", "E7", "E8", "E9", "E14", "E15", "E16", "E17", "X1",
)
_PLACE_COMMON: Final = (
    "A3", "A4", "A5", "A6", "K1", "K2", "P1", "P3", "R1", "R2", "R3", "R5", "S1", "T0", "T1",
    "T2", "T3", "T4", "U1", "U2", "U3", "U4", "U5", "U6",
)
# Until 2024-25: H5, P2 and Z1 still valid; K3 from 2024-25; Z11-Z14 replace Z1 from 2025-26.
PLACE_TO_2025: Final = (*_PLACE_COMMON, "H5", "P2", "Z1")
PLACE_FROM_2026: Final = (*_PLACE_COMMON, "K3", "Z11", "Z12", "Z13", "Z14")
TEMPORARY: Final = ("T0", "T1", "T2", "T3", "T4")
UPN_SHAPE: Final = r"[A-HJ-NP-RT-Z]([0-9]{12}|[0-9]{11}[A-Z])|UN[1-5]"


def _code(code: str, table: str, field: str, codes: tuple[str, ...], message: str, *,
          blank_allowed: bool = True, years: range = _ALL, note: str = "") -> Rule:
    return code_list_rule("903", code, table, field, codes, message,
                          blank_allowed=blank_allowed, years=years, note=note)


def _row(code: str, table: str, fields: tuple[str, ...], condition: str, message: str, *,
         years: range = _ALL, note: str = "") -> Rule:
    return row_rule("903", code, table, fields, condition, message, years=years, note=note)


def _invalid_date(code: str, table: str, field: str, message: str) -> Rule:
    return _row(code, table, (field,), f"{field}_text IS NOT NULL AND {field} IS NULL", message)


_CODE_LISTS: Final = (
    _code("101", "Header", "SEX", ("1", "2"),
          "Gender code is not valid.", blank_allowed=False, years=range(2023, 2025)),
    _code("101", "Header", "SEX", ("M", "F", "U"),
          "The child or young person’s reported sex is not valid.",  # noqa: RUF001
          blank_allowed=False,
          years=range(2025, 2028)),
    _code("103", "Header", "ETHNIC", ETHNIC,
          "The ethnicity code is either not valid or has not been entered.",
          blank_allowed=False),
    _code("143", "Episodes", "RNE", ("S", "P", "L", "T", "U", "B"),
          "The reason for new episode code is not a valid code."),
    _code("144", "Episodes", "LS", LS, "The legal status code is not a valid code."),
    _code("145", "Episodes", "CIN", ("N1", "N2", "N3", "N4", "N5", "N6", "N7", "N8"),
          "Category of need code is not a valid code."),
    _code("146", "Episodes", "PLACE", PLACE_TO_2025,
          "Placement type code is not a valid code.", years=range(2023, 2025)),
    _code("146", "Episodes", "PLACE", (*PLACE_TO_2025, "K3"),
          "Placement type code is not a valid code.", years=range(2025, 2026),
          note="DfE's 2024-25 list spells K3 in lower case, so it refuses every K3 "
               "placement; we accept K3, as the 2024-25 guidance does."),
    _code("146", "Episodes", "PLACE", PLACE_FROM_2026,
          "Placement type code is not a valid code.", years=range(2026, 2028)),
    _code("149", "Episodes", "REC", REC, "Reason episode ceased code is not valid."),
    _code("1009", "Episodes", "REASON_PLACE_CHANGE",
          ("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ",
           "PLACE", "CUSTOD", "OTHER"),
          "Reason for placement change is not a valid code."),
    _code("1006", "Missing", "MISSING", ("M", "A"), "Missing type invalid."),
    _code("131", "OC3", "IN_TOUCH", ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"),
          "Data entry for being in touch after leaving care is invalid.",
          blank_allowed=False),
    _code("132", "OC3", "ACTIV",
          ("F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"),
          "Data entry for activity after leaving care is invalid.", blank_allowed=False),
    _code("133", "OC3", "ACCOM",
          ("B1", "B2", "C1", "C2", "D1", "D2", "E1", "E2", "G1", "G2", "H1", "H2", "K1", "K2",
           "R1", "R2", "S2", "T1", "T2", "U1", "U2", "V1", "V2", "W1", "W2", "X2", "Y1", "Y2",
           "Z1", "Z2", "0"),
          "Data entry for accommodation after leaving care is invalid. If reporting on a "
          "childs accommodation after leaving care the data entry must be valid",
          blank_allowed=False),
    _code("196", "OC2", "SDQ_REASON", ("SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"),
          "Strengths and Difficulties (SDQ) reason is not a valid code."),
)


def _provider_rule(no_provider: tuple[str, ...], years: range) -> Rule:
    # A provider code must be one of PR0-PR5, and none is given for the placements in
    # ``no_provider``; a blank is never this rule's business (526 asks for it).
    providers = sql_list(("PR0", "PR1", "PR2", "PR3", "PR4", "PR5"))
    return _row(
        "178", "Episodes", ("PLACE_PROVIDER",),
        f"PLACE_PROVIDER IS NOT NULL AND NOT (PLACE_PROVIDER IN {providers} "
        f"AND (PLACE IS NULL OR PLACE NOT IN {sql_list(no_provider)}))",
        "Placement provider code is not a valid code.", years=years,
    )


_FIELDS: Final = (
    _row("102", "Header", ("DOB",), "DOB IS NULL", "Date of birth is not a valid date.",
         note="A blank date of birth fails too, as in DfE's code."),
    _invalid_date("141", "Episodes", "DECOM", "Date episode began is not a valid date."),
    _invalid_date("147", "Episodes", "DEC", "Date episode ceased is not a valid date."),
    _row("148", "Episodes", ("DEC", "REC"), "(DEC_text IS NULL) <> (REC IS NULL)",
         "Date episode ceased and reason episode ceased must both be coded, or both left "
         "blank."),
    _provider_rule(("T0", "T1", "T2", "T3", "T4", "Z1"), range(2023, 2026)),
    _provider_rule(("T0", "T1", "T2", "T3", "Z11", "Z12", "Z13", "Z14"), range(2026, 2028)),
    _row("166", "Reviews", ("REVIEW",), "REVIEW IS NULL", "Date of review is invalid or blank."),
    _row("167", "Reviews", ("REVIEW_CODE",),
         "NOT ((REVIEW_text IS NOT NULL AND coalesce(REVIEW_CODE IN "
         "('PN0', 'PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7'), false)) "
         "OR (REVIEW_text IS NULL AND REVIEW_CODE IS NULL))",
         "Data entry for participation is invalid or blank."),
    _row("168", "Header", ("UPN",),
         f"UPN IS NOT NULL AND NOT regexp_full_match(UPN, '{UPN_SHAPE}')",
         "Unique Pupil Number (UPN) is not valid. If unknown, default codes should be UN1, "
         "UN2, UN3, UN4 or UN5."),
    _row("180", "OC2", ("SDQ_SCORE",),
         "SDQ_SCORE IS NOT NULL AND NOT coalesce(TRY_CAST(SDQ_SCORE AS DOUBLE) IN "
         "(SELECT CAST(range AS DOUBLE) FROM range(41)), false)",
         "Data entry for the strengths and difficulties questionnaire (SDQ) score is invalid."),
    _row("356", "Episodes", ("DECOM",), "DEC IS NOT NULL AND DEC < DECOM",
         "The date the episode ceased is before the date the same episode started."),
    _row("354", "Episodes", ("DECOM",), "DECOM > {end}",
         "Date episode ceased must be on or before the end of the current collection year.",
         note="DfE's rule checks the date the episode began (DECOM), whatever its message says."),
    _row("385", "Episodes", ("DEC",), "DEC > {end}",
         "Date episode ceased must be on or before the end of the current collection year."),
    _row("380", "Episodes", ("PLACE", "RNE"),
         f"PLACE IN {sql_list(TEMPORARY)} AND (RNE IS NULL OR RNE NOT IN ('P', 'B'))",
         "A period of care cannot start with a temporary placement."),
    _row("381", "Episodes", ("PLACE", "REC"),
         f"PLACE IN {sql_list(TEMPORARY)} AND REC <> 'X1'",
         "A period of care cannot end with a temporary placement."),
    _row("441", "Reviews", ("DOB", "REVIEW", "REVIEW_CODE"),
         "REVIEW_CODE IN ('PN1', 'PN2', 'PN3', 'PN4', 'PN5', 'PN6', 'PN7') "
         "AND REVIEW < DOB + INTERVAL 4 YEAR",
         "Participation method indicates child was 4 years old or over at the time of the "
         "review, but the date of birth and review date indicates the child was under 4 years "
         "old."),
    _row("440", "Reviews", ("DOB", "REVIEW", "REVIEW_CODE"),
         "REVIEW_CODE = 'PN0' AND REVIEW > DOB + INTERVAL 4 YEAR",
         "Participation method indicates child was under 4 years old at the time of the "
         "review, but date of birth and review date indicates the child was 4 years old or "
         "over."),
    _row("611", "Header", ("MOTHER", "MC_DOB"), "MOTHER = '1' AND MC_DOB_text IS NULL",
         "Date of birth field is blank, but child is a mother."),
    _row("612", "Header", ("SEX", "MOTHER", "MC_DOB"),
         "(MOTHER = '0' OR MOTHER IS NULL) AND SEX = '2' AND MC_DOB_text IS NOT NULL",
         "Date of birth field has been completed but mother field indicates child is not a "
         "mother.", years=range(2023, 2025)),
    _row("612", "Header", ("SEX", "MOTHER", "MC_DOB"),
         "(MOTHER = '0' OR MOTHER IS NULL) AND SEX = 'F' AND MC_DOB_text IS NOT NULL",
         "Date of birth field has been completed but mother field indicates child is not a "
         "mother.", years=range(2025, 2028)),
    _row("620", "Header", ("DOB", "MOTHER"),
         "MOTHER = '1' AND DOB + INTERVAL 11 YEAR > {start}",
         "Child has been recorded as a mother, but date of birth shows that the mother is "
         "under 11 years of age."),
    _row("621", "Header", ("DOB", "MC_DOB"),
         "MC_DOB IS NOT NULL AND NOT coalesce(MC_DOB > DOB, false)",
         "Mother’s field has been completed but date of birth shows "  # noqa: RUF001
         "that the mother is younger than her child."),
    _row("567", "Missing", ("MIS_START", "MIS_END"), "MIS_START > MIS_END",
         "The date that the missing episode or episode that the child was away from placement "
         "without authorisation ended is before the date that it started."),
    _row("570", "Missing", ("MIS_START",), "MIS_START > {end}",
         "The date that the child started to be missing or away from placement without "
         "authorisation is after the end of the collection year."),
    _row("571", "Missing", ("MIS_END",), "MIS_END < {start} OR MIS_END > {end}",
         "The date that the child ceased to be missing or away from placement without "
         "authorisation is before the start or after the end of the collection year."),
)

# Rules across records: one child's episodes in order, or the Header with the Episodes.
_RECORDS: Final = (
    Rule(
        code="142", return_name="903", table="Episodes", fields=("DEC", "REC"),
        message="A new episode has started, but the previous episode has not ended.",
        # Every episode but the child's latest (by DECOM, a blank DECOM counting as latest)
        # needs DEC and REC.
        sql="""
            SELECT CHILD AS child, row_id FROM (
                SELECT *, row_number() OVER (
                    PARTITION BY CHILD ORDER BY DECOM DESC NULLS FIRST, row_id DESC) AS from_last
                FROM {Episodes})
            WHERE from_last > 1 AND (DEC IS NULL OR REC IS NULL)
              AND CHILD IS NOT NULL AND DECOM IS NOT NULL
        """,
    ),
    Rule(
        code="501", return_name="903", table="Episodes", fields=("DECOM", "DEC"),
        message="A new episode has started before the end date of the previous episode.",
        sql="""
            SELECT CHILD AS child, row_id FROM (
                SELECT *, lag(DEC) OVER (
                    PARTITION BY CHILD ORDER BY DECOM NULLS LAST, row_id) AS previous_dec
                FROM {Episodes})
            WHERE CHILD IS NOT NULL AND DECOM < previous_dec
        """,
    ),
    Rule(
        code="302", return_name="903", table="Episodes", fields=("DECOM", "DOB"),
        message="First episode starts before child was born.",
        sql="""
            SELECT e.CHILD AS child, e.row_id FROM (
                SELECT *, row_number() OVER (PARTITION BY CHILD ORDER BY DECOM, row_id) AS nth
                FROM {Episodes} WHERE DECOM IS NOT NULL) e
            JOIN {Header} h ON h.CHILD = e.CHILD
            WHERE e.nth = 1 AND h.DOB > e.DECOM
        """,
    ),
    Rule(
        code="352", return_name="903", table="Episodes", fields=("DECOM", "RNE"),
        message="Child who started to be looked after was aged 18 or over.",
        sql="""
            SELECT e.CHILD AS child, e.row_id FROM {Episodes} e JOIN {Header} h USING (CHILD)
            WHERE e.RNE = 'S' AND h.DOB + INTERVAL 18 YEAR <= e.DECOM
        """,
    ),
    Rule(
        code="358", return_name="903", table="Episodes", fields=("DECOM", "DOB", "LS"),
        message="Child with this legal status should not be under 10.",
        sql="""
            SELECT e.CHILD AS child, e.row_id FROM {Episodes} e JOIN {Header} h USING (CHILD)
            WHERE e.LS IN ('J1', 'J2', 'J3') AND h.DOB + INTERVAL 10 YEAR >= e.DECOM
        """,
    ),
    Rule(
        code="387", return_name="903", table="Episodes", fields=("REC",),
        message="Reason episode ceased is child moved into independent living arrangement, "
                "but the child is aged under 14.",
        note="As in DfE's code, a child with no valid date of birth fails too.",
        sql="""
            SELECT e.CHILD AS child, e.row_id FROM {Episodes} e LEFT JOIN {Header} h USING (CHILD)
            WHERE e.REC IN ('E5', 'E6') AND e.DEC IS NOT NULL
              AND NOT coalesce(h.DOB + INTERVAL 14 YEAR <= e.DEC, false)
        """,
    ),
    Rule(
        code="444", return_name="903", table="Header", fields=("UPN",),
        message="Duplicate UPN has been reported",
        years=range(2026, 2028),
        sql="""
            SELECT CHILD AS child, row_id FROM {Header}
            WHERE UPN IN (
                SELECT UPN FROM {Header}
                WHERE UPN IS NOT NULL AND UPN NOT IN ('UN1', 'UN2', 'UN3', 'UN4', 'UN5')
                GROUP BY UPN HAVING count(*) > 1)
        """,
    ),
    Rule(
        code="INT32", return_name="903", table="Header", fields=("CHILD",),
        message="Internal Check: Child should only exist once in Header.",
        sql="""
            SELECT CHILD AS child, row_id FROM {Header}
            WHERE CHILD IN (SELECT CHILD FROM {Header} GROUP BY CHILD HAVING count(*) > 1)
        """,
    ),
    Rule(
        code="574", return_name="903", table="Missing", fields=("MIS_START", "MIS_END"),
        message="A new missing/away from placement without authorisation period cannot start "
                "when the previous missing/away from placement without authorisation period is "
                "still open. Missing/away from placement without authorisation periods should "
                "also not overlap.",
        # Periods in order of their end (an open one ends when it starts), then start.
        sql="""
            SELECT CHILD AS child, row_id FROM (
                SELECT *,
                    lag(MIS_END) OVER w AS previous_end,
                    lag(row_id) OVER w AS previous_row
                FROM {Missing}
                WINDOW w AS (PARTITION BY CHILD
                             ORDER BY coalesce(MIS_END, MIS_START) NULLS LAST,
                                      MIS_START NULLS LAST, row_id))
            WHERE CHILD IS NOT NULL AND previous_row IS NOT NULL
              AND (previous_end IS NULL OR MIS_START < previous_end)
        """,
    ),
)

RULES: Final[tuple[Rule, ...]] = (*_CODE_LISTS, *_FIELDS, *_RECORDS)
