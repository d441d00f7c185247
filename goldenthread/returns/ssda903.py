"""The SSDA903 return (children looked after) for a collection year, from the SSD tables.

`build(con, year)` gives one Arrow table per DfE table, with DfE's exact columns in DfE's
order: dates as dates, everything else as text, NULL where the return leaves a cell
empty. `write_csv` writes them as the CSV files DfE's tools accept (dd/mm/YYYY dates). The
collection year is named by its end: 2025 is 1 April 2024 to 31 March 2025. Where each
field comes from: docs/returns.md.

`con` is a DuckDB connection over an SSD store (`goldenthread.ssd.store.connect`); every
query is DuckDB SQL over the ssd_* views, with the year's dates as parameters.
"""

# ruff: noqa: S608 - SQL built from our own constants and the year's dates (as parameters)

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

import duckdb
import pyarrow as pa

__all__ = ["COLUMNS", "DATE_COLUMNS", "REQUIRED", "YEARS", "build", "collection_dates", "gaps",
           "tables_for", "write_csv"]

# The collection years DfE's validator has rulesets for (lac2022_23 ... lac2026_27).
YEARS = range(2023, 2028)

COLUMNS: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Header": ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
    "Episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "HOME_POST", "PL_POST", "URN"),
    "Reviews": ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
    "UASC": ("CHILD", "SEX", "DOB", "DUC"),
    "OC2": ("CHILD", "DOB", "SDQ_SCORE", "SDQ_REASON", "CONVICTED", "HEALTH_CHECK",
            "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE",
            "INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
    "OC3": ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM"),
    "AD1": ("CHILD", "DOB", "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR",
            "LS_ADOPTR"),
    "PlacedAdoption": ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED",
                       "REASON_PLACED_CEASED"),
    "PrevPerm": ("CHILD", "DOB", "PREV_PERM", "LA_PERM", "DATE_PERM"),
    "Missing": ("CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"),
    "SWEpisodes": ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
})

DATE_COLUMNS = frozenset({"DOB", "MC_DOB", "DECOM", "DEC", "REVIEW", "DUC", "DATE_INT",
                          "DATE_MATCH", "DATE_PLACED", "DATE_PLACED_CEASED", "DATE_PERM",
                          "MIS_START", "MIS_END", "SW_DECOM", "SW_DEC"})


def tables_for(year: int) -> tuple[str, ...]:
    """The tables DfE asks for in the collection year ending 31 March `year`: social worker
    episodes from 2023-24 (DoLo, from 2026-27, has no source in the SSD)."""
    return tuple(t for t in COLUMNS if t != "SWEpisodes" or year >= 2024)


def collection_dates(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 4, 1), dt.date(year, 3, 31)


def _d(column: str) -> str:
    return f"CAST({column} AS DATE)"


def _age(dob: str, on: str) -> str:
    """Age in whole years on a day (a 29 February birthday counts from 28 February)."""
    return (f"(date_diff('year', {dob}, {on}) - CASE WHEN {dob} + to_years("
            f"date_diff('year', {dob}, {on})) > {on} THEN 1 ELSE 0 END)")


# Every 903 episode with its legal status (the SSD keeps legal status as its own history)
# and its placement; `period` is the period of care.
_EPISODE = f"""
episode AS (
    SELECT e.clae_person_id AS child, e.clae_cla_episode_id AS episode_id,
        {_d("e.clae_cla_episode_start_date")} AS decom, e.clae_cla_episode_start_reason AS rne,
        ls.lega_legal_status AS ls, e.clae_cla_primary_need_code AS cin,
        p.clap_cla_placement_type AS place, p.clap_cla_placement_provider AS provider,
        {_d("e.clae_cla_episode_ceased_date")} AS dec, e.clae_cla_episode_ceased_reason AS rec,
        p.clap_cla_placement_change_reason AS change_reason,
        {_d("p.clap_cla_placement_end_date")} AS placement_end,
        p.clap_cla_placement_postcode AS pl_post, p.clap_cla_placement_urn AS urn,
        e.clae_cla_id AS period, {_d("e.clae_entered_care_date")} AS entered_care
    FROM ssd_cla_episodes e
    LEFT JOIN ssd_cla_placement p ON p.clap_cla_placement_id = e.clae_cla_placement_id
    LEFT JOIN ssd_legal_status ls ON ls.lega_person_id = e.clae_person_id
        AND {_d("ls.lega_legal_status_start_date")} <= {_d("e.clae_cla_episode_start_date")}
        AND (ls.lega_legal_status_end_date IS NULL
             OR {_d("ls.lega_legal_status_end_date")} > {_d("e.clae_cla_episode_start_date")})
),
in_year AS (
    SELECT * FROM episode WHERE decom <= $end AND (dec IS NULL OR dec >= $start)
),
person AS (
    SELECT pers_person_id AS child, {_d("pers_dob")} AS dob, pers_sex AS sex,
        pers_ethnicity AS ethnic, COALESCE(pers_upn, pers_upn_unknown) AS upn
    FROM ssd_person
),
-- Looked after at 31 March, and continuously for the 12 months before (OC2's children);
-- short breaks (V3/V4) do not count.
lac_12_months AS (
    SELECT child FROM in_year
    WHERE (dec IS NULL OR dec > $end) AND entered_care <= $start - INTERVAL 1 DAY
      AND ls NOT IN ('V3', 'V4')
)"""

_SQL: Mapping[str, str] = {
    # DEC and REC are blank for an episode still open on 31 March; the reason a placement
    # changed goes on the X1 episode that ended with it.
    "Episodes": f"""WITH {_EPISODE}
        SELECT e.child AS CHILD, e.decom AS DECOM, e.rne AS RNE, e.ls AS LS, e.cin AS CIN,
            e.place AS PLACE, e.provider AS PLACE_PROVIDER,
            CASE WHEN e.dec <= $end THEN e.dec END AS DEC,
            CASE WHEN e.dec <= $end THEN e.rec END AS REC,
            CASE WHEN e.dec <= $end AND e.rec = 'X1' AND e.dec = e.placement_end
                 THEN e.change_reason END AS REASON_PLACE_CHANGE,
            (SELECT arg_max(a.addr_address_postcode, a.addr_address_start_date)
             FROM ssd_address a WHERE a.addr_person_id = e.child
             AND a.addr_address_type = 'HOME'
             AND {_d("a.addr_address_start_date")} <= e.decom) AS HOME_POST,
            e.pl_post AS PL_POST, e.urn AS URN
        FROM in_year e ORDER BY e.child, e.decom, e.episode_id""",
    "Reviews": f"""WITH {_EPISODE}
        SELECT r.clar_cla_person_id AS CHILD, p.dob AS DOB,
            {_d("r.clar_cla_review_date")} AS REVIEW,
            r.clar_cla_review_participation AS REVIEW_CODE
        FROM ssd_cla_reviews r JOIN person p ON p.child = r.clar_cla_person_id
        WHERE {_d("r.clar_cla_review_date")} BETWEEN $start AND $end
            AND COALESCE(r.clar_cla_review_cancelled, 'N') <> 'Y'
            AND r.clar_cla_person_id IN (SELECT child FROM in_year)
        ORDER BY 1, 3""",
    # Children who were unaccompanied asylum-seekers while looked after. DUC is the day
    # that status ended, or ends: the 18th birthday for a child still UASC (the status
    # ends then by definition; DfE's rule 205B expects last year's DUC to be it).
    "UASC": f"""WITH {_EPISODE}, uasc AS (
            SELECT immi_person_id AS child,
                MAX({_d("immi_immigration_status_end_date")}) AS ended,
                bool_or(immi_immigration_status_end_date IS NULL) AS still
            FROM ssd_immigration_status WHERE immi_immigration_status = 'UASC'
                AND {_d("immi_immigration_status_start_date")} <= $end
            GROUP BY 1)
        SELECT u.child AS CHILD, {{sex}} AS SEX, p.dob AS DOB,
            CASE WHEN u.still THEN CAST(p.dob + INTERVAL 18 YEAR AS DATE) ELSE u.ended END
                AS DUC
        FROM uasc u JOIN person p ON p.child = u.child
        WHERE u.child IN (SELECT child FROM in_year) ORDER BY 1""",
    "OC2": f"""WITH {_EPISODE}, health AS (
            SELECT clah_person_id AS child,
                bool_or(clah_health_check_type = 'HEALTH_ASSESSMENT'
                        AND clah_health_check_status = 'Y') AS assessed,
                bool_or(clah_health_check_type = 'DENTAL'
                        AND clah_health_check_status = 'Y') AS teeth
            FROM ssd_cla_health
            WHERE {_d("clah_health_check_date")} BETWEEN $start AND $end GROUP BY 1),
        sdq AS (
            SELECT csdq_person_id AS child,
                arg_max(csdq_sdq_score, csdq_sdq_completed_date) AS score,
                arg_max(csdq_sdq_reason, csdq_sdq_completed_date) AS reason
            FROM ssd_sdq_scores
            WHERE {_d("csdq_sdq_completed_date")} BETWEEN $start AND $end GROUP BY 1),
        immunised AS (
            SELECT clai_person_id AS child, clai_immunisations_status = 'Y' AS up_to_date
            FROM ssd_cla_immunisations
            WHERE {_d("clai_immunisations_status_date")} <= $end),
        convicted AS (
            SELECT DISTINCT clac_person_id AS child FROM ssd_cla_convictions
            WHERE {_d("clac_cla_conviction_date")} BETWEEN $start AND $end),
        misuse AS (
            SELECT clas_person_id AS child,
                bool_or(clas_intervention_received = 'Y') AS received
            FROM ssd_cla_substance_misuse
            WHERE {_d("clas_substance_misuse_date")} BETWEEN $start AND $end GROUP BY 1),
        cohort AS (
            SELECT p.*, {_age("p.dob", "$end")} AS age,
                -- an SDQ is due from children 4 or over at 31 March and under 17 on 1 April
                {_age("p.dob", "$end")} >= 4 AND {_age("p.dob", "$start")} < 17 AS sdq_age
            FROM person p WHERE p.child IN (SELECT child FROM lac_12_months))
        SELECT c.child AS CHILD, c.dob AS DOB,
            CASE WHEN c.sdq_age THEN CAST(s.score AS VARCHAR) END AS SDQ_SCORE,
            CASE WHEN c.sdq_age AND s.score IS NULL THEN s.reason END AS SDQ_REASON,
            CASE WHEN c.age >= 10 THEN CASE WHEN v.child IS NULL THEN '0' ELSE '1' END
                 END AS CONVICTED,
            CASE WHEN c.age < 5 THEN CASE WHEN h.assessed THEN '1' ELSE '0' END
                 END AS HEALTH_CHECK,
            CASE WHEN i.up_to_date THEN '1' ELSE '0' END AS IMMUNISATIONS,
            CASE WHEN h.teeth THEN '1' ELSE '0' END AS TEETH_CHECK,
            CASE WHEN h.assessed THEN '1' ELSE '0' END AS HEALTH_ASSESSMENT,
            CASE WHEN m.child IS NULL THEN '0' ELSE '1' END AS SUBSTANCE_MISUSE,
            CASE WHEN m.child IS NOT NULL THEN CASE WHEN m.received THEN '1' ELSE '0' END
                 END AS INTERVENTION_RECEIVED,
            CASE WHEN m.received THEN '1' END AS INTERVENTION_OFFERED
        FROM cohort c LEFT JOIN health h ON h.child = c.child
        LEFT JOIN sdq s ON s.child = c.child LEFT JOIN immunised i ON i.child = c.child
        LEFT JOIN convicted v ON v.child = c.child LEFT JOIN misuse m ON m.child = c.child
        ORDER BY 1""",
    # Care leavers whose 17th to 21st birthday falls in the year: they had left care before
    # it and were not looked after on it. The SSD keeps only the latest contact, which
    # gives the three codes.
    "OC3": f"""WITH {_EPISODE}, leaver AS (
            SELECT l.clea_person_id AS child, l.clea_care_leaver_in_touch AS in_touch,
                l.clea_care_leaver_activity AS activ, l.clea_care_leaver_accommodation AS accom,
                p.dob, CAST(p.dob + to_years({_age("p.dob", "$end")}) AS DATE) AS birthday,
                {_age("p.dob", "$end")} AS age
            FROM ssd_care_leavers l JOIN person p ON p.child = l.clea_person_id
            WHERE l.clea_care_leaver_eligibility IN ('RELEVANT', 'FORMER_RELEVANT'))
        SELECT l.child AS CHILD, l.dob AS DOB, l.in_touch AS IN_TOUCH, l.activ AS ACTIV,
            l.accom AS ACCOM
        FROM leaver l
        WHERE l.age BETWEEN 17 AND 21 AND l.birthday >= $start
            AND EXISTS (SELECT 1 FROM episode e WHERE e.child = l.child
                        AND e.dec < l.birthday)
            AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.child = l.child
                            AND e.decom <= l.birthday
                            AND (e.dec IS NULL OR e.dec >= l.birthday))
        ORDER BY 1""",
    # Children adopted in the year (REC E11/E12), with their adoption's details.
    "AD1": f"""WITH {_EPISODE}
        SELECT p.child AS CHILD, p.dob AS DOB, {_d("m.perm_adm_decision_date")} AS DATE_INT,
            {_d("m.perm_matched_date")} AS DATE_MATCH,
            CASE m.perm_adopted_by_carer_flag WHEN 'Y' THEN '1' WHEN 'N' THEN '0' END
                AS FOSTER_CARE,
            CAST(m.perm_number_of_adopters AS VARCHAR) AS NB_ADOPTR,
            m.perm_adopter_sex AS SEX_ADOPTR, m.perm_adopter_legal_status AS LS_ADOPTR
        FROM in_year e JOIN person p ON p.child = e.child
        JOIN ssd_permanence m ON m.perm_cla_id = e.period
        WHERE e.rec IN ('E11', 'E12') AND e.dec BETWEEN $start AND $end
        ORDER BY 1""",
    # Decisions that a child looked after in the year should be placed for adoption, and
    # when and why such a decision ceased.
    "PlacedAdoption": f"""WITH {_EPISODE}
        SELECT DISTINCT p.child AS CHILD, p.dob AS DOB,
            {_d("m.perm_adm_decision_date")} AS DATE_PLACED,
            CASE WHEN {_d("m.perm_decision_reversed_date")} <= $end
                 THEN {_d("m.perm_decision_reversed_date")} END AS DATE_PLACED_CEASED,
            CASE WHEN {_d("m.perm_decision_reversed_date")} <= $end
                 THEN m.perm_decision_reversed_reason END AS REASON_PLACED_CEASED
        FROM ssd_permanence m JOIN person p ON p.child = m.perm_person_id
        WHERE m.perm_adm_decision_date IS NOT NULL
            AND {_d("m.perm_adm_decision_date")} <= $end
            AND m.perm_cla_id IN (SELECT period FROM in_year)
            AND (m.perm_decision_reversed_date IS NULL
                 OR {_d("m.perm_decision_reversed_date")} >= $start)
        ORDER BY 1, 3""",
    # For each child who started to be looked after in the year.
    "PrevPerm": f"""WITH {_EPISODE}
        SELECT p.child AS CHILD, p.dob AS DOB,
            x.lapp_previous_permanence_option AS PREV_PERM,
            x.lapp_previous_permanence_la AS LA_PERM,
            TRY_CAST(x.lapp_previous_permanence_order_date AS DATE) AS DATE_PERM
        FROM ssd_cla_previous_permanence x JOIN person p ON p.child = x.lapp_person_id
        WHERE x.lapp_person_id IN (SELECT child FROM in_year WHERE rne = 'S'
                                   AND decom BETWEEN $start AND $end)
        ORDER BY 1""",
    # Missing (M) and away without authorisation (A) episodes while looked after that were
    # open in the year (one still open at last year's end is reported again, with its end).
    "Missing": f"""WITH {_EPISODE}
        SELECT m.miss_person_id AS CHILD, p.dob AS DOB, m.miss_missing_episode_type AS MISSING,
            {_d("m.miss_missing_episode_start_date")} AS MIS_START,
            CASE WHEN {_d("m.miss_missing_episode_end_date")} <= $end
                 THEN {_d("m.miss_missing_episode_end_date")} END AS MIS_END
        FROM ssd_missing m JOIN person p ON p.child = m.miss_person_id
        WHERE {_d("m.miss_missing_episode_start_date")} <= $end
            AND (m.miss_missing_episode_end_date IS NULL
                 OR {_d("m.miss_missing_episode_end_date")} >= $start)
            AND EXISTS (SELECT 1 FROM in_year e WHERE e.child = m.miss_person_id
                        AND e.decom <= {_d("m.miss_missing_episode_start_date")}
                        AND (e.dec IS NULL
                             OR e.dec > {_d("m.miss_missing_episode_start_date")}))
        ORDER BY 1, 4""",
    # Allocated social workers (SSD role CW) while the child was looked after, by their
    # Social Work England number: an allocation made before the child came into care
    # counts from that day. The reason for a new episode is why the last one ended, or
    # FCONTA (first contact) when no episode ended in the week before it.
    "SWEpisodes": f"""WITH {_EPISODE}, care AS (
            SELECT child, period, MIN(decom) AS started,
                CASE WHEN bool_or(dec IS NULL) THEN NULL ELSE MAX(dec) END AS ended
            FROM episode GROUP BY child, period),
        worker AS (
            SELECT i.invo_person_id AS child, i.invo_professional_id AS professional,
                {_d("i.invo_involvement_start_date")} AS started,
                {_d("i.invo_involvement_end_date")} AS ended,
                i.invo_worker_change_reason AS reason
            FROM ssd_involvements i WHERE i.invo_professional_role_id = 'CW'),
        sw AS (
            SELECT DISTINCT w.child, w.professional, w.reason,
                GREATEST(w.started, c.started) AS decom, w.ended AS dec
            FROM worker w JOIN care c ON c.child = w.child
            WHERE w.started <= COALESCE(c.ended, $end) AND w.started <= $end
                AND c.started <= $end
                AND (w.ended IS NULL OR w.ended > c.started)
                AND (c.ended IS NULL OR c.ended >= $start)
                AND (w.ended IS NULL OR w.ended >= $start)),
        ordered AS (
            SELECT sw.*, LAG(sw.dec) OVER (PARTITION BY sw.child ORDER BY sw.decom) AS last_dec,
                LAG(sw.reason) OVER (PARTITION BY sw.child ORDER BY sw.decom) AS last_reason
            FROM sw)
        SELECT o.child AS CHILD, p.dob AS DOB, f.prof_social_worker_registration_no AS SW_ID,
            o.decom AS SW_DECOM, CASE WHEN o.dec <= $end THEN o.dec END AS SW_DEC,
            CASE WHEN o.last_dec IS NOT NULL AND o.last_dec >= o.decom - INTERVAL 7 DAY
                 THEN o.last_reason ELSE 'FCONTA' END AS SW_REASON
        FROM ordered o JOIN person p ON p.child = o.child
        LEFT JOIN ssd_professionals f ON f.prof_professional_id = o.professional
        ORDER BY 1, 4""",
}

# Everyone in any table, with the mother's details: MOTHER for girls with a looked-after
# episode other than a short break (1 if a child of hers was born by 31 March), and
# MC_DOB the first such child's date of birth.
_HEADER = f"""WITH {_EPISODE}, children AS ({{children}}),
    motherhood AS (
        SELECT moth_person_id AS child, MIN({_d("moth_childs_dob")}) AS first_child
        FROM ssd_mother WHERE {_d("moth_childs_dob")} <= $end GROUP BY 1)
    SELECT p.child AS CHILD, {{sex}} AS SEX, p.dob AS DOB, p.ethnic AS ETHNIC, p.upn AS UPN,
        CASE WHEN p.sex = 'F' AND p.child IN (SELECT child FROM in_year
                                              WHERE ls NOT IN ('V3', 'V4'))
             THEN CASE WHEN m.child IS NULL THEN '0' ELSE '1' END END AS MOTHER,
        CASE WHEN p.sex = 'F' THEN m.first_child END AS MC_DOB
    FROM person p LEFT JOIN motherhood m ON m.child = p.child
    WHERE p.child IN (SELECT child FROM children) ORDER BY 1"""

# SEX was 1 (male) / 2 (female) until 2023-24, M/F/U from 2024-25.
_OLD_SEX = "CASE p.sex WHEN 'M' THEN '1' WHEN 'F' THEN '2' ELSE p.sex END"


def _schema(table: str) -> pa.Schema:
    return pa.schema([pa.field(c, pa.date32() if c in DATE_COLUMNS else pa.string())
                      for c in COLUMNS[table]])


def _fetch(con: duckdb.DuckDBPyConnection, sql: str, table: str,
           params: Mapping[str, dt.date]) -> pa.Table:
    found = con.sql(sql, params=dict(params)).to_arrow_table()
    return found.select(list(COLUMNS[table])).cast(_schema(table))


def build(con: duckdb.DuckDBPyConnection, year: int,
          coding_year: int | None = None) -> dict[str, pa.Table]:
    """Every SSDA903 table for the collection year ending 31 March `year`, with the codes
    of `coding_year` (default: the same year). Last year's tables given to DfE's validator
    beside this year's use this year's codes: its rule 202 compares SEX literally across
    the two years, so last year's 1/2 beside this year's M/F would all differ."""
    if year not in YEARS:
        raise ValueError(f"year: {year} has no SSDA903 ruleset; allowed: "
                         f"{YEARS.start}–{YEARS.stop - 1}")
    start, end = collection_dates(year)
    params = {"start": start, "end": end}
    sex = _OLD_SEX if (coding_year or year) <= 2024 else "p.sex"
    names = [t for t in tables_for(year) if t != "Header"]
    tables = {name: _fetch(con, _SQL[name].replace("{sex}", sex), name, params)
              for name in names}
    children: set[str] = set()
    for table in tables.values():
        children.update(str(c) for c in table.column("CHILD").to_pylist())
    con.register("r903_children", pa.table({"child": sorted(children)}))
    try:
        header = _HEADER.format(children="SELECT child FROM r903_children",
                                sex=sex)
        tables["Header"] = _fetch(con, header, "Header", params)
    finally:
        con.unregister("r903_children")
    return {name: tables[name] for name in tables_for(year)}


# Fields DfE requires on every row of a table: a blank one means the record cannot be
# expressed in the return (it is written blank, never guessed, and listed by `gaps`).
REQUIRED: Mapping[str, tuple[str, ...]] = MappingProxyType({
    "Header": ("SEX", "DOB", "ETHNIC", "UPN"),
    "Episodes": ("DECOM", "RNE", "LS", "CIN", "PLACE"),
    "Reviews": ("REVIEW", "REVIEW_CODE"),
    "UASC": ("DUC",),
    "OC3": ("IN_TOUCH", "ACTIV", "ACCOM"),
    "PrevPerm": ("PREV_PERM",),
    "Missing": ("MISSING", "MIS_START"),
    "SWEpisodes": ("SW_ID", "SW_DECOM", "SW_REASON"),
})


def gaps(tables: Mapping[str, pa.Table]) -> list[str]:
    """Each row with a required field blank: table, row, child and the fields."""
    found = []
    for name, required in REQUIRED.items():
        if name not in tables:
            continue
        for number, row in enumerate(tables[name].to_pylist()):
            blank = [c for c in required if row.get(c) in (None, "")]
            if blank:
                found.append(f"{name} row {number} (child {row['CHILD']}): "
                             f"{', '.join(blank)} blank")
    return found


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv(tables: Mapping[str, pa.Table], out: Path) -> list[Path]:
    """One CSV per table, `<Table>.csv`, with DfE's headers and dd/mm/YYYY dates."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in tables.items():
        path = out / f"{name}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(table.column_names)
            for row in table.to_pylist():
                writer.writerow([_cell(row[c]) for c in table.column_names])
        written.append(path)
    return written
