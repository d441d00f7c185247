"""Who may see which child. Each scope is one queryset of person ids; a user's roles
combine scopes; restricted records need a grant; break-glass adds a child for hours.

Nothing here returns "forbidden": a record outside the user's reach is simply not in
their querysets, so views answer 404, as for a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from goldenthread.access.models import AccessGrant, BreakGlass
from goldenthread.accounts.models import Scope, User
from goldenthread.records.models import (
    CareLeaver,
    CLAReview,
    Contact,
    EarlyHelpEpisode,
    Involvement,
    MissingEpisode,
    Person,
    Professional,
    Relationship,
    Team,
    TeamKind,
    TeamMembership,
)

M = TypeVar("M", bound=Model)

FRONT_DOOR_DECIDED_WITHIN = dt.timedelta(days=7)
RECENTLY_MISSING_WITHIN = dt.timedelta(days=30)


def scopes_of(user: User) -> set[str]:
    """What the user's roles reach, read from the user row (see accounts.models.User.access)
    so deciding about a page costs no extra query."""
    if not user.is_authenticated or not user.is_active:
        return set()
    return set(user.access.get("scopes", []))


def has_role_flag(user: User, flag: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return flag in user.access.get("flags", [])


def _open_on(today: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": today}) & (Q(**{f"{end}__isnull": True})
                                             | Q(**{f"{end}__gt": today}))


def user_teams(user: User, today: dt.date) -> QuerySet[Any, Any]:
    """The user's current teams, as a subquery of team ids."""
    return TeamMembership.objects.filter(_open_on(today), professional__user=user,
                                         archived_at__isnull=True).values("team_id")


def user_team_ids(user: User, today: dt.date) -> list[int]:
    return [int(row["team_id"]) for row in user_teams(user, today)]


def service_team_ids(team_ids: Iterable[int]) -> set[int]:
    """Every team in the services the given teams belong to (a service is the nearest
    ancestor of kind 'service'; a team directly under a locality is its own service)."""
    teams = {t.pk: t for t in Team.objects.all().only("id", "parent_id", "kind")}
    children: dict[int | None, list[int]] = {}
    for team in teams.values():
        children.setdefault(team.parent_id, []).append(team.pk)
    result: set[int] = set()
    for team_id in team_ids:
        node = teams.get(team_id)
        while node is not None and node.kind == TeamKind.TEAM and node.parent_id in teams \
                and teams[node.parent_id].kind == TeamKind.SERVICE:
            node = teams[node.parent_id]
        if node is None:
            continue
        stack = [node.pk]
        while stack:
            current = stack.pop()
            result.add(current)
            stack.extend(children.get(current, []))
    return result


def _allocated_in(team_ids: Iterable[int] | QuerySet[Any],
                  today: dt.date) -> QuerySet[Involvement]:
    teams = team_ids if isinstance(team_ids, QuerySet) else list(team_ids)
    return Involvement.objects.filter(_open_on(today), team_id__in=teams,
                                      archived_at__isnull=True)


def _scope_rows(scope: str, user: User, now: dt.datetime) -> QuerySet[Any] | None:
    """The rows (each with a person_id) through which a scope reaches children; None for
    the scope that reaches everyone. Used as a set for lists and as EXISTS for one child."""
    today = timezone.localdate(now)
    if scope == Scope.ALL:
        return None
    if scope == Scope.ALLOCATED:
        return Involvement.objects.filter(_open_on(today), professional__user=user,
                                          archived_at__isnull=True)
    if scope == Scope.TEAM:
        return _allocated_in(user_teams(user, today), today)
    if scope == Scope.SERVICE:
        return _allocated_in(service_team_ids(user_team_ids(user, today)), today)
    if scope == Scope.OPEN_CONTACT:
        return Contact.objects.filter(
            Q(decision="") | Q(decided_at__gte=now - FRONT_DOOR_DECIDED_WITHIN),
            archived_at__isnull=True)
    if scope == Scope.EARLY_HELP:
        return EarlyHelpEpisode.objects.filter(_open_on(today), worker__user=user,
                                               archived_at__isnull=True)
    if scope == Scope.REVIEWED:
        return CLAReview.objects.filter(chaired_by__user=user, period__end_date__isnull=True,
                                        archived_at__isnull=True)
    if scope == Scope.RECENTLY_MISSING:
        return MissingEpisode.objects.filter(start_at__gte=now - RECENTLY_MISSING_WITHIN,
                                             archived_at__isnull=True)
    if scope == Scope.ADVISED:
        return CareLeaver.objects.filter(_open_on(today), personal_adviser__user=user,
                                         archived_at__isnull=True)
    return Involvement.objects.none()  # a scope a council typed into a role but we lack


def _break_glass_rows(user: User, now: dt.datetime) -> QuerySet[BreakGlass]:
    return BreakGlass.objects.filter(user=user, started_at__lte=now, expires_at__gt=now)


def _grant_rows(user: User, now: dt.datetime) -> QuerySet[AccessGrant]:
    return AccessGrant.objects.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=now), user=user,
                                      starts_at__lte=now, revoked_at__isnull=True)


def _relationship_rows() -> QuerySet[Relationship]:
    return Relationship.objects.filter(archived_at__isnull=True)


def visible_people(user: User, *, now: dt.datetime | None = None) -> QuerySet[Person]:
    """Everyone whose records this user may see: the children their roles reach, the
    relatives recorded with those children, and break-glass children; restricted records
    only with a current grant. Archived people are seen by no one here."""
    now = now or timezone.now()
    scopes = scopes_of(user)
    if not scopes:
        return Person.objects.none()
    rows = [_scope_rows(scope, user, now) for scope in scopes]
    if any(r is None for r in rows):
        reach = Q(pk__isnull=False)
    else:
        reach = Q(pk__in=[])
        for row in rows:
            assert row is not None
            reach |= Q(pk__in=row.values("person_id"))
        children = Person.objects.filter(reach).values("pk")
        reach |= Q(pk__in=_relationship_rows().filter(person__in=children)
                   .values("relative_id"))
        reach |= Q(pk__in=_break_glass_rows(user, now).values("person_id"))
    return Person.objects.filter(reach, archived_at__isnull=True).filter(
        Q(is_restricted=False) | Q(pk__in=_grant_rows(user, now).values("person_id")))


def _reaches(user: User, person_id: int, now: dt.datetime, scopes: Iterable[str]) -> bool:
    """Whether the scopes reach this one child: an indexed EXISTS per scope, stopping at
    the first that does."""
    for scope in scopes:
        rows = _scope_rows(scope, user, now)
        if rows is None or rows.filter(person_id=person_id).exists():
            return True
    return False


def _allocated_to(user_id: int, person_id: int, today: dt.date) -> bool:
    """The hot path of every page, the ALLOCATED scope for one child, as one small
    parametrised query: compiling the equivalent ORM EXISTS cost four times the page's own
    fetch (bench/access_bench.py). It must stay equal to _scope_rows(ALLOCATED); the
    agreement test in tests/access/test_matrix.py compares it with the ORM form."""
    involvement, professional = Involvement._meta.db_table, Professional._meta.db_table
    # S608 is silenced below: the table names come from model metadata; values are parameters.
    sql = (f"SELECT 1 FROM {involvement} i JOIN {professional} pr "  # noqa: S608
           "ON pr.id = i.professional_id "
           "WHERE i.person_id = %s AND pr.user_id = %s AND i.start_date <= %s "
           "AND (i.end_date IS NULL OR i.end_date > %s) AND i.archived_at IS NULL LIMIT 1")
    with connection.cursor() as cursor:
        cursor.execute(sql, [person_id, user_id, today, today])
        return cursor.fetchone() is not None


def _decide(user: User, person_id: int, now: dt.datetime) -> Person | None:
    """The person if this user may see them, else None: the single-record form of
    `visible_people` (a test proves the two agree for every persona and person)."""
    scopes = scopes_of(user)
    if not scopes:
        return None
    try:
        person = Person.objects.get(pk=person_id, archived_at__isnull=True)
    except Person.DoesNotExist:
        return None
    if person.is_restricted and not _grant_rows(user, now).filter(person=person).exists():
        return None
    allocated = Scope.ALLOCATED in scopes and _allocated_to(user.pk, person_id,
                                                             timezone.localdate(now))
    if allocated or _reaches(user, person_id, now, sorted(scopes - {Scope.ALLOCATED})):
        return person
    if Scope.ALL in scopes:
        return None
    if _break_glass_rows(user, now).filter(person=person).exists():
        return person
    children = _relationship_rows().filter(relative=person).values_list("person_id", flat=True)
    return person if any(_reaches(user, c, now, scopes) for c in children) else None


def may_see(user: User, person: Person, *, now: dt.datetime | None = None) -> bool:
    return _decide(user, person.pk, now or timezone.now()) is not None


def access_person(user: User, person_id: object) -> Person:
    """The person, if this user may see them; otherwise the same 404 as for no one."""
    try:
        wanted = int(str(person_id))
    except ValueError:
        raise Http404("No such record") from None
    person = _decide(user, wanted, timezone.now())
    if person is None:
        raise Http404("No such record")
    return person


def access_record(user: User, model: type[M], record_id: object) -> M:
    """Any record about a person, if the user may see that person; otherwise 404."""
    try:
        record = model._default_manager.get(pk=int(str(record_id)))
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404("No such record") from None
    person = getattr(record, "person", None)
    if not isinstance(person, Person) or getattr(record, "archived_at", None) is not None \
            or not may_see(user, person):
        raise Http404("No such record")
    return record
