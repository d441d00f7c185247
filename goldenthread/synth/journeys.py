"""The front door and the CIN and child protection journey, one child at a time.

Each step follows from the last with a realistic delay: a contact and its decision, a
referral, an assessment (mostly within 45 working days), perhaps a strategy discussion,
section 47 enquiry and conference (mostly within 15 working days), a CP or CIN plan with
its reviews and visits, perhaps care, then closure and sometimes a re-referral.
"""

from __future__ import annotations

import datetime as dt

from goldenthread.records import models as m
from goldenthread.reference.calendar import add_working_days
from goldenthread.reference.codes import code_list
from goldenthread.reference.timescales import add_months, icpc_due
from goldenthread.synth import care
from goldenthread.synth.world import Child, Segment, World, new

SOURCES = {"6": 28, "2A": 21, "3B": 6, "3A": 4, "3E": 4, "3D": 3, "1A": 7, "1C": 2, "4": 3,
           "5A": 4, "5B": 4, "7": 4, "8": 4, "9": 2, "10": 2, "2B": 2}
RATIONALE = {
    "NFA": "No role for children's social care; concern addressed by the referrer.",
    "ADVICE": "Advice and signposting to the referrer and family; universal services meet need.",
    "EARLY_HELP": "Additional needs met by coordinated early help; consent given for an EHA.",
    "REFERRAL": "Threshold for statutory assessment met; referred for a C&F assessment.",
    "EXISTING_REFERRAL": "Child already open to social care; passed to the allocated worker.",
    "MISSING": "Missing notification from police; return interview to be offered.",
}
LEVEL = {"NFA": "1", "ADVICE": "1", "EARLY_HELP": "2", "REFERRAL": "3",
         "EXISTING_REFERRAL": "3", "MISSING": "2"}
NEEDS = {"N1": 55, "N2": 5, "N3": 4, "N4": 10, "N5": 14, "N6": 3, "N7": 1, "N8": 4, "N0": 4}
CATEGORIES = {"NEG": 50, "EMO": 35, "PHY": 7, "SAB": 4, "MUL": 4}
FACTORS = ("3A", "3B", "4A", "4B", "2A", "2B", "1A", "1B", "5A", "6A", "7A", "8B", "9A", "16A",
           "18B", "19B", "21", "22A")
EH_ORGS = ("School", "Health visiting", "Early help hub", "Children's centre", "Youth service")


def contact(world: World, child: Child, day: dt.date, decision: str,
            source: str | None = None) -> m.Contact:
    received = world.at(day, hour=world.rng.randint(8, 14))
    record = new(m.Contact, person=child.person, received_at=received,
                       source=source or world.pick(SOURCES), decision=decision,
                       level_of_need=LEVEL[decision], decision_rationale=RATIONALE[decision],
                       decided_at=received + dt.timedelta(hours=world.rng.randint(1, 3)))
    child.records.append(record)
    child.jobs.append((record, "front"))
    world.touch(child, day)
    return record


def early_help(world: World, child: Child, day: dt.date,
               stepped_down_from: m.Referral | None = None) -> dt.date | None:
    """An early help episode; returns the step-up date if the child is stepped up."""
    start = max(day + world.days(0, 10), child.free_from)
    if start > world.end:
        return None
    ends = start + world.days(60, 270)
    step_up = world.chance(world.profile.b("early_help_step_up"))
    reason = "STEP_UP" if step_up else world.pick({"NEEDS_MET": 70, "DISENGAGED": 20,
                                                   "MOVED_AWAY": 4, "OTHER": 6})
    end = world.clip(ends)
    eha = world.clip(start + world.days(10, 40))
    episode = new(m.EarlyHelpEpisode, person=child.person, start_date=start, end_date=end,
                                 eha_completed_on=eha if eha and (not end or eha <= end) else None,
                                 organisation=world.rng.choice(EH_ORGS),
                                 end_reason=reason if end else "",
                                 stepped_down_from=stepped_down_from,
                                 reason="Needs identified at the front door")
    child.records.append(episode)
    child.free_from = ends + dt.timedelta(days=1)
    world.touch(child, end)
    return ends if step_up and end else None


def contacts_only(world: World, child: Child, day: dt.date) -> dt.date | None:
    """Contacts that never become a referral (or lead to one through early help)."""
    decisions = world.profile.behaviour["contact_decisions"]
    n = 1 + world.poisson(world.profile.b("repeat_contact_mean") - 1)
    for _ in range(n):
        if day > world.end or child.age_on(day) >= 18:
            return None
        decision = world.pick(decisions)
        contact(world, child, day, decision)
        if decision == "EARLY_HELP" and day >= child.free_from:
            step_up = early_help(world, child, day)
            if step_up is not None:
                return step_up
        day += world.days(30, 400)
    return None


def referral_chain(world: World, child: Child, day: dt.date, source: str | None = None) -> None:
    """Referrals one after another: each may be followed by a re-referral."""
    b = world.profile.b
    while day <= world.end and child.age_on(day) < 18:
        referral, closed = referral_journey(world, child, day, source)
        source = None
        if closed is None:
            return
        # Children who have been on a plan come back more often (second plans, table D3).
        roll = world.rng.random() / (2.0 if child.had_cp_plan else 1.0)
        earliest = (closed - referral.referral_date).days + 7
        if roll < b("rereferral_12m") and earliest < 360:
            day = referral.referral_date + world.days(earliest, 364)
        elif roll < b("rereferral_12m") + b("rereferral_later"):
            day = closed + world.days(365, 1460)
        else:
            return
        # Concerns raised between referrals are contacts that do not meet the threshold.
        if world.chance(0.5):
            between = closed + world.days(1, max(2, (day - closed).days - 1))
            if between < day and between <= world.end:
                contact(world, child, between, world.rng.choice(("ADVICE", "NFA")))


def referral_journey(world: World, child: Child, day: dt.date,
                     source: str | None) -> tuple[m.Referral, dt.date | None]:
    """One referral from contact to closure; returns it and its closure date (None: open)."""
    b = world.profile.b
    rng = world.rng
    first = contact(world, child, day, "REFERRAL", source)
    referral = new(m.Referral, person=child.person, contact=first, referral_date=day,
                          source=first.source, primary_need=world.pick(NEEDS))
    child.records.append(referral)
    if rng.random() < b("nfa"):
        referral.is_nfa = True
        return referral, close_referral(world, child, referral, day + world.days(0, 2), "RC7")
    if world.chance(b("care_emergency")):
        care_assessment(world, child, referral, day)
        return referral, _into_care(world, child, referral, day, "emergency")

    seg = Segment(child.person, referral, "assess", day, None, child.locality)
    child.segments.append(seg)
    assessment, authorised = _assessment(world, child, referral, day)
    cp_risk = b("cp_second_risk") if child.had_cp_plan else 1.0
    if world.chance(min(0.95, b("strategy_discussion") * (1.4 if child.had_cp_plan else 1.0))):
        plan_start = _child_protection(world, child, referral, day, cp_risk)
    else:
        plan_start = None
    if plan_start is not None:
        seg.end = plan_start
        return referral, _cp_plan(world, child, referral, plan_start)
    if authorised is None:  # still being assessed when the window ends
        return referral, None
    if world.chance(b("not_in_need") / (1 - b("nfa"))):
        assessment.outcome_nfa = True
        seg.end = authorised
        if authorised >= dt.date(2022, 4, 1) and world.chance(0.3):
            close_referral(world, child, referral, authorised, "RC9")
            early_help(world, child, authorised, stepped_down_from=referral)
            return referral, authorised
        return referral, close_referral(world, child, referral, authorised, "RC8")
    seg.end = authorised
    return referral, _cin_plan(world, child, referral, authorised)


def close_referral(world: World, child: Child, referral: m.Referral, day: dt.date,
                   reason: str) -> dt.date | None:
    """Close the referral on `day`, or no earlier than its assessment allows; open (None)
    when that falls after the window."""
    end = world.clip(max(day, child.close_floor))
    if end is not None:
        referral.closure_date = end
        referral.closure_reason = reason
    child.free_from = max(child.free_from, day + dt.timedelta(days=1))
    world.touch(child, end)
    return end


def care_assessment(world: World, child: Child, referral: m.Referral, day: dt.date) -> None:
    """The assessment of a child who comes into care straight from the referral (in an
    emergency, unaccompanied, or long before the window), authorised in 20 working days (no
    random draw). Without it the referral would wait for an assessment for as long as the
    child is in care, and My work would show it overdue for years."""
    due = add_working_days(day, 20)
    child.close_floor = max(child.close_floor, due)  # the referral closes no earlier
    authorised = world.clip(due)
    assessment = new(m.Assessment, person=child.person, referral=referral, start_date=day,
                     child_seen=True, child_seen_on=day, completed_on=authorised,
                     authorised_on=authorised)
    child.records.append(assessment)
    if authorised is not None:
        child.jobs.append((assessment, "assess"))
        factor = "16A" if referral.primary_need == "N1" else "20"  # neglect, or other
        child.records.append(new(m.AssessmentFactor, assessment=assessment, code=factor))


def _assessment(world: World, child: Child, referral: m.Referral,
                day: dt.date) -> tuple[m.Assessment, dt.date | None]:
    rng = world.rng
    start = day + world.days(0, 2)
    if rng.random() < world.profile.b("assessment_late"):
        working_days = rng.randint(46, 75)
    else:
        working_days = min(45, max(1, int(rng.triangular(3, 45, 36))))
    authorised = add_working_days(start, working_days)
    completed = add_working_days(start, max(0, working_days - rng.randint(0, 3)))
    seen = add_working_days(start, rng.randint(1, 8))
    assessment = new(m.Assessment, person=child.person, referral=referral, start_date=start,
                              child_seen=True if seen <= world.end else None,
                              child_seen_on=seen if seen <= world.end else None,
                              completed_on=world.clip(completed),
                              authorised_on=world.clip(authorised))
    child.records.append(assessment)
    child.close_floor = max(authorised, seen)
    if assessment.authorised_on:
        child.jobs.append((assessment, "assess"))
        valid = {c.code for c in code_list("ASSESSMENT_FACTOR").valid_on(start)}
        for code in rng.sample([f for f in FACTORS if f in valid], rng.randint(1, 3)):
            child.records.append(new(m.AssessmentFactor, assessment=assessment, code=code))
    world.touch(child, assessment.authorised_on)
    return assessment, assessment.authorised_on


def _child_protection(world: World, child: Child, referral: m.Referral, day: dt.date,
                      risk: float) -> dt.date | None:
    """Strategy discussion → s47 → ICPC; returns the CP plan's start date if one follows."""
    b = world.profile.b
    rng = world.rng
    held = add_working_days(day, rng.choice((0, 0, 1, 2, 3, 5)))
    if held > world.end:
        return None
    agreed = world.chance(b("s47_after_strategy"))
    discussion = new(m.StrategyDiscussion, person=child.person, referral=referral, held_on=held,
                                      section_47_agreed=agreed,
                                      attendees="Police, health, social care",
                                      rationale="Reasonable cause to suspect significant harm"
                                      if agreed else "Threshold for s47 not met")
    child.records.append(discussion)
    world.touch(child, held)
    if not agreed:
        return None
    icpc = world.chance(min(0.9, b("icpc_after_s47") * risk))
    s47_days = rng.randint(4, 10)
    ends = add_working_days(held, s47_days)
    end = world.clip(ends)
    enquiry = new(m.Section47Enquiry, person=child.person, referral=referral,
                                 strategy_discussion=discussion, start_date=held, end_date=end,
                                 icpc_required=icpc if end else None,
                                 outcome_nfa=bool(end and not icpc))
    child.records.append(enquiry)
    child.close_floor = max(child.close_floor, ends)  # past the window: the referral stays open
    world.touch(child, end)
    if not (end and icpc):
        return None
    late = world.chance(b("icpc_late"))
    wd = rng.randint(16, 30) if late else rng.randint(s47_days, 15)
    when = max(add_working_days(held, wd), end)
    if when > world.end:
        return None
    decided = world.chance(b("plan_at_icpc"))
    conference = new(m.InitialConference, person=child.person, referral=referral,
                     section_47=enquiry, target_date=icpc_due(held), conference_date=when,
                     cp_plan_decided=decided)
    child.records.append(conference)
    child.close_floor = max(child.close_floor, when)
    world.touch(child, when)
    if not decided:
        return None
    child.pending_conference = conference
    return when


def _cp_plan(world: World, child: Child, referral: m.Referral, start: dt.date) -> dt.date | None:
    b = world.profile.b
    conference = child.pending_conference
    assert conference is not None
    category = world.pick(CATEGORIES)
    plan = new(m.CPPlan, person=child.person, referral=referral, initial_conference=conference,
                    start_date=start, initial_category=category, latest_category=category)
    child.records.append(plan)
    child.had_cp_plan = True
    child.segments.append(Segment(child.person, referral, "locality", start, None,
                                  child.locality))
    planned_end = start + dt.timedelta(days=world.lognormal_days(b("cp_months_mean") * 30.4,
                                                                 0.4))
    end = world.clip(planned_end)
    plan.end_date = end
    # Review conferences: 3 months after the ICPC, then at most every 6 months.
    due = add_months(start, 3)
    while due <= (end or world.end):
        held = due - world.days(0, 6) if world.chance(0.93) else due + world.days(1, 20)
        if held > (end or world.end):
            break
        child.records.append(new(m.CPReview, person=child.person, cp_plan=plan, due_date=due,
                                        review_date=held, plan_continues=True, quorate=True,
                                        participation=world.pick({"PN1": 6, "PN3": 2,
                                                                  "PN0": 1})))
        due = add_months(held, 6)
    _visits(world, child, plan, start, end, int(b("cp_visit_wd")))
    care.missing_from_home(world, child, start, end or world.end)
    world.touch(child, end)
    if end is None:
        child.segments[-1].end = None
        return None
    child.segments[-1].end = end
    if world.chance(b("care_from_cp")):
        return _into_care(world, child, referral, end, "cp")
    if world.chance(0.6):
        return _cin_plan(world, child, referral, end)
    return close_referral(world, child, referral, end, "RC7")


def _visits(world: World, child: Child, plan: m.CPPlan | m.CINPlan, start: dt.date,
            end: dt.date | None, every_wd: int) -> None:
    rng = world.rng
    day = add_working_days(start, rng.randint(1, 5))
    stop = end or world.end
    cp = isinstance(plan, m.CPPlan)
    while day <= stop:
        if day < world.start:  # visits are kept from the window's start
            day = add_working_days(day, every_wd)
            continue
        seen = rng.random() < 0.94
        alone = seen and rng.random() < 0.6
        if cp:
            child.records.append(new(m.CPVisit, person=child.person, cp_plan=plan, visit_date=day,
                                           seen=seen, seen_alone=alone))
        else:
            child.records.append(new(m.CINVisit, person=child.person, cin_plan=plan, visit_date=day,
                                            seen=seen, seen_alone=alone))
        day = add_working_days(day, max(1, every_wd + rng.randint(-3, 4)))


def _cin_plan(world: World, child: Child, referral: m.Referral,
              start: dt.date) -> dt.date | None:
    b = world.profile.b
    plan = new(m.CINPlan, person=child.person, referral=referral, start_date=start)
    child.records.append(plan)
    child.segments.append(Segment(child.person, referral, "locality", start, None,
                                  child.locality))
    length = world.lognormal_days(b("cin_months_mean") * 30.4, 0.7)
    care_at = None
    if world.chance(b("care_from_cin")):
        care_at = start + world.days(14, max(15, length))
    planned_end = care_at or start + dt.timedelta(days=length)
    end = world.clip(planned_end)
    plan.end_date = end
    _visits(world, child, plan, start, end, int(b("cin_visit_wd")))
    care.missing_from_home(world, child, start, end or world.end)
    # Other agencies' concerns while the case is open are added to it, not new referrals.
    for _ in range(world.poisson(length / 150)):
        day = start + world.days(1, length)
        if day <= (end or world.end):
            contact(world, child, day, "EXISTING_REFERRAL")
    child.segments[-1].end = end
    world.touch(child, end)
    if end is None:
        return None
    if care_at is not None:
        return _into_care(world, child, referral, end, "cin")
    closed = close_referral(world, child, referral, end, "RC7")
    if world.chance(b("step_down_to_early_help")):
        early_help(world, child, end, stepped_down_from=referral)
    return closed


def _into_care(world: World, child: Child, referral: m.Referral, day: dt.date,
               route: str) -> dt.date | None:
    if child.age_on(day) >= 17.7:
        return close_referral(world, child, referral, day, "RC7")
    child.segments.append(Segment(child.person, referral, "cla", day, None, child.locality))
    end = care.period_of_care(world, child, referral, day, route)
    child.segments[-1].end = end
    if end is None:
        return None
    return close_referral(world, child, referral, end, care.CLOSURE.get(child.care_outcome, "RC7"))
