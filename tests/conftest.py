"""Shared fixtures. The people are personas from a synthetic council; none is real."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory.random
import pytest
from django.http import HttpResponse
from django.test import Client

from goldenthread.accounts.models import User
from goldenthread.records.models import Person
from tests.factories import PersonFactory, UserFactory

factory.random.reseed_random("goldenthread")


class HttpsClient(Client):
    """Production settings redirect plain HTTP to HTTPS; tests speak HTTPS like browsers.
    (A test about plain HTTP uses django.test.Client itself.)"""

    def generic(self, *args: Any, **kwargs: Any) -> HttpResponse:
        kwargs["secure"] = True
        return super().generic(*args, **kwargs)  # type: ignore[no-any-return]


@pytest.fixture
def client() -> Client:
    return HttpsClient()


@pytest.fixture
def social_worker(db: None) -> User:
    """Sam, a social worker in a locality team: the acting user for most recording."""
    return UserFactory(username="sam.social-worker", first_name="Sam", last_name="Okafor")


@pytest.fixture
def child(db: None) -> Person:
    """Ella, born 1 May 2015: the child whose journey most tests record."""
    return PersonFactory(forename="Ella", surname="Example", date_of_birth=dt.date(2015, 5, 1))


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under pytest-xdist (`make test` runs `-n auto`), each test file stays on one worker so
    its module fixtures are built once, and tests/browser stays whole on one worker: its
    tests share one server and one Chromium (package fixtures). (xdist's own `loadgroup`
    cannot express this with pytest 9, whose node ids it no longer rewrites.)"""
    from xdist.scheduler import LoadFileScheduling

    class FileOrBrowserScheduling(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "tests/browser" if path.startswith("tests/browser/") else path

    return FileOrBrowserScheduling(config, log)
