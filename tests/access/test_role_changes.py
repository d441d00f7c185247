"""Role changes take effect at once: the access summary on the user follows the roles."""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps
from django.urls import reverse

from goldenthread.accounts.models import Role, User
from tests.conftest import HttpsClient
from tests.world import World, sign_in


def test_removing_a_role_closes_access_on_the_next_request(world: World) -> None:
    sam = world.users["sam"]
    client = sign_in(HttpsClient(), sam)
    url = reverse("person", args=[world.children["ella"].pk])
    assert client.get(url).status_code == 200
    sam.roles.remove(Role.objects.get(code="social_worker"))
    assert client.get(url).status_code == 404


def test_editing_a_role_changes_its_users_access(world: World) -> None:
    """A council narrows the analyst role: its users lose the pseudonymised export."""
    client = sign_in(HttpsClient(), world.users["ana"])
    assert client.get(reverse("pseudonymised_people")).status_code == 200
    role = Role.objects.get(code="performance_analyst")
    role.sees_pseudonymised_rows = False
    role.save()
    assert client.get(reverse("pseudonymised_people")).status_code == 404


def test_clearing_a_role_of_its_users_closes_their_access(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["sam"])
    url = reverse("person", args=[world.children["ella"].pk])
    assert client.get(url).status_code == 200
    Role.objects.get(code="social_worker").users.clear()
    assert client.get(url).status_code == 404


def test_summary_matches_the_roles(world: World) -> None:
    mo = world.users["mo"]
    mo.refresh_from_db()
    assert mo.access == {"scopes": ["allocated", "service"],
                         "flags": ["manages_staff", "may_break_glass", "may_record"]}


def test_the_may_record_migration_flags_practitioners_and_refreshes_summaries(
        world: World) -> None:
    """An installation from before roles could be read-only: no role records and the users'
    summaries say nothing of it. Migration accounts/0005 gives the flag to the practitioner
    roles and brings every user's summary up to date: Sam (social worker) may record again,
    Queenie (QA auditor) may not."""
    migration = importlib.import_module("goldenthread.accounts.migrations.0005_role_may_record")
    Role.objects.update(may_record=False)  # an update, not a save: no signal refreshes users
    User.objects.filter(pk=world.users["sam"].pk).update(access={"scopes": [], "flags": []})
    migration.forwards(django_apps, None)
    sam, queenie = (User.objects.get(pk=world.users[n].pk) for n in ("sam", "queenie"))
    assert "may_record" in sam.access["flags"] and sam.access["scopes"] == ["allocated", "team"]
    assert "may_record" not in queenie.access["flags"]
    assert set(Role.objects.filter(may_record=True).values_list("code", flat=True)) == \
        set(migration.RECORDING_ROLES)
