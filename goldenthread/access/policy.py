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
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from goldenthread.access.models import AccessGrant, BreakGlass
from goldenthread.accounts.models import Scope, User
from goldenthread.core.sql import one_of
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


def _open_sql(alias: str) -> str:
    """`_open_on` in SQL over `alias`, with two parameters: today, today."""
    return (f"{alias}.start_date <= %s AND ({alias}.end_date IS NULL "
            f"OR {alias}.end_date > %s)")


def _current_grant_sql(alias: str) -> str:
    """`_grant_rows` in SQL over `alias`, with three parameters: the user's id, now, now."""
    return (f"{alias}.user_id = %s AND {alias}.starts_at <= %s AND ({alias}.ends_at IS NULL "
            f"OR {alias}.ends_at > %s) AND {alias}.revoked_at IS NULL")


def _scope_sql(scope: str, user: User, now: dt.datetime) -> tuple[str, list[Any]] | None:
    """The ids of the people a scope reaches, as SQL and parameters (None: everyone).
    ALLOCATED and TEAM, every social worker's and team manager's, are written out, since
    compiling their ORM form cost more than running it (bench/load_bench.py pages); the
    others are compiled from `_scope_rows`. The agreement tests in tests/access/
    test_matrix.py hold both forms to one answer."""
    today = connection.ops.adapt_datefield_value(timezone.localdate(now))
    involvement, professional = Involvement._meta.db_table, Professional._meta.db_table
    if scope == Scope.ALLOCATED:
        return (f"SELECT i.person_id FROM {involvement} i JOIN {professional} pr "  # noqa: S608
                f"ON pr.id = i.professional_id WHERE pr.user_id = %s AND {_open_sql('i')} "
                "AND i.archived_at IS NULL", [user.pk, today, today])
    if scope == Scope.TEAM:
        return (f"SELECT i.person_id FROM {involvement} i WHERE {_open_sql('i')} "  # noqa: S608
                "AND i.archived_at IS NULL AND i.team_id IN (SELECT m.team_id FROM "
                f"{TeamMembership._meta.db_table} m JOIN {professional} pr "
                f"ON pr.id = m.professional_id WHERE pr.user_id = %s AND {_open_sql('m')} "
                "AND m.archived_at IS NULL)", [today, today, user.pk, today, today])
    rows = _scope_rows(scope, user, now)
    if rows is None:
        return None
    sql, params = rows.order_by().values("person_id").query.sql_with_params()
    return f"SELECT s.person_id FROM ({sql}) s", list(params)  # noqa: S608


def visible_people(user: User, *, now: dt.datetime | None = None) -> QuerySet[Person]:
    """Everyone whose records this user may see: the children their roles reach, the
    relatives recorded with those children, and break-glass children; restricted records
    only with a current grant. Archived people are seen by no one here. The reach is one
    SQL subquery (`_scope_sql`), cheap to put into any query about people."""
    now = now or timezone.now()
    scopes = scopes_of(user)
    if not scopes:
        return Person.objects.none()
    moment = connection.ops.adapt_datetimefield_value(now)
    parts = [_scope_sql(scope, user, now) for scope in sorted(scopes)]
    if any(part is None for part in parts):
        reach = Q(pk__isnull=False)
    else:
        children = " UNION ".join(sql for sql, _ in filter(None, parts))
        params = [value for _, values in filter(None, parts) for value in values]
        sql = (f"{children} UNION SELECT r.relative_id FROM "  # noqa: S608
               f"{Relationship._meta.db_table} r WHERE r.archived_at IS NULL "
               f"AND r.person_id IN ({children}) UNION SELECT b.person_id FROM "
               f"{BreakGlass._meta.db_table} b WHERE b.user_id = %s AND b.started_at <= %s "
               "AND b.expires_at > %s")
        # S611: the SQL is our own text over model metadata; every value is a parameter.
        reach = Q(pk__in=RawSQL(sql, [*params, *params, user.pk, moment, moment]))  # noqa: S611
    grants = RawSQL(f"SELECT g.person_id FROM {AccessGrant._meta.db_table} g "  # noqa: S608,S611
                    f"WHERE {_current_grant_sql('g')}", [user.pk, moment, moment])
    return Person.objects.filter(reach, archived_at__isnull=True).filter(
        Q(is_restricted=False) | Q(pk__in=grants))


def _allocated_among(user: User, ids: list[int], now: dt.datetime) -> set[int]:
    """Those of `ids` the ALLOCATED scope lets the user see, as one small parametrised query
    (the list form of `_allocated_to`): live, allocated to the user today, and not
    restricted unless the user holds a current grant. Equal to visible_people restricted to
    that scope; tests/access/test_matrix.py compares the two."""
    today = timezone.localdate(now)
    person, involvement = Person._meta.db_table, Involvement._meta.db_table
    professional, grant = Professional._meta.db_table, AccessGrant._meta.db_table
    among, params = one_of("p.id", ids)
    sql = (f"SELECT p.id FROM {person} p WHERE {among} AND p.archived_at IS NULL "  # noqa: S608
           f"AND EXISTS (SELECT 1 FROM {involvement} i JOIN {professional} pr "
           "ON pr.id = i.professional_id WHERE i.person_id = p.id AND pr.user_id = %s "
           f"AND {_open_sql('i')} AND i.archived_at IS NULL) "
           f"AND (NOT p.is_restricted OR EXISTS (SELECT 1 FROM {grant} g "
           f"WHERE g.person_id = p.id AND {_current_grant_sql('g')}))")
    with connection.cursor() as cursor:
        day = connection.ops.adapt_datefield_value(today)
        moment = connection.ops.adapt_datetimefield_value(now)
        cursor.execute(sql, [*params, user.pk, day, day, user.pk, moment, moment])
        return {int(row[0]) for row in cursor.fetchall()}


def visible_among(user: User, person_ids: Iterable[int], *,
                  now: dt.datetime | None = None) -> set[int]:
    """Those of `person_ids` the user may see: the same set as
    `visible_people(user).filter(pk__in=person_ids)`, but a list of the user's own
    children (My work) costs one small query rather than compiling the whole reach; only
    ids that scope does not reach go through `visible_people`."""
    now = now or timezone.now()
    wanted = sorted(set(person_ids))
    scopes = scopes_of(user)
    if not wanted or not scopes:
        return set()
    seen = _allocated_among(user, wanted, now) if Scope.ALLOCATED in scopes else set()
    rest = [pk for pk in wanted if pk not in seen]
    if rest:
        seen |= set(visible_people(user, now=now).filter(pk__in=rest)
                    .values_list("pk", flat=True))
    return seen


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
           f"WHERE i.person_id = %s AND pr.user_id = %s AND {_open_sql('i')} "
           "AND i.archived_at IS NULL LIMIT 1")
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
