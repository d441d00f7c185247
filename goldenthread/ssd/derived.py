"""SSD tables that need more than one SELECT: JSON columns, snapshots (latest contact,
latest immunisation), histories folded into runs (legal status), counts (caseload) and the
cohort's inclusion flags. Each builder returns rows in the SSD's column order."""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from goldenthread.reference.codes import code_list
from goldenthread.ssd.shaping import UK
from goldenthread.ssd.sql import PERIOD, PERSON, Row, rows

__all__ = ["builders", "last_30_september"]

Y, N, UNKNOWN = "Y", "N", ""


def _json(values: dict[str, Any]) -> str:
    # Compact and in the SSD's key order, as SQL Server's FOR JSON PATH writes it.
    return json.dumps(values, separators=(",", ":"), ensure_ascii=False)


def _yn(value: object) -> str:
    """A JSON flag: 'Y', 'N', or '' when we do not know (the SSD's ISNULL(flag, ''))."""
    return UNKNOWN if value is None else Y if value else N


def last_30_september(today: dt.date) -> dt.date:
    """The CSC workforce census date on or before `today`."""
    this_year = dt.date(today.year, 9, 30)
    return this_year if today >= this_year else dt.date(today.year - 1, 9, 30)


@functools.cache
def _description(list_id: str, code: str) -> str | None:
    found = code_list(list_id).get(code) if code else None
    return found.description if found else None


def person() -> list[Row]:
    return rows("""SELECT NULL, p.la_person_id, p.upn, p.forename, p.surname, p.sex,
        p.gender_identity, p.ethnicity, p.date_of_birth, p.nhs_number, p.upn_unknown_reason,
        NULL, p.expected_date_of_birth, p.date_of_death,
        CASE WHEN EXISTS (SELECT 1 FROM {Relationship} r
                          JOIN {Person} c ON c.id = r.person_id AND c.archived_at IS NULL
                          WHERE r.relative_id = p.id AND r.relationship_type = 'MOTHER'
                          AND r.archived_at IS NULL) THEN 1 ELSE 0 END,
        p.nationality FROM {Person} p WHERE p.archived_at IS NULL""")


def linked_identifiers() -> list[Row]:
    """One row per identifier held; we hold no validity dates, so those stay NULL."""
    out: list[Row] = []
    for pk, person_id, upn, former, nhs in rows(
            "SELECT p.id, p.la_person_id, p.upn, p.former_upn, p.nhs_number FROM {Person} p "
            "WHERE p.archived_at IS NULL"):
        for suffix, kind, value in (("UPN", "Unique Pupil Number", upn),
                                    ("FUPN", "Former Unique Pupil Number", former),
                                    ("NHS", "NHS Number", nhs)):
            if value:
                out.append((f"{pk}-{suffix}", person_id, kind, value, None, None))
    return out


_ADDRESS_KEYS = ("ROOM", "FLOOR", "FLAT", "BUILDING", "HOUSE", "STREET", "TOWN", "UPRN",
                 "EASTING", "NORTHING")


def address() -> list[Row]:
    """We keep two free lines, not the SSD's parts: both go in STREET, joined by ', '."""
    out: list[Row] = []
    for pk, person_id, kind, start, end, postcode, line_1, line_2, town, uprn in rows(
            f"""SELECT x.id, p.la_person_id, x.address_type, x.start_date, x.end_date,
            x.postcode, x.line_1, x.line_2, x.town, x.uprn FROM {{Address}} x {PERSON}
            WHERE x.archived_at IS NULL"""):
        parts = dict.fromkeys(_ADDRESS_KEYS, "")
        parts.update(STREET=", ".join(s for s in (line_1, line_2) if s), TOWN=town or "",
                     UPRN=uprn or "")
        out.append((pk, person_id, kind, start, end, postcode, _json(parts)))
    return out


def _exists(table: str, where: str = "") -> str:
    return (f"CASE WHEN EXISTS (SELECT 1 FROM {{{table}}} c WHERE c.referral_id = x.id "
            f"AND c.archived_at IS NULL {where}) THEN 1 ELSE 0 END")


def cin_episodes() -> list[Row]:
    """cine_referral_outcome_json says what the referral led to, from the records that hang
    from it: an assessment, a strategy discussion, a period of care, an ICPC (or a CP
    transfer-in conference). We record no adoption, private-fostering or care-leaver
    outcome of a referral, so those flags are '' (unknown), as the SSD writes a NULL."""
    out: list[Row] = []
    for (pk, person_id, when, need, source, nfa, close_reason, close_date, team, worker,
         assessed, strategy, care, icpc, transfer) in rows(
            f"""SELECT x.id, p.la_person_id, x.referral_date, x.primary_need, x.source,
            x.is_nfa, x.closure_reason, x.closure_date, x.team_id, x.worker_id,
            {_exists("Assessment")}, {_exists("StrategyDiscussion")},
            {_exists("PeriodOfCare")},
            {_exists("InitialConference", "AND NOT c.is_transfer_in")},
            {_exists("InitialConference", "AND c.is_transfer_in")}
            FROM {{Referral}} x {PERSON} WHERE x.archived_at IS NULL"""):
        flags = {"SINGLE_ASSESSMENT_FLAG": _yn(assessed),
                 "STRATEGY_DISCUSSION_FLAG": _yn(strategy), "CLA_REQUEST_FLAG": _yn(care),
                 "NON_AGENCY_ADOPTION_FLAG": UNKNOWN, "PRIVATE_FOSTERING_FLAG": UNKNOWN,
                 "CP_TRANSFER_IN_FLAG": _yn(transfer), "CP_CONFERENCE_FLAG": _yn(icpc),
                 "CARE_LEAVER_FLAG": UNKNOWN, "OTHER_OUTCOMES_EXIST_FLAG": UNKNOWN}
        outcome = _json({**flags, "NUMBER_OF_OUTCOMES": list(flags.values()).count(Y),
                         "COMMENTS": ""})
        out.append((pk, person_id, when, need, source,
                    _description("REFERRAL_SOURCE", source), outcome, nfa, close_reason,
                    close_date, team, worker))
    return out


# CONTACT_DECISION code -> its flag in cont_contact_outcome_json (EARLY_HELP has none).
_CONTACT_FLAGS = {"REFERRAL": "NEW_REFERRAL_FLAG", "EXISTING_REFERRAL": "EXISTING_REFERRAL_FLAG",
                  "CP_ENQUIRY": "CP_ENQUIRY_FLAG", "NFA": "NFA_FLAG",
                  "NON_AGENCY_ADOPT": "NON_AGENCY_ADOPTION_FLAG",
                  "PRIVATE_FOSTERING": "PRIVATE_FOSTERING_FLAG", "ADVICE": "ADVICE_FLAG",
                  "MISSING": "MISSING_FLAG", "OLA_CP": "OLA_CP_FLAG"}
_CONTACT_KEYS = ("NEW_REFERRAL_FLAG", "EXISTING_REFERRAL_FLAG", "CP_ENQUIRY_FLAG", "NFA_FLAG",
                 "NON_AGENCY_ADOPTION_FLAG", "PRIVATE_FOSTERING_FLAG", "ADVICE_FLAG",
                 "MISSING_FLAG", "OLA_CP_FLAG")


@functools.cache
def contact_outcome(decision: str) -> str | None:
    """One decision per contact: its flag 'Y', the others 'N'. A decision with no SSD flag
    (EARLY_HELP) sets OTHER_OUTCOMES_EXIST_FLAG. No decision yet: NULL."""
    if not decision:
        return None
    flag = _CONTACT_FLAGS.get(decision)
    values: dict[str, Any] = {key: Y if key == flag else N for key in _CONTACT_KEYS}
    values.update(OTHER_OUTCOMES_EXIST_FLAG=N if flag else Y, NUMBER_OF_OUTCOMES=1, COMMENTS="")
    return _json(values)


def contacts() -> list[Row]:
    return [(pk, person_id, when, source, _description("REFERRAL_SOURCE", source),
             contact_outcome(decision))
            for pk, person_id, when, source, decision in rows(
                f"""SELECT x.id, p.la_person_id, x.received_at, x.source, x.decision
                FROM {{Contact}} x {PERSON} WHERE x.archived_at IS NULL""")]


def assessment_factors() -> list[Row]:
    """One row per assessment with factors; the row's id is the assessment's."""
    codes: dict[int, list[str]] = defaultdict(list)
    for assessment, code in rows(
            """SELECT f.assessment_id, f.code FROM {AssessmentFactor} f
            JOIN {Assessment} x ON x.id = f.assessment_id AND x.archived_at IS NULL """
            + PERSON + " WHERE f.archived_at IS NULL ORDER BY f.assessment_id, f.code"):
        codes[assessment].append(code)
    return [(pk, pk, json.dumps(found)) for pk, found in codes.items()]


def s47_enquiry() -> list[Row]:
    """We record the NFA outcome and whether an ICPC is needed; the SSD's other outcome
    flags are '' (unknown)."""
    out: list[Row] = []
    for pk, referral, person_id, start, end, nfa, icpc, team, worker in rows(
            f"""SELECT x.id, x.referral_id, p.la_person_id, x.start_date, x.end_date,
            x.outcome_nfa, x.icpc_required, x.team_id, x.worker_id
            FROM {{Section47Enquiry}} x {PERSON} WHERE x.archived_at IS NULL"""):
        outcome = _json({"NFA_FLAG": _yn(nfa), "LEGAL_ACTION_FLAG": UNKNOWN,
                         "PROV_OF_SERVICES_FLAG": UNKNOWN, "PROV_OF_SB_CARE_FLAG": UNKNOWN,
                         "CP_CONFERENCE_FLAG": _yn(icpc), "NFA_CONTINUE_SINGLE_FLAG": UNKNOWN,
                         "MONITOR_FLAG": UNKNOWN, "OTHER_OUTCOMES_EXIST_FLAG": UNKNOWN,
                         "TOTAL_NO_OF_OUTCOMES": None, "OUTCOME_COMMENTS": ""})
        out.append((pk, referral, person_id, start, end, nfa, outcome, team, worker))
    return out


def initial_cp_conference() -> list[Row]:
    """icpc_cp_plan_id is the CP plan that names this conference. Only the CP plan outcome
    is recorded; the other outcome flags are '' (unknown). No meeting id, team or worker."""
    out: list[Row] = []
    for pk, s47, person_id, plan, referral, transfer, target, held, decided in rows(
            f"""SELECT x.id, x.section_47_id, p.la_person_id,
            (SELECT MIN(c.id) FROM {{CPPlan}} c WHERE c.initial_conference_id = x.id
             AND c.archived_at IS NULL),
            x.referral_id, x.is_transfer_in, x.target_date, x.conference_date,
            x.cp_plan_decided FROM {{InitialConference}} x {PERSON}
            WHERE x.archived_at IS NULL"""):
        outcome = _json({"NFA_FLAG": UNKNOWN, "REFERRAL_TO_OTHER_AGENCY_FLAG": UNKNOWN,
                         "SINGLE_ASSESSMENT_FLAG": UNKNOWN, "PROV_OF_SERVICES_FLAG": UNKNOWN,
                         "CP_FLAG": _yn(decided), "OTHER_OUTCOMES_EXIST_FLAG": UNKNOWN,
                         "TOTAL_NO_OF_OUTCOMES": None, "COMMENTS": ""})
        out.append((pk, None, s47, person_id, plan, referral, transfer, target, held, decided,
                    outcome, None, None))
    return out


def legal_status() -> list[Row]:
    """One row per change of legal status: consecutive 903 episodes of a child with the same
    legal status, each starting the day the last ended, fold into one row (id: the first
    episode's). Example: C2 1 Jun-3 Jul (placement move) C2 3 Jul-open -> one C2 row from
    1 June, open; then E1 from 9 Sep -> a C2 row 1 Jun-9 Sep and an E1 row from 9 Sep."""
    out: list[list[Any]] = []
    last_person = None
    for pk, person_id, status, start, end in rows(
            f"""SELECT x.id, p.la_person_id, x.legal_status, x.start_date, x.end_date
            FROM {{CLAEpisode}} x {PERIOD} {PERSON} WHERE x.archived_at IS NULL
            ORDER BY x.person_id, x.start_date, x.id"""):
        previous = out[-1] if out and last_person == person_id else None
        if previous and previous[2] == status and previous[4] == start:
            previous[4] = end
        else:
            out.append([pk, person_id, status, start, end])
        last_person = person_id
    return [tuple(row) for row in out]


def latest_immunisation() -> list[Row]:
    """The SSD keeps one status per child: the latest we hold."""
    latest: dict[str, Row] = {}
    for person_id, status, when in rows(
            f"""SELECT p.la_person_id, x.up_to_date, x.as_at FROM {{Immunisation}} x {PERSON}
            WHERE x.archived_at IS NULL ORDER BY x.person_id, x.as_at, x.id"""):
        latest[person_id] = (person_id, status, when)
    return list(latest.values())


def previous_permanence() -> list[Row]:
    """lapp_previous_permanence_order_date is text in the SSD (nvarchar(10)): ISO date."""
    return [(pk, person_id, option, la, when.isoformat() if when else None)
            for pk, person_id, option, la, when in rows(
                f"""SELECT x.id, p.la_person_id, x.option, x.la_code, x.order_date
                FROM {{PreviousPermanence}} x {PERSON} WHERE x.archived_at IS NULL""")]


# PERMANENCE_PLAN code -> the SSD care-plan form question it answers; the plans with no
# matching question (return home, SGO, CAO) are carried only in our PERMANENCE_PLAN key.
_PLAN_KEYS = ("REMAINSUP", "RETURN1M", "RETURN6M", "RETURNEV", "LTRELFR", "LTFOST18",
              "RESPLMT", "SUPPLIV", "ADOPTION", "OTHERPLN")
_PLAN_ANSWERS = {"ADOPTION": "ADOPTION", "LONG_TERM_FOSTER": "LTFOST18",
                 "RESIDENTIAL": "RESPLMT", "INDEPENDENCE": "SUPPLIV", "OTHER": "OTHERPLN"}


def care_plan_json(plan: str) -> str:
    answers: dict[str, str] = dict.fromkeys(_PLAN_KEYS, "")
    if plan in _PLAN_ANSWERS:
        answers[_PLAN_ANSWERS[plan]] = Y
    return _json({**answers, "PERMANENCE_PLAN": plan})


def cla_care_plan() -> list[Row]:
    return [(pk, person_id, start, end, care_plan_json(plan))
            for pk, person_id, start, end, plan in rows(
                f"""SELECT x.id, p.la_person_id, x.decided_on, x.end_date, x.plan
                FROM {{PermanencePlan}} x {PERIOD} {PERSON} WHERE x.archived_at IS NULL""")]


def _latest(text: str) -> dict[str, Row]:
    """The last row per person of a query ordered by person then date (first column)."""
    return {row[0]: row for row in rows(text)}


def care_leavers() -> list[Row]:
    """One row per young person (id: their person id), as the SSD keeps only the latest:
    the latest CareLeaver record, the latest CareLeaverContact and the latest PathwayPlan.
    The suitability of accommodation is the 903 ACCOM code's second character (1 = Y)."""
    leaver = _latest(f"""SELECT p.la_person_id, x.eligibility, x.personal_adviser_id,
        x.team_id FROM {{CareLeaver}} x {PERSON} WHERE x.archived_at IS NULL
        ORDER BY x.person_id, x.start_date, x.id""")
    contact = _latest(f"""SELECT p.la_person_id, x.contact_date, x.in_touch, x.activity,
        x.accommodation FROM {{CareLeaverContact}} x {PERSON} WHERE x.archived_at IS NULL
        ORDER BY x.person_id, x.contact_date, x.id""")
    plan = _latest(f"""SELECT p.la_person_id, x.review_date FROM {{PathwayPlan}} x {PERSON}
        WHERE x.archived_at IS NULL ORDER BY x.person_id, x.start_date, x.id""")
    out: list[Row] = []
    for person_id in sorted(leaver.keys() | contact.keys()):
        _, eligibility, adviser, team = leaver.get(person_id, (None,) * 4)
        _, when, in_touch, activity, accommodation = contact.get(person_id, (None,) * 5)
        suitable = {"1": Y, "2": N}.get(accommodation[1:]) \
            if accommodation and len(accommodation) == 2 else None
        out.append((person_id, person_id, eligibility, in_touch, when, accommodation, suitable,
                    activity, plan.get(person_id, (None, None))[1], adviser, team, None))
    return out


def professionals(today: dt.date) -> list[Row]:
    """prof_professional_caseload: children with an involvement of theirs (any role) open on
    the last 30 September, the CSC workforce census date; open means started on or before
    it and not ended by it ([start, end) as everywhere). prof_professional_department: the
    name of the team they are a member of today (the latest-joined, if several)."""
    census = last_30_september(today)
    caseload = {pro: count for pro, count in rows(
        f"""SELECT x.professional_id, COUNT(DISTINCT x.person_id) FROM {{Involvement}} x
        {PERSON} WHERE x.archived_at IS NULL AND x.start_date <= %s
        AND (x.end_date IS NULL OR x.end_date > %s) GROUP BY x.professional_id""",
        [census, census])}
    department = {pro: name for pro, name in rows(
        """SELECT x.professional_id, t.name FROM {TeamMembership} x
        JOIN {Team} t ON t.id = x.team_id AND t.archived_at IS NULL
        WHERE x.archived_at IS NULL AND x.start_date <= %s
        AND (x.end_date IS NULL OR x.end_date > %s)
        ORDER BY x.professional_id, x.start_date, x.id""", [today, today])}
    return [(pk, staff, f"{forename} {surname}".strip(), swe, agency, title,
             caseload.get(pk, 0), department.get(pk), fte)
            for pk, staff, forename, surname, swe, agency, title, fte in rows(
                """SELECT x.id, x.staff_id, x.forename, x.surname, x.swe_registration_number,
                x.is_agency, x.job_title, x.fte FROM {Professional} x
                WHERE x.archived_at IS NULL""")]


# Cohort: each reason's source, and the dates that count as activity for it.
_REASONS = (
    ("has_contact", "Contact", ("received_at",)),
    ("has_referral", "Referral", ("referral_date", "closure_date")),
    ("has_903", "CLAEpisode", ("start_date", "end_date")),
    ("is_care_leaver", "CareLeaverContact", ("contact_date",)),
    ("has_eligibility", "CareLeaver", ("start_date", "end_date")),
    ("has_involvement", "Involvement", ("start_date", "end_date")),
)


def _as_datetime(value: object) -> dt.datetime | None:
    """Comparable moments: stored datetimes are UTC, a date is UK midnight."""
    if isinstance(value, str):  # SQLite gives aggregates as text
        value = dt.date.fromisoformat(value) if len(value) == 10 else \
            dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=UK)
    return None


def cohort() -> list[Row]:
    """One row per person with a reason to be in the SSD, one flag per reason, and the
    first and last activity among those records' dates. has_client_flag has no source."""
    live = {pk: person_id for pk, person_id in rows(
        "SELECT p.id, p.la_person_id FROM {Person} p WHERE p.archived_at IS NULL")}
    flags: dict[str, set[str]] = defaultdict(set)
    for reason, model, _ in _REASONS:
        for (pk,) in rows(f"SELECT DISTINCT x.person_id FROM {{{model}}} x "
                          "WHERE x.archived_at IS NULL"):
            if pk in live:
                flags[live[pk]].add(reason)
    # One pass for first and last activity over every source's dates (the slowest table:
    # grouped by the integer key, without joins, so only one pair of dates a person is
    # parsed in Python).
    union = " UNION ALL ".join(f"SELECT x.person_id AS pid, x.{c} AS d FROM {{{model}}} x "
                               f"WHERE x.archived_at IS NULL AND x.{c} IS NOT NULL"
                               for _, model, columns in _REASONS for c in columns)
    dates: dict[str, list[dt.datetime]] = {}
    for pk, low, high in rows(f"SELECT pid, MIN(d), MAX(d) FROM ({union}) a GROUP BY pid"):
        if pk in live:
            dates[live[pk]] = [d for d in map(_as_datetime, (low, high)) if d is not None]
    out: list[Row] = []
    for person_id in sorted(flags):
        seen = dates.get(person_id, [])
        out.append((person_id, None, *(reason in flags[person_id] for reason, _, _ in
                                       _REASONS[:5]), None, "has_involvement" in
                    flags[person_id], min(seen, default=None), max(seen, default=None)))
    return out


def builders(today: dt.date) -> dict[str, Callable[[], Iterable[Row]]]:
    return {
        "ssd_person": person, "ssd_cohort": cohort, "ssd_address": address,
        "ssd_cin_episodes": cin_episodes, "ssd_legal_status": legal_status,
        "ssd_contacts": contacts, "ssd_assessment_factors": assessment_factors,
        "ssd_s47_enquiry": s47_enquiry, "ssd_initial_cp_conference": initial_cp_conference,
        "ssd_cla_immunisations": latest_immunisation,
        "ssd_cla_previous_permanence": previous_permanence, "ssd_cla_care_plan": cla_care_plan,
        "ssd_care_leavers": care_leavers, "ssd_linked_identifiers": linked_identifiers,
        "ssd_professionals": lambda: professionals(today),
    }
