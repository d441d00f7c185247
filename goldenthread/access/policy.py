"""Who may see which child. Each scope is one queryset of person ids; a user's roles
combine scopes; restricted records need a grant; break-glass adds a child for hours.

Nothing here returns "forbidden": a record outside the user's reach is simply not in
their querysets, so views answer 404, as for a record that does not exist.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.db.models import Model, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from goldenthread.access.models import AccessGrant, BreakGlass
from goldenthread.accounts.models import Role, Scope, User
from goldenthread.records.models import (
    CareLeaver,
    CLAReview,
    Contact,
    EarlyHelpEpisode,
    Involvement,
    MissingEpisode,
    Person,
    Relationship,
    Team,
    TeamKind,
    TeamMembership,
)

M = TypeVar("M", bound=Model)

FRONT_DOOR_DECIDED_WITHIN = dt.timedelta(days=7)
RECENTLY_MISSING_WITHIN = dt.timedelta(days=30)


def roles_of(user: User) -> list[Role]:
    if not user.is_authenticated or not user.is_active:
        return []
    cached: list[Role] | None = getattr(user, "_roles_cache", None)
    if cached is None:
        cached = list(user.roles.all())
        user._roles_cache = cached  # type: ignore[attr-defined]
    return cached


def scopes_of(user: User) -> set[str]:
    return {scope for role in roles_of(user) for scope in role.scopes}


def has_role_flag(user: User, flag: str) -> bool:
    return any(getattr(role, flag) for role in roles_of(user))


def _open_on(today: dt.date, start: str = "start_date", end: str = "end_date") -> Q:
    return Q(**{f"{start}__lte": today}) & (Q(**{f"{end}__isnull": True})
                                             | Q(**{f"{end}__gt": today}))


def user_team_ids(user: User, today: dt.date) -> list[int]:
    return list(TeamMembership.objects.filter(_open_on(today), professional__user=user,
                                              archived_at__isnull=True)
                .values_list("team_id", flat=True))


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


def _allocated_in(team_ids: Iterable[int], today: dt.date) -> Q:
    return Q(pk__in=Involvement.objects.filter(_open_on(today), team_id__in=list(team_ids),
                                               archived_at__isnull=True).values("person_id"))


def _scope_q(scope: str, user: User, now: dt.datetime) -> Q:
    today = timezone.localdate(now)
    builders: dict[str, Callable[[], Q]] = {
        Scope.ALLOCATED: lambda: Q(pk__in=Involvement.objects.filter(
            _open_on(today), professional__user=user, archived_at__isnull=True)
            .values("person_id")),
        Scope.TEAM: lambda: _allocated_in(user_team_ids(user, today), today),
        Scope.SERVICE: lambda: _allocated_in(service_team_ids(user_team_ids(user, today)),
                                             today),
        Scope.OPEN_CONTACT: lambda: Q(pk__in=Contact.objects.filter(
            Q(decision="") | Q(decided_at__gte=now - FRONT_DOOR_DECIDED_WITHIN),
            archived_at__isnull=True).values("person_id")),
        Scope.EARLY_HELP: lambda: Q(pk__in=EarlyHelpEpisode.objects.filter(
            _open_on(today), worker__user=user, archived_at__isnull=True).values("person_id")),
        Scope.REVIEWED: lambda: Q(pk__in=CLAReview.objects.filter(
            chaired_by__user=user, period__end_date__isnull=True, archived_at__isnull=True)
            .values("person_id")),
        Scope.RECENTLY_MISSING: lambda: Q(pk__in=MissingEpisode.objects.filter(
            start_at__gte=now - RECENTLY_MISSING_WITHIN, archived_at__isnull=True)
            .values("person_id")),
        Scope.ADVISED: lambda: Q(pk__in=CareLeaver.objects.filter(
            _open_on(today), personal_adviser__user=user, archived_at__isnull=True)
            .values("person_id")),
        Scope.ALL: lambda: Q(pk__isnull=False),  # an empty Q() would vanish in an OR
    }
    build = builders.get(scope)
    return build() if build is not None else Q(pk__in=[])


def visible_people(user: User, *, now: dt.datetime | None = None) -> QuerySet[Person]:
    """Everyone whose records this user may see: the children their roles reach, the
    relatives recorded with those children, and break-glass children; restricted records
    only with a current grant. Archived people are seen by no one here."""
    now = now or timezone.now()
    scopes = scopes_of(user)
    if not scopes:
        return Person.objects.none()
    reach = Q(pk__in=[])
    for scope in scopes:
        reach |= _scope_q(scope, user, now)
    children = Person.objects.filter(reach)
    if Scope.ALL not in scopes:
        relatives = Q(pk__in=Relationship.objects.filter(person__in=children.values("pk"),
                                                         archived_at__isnull=True)
                      .values("relative_id"))
        glass = Q(pk__in=BreakGlass.objects.filter(user=user, started_at__lte=now,
                                                   expires_at__gt=now).values("person_id"))
        reach = reach | relatives | glass
    granted = Q(pk__in=AccessGrant.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now), user=user, starts_at__lte=now,
        revoked_at__isnull=True).values("person_id"))
    return Person.objects.filter(reach, archived_at__isnull=True).filter(
        Q(is_restricted=False) | granted)


def access_person(user: User, person_id: object) -> Person:
    """The person, if this user may see them; otherwise the same 404 as for no one."""
    try:
        return visible_people(user).get(pk=int(str(person_id)))
    except (Person.DoesNotExist, ValueError):
        raise Http404("No such record") from None


def access_record(user: User, model: type[M], record_id: object) -> M:
    """Any record about a person, if the user may see that person; otherwise 404."""
    try:
        record = model._default_manager.get(pk=int(str(record_id)))
    except (model.DoesNotExist, ValueError):  # type: ignore[attr-defined]
        raise Http404("No such record") from None
    person_id = getattr(record, "person_id", None)
    if person_id is None or getattr(record, "archived_at", None) is not None \
            or not visible_people(user).filter(pk=person_id).exists():
        raise Http404("No such record")
    return record
