"""Ten front-door indicators in plain pandas, for comparison with the engine (bench only).

Written as an analyst would in a notebook: read the same Parquet store, then for each date
filter the frames, attribute each unit to its team (its own, else the child's allocated
social worker's at the date, else "Unallocated") and group. The rules are those of
goldenthread/analytics/indicators/frontdoor.py; `analytics_bench.py` checks that both give
the same numbers before it compares their times.

    values = ten_indicators(Path("var/ssd"), ends)   # {(indicator, date, team): value}
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import holidays
import pandas as pd

TEN = ("FD-CONTACTS", "FD-CONTACT-CONVERSION", "FD-REFERRALS", "FD-REFERRAL-RATE",
       "FD-REREFERRALS", "FD-REFERRAL-NFA", "FD-NOT-IN-NEED", "FD-NOT-IN-NEED-OF-ASSESSMENTS",
       "FD-ASSESSMENT-45WD", "FD-ASSESSMENT-MEDIAN-WD")
UNALLOCATED = "Unallocated"
Key = tuple[str, dt.date, str]


def _read(store: Path, table: str, columns: list[str]) -> pd.DataFrame:
    return pd.read_parquet(store / f"{table}.parquet", columns=columns)


def _day(series: pd.Series) -> pd.Series:
    return pd.to_datetime(series).dt.normalize()


def working_days(first_year: int, last_year: int) -> pd.Series:
    """England working days counted from 1 January of `first_year`, by day."""
    days = pd.date_range(f"{first_year}-01-01", f"{last_year}-12-31", freq="D")
    closed = {pd.Timestamp(d) for d in holidays.country_holidays(
        "GB", subdiv="ENG", years=range(first_year, last_year + 1))}
    working = (days.dayofweek < 5) & ~days.isin(list(closed))
    return pd.Series(working.cumsum(), index=days)


def _year_start(end: dt.date) -> pd.Timestamp:
    return pd.Timestamp(end.year if end.month > 3 else end.year - 1, 4, 1)


def _allocation(involvements: pd.DataFrame, end: pd.Timestamp) -> pd.Series:
    """person -> team of the allocated social worker open at `end` (latest start wins)."""
    open_ = involvements[(involvements.start <= end)
                         & (involvements.finish.isna() | (involvements.finish > end))]
    latest = open_.sort_values(["start", "invo_involvements_id"], ascending=False)
    return latest.drop_duplicates("invo_person_id").set_index("invo_person_id")["team"]


def _teams(frame: pd.DataFrame, own: str | None, allocation: pd.Series) -> pd.Series:
    allocated = frame["person"].map(allocation)
    team = frame[own].fillna(allocated) if own else allocated
    return team.fillna(UNALLOCATED)


def _groups(out: dict[Key, float | None], name: str, end: dt.date, frame: pd.DataFrame,
            kind: str, population: float | None = None) -> None:
    """Sum numerators and denominators per team and turn them into values, as the unit says."""
    if frame.empty:
        return
    if kind == "median":
        for team, values in frame.groupby("team")["num"]:
            out[(name, end, str(team))] = float(values.median())
        return
    sums = frame.groupby("team")[["num", "den"]].sum()
    for team, row in sums.iterrows():
        if kind == "count":
            value: float | None = float(row.num)
        elif kind == "rate":
            value = 10_000 * float(row.num) / population if population else None
        else:
            value = 100 * float(row.num) / float(row.den) if row.den else None
        out[(name, end, str(team))] = value


def ten_indicators(store: Path, ends: Sequence[dt.date]) -> dict[Key, float | None]:
    referrals = _read(store, "ssd_cin_episodes", [
        "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_referral_nfa",
        "cine_referral_team"]).rename(columns={"cine_person_id": "person"})
    referrals["day"] = _day(referrals.cine_referral_date)
    referrals = referrals.sort_values(["cine_referral_date", "cine_referral_id"])
    referrals["previous"] = referrals.groupby("person")["day"].shift()
    assessments = _read(store, "ssd_cin_assessments", [
        "cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
        "cina_assessment_auth_date", "cina_assessment_outcome_nfa", "cina_assessment_team",
    ]).rename(columns={"cina_person_id": "person"})
    assessments["auth"] = _day(assessments.cina_assessment_auth_date)
    not_in_need = assessments[(assessments.cina_assessment_outcome_nfa == "Y")
                              & assessments.auth.notna()].groupby("cina_referral_id")["auth"].min()
    referrals["not_in_need_on"] = referrals.cine_referral_id.map(not_in_need)
    calendar = working_days(min(ends).year - 30, max(ends).year + 2)
    assessments["from_start"] = assessments.auth.map(calendar) - _day(
        assessments.cina_assessment_start_date).map(calendar)
    contacts = _read(store, "ssd_contacts", ["cont_contact_id", "cont_person_id",
                                             "cont_contact_date", "cont_contact_outcome_json"]
                     ).rename(columns={"cont_person_id": "person"})
    contacts["day"] = _day(contacts.cont_contact_date)
    contacts["new_referral"] = contacts.cont_contact_outcome_json.str.contains(
        '"NEW_REFERRAL_FLAG":"Y"', regex=False)
    involvements = _read(store, "ssd_involvements", [
        "invo_involvements_id", "invo_person_id", "invo_professional_role_id",
        "invo_professional_team", "invo_involvement_start_date", "invo_involvement_end_date"])
    involvements = involvements[involvements.invo_professional_role_id == "CW"].assign(
        start=lambda f: _day(f.invo_involvement_start_date),
        finish=lambda f: _day(f.invo_involvement_end_date),
        team=lambda f: f.invo_professional_team)
    population = _read(store, "gtx_population", ["mid_year", "children_0_17"])
    by_year = dict(zip(population.mid_year, population.children_0_17, strict=True))

    out: dict[Key, float | None] = {}
    for end in ends:
        stamp, start = pd.Timestamp(end), _year_start(end)
        wanted = end.year - 1 if end.month <= 6 else end.year
        known = [y for y in by_year if y <= wanted]
        children = float(by_year[max(known)]) if known else None
        allocation = _allocation(involvements, stamp)

        r = referrals[(referrals.day >= start) & (referrals.day <= stamp)].copy()
        r["team"] = _teams(r, "cine_referral_team", allocation)
        r["den"] = 1.0
        _groups(out, "FD-REFERRALS", end, r.assign(num=1.0), "count")
        _groups(out, "FD-REFERRAL-RATE", end, r.assign(num=1.0), "rate", children)
        back = r.day - pd.DateOffset(years=1)
        _groups(out, "FD-REREFERRALS", end,
                r.assign(num=(r.previous >= back).astype(float)), "percent")
        _groups(out, "FD-REFERRAL-NFA", end,
                r.assign(num=(r.cine_referral_nfa == "Y").astype(float)), "percent")
        _groups(out, "FD-NOT-IN-NEED", end,
                r.assign(num=(r.not_in_need_on <= stamp).astype(float)), "percent")

        a = assessments[(assessments.auth >= start) & (assessments.auth <= stamp)].copy()
        a["team"] = _teams(a, "cina_assessment_team", allocation)
        a["den"] = 1.0
        _groups(out, "FD-NOT-IN-NEED-OF-ASSESSMENTS", end,
                a.assign(num=(a.cina_assessment_outcome_nfa == "Y").astype(float)), "percent")
        timed = a[a.from_start >= 0]
        _groups(out, "FD-ASSESSMENT-45WD", end,
                timed.assign(num=(timed.from_start <= 45).astype(float)), "percent")
        _groups(out, "FD-ASSESSMENT-MEDIAN-WD", end,
                timed.assign(num=timed.from_start.astype(float)), "median")

        c = contacts[(contacts.day >= start) & (contacts.day <= stamp)].copy()
        c["team"] = _teams(c, None, allocation)
        c["den"] = 1.0
        _groups(out, "FD-CONTACTS", end, c.assign(num=1.0), "count")
        decided = c[c.cont_contact_outcome_json.notna()]
        _groups(out, "FD-CONTACT-CONVERSION", end,
                decided.assign(num=decided.new_referral.astype(float)), "percent")
    return out
