"""A small desk for case-work tests: one team with a social worker (Sam), its manager (Mo),
and a worker in another team (Olly); children are allocated to Sam as a test needs.
Every person here is invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from goldenthread.accounts.models import Role, User
from goldenthread.casework.tasks import Task, my_work
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.records.actions.journey import do_allocate_worker
from tests.factories import PersonFactory, ProfessionalFactory, TeamFactory, UserFactory
from tests.world import World, build_world

# A Thursday in February 2025; tests of timescales pass it as "now".
NOW = dt.datetime(2025, 2, 20, 12, 0, tzinfo=dt.UTC)


@dataclass
class Desk:
    team: m.Team
    sam: User
    mo: User
    olly: User
    sam_pro: m.Professional
    olly_pro: m.Professional

    def allocate(self, child: m.Person, *, on: dt.date = dt.date(2024, 9, 2),
                 to: m.Professional | None = None) -> m.Involvement:
        worker = to or self.sam_pro
        team = self.team if worker == self.sam_pro else worker.memberships.get().team
        return do_allocate_worker(child, professional=worker, team=team, on=on,
                                  acting_user=self.mo)

    def child(self, *, born: dt.date = dt.date(2015, 5, 1), to: m.Professional | None = None,
              **names: str) -> m.Person:
        """A child allocated (to Sam unless `to` says otherwise) since 2 September 2024."""
        child = PersonFactory(date_of_birth=born, **names)
        self.allocate(child, to=to)
        return child

    def referral(self, child: m.Person, on: dt.date) -> m.Referral:
        return create_record(m.Referral, acting_user=self.sam, person=child, referral_date=on,
                             source="2A", primary_need="N1")


def _staff(username: str, role: str, team: m.Team, *, manager: bool = False,
           ) -> tuple[User, m.Professional]:
    user = UserFactory(username=username)
    user.roles.add(Role.objects.get(code=role))
    professional = ProfessionalFactory(user=user, forename=username.title(), surname="Desk")
    create_record(m.TeamMembership, acting_user=user, professional=professional, team=team,
                  is_team_manager=manager, start_date=dt.date(2020, 1, 6))
    return User.objects.get(pk=user.pk), professional


@pytest.fixture
def desk(db: None) -> Desk:
    team, other = TeamFactory(), TeamFactory()
    sam, sam_pro = _staff("sam", "social_worker", team)
    mo, _ = _staff("mo", "team_manager", team, manager=True)
    olly, olly_pro = _staff("olly", "social_worker", other)
    return Desk(team=team, sam=sam, mo=mo, olly=olly, sam_pro=sam_pro, olly_pro=olly_pro)


def tasks_for(user: User, child: m.Person, now: dt.datetime = NOW) -> list[Task]:
    """The child's tasks on the user's My work ([] if the child is not there)."""
    for row in my_work(user, now=now).children:
        if row.person_id == child.pk:
            return row.tasks
    return []


def kinds(tasks: list[Task]) -> list[str]:
    return [t.kind.value for t in tasks]


@pytest.fixture
def world(db: None) -> World:
    """The persona council of tests/world.py (Ella has one record of every kind)."""
    return build_world()
