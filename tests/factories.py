"""Factories that build valid records through the actions layer, so every factory-made
record passed the same validation a practitioner's entry would.

All people are invented (Faker, en_GB); no real person's details ever appear here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory
from factory.django import DjangoModelFactory

from goldenthread.accounts.models import User, system_user
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")


class RecordFactory(factory.Factory):  # type: ignore[type-arg]
    """Creates through `create_record`; pass acting_user= to act as someone in particular."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class: Any, *args: Any, **kwargs: Any) -> Any:
        acting_user = kwargs.pop("acting_user", None) or system_user()
        return create_record(model_class, acting_user=acting_user, **kwargs)


class PersonFactory(RecordFactory):
    class Meta:
        model = m.Person

    la_person_id = factory.Sequence(lambda n: f"SYN{n:06d}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
    sex = "F"
    ethnicity = "WBRI"
    date_of_birth = dt.date(2015, 5, 1)


class LocalityFactory(RecordFactory):
    class Meta:
        model = m.Team

    code = factory.Sequence(lambda n: f"LOC{n}")
    name = factory.Sequence(lambda n: f"Locality {n}")
    kind = m.TeamKind.LOCALITY


class ServiceFactory(LocalityFactory):
    code = factory.Sequence(lambda n: f"SVC{n}")
    name = factory.Sequence(lambda n: f"Service {n}")
    kind = m.TeamKind.SERVICE
    parent = factory.SubFactory(LocalityFactory)


class TeamFactory(LocalityFactory):
    code = factory.Sequence(lambda n: f"TEAM{n}")
    name = factory.Sequence(lambda n: f"Team {n}")
    kind = m.TeamKind.TEAM
    parent = factory.SubFactory(ServiceFactory)


class ProfessionalFactory(RecordFactory):
    class Meta:
        model = m.Professional

    staff_id = factory.Sequence(lambda n: f"STAFF{n}")
    forename = factory.Faker("first_name", locale="en_GB")
    surname = factory.Faker("last_name", locale="en_GB")
    swe_registration_number = factory.Sequence(lambda n: f"SW{100000 + n}")
    job_title = "Social worker"
    start_date = dt.date(2020, 1, 6)


class ContactFactory(RecordFactory):
    class Meta:
        model = m.Contact

    person = factory.SubFactory(PersonFactory)
    received_at = dt.datetime(2024, 6, 3, 9, 30, tzinfo=dt.UTC)
    source = "2A"


class ReferralFactory(RecordFactory):
    class Meta:
        model = m.Referral

    person = factory.SubFactory(PersonFactory)
    referral_date = dt.date(2024, 6, 3)
    source = "2A"
    primary_need = "N1"
