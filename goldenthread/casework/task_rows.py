"""The rows the tasks of a set of children are computed from: open referrals, open child
protection plans, open periods of care, recent returns from missing. One query each, every
row carrying what its tasks need (latest review, last visit, …) as subqueries. See
casework.sql for why these are SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from goldenthread.casework.sql import as_date, as_datetime, day, moment, rows, table
from goldenthread.core.sql import one_of
from goldenthread.records import models as m

LIVE = "archived_at IS NULL"


def referrals(ids: Sequence[int], today: dt.date) -> list[dict[str, Any]]:
    """Open referrals: whether an assessment is authorised or submitted, the latest
    strategy discussion that agreed a section 47, and whether its conference is settled
    (held on or after it, or the enquiry found none needed)."""
    where, params = one_of("r.person_id", ids)
    sql = f"""
        SELECT r.id, r.person_id, r.referral_date, r.is_nfa,
          EXISTS (SELECT 1 FROM {table(m.CPPlan)} c WHERE c.person_id = r.person_id
                  AND c.end_date IS NULL AND c.{LIVE}) AS on_cp_plan,
          EXISTS (SELECT 1 FROM {table(m.Assessment)} a WHERE a.referral_id = r.id
                  AND a.authorised_on IS NOT NULL AND a.{LIVE}) AS authorised,
          (SELECT a.id FROM {table(m.Assessment)} a WHERE a.referral_id = r.id
             AND a.completed_on IS NOT NULL AND a.authorised_on IS NULL AND a.{LIVE}
           ORDER BY a.completed_on DESC, a.id DESC LIMIT 1) AS submitted,
          d.id AS discussion_id, d.held_on AS discussion_on,
          (EXISTS (SELECT 1 FROM {table(m.InitialConference)} i WHERE i.referral_id = r.id
                   AND i.conference_date >= d.held_on AND i.{LIVE})
           OR EXISTS (SELECT 1 FROM {table(m.Section47Enquiry)} s
                      WHERE s.strategy_discussion_id = d.id
                      AND (s.icpc_required = %s OR s.outcome_nfa = %s) AND s.{LIVE}))
            AS icpc_settled
        FROM {table(m.Referral)} r
        LEFT JOIN {table(m.StrategyDiscussion)} d ON d.id = (
          SELECT d2.id FROM {table(m.StrategyDiscussion)} d2 WHERE d2.referral_id = r.id
            AND d2.section_47_agreed = %s AND d2.{LIVE}
          ORDER BY d2.held_on DESC, d2.id DESC LIMIT 1)
        WHERE {where} AND r.closure_date IS NULL AND r.referral_date <= %s AND r.{LIVE}
    """  # noqa: S608 - table names from model metadata; values are parameters
    found = rows(sql, [False, True, True, *params, day(today)])
    for r in found:
        r["referral_date"] = as_date(r["referral_date"])
        r["discussion_on"] = as_date(r["discussion_on"])
        for flag in ("is_nfa", "on_cp_plan", "authorised", "icpc_settled"):
            r[flag] = bool(r[flag])
    return found


def cp_plans(ids: Sequence[int], today: dt.date) -> list[dict[str, Any]]:
    """Open child protection plans with their conference date, latest review and visit."""
    where, params = one_of("p.person_id", ids)
    sql = f"""
        SELECT p.id, p.person_id, p.start_date, i.conference_date,
          (SELECT MAX(v.review_date) FROM {table(m.CPReview)} v
           WHERE v.cp_plan_id = p.id AND v.{LIVE}) AS last_review,
          (SELECT MAX(v.visit_date) FROM {table(m.CPVisit)} v
           WHERE v.cp_plan_id = p.id AND v.{LIVE}) AS last_visit
        FROM {table(m.CPPlan)} p
        LEFT JOIN {table(m.InitialConference)} i ON i.id = p.initial_conference_id
        WHERE {where} AND p.start_date <= %s AND p.end_date IS NULL AND p.{LIVE}
    """  # noqa: S608 - table names from model metadata; values are parameters
    found = rows(sql, [*params, day(today)])
    for r in found:
        for name in ("start_date", "conference_date", "last_review", "last_visit"):
            r[name] = as_date(r[name])
    return found


def periods(ids: Sequence[int], today: dt.date) -> list[dict[str, Any]]:
    """Open periods of care: reviews held, the current placement, the last visit, the legal
    status now, whether a permanence plan exists, the last SDQ since entry."""
    where, params = one_of("p.person_id", ids)
    held = (f"FROM {table(m.CLAReview)} v WHERE v.period_id = p.id "
            f"AND v.review_date IS NOT NULL AND v.cancelled = %s AND v.{LIVE}")
    sql = f"""
        SELECT p.id, p.person_id, per.date_of_birth, p.start_date,
          (SELECT COUNT(*) {held}) AS reviews_held,
          (SELECT MIN(v.review_date) {held}) AS first_review,
          (SELECT MAX(v.review_date) {held}) AS last_review,
          pl.id AS placement_id, pl.start_date AS placement_start,
          pl.placement_type AS placement_type,
          (SELECT MAX(v.visit_date) FROM {table(m.CLAVisit)} v
           WHERE v.period_id = p.id AND v.{LIVE}) AS last_visit,
          (SELECT e.legal_status FROM {table(m.CLAEpisode)} e
           WHERE e.period_id = p.id AND e.{LIVE}
           ORDER BY e.start_date DESC, e.id DESC LIMIT 1) AS legal_status,
          EXISTS (SELECT 1 FROM {table(m.PermanencePlan)} x
                  WHERE x.period_id = p.id AND x.{LIVE}) AS has_permanence_plan,
          (SELECT MAX(s.completed_on) FROM {table(m.SDQScore)} s
           WHERE s.person_id = p.person_id AND s.completed_on >= p.start_date
           AND s.{LIVE}) AS last_sdq
        FROM {table(m.PeriodOfCare)} p
        JOIN {table(m.Person)} per ON per.id = p.person_id
        LEFT JOIN {table(m.Placement)} pl ON pl.id = (
          SELECT pl2.id FROM {table(m.Placement)} pl2 WHERE pl2.period_id = p.id
            AND pl2.end_date IS NULL AND pl2.{LIVE}
          ORDER BY pl2.start_date DESC, pl2.id DESC LIMIT 1)
        WHERE {where} AND p.start_date <= %s AND p.end_date IS NULL AND p.{LIVE}
    """  # noqa: S608 - table names from model metadata; values are parameters
    found = rows(sql, [False, False, False, *params, day(today)])
    for r in found:
        for name in ("date_of_birth", "start_date", "first_review", "last_review",
                     "placement_start", "last_visit", "last_sdq"):
            r[name] = as_date(r[name])
        r["has_permanence_plan"] = bool(r["has_permanence_plan"])
        r["reviews_held"] = int(r["reviews_held"] or 0)
    return found


def returns(ids: Sequence[int], since: dt.datetime, now: dt.datetime) -> list[dict[str, Any]]:
    """Returns from missing between `since` and `now` with no interview offered."""
    where, params = one_of("e.person_id", ids)
    sql = f"""
        SELECT e.id, e.person_id, e.end_at FROM {table(m.MissingEpisode)} e
        WHERE {where} AND e.end_at IS NOT NULL AND e.end_at >= %s AND e.end_at <= %s
          AND e.rhi_offered_at IS NULL AND e.{LIVE}
    """  # noqa: S608 - table names from model metadata; values are parameters
    found = rows(sql, [*params, moment(since), moment(now)])
    for r in found:
        r["end_at"] = as_datetime(r["end_at"])
    return found
