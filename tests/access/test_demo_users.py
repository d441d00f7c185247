"""Demo sign-ins exist only in demo mode."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from goldenthread.accounts.models import User
from tests.world import World


def test_demo_users_are_refused_outside_demo_mode(db: None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GOLDENTHREAD_DEMO", raising=False)
    with pytest.raises(CommandError, match="set GOLDENTHREAD_DEMO=1"):
        call_command("demo_users")
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_demo_social_worker_signs_in_as_a_synthetic_worker_with_cases(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Synthetic staff have no sign-in; the demo social worker becomes one who holds cases."""
    import datetime as dt

    from goldenthread.records.actions.journey import do_allocate_worker
    from tests.factories import PersonFactory, ProfessionalFactory

    unsigned = ProfessionalFactory()
    do_allocate_worker(PersonFactory(), professional=unsigned, team=world.teams["team-a"],
                       on=dt.date(2025, 1, 6), acting_user=world.users["ada"])
    monkeypatch.setenv("GOLDENTHREAD_DEMO", "1")
    call_command("demo_users", stdout=None)
    worker = User.objects.get(username="demo-social-worker")
    assert worker.check_password("demo-only-synthetic-data")
    assert worker.professional == unsigned
    assert list(worker.roles.values_list("code", flat=True)) == ["social_worker"]
