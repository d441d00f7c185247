"""The bulk load's fast field checks refuse exactly what Django's clean_fields() refuses,
with the same words, so a synthetic or imported batch meets the same rules as a form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from goldenthread.records.actions.bulk import validate_batch
from goldenthread.records.models import Person


def people() -> list[Person]:
    """Rows a careless loader might send: each breaks one field rule, or none."""
    return [
        Person(la_person_id="B1", forename="Ok", surname="Fine", sex="F",
               date_of_birth=dt.date(2015, 1, 1)),
        Person(la_person_id="B2", forename="x" * 101, surname="Long"),          # too long
        Person(la_person_id="B3", forename="", surname="Blank"),               # blank
        Person(la_person_id="B4", forename="Null", surname=None),              # null
        Person(la_person_id="B5", forename="Date", surname="Bad",
               date_of_birth="2015-02-30"),                                     # not a date
        Person(la_person_id="", forename="No", surname="Id"),                  # blank id
    ]


def django_words(person: Person) -> list[str]:
    try:
        person.clean_fields()
    except ValidationError as error:
        return [m for messages in error.message_dict.values() for m in messages]
    return []


@pytest.mark.django_db
def test_fast_field_checks_agree_with_clean_fields() -> None:
    expected = {p.la_person_id: django_words(p) for p in people()}
    refusals = validate_batch([(Person, people())])
    assert len(refusals) == sum(1 for words in expected.values() if words) == 5
    for words in expected.values():
        for word in words:
            assert any(word in refusal for refusal in refusals), word
