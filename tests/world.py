"""A small synthetic council for access tests: two services, personas, and children whose
records each persona may or may not see. Every person here is invented.

    North locality ── North service ─┬─ Team A: Sam (social worker), Mo (team manager)
                                      └─ Team B: Bob (social worker)
                   └─ (Sasha, service manager, sits in North service itself)
    South locality ── South service ─── Team C: Olly (social worker)
    City-wide      ── Front door     ─┬─ MASH: Fran (front door)
                                      └─ Reviewing: Ira (IRO)
    Ana (analyst), Queenie (QA auditor), Ada (system admin), Otto (social worker, no team)

    Ella   allocated to Sam in Team A; in care, reviews chaired by Ira; one record of
           every record type; her mother Mary is recorded as a relative
    Ben    allocated to Bob in Team B
    Cara   allocated to Olly in Team C
    Dina   allocated to Sam, but restricted (no grant)
    Evan   only an undecided contact at the front door
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from goldenthread.access.actions import do_restrict_record
from goldenthread.accounts.models import Role, User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.cla import PlacementDetails, do_start_period_of_care
from goldenthread.records.actions.journey import (
    do_allocate_worker,
    do_record_initial_conference,
    do_start_cp_plan,
)
from tests.factories import PersonFactory, UserFactory

TODAY = dt.date(2026, 11, 2)


@dataclass
class World:
    users: dict[str, User] = field(default_factory=dict)
    children: dict[str, m.Person] = field(default_factory=dict)
    teams: dict[str, m.Team] = field(default_factory=dict)
    ella_records: list[Model] = field(default_factory=list)


def sign_in(client: Client, user: User) -> Client:
    """Signed in with password and a verified TOTP device, as after a real sign-in."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client


def _user(world: World, name: str, role: str, team: m.Team | None,
          *, manager: bool = False) -> m.Professional:
    user = UserFactory(username=name)
    user.roles.add(Role.objects.get(code=role))
    world.users[name] = user
    professional = create_record(m.Professional, acting_user=user, staff_id=f"S-{name}",
                                 user=user, forename=name.title(), surname="Persona",
                                 swe_registration_number=f"SW{zlib.crc32(name.encode()) % 10**6}",
                                 job_title=role.replace("_", " "), start_date=dt.date(2020, 1, 6))
    if team is not None:
        create_record(m.TeamMembership, acting_user=user, professional=professional, team=team,
                      is_team_manager=manager, start_date=dt.date(2020, 1, 6))
    return professional


def build_world() -> World:
    world = World()
    admin = UserFactory(username="builder")
    t = world.teams

    def team(code: str, kind: str, parent: str | None) -> None:
        t[code] = create_record(m.Team, acting_user=admin, code=code, name=f"{code} team",
                                kind=kind, parent=t[parent] if parent else None)

    team("north", "locality", None)
    team("north-svc", "service", "north")
    team("team-a", "team", "north-svc")
    team("team-b", "team", "north-svc")
    team("south", "locality", None)
    team("south-svc", "service", "south")
    team("team-c", "team", "south-svc")
    team("city", "locality", None)
    team("front-door", "service", "city")
    team("mash", "team", "front-door")
    team("reviewing", "team", "front-door")

    sam = _user(world, "sam", "social_worker", t["team-a"])
    _user(world, "mo", "team_manager", t["team-a"], manager=True)
    _user(world, "sasha", "service_manager", t["north-svc"], manager=True)
    bob = _user(world, "bob", "social_worker", t["team-b"])
    olly = _user(world, "olly", "social_worker", t["team-c"])
    _user(world, "fran", "front_door", t["mash"])
    ira = _user(world, "ira", "iro", t["reviewing"])
    for name, role in (("ana", "performance_analyst"), ("queenie", "qa_auditor"),
                       ("ada", "system_admin"), ("otto", "social_worker")):
        _user(world, name, role, None)

    kids = world.children
    for name, dob in (("ella", dt.date(2015, 5, 1)), ("ben", dt.date(2012, 3, 3)),
                      ("cara", dt.date(2018, 8, 8)), ("dina", dt.date(2011, 1, 9)),
                      ("evan", dt.date(2020, 2, 2))):
        kids[name] = PersonFactory(forename=name.title(), surname="Child", date_of_birth=dob,
                                   la_person_id=f"LA-{name}")
    for child, worker, team_code in (("ella", sam, "team-a"), ("ben", bob, "team-b"),
                                     ("cara", olly, "team-c"), ("dina", sam, "team-a")):
        do_allocate_worker(kids[child], professional=worker, team=t[team_code],
                           on=dt.date(2024, 1, 8), acting_user=admin)
    kids["dina"] = do_restrict_record(kids["dina"], reason="child of a member of staff",
                                      acting_user=admin)
    create_record(m.Contact, acting_user=admin, person=kids["evan"], source="5A",
                  received_at=dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC))
    world.ella_records = _ella_journey(world, admin, ira)
    return world


def _ella_journey(world: World, user: User, ira: m.Professional) -> list[Model]:
    """One record of every type that hangs from a person, for Ella."""
    ella = world.children["ella"]
    made: list[Model] = []

    def add(model: type[Model], **values: Any) -> Any:
        record = create_record(model, acting_user=user, **values)  # type: ignore[type-var]
        made.append(record)
        return record

    mary = PersonFactory(forename="Mary", surname="Child", date_of_birth=dt.date(1990, 6, 6),
                         la_person_id="LA-mary")
    world.children["mary"] = mary
    add(m.Relationship, person=ella, relative=mary, relationship_type="MOTHER", lives_with=True)
    household = create_record(m.Household, acting_user=user, name="Child family, Example St")
    add(m.HouseholdMember, person=ella, household=household, start_date=dt.date(2015, 5, 1))
    add(m.PersonDisability, person=ella, code="NONE")
    add(m.ImmigrationStatus, person=ella, status="NONE", start_date=dt.date(2015, 5, 1))
    add(m.Address, person=ella, address_type="HOME", start_date=dt.date(2015, 5, 1),
        postcode="m14 5rx")
    add(m.EarlyHelpEpisode, person=ella, start_date=dt.date(2023, 9, 1),
        end_date=dt.date(2024, 1, 5), organisation="Example Primary School",
        end_reason="STEP_UP")
    add(m.PrivateFosteringNotification, person=ella, notified_on=dt.date(2022, 2, 2))
    contact = add(m.Contact, person=ella, source="2A",
                  received_at=dt.datetime(2024, 1, 8, 9, 0, tzinfo=dt.UTC), decision="REFERRAL",
                  level_of_need="4", decision_rationale="Bruising reported by school",
                  decided_at=dt.datetime(2024, 1, 8, 15, 0, tzinfo=dt.UTC))
    referral = add(m.Referral, person=ella, contact=contact, referral_date=dt.date(2024, 1, 8),
                   source="2A", primary_need="N1")
    add(m.Involvement, person=ella, professional=ira, team=world.teams["reviewing"], role="IRO",
        referral=referral, start_date=dt.date(2024, 1, 9))
    assessment = add(m.Assessment, person=ella, referral=referral, start_date=dt.date(2024, 1, 8),
                     child_seen=True, child_seen_on=dt.date(2024, 1, 9))
    create_record(m.AssessmentFactor, acting_user=user, assessment=assessment, code="2B")
    discussion = add(m.StrategyDiscussion, person=ella, referral=referral,
                     held_on=dt.date(2024, 1, 9), section_47_agreed=True)
    s47 = add(m.Section47Enquiry, person=ella, referral=referral, strategy_discussion=discussion,
              start_date=dt.date(2024, 1, 9))
    icpc = do_record_initial_conference(referral, section_47=s47, acting_user=user,
                                        conference_date=dt.date(2024, 1, 25),
                                        cp_plan_decided=True)
    made.append(icpc)
    plan = do_start_cp_plan(icpc, start_date=dt.date(2024, 1, 25), category="PHY",
                            acting_user=user)
    made.append(plan)
    add(m.CPReview, person=ella, cp_plan=plan, due_date=dt.date(2024, 4, 25),
        review_date=dt.date(2024, 4, 22), plan_continues=True)
    add(m.CPVisit, person=ella, cp_plan=plan, visit_date=dt.date(2024, 2, 5), seen=True,
        seen_alone=True)
    cin_plan = add(m.CINPlan, person=ella, referral=referral, start_date=dt.date(2024, 1, 25))
    add(m.CINVisit, person=ella, cin_plan=cin_plan, visit_date=dt.date(2024, 2, 6), seen=True)
    period = do_start_period_of_care(
        ella, start_date=dt.date(2024, 6, 1), legal_status="C2", cin_need="N1", referral=referral,
        placement=PlacementDetails(placement_type="U4", provider="PR1", postcode="M8 9AB",
                                   distance_miles=Decimal("2.5")), acting_user=user)
    made += [period, period.placements.get(), period.episodes.get()]
    review = add(m.CLAReview, person=ella, period=period, due_date=dt.date(2024, 6, 28),
                 review_date=dt.date(2024, 6, 27), participation="PN1", chaired_by=ira)
    add(m.CLAVisit, person=ella, period=period, visit_date=dt.date(2024, 6, 7), seen=True)
    add(m.IROContact, person=ella, period=period, iro=ira, contact_date=dt.date(2024, 6, 20))
    add(m.HealthCheck, person=ella, check_type="HEALTH_ASSESSMENT", check_date=dt.date(2024, 6, 20))
    add(m.Immunisation, person=ella, up_to_date=True, as_at=dt.date(2024, 6, 20))
    add(m.SDQScore, person=ella, completed_on=dt.date(2024, 7, 1), score=14)
    add(m.PersonalEducationPlan, person=ella, plan_date=dt.date(2024, 7, 2))
    add(m.Conviction, person=ella, conviction_date=dt.date(2025, 3, 3), offence="Criminal damage")
    add(m.SubstanceMisuse, person=ella, identified_on=dt.date(2025, 3, 3), substance="Cannabis")
    add(m.MissingEpisode, person=ella, episode_type="M",
        start_at=dt.datetime(2025, 2, 1, 21, 0, tzinfo=dt.UTC),
        end_at=dt.datetime(2025, 2, 2, 9, 0, tzinfo=dt.UTC),
        rhi_offered_at=dt.datetime(2025, 2, 3, 9, 0, tzinfo=dt.UTC), rhi_accepted=True)
    add(m.PermanencePlan, person=ella, period=period, plan="LONG_TERM_FOSTER",
        decided_on=dt.date(2024, 6, 27), decided_at_review=review)
    add(m.Permanence, person=ella, period=period, adm_decision_date=dt.date(2025, 1, 10))
    add(m.PreviousPermanence, person=ella, option="Z1")
    add(m.CareLeaver, person=ella, eligibility="ELIGIBLE", start_date=dt.date(2025, 5, 1))
    add(m.CareLeaverContact, person=ella, contact_date=dt.date(2025, 5, 2), in_touch="YES",
        activity="F1", accommodation="B1")
    add(m.PathwayPlan, person=ella, start_date=dt.date(2025, 5, 1))
    add(m.CaseNote, person=ella, occurred_at=dt.datetime(2024, 1, 9, 14, 0, tzinfo=dt.UTC),
        kind="home visit", subject="Seen at home with mum", text="Ella showed me her room.")
    add(m.Supervision, person=ella, supervision_date=dt.date(2024, 1, 12), manager=ira,
        discussion="Bruising and school's concerns", decision="Strategy discussion to be held",
        rationale="Pattern of injury with no clear explanation")
    add(m.ChronologyEntry, person=ella, event_date=dt.date(2023, 12, 1),
        title="Moved school mid-year", impact="Lost her friendship group")
    return made
