"""Breakdowns and drill-down on a hand-written SSD store ("Testshire").

    North locality ── North service ── North team 1 (T1)      Wendy (W1), Will (W2)
    South locality ──────────────────── South team (T2)

    child  born          sex  ethnicity  disability  referral (year to 31 March 2025)
    Pia    1 Jun 2024    F    WBRI       NONE        R1 1 May 2024, T1/W1 on the referral, NFA
    Rex    31 Mar 2007   M    MWBC       AUT         R2 1 Jun 2024, none; allocated W2 in T2
    Sia    29 Feb 2020   2    APKN       -           R3 1 Jul 2024, none; W1 in T1 until
                                                     31 Mar 2025 (so not at 31 March); V2
                                                     until 31 March 2025
    Una    unborn (due 1 Jun 2025)  U  NOBT  -       R4 10 Jan 2025, T1 on the referral, no
                                                     worker and no allocation
    Viv    1 Jan 2012    M    CHNE       -           R5 1 Apr 2024, T2/W2; C2 since 2024;
                                                     (R6 31 Mar 2024: last year)
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

import duckdb
import pytest

from goldenthread.analytics import breakdowns
from goldenthread.analytics.breakdowns import BREAKDOWNS
from goldenthread.analytics.catalogue import Breakdown, Indicator
from goldenthread.analytics.engine import drill_down, evaluate, month_ends, prepare
from goldenthread.analytics.indicators.workforce import HISTORY_ROWS
from tests.analytics.test_engine import REFERRALS, make_indicator, referral, write_store

D = dt.date
MARCH_2025, FEB_2025 = D(2025, 3, 31), D(2025, 2, 28)

# The same referrals with no team or worker of their own: all from the allocation.
ALLOCATED = make_indicator("T-ALLOCATED", """SELECT p.period_id, r.cine_person_id AS person_id,
    r.cine_referral_id AS subject_id, 1.0 AS numerator, 1.0 AS denominator
    FROM ssd_cin_episodes r
    JOIN periods p ON CAST(r.cine_referral_date AS DATE) BETWEEN p.period_start
                                                              AND p.period_end""")
NFA = make_indicator("T-NFA", """SELECT p.period_id, r.cine_person_id AS person_id,
    r.cine_referral_id AS subject_id,
    CAST(CASE WHEN r.cine_referral_nfa = 'Y' THEN 1 ELSE 0 END AS DOUBLE) AS numerator,
    1.0 AS denominator, r.cine_referral_team AS team_id, r.cine_referral_worker_id AS worker_id
    FROM ssd_cin_episodes r
    JOIN periods p ON CAST(r.cine_referral_date AS DATE) BETWEEN p.period_start
                                                              AND p.period_end""", "percent")


def _involvement(ident: str, person: str, worker: str, team: str, start: dt.date,
                 end: dt.date | None = None, role: str = "CW") -> dict[str, object]:
    return {"invo_involvements_id": ident, "invo_person_id": person,
            "invo_professional_id": worker, "invo_professional_role_id": role,
            "invo_professional_team": team, "invo_involvement_start_date": start,
            "invo_involvement_end_date": end}


@pytest.fixture(scope="module")
def testshire(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    people = [("pia", D(2024, 6, 1), None, "F", "WBRI"), ("rex", D(2007, 3, 31), None, "M", "MWBC"),
              ("sia", D(2020, 2, 29), None, "2", "APKN"), ("una", None, D(2025, 6, 1), "U", "NOBT"),
              ("viv", D(2012, 1, 1), None, "M", "CHNE")]
    return write_store(tmp_path_factory.mktemp("testshire"), {
        "ssd_person": [{"pers_person_id": p, "pers_dob": dob, "pers_expected_dob": due,
                        "pers_sex": sex, "pers_ethnicity": eth}
                       for p, dob, due, sex, eth in people],
        "ssd_disability": [{"disa_table_id": "d1", "disa_person_id": "pia",
                            "disa_disability_code": "NONE"},
                           {"disa_table_id": "d2", "disa_person_id": "rex",
                            "disa_disability_code": "AUT"}],
        "ssd_department": [
            {"dept_team_id": "L1", "dept_team_name": "North locality"},
            {"dept_team_id": "S1", "dept_team_name": "North service", "dept_team_parent_id": "L1"},
            {"dept_team_id": "T1", "dept_team_name": "North team 1", "dept_team_parent_id": "S1"},
            {"dept_team_id": "L2", "dept_team_name": "South locality"},
            {"dept_team_id": "T2", "dept_team_name": "South team", "dept_team_parent_id": "L2"}],
        "ssd_professionals": [{"prof_professional_id": "W1", "prof_professional_name": "Wendy"},
                              {"prof_professional_id": "W2", "prof_professional_name": "Will"}],
        "ssd_involvements": [
            _involvement("i1", "rex", "W2", "T2", D(2024, 6, 1)),
            _involvement("i2", "sia", "W1", "T1", D(2024, 7, 1), MARCH_2025),
            _involvement("i3", "viv", "W2", "T2", D(2024, 4, 1)),
            _involvement("i4", "una", "W1", "T1", D(2025, 1, 10), role="IRO")],  # not an allocation
        "ssd_legal_status": [
            {"lega_legal_status_id": "l1", "lega_person_id": "viv", "lega_legal_status": "C2",
             "lega_legal_status_start_date": D(2024, 1, 1)},
            {"lega_legal_status_id": "l2", "lega_person_id": "sia", "lega_legal_status": "V2",
             "lega_legal_status_start_date": D(2025, 2, 1),
             "lega_legal_status_end_date": MARCH_2025}],
        "ssd_cin_episodes": [
            referral("R1", "pia", D(2024, 5, 1), cine_referral_team="T1",
                     cine_referral_worker_id="W1", cine_referral_nfa="Y"),
            referral("R2", "rex", D(2024, 6, 1)), referral("R3", "sia", D(2024, 7, 1)),
            referral("R4", "una", D(2025, 1, 10), cine_referral_team="T1"),
            referral("R5", "viv", D(2024, 4, 1), cine_referral_team="T2",
                     cine_referral_worker_id="W2"),
            referral("R6", "viv", D(2024, 3, 31))],
    })


def groups(con: duckdb.DuckDBPyConnection, by: Breakdown, end: dt.date = MARCH_2025,
           indicator: Indicator = REFERRALS) -> dict[str, float | None]:
    return {f.label or "": f.value for f in evaluate(con, [indicator], [end], by=by)}


def test_team_is_the_referrals_own_else_the_allocated_worker_at_the_period_end(
        testshire: duckdb.DuckDBPyConnection) -> None:
    """T1: R1 and R4 (their own team). T2: R5 (own) and R2 (Rex's allocated worker, in T2).
    Sia's allocation ended on 31 March, so at 31 March R3 is unallocated."""
    assert groups(testshire, "team") == {"North team 1": 2, "South team": 2, "Unallocated": 1}


def test_allocation_counts_when_open_on_the_date(testshire: duckdb.DuckDBPyConnection) -> None:
    """At 28 February 2025 Sia's allocation (W1 in T1) is still open, so R3 goes to T1; R4
    (10 January) is T1's own. Year to date: R1-R5."""
    assert groups(testshire, "team", FEB_2025) == {"North team 1": 3, "South team": 2}


def test_without_the_indicators_own_team_only_allocations_count(
        testshire: duckdb.DuckDBPyConnection) -> None:
    """The same referrals with no team of their own: Rex and Viv are allocated in T2; Pia,
    Sia (ended) and Una (only an IRO, not an allocated worker) are unallocated."""
    assert groups(testshire, "team", indicator=ALLOCATED) == {"South team": 2,
                                                              "Unallocated": 3}


def test_worker_falls_back_column_by_column(testshire: duckdb.DuckDBPyConnection) -> None:
    """Wendy: R1 (own). Will: R2 (allocated), R5 (own). R4 has its own team but no worker
    and Una no allocated worker, so unallocated, as is R3."""
    assert groups(testshire, "worker") == {"Wendy": 1, "Will": 2, "Unallocated": 2}


def test_locality_is_the_top_of_the_team_chain(testshire: duckdb.DuckDBPyConnection) -> None:
    """T1 sits in a service in the North locality; T2 straight in the South locality."""
    assert groups(testshire, "locality") == {"North locality": 2, "South locality": 2,
                                             "Unallocated": 1}


def test_age_bands_at_the_period_end(testshire: duckdb.DuckDBPyConnection) -> None:
    """At 31 March 2025: Pia 0 (under 1), Rex turns 18 that day (18+), Sia 5 (her 29
    February birthday counts from 1 March in 2025), Una not born, Viv 13."""
    assert groups(testshire, "age_band") == {"Under 1": 1, "18+": 1, "5-9": 1, "Unborn": 1,
                                             "10-15": 1}


def test_age_bands_a_month_earlier(testshire: duckdb.DuckDBPyConnection) -> None:
    """At 28 February 2025 Rex is 17 and Sia still 4 (no 29 February in 2025)."""
    assert groups(testshire, "age_band", FEB_2025) == {"Under 1": 1, "16-17": 1, "1-4": 1,
                                                       "Unborn": 1, "10-15": 1}


def test_age_bands_come_youngest_first(testshire: duckdb.DuckDBPyConnection) -> None:
    assert list(groups(testshire, "age_band")) == ["Unborn", "Under 1", "5-9", "10-15", "18+"]


def test_sex_reads_current_and_older_codes(testshire: duckdb.DuckDBPyConnection) -> None:
    """Sia's '2' is the pre-2024 code for female; Una's U is not recorded or unborn."""
    assert groups(testshire, "sex") == {"Female": 2, "Male": 2, "Not recorded or unborn": 1}


def test_ethnicity_major_groups(testshire: duckdb.DuckDBPyConnection) -> None:
    """DfE's groups: Chinese (CHNE) is in "Other ethnic group"; NOBT not yet obtained."""
    assert groups(testshire, "ethnicity") == {
        "White": 1, "Mixed or multiple ethnic groups": 1, "Asian or Asian British": 1,
        "Information not yet obtained": 1, "Other ethnic group": 1}


def test_disability_is_any_code_but_none(testshire: duckdb.DuckDBPyConnection) -> None:
    """Rex (AUT) is disabled; Pia's only code is NONE, and three have no code."""
    assert groups(testshire, "disability") == {"Disabled": 1, "Not recorded as disabled": 4}


def test_legal_status_open_at_the_period_end(testshire: duckdb.DuckDBPyConnection) -> None:
    """Viv is on a care order (C2); Sia's V2 ended on 31 March, so not at its end."""
    assert groups(testshire, "legal_status") == {"C2": 1, "Not looked after": 4}
    assert groups(testshire, "legal_status", FEB_2025)["V2"] == 1


def test_percent_by_team(testshire: duckdb.DuckDBPyConnection) -> None:
    """R1 is NFA: T1 1 of 2 = 50%; T2 0 of 2; unallocated 0 of 1."""
    assert groups(testshire, "team", indicator=NFA) == {"North team 1": 50.0,
                                                        "South team": 0.0, "Unallocated": 0.0}


def test_groups_add_up_to_the_whole(testshire: duckdb.DuckDBPyConnection) -> None:
    for by in BREAKDOWNS:
        assert sum(v or 0 for v in groups(testshire, by).values()) == 5, by


def test_drill_down_lists_the_referrals_with_their_groups(
        testshire: duckdb.DuckDBPyConnection) -> None:
    """Five referrals, one row each, with every breakdown's group; R6 (last year) is not
    there."""
    rows = {str(r["subject_id"]): r
            for r in drill_down(testshire, REFERRALS, MARCH_2025).as_dicts()}
    assert sorted(rows) == ["R1", "R2", "R3", "R4", "R5"]
    assert (rows["R2"]["person_id"], rows["R2"]["team"], rows["R2"]["team_id"],
            rows["R2"]["worker"], rows["R2"]["locality"], rows["R2"]["age_band"],
            rows["R2"]["disability"]) == ("rex", "South team", "T2", "Will", "South locality",
                                          "18+", "Disabled")
    assert rows["R5"]["legal_status"] == "C2"


def test_drill_down_of_one_group(testshire: duckdb.DuckDBPyConnection) -> None:
    rows = drill_down(testshire, REFERRALS, MARCH_2025, by="team", group="T1").as_dicts()
    assert sorted(str(r["subject_id"]) for r in rows) == ["R1", "R4"]


def test_drill_down_of_a_percentage_marks_the_numerator(
        testshire: duckdb.DuckDBPyConnection) -> None:
    """NFA: 1 of 5 referrals. All five are listed (the denominator), R1 in the numerator."""
    rows = drill_down(testshire, NFA, MARCH_2025).as_dicts()
    assert Counter(bool(r["in_numerator"]) for r in rows) == {False: 4, True: 1}
    assert [r["subject_id"] for r in rows if r["in_numerator"]] == ["R1"]


def test_a_breakdown_the_indicator_lacks_is_refused(
        testshire: duckdb.DuckDBPyConnection) -> None:
    workforce_only = make_indicator("T-WF", "SELECT 1", breakdowns=frozenset({"team"}))
    with pytest.raises(ValueError, match="T-WF cannot be broken down by sex; allowed: team"):
        evaluate(testshire, [workforce_only], [MARCH_2025], by="sex")



def _allocated_at(rows: list[dict[str, object]], end: dt.date
                  ) -> dict[str, tuple[str, str, str]]:
    """Each child's allocation (id, worker, team) at `end`, straight from the definition: of
    the CW involvements open on the day, the latest started (then the highest id)."""
    best: dict[str, tuple[tuple[dt.date, str], str, str]] = {}
    for row in rows:
        start, stop = row["invo_involvement_start_date"], row["invo_involvement_end_date"]
        assert isinstance(start, dt.date) and (stop is None or isinstance(stop, dt.date))
        if row["invo_professional_role_id"] != "CW" or start > end or \
                (stop is not None and stop <= end):
            continue
        person, rank = str(row["invo_person_id"]), (start, str(row["invo_involvements_id"]))
        if person not in best or rank > best[person][0]:
            best[person] = (rank, str(row["invo_professional_id"]),
                            str(row["invo_professional_team"]))
    return {person: (rank[1], worker, team) for person, (rank, worker, team) in best.items()}


@pytest.fixture(scope="module")
def overlaps(tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[duckdb.DuckDBPyConnection, list[dict[str, object]]]:
    """Random allocations of 40 children that overlap, restart on a month end, end on one
    or the day they start, repeat a row exactly, or are not allocations (IRO)."""
    rng = random.Random(5)
    days = [D(2024, 1, 1) + dt.timedelta(days=n) for n in range(0, 700, 9)]
    rows = []
    for n in range(400):
        start = rng.choice(days + OVERLAP_ENDS)
        stop = rng.choice([None, start, *(d for d in days + OVERLAP_ENDS if d > start)][:12])
        rows.append(_involvement(f"i{n:03}", f"c{rng.randrange(40)}", f"W{rng.randrange(6)}",
                                 f"T{rng.randrange(3)}", start, stop,
                                 role=rng.choice(["CW", "CW", "CW", "IRO"])))
    rows.append(dict(rows[0]))  # the same row twice in the extract
    return write_store(tmp_path_factory.mktemp("overlaps"), {"ssd_involvements": rows}), rows


OVERLAP_ENDS = month_ends(D(2024, 1, 1), D(2025, 10, 31))
SOME_ENDS = (OVERLAP_ENDS, OVERLAP_ENDS[::4], [OVERLAP_ENDS[7]], OVERLAP_ENDS[3:6])


def test_allocation_at_each_date_with_overlapping_involvements(
        overlaps: tuple[duckdb.DuckDBPyConnection, list[dict[str, object]]]) -> None:
    """gt_allocation (runs of dates) gives, at every date, the allocation the definition
    does, however a child's involvements overlap."""
    con, rows = overlaps
    for chosen in SOME_ENDS:
        prepare(con, "at_date", chosen)
        breakdowns.prepare(con, ["worker"])
        found = con.execute(f"""SELECT pt.period_end, a.person_id, a.worker_id, a.team_id
            FROM {breakdowns.SHARED}.gt_allocation a
            JOIN gt_points pt ON pt.period_id BETWEEN a.first_period AND a.last_period"""  # noqa: S608
                            ).fetchall()
        assert len(found) == len({(end, person) for end, person, _, _ in found})
        assert {(end, person): (worker, team) for end, person, worker, team in found} == {
            (end, person): (worker, team) for end in chosen
            for person, (_, worker, team) in _allocated_at(rows, end).items()}


def test_workforce_current_allocation_with_overlapping_involvements(
        overlaps: tuple[duckdb.DuckDBPyConnection, list[dict[str, object]]]) -> None:
    """The workforce indicators' current allocation (a row each in HISTORY_ROWS) is the
    definition's at every date too."""
    con, rows = overlaps
    for chosen in SOME_ENDS:
        prepare(con, "at_date", chosen)
        found = [(chosen[period_id], person, allocation, worker, team)  # period_id: place
                 for period_id, person, allocation, _, _, team, worker
                 in con.sql(HISTORY_ROWS).fetchall()]
        assert len(found) == len({(end, person) for end, person, *_ in found})
        assert {(end, person): tuple(rest) for end, person, *rest in found} == {
            (end, person): allocated for end in chosen
            for person, allocated in _allocated_at(rows, end).items()}
