"""Shared fixtures. The people are personas from a synthetic council; none is real."""

from __future__ import annotations

import datetime as dt

import factory.random
import pytest

from goldenthread.accounts.models import User
from goldenthread.records.models import Person
from tests.factories import PersonFactory, UserFactory

factory.random.reseed_random("goldenthread")


@pytest.fixture
def social_worker(db: None) -> User:
    """Sam, a social worker in a locality team: the acting user for most recording."""
    return UserFactory(username="sam.social-worker", first_name="Sam", last_name="Okafor")


@pytest.fixture
def child(db: None) -> Person:
    """Ella, born 1 May 2015: the child whose journey most tests record."""
    return PersonFactory(forename="Ella", surname="Example", date_of_birth=dt.date(2015, 5, 1))
