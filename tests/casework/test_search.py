"""Finding a person: spelling-tolerant names, date of birth, LA id, UPN and NHS number;
only among the people the user may see; every search audited. Then the possible
duplicates of a person about to be recorded, and the search keys every write path fills."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps

from goldenthread.accounts.models import Role, User
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.casework.search import Terms, find_people, possible_duplicates
from goldenthread.core.identifiers import upn_check_letter
from goldenthread.records import models as m
from goldenthread.records.actions.base import change_record
from goldenthread.records.actions.bulk import do_bulk_load
from tests.casework.conftest import Desk
from tests.factories import PersonFactory, UserFactory

NHS = "9434765919"  # passes the modulus 11 check
UPN = upn_check_letter("X801123456789") + "801123456789"


@pytest.fixture
def auditor(db: None) -> User:
    """A quality-assurance auditor: may see every unrestricted record."""
    user = UserFactory(username="queenie")
    user.roles.add(Role.objects.get(code="qa_auditor"))
    return User.objects.get(pk=user.pk)


@pytest.fixture
def people(db: None) -> dict[str, m.Person]:
    return {
        "john": PersonFactory(forename="John", surname="Smith", date_of_birth=dt.date(2014, 3, 4),
                              nhs_number=NHS, upn=UPN, la_person_id="LA-1001"),
        "jane": PersonFactory(forename="Jane", surname="Smythe",
                              date_of_birth=dt.date(2016, 7, 7)),
        "jonathan": PersonFactory(forename="Jonathan", surname="Smithers",
                                  date_of_birth=dt.date(2012, 1, 1)),
        "mohammed": PersonFactory(forename="Mohammed", surname="Khan",
                                  date_of_birth=dt.date(2014, 3, 4)),
        "oconnor": PersonFactory(forename="Siobhán", surname="O'Connor",
                                 date_of_birth=dt.date(2013, 2, 2)),
    }


def names(matches: list) -> list[str]:  # type: ignore[type-arg]
    return [m.person.full_name for m in matches]


def test_jon_smyth_finds_john_smith_first(auditor: User, people: dict[str, m.Person]) -> None:
    """Jon/John and Smyth/Smith sound alike (metaphone JN, SM0)."""
    found = find_people(auditor, Terms(name="Jon Smyth"))
    assert names(found)[0] == "John Smith"
    assert found[0].how == "sounds like"


def test_surname_first_works_too(auditor: User, people: dict[str, m.Person]) -> None:
    assert names(find_people(auditor, Terms(name="Smith, John")))[0] == "John Smith"


def test_the_exact_name_ranks_above_a_longer_one_it_begins(auditor: User,
                                                          people: dict[str, m.Person]) -> None:
    """"Smith" is John's surname exactly and the start of Jonathan's (Smithers); Smythe
    sounds like it. Exact first, then the others."""
    found = find_people(auditor, Terms(name="smith"))
    assert names(found)[0] == "John Smith"
    assert set(names(found)) == {"John Smith", "Jonathan Smithers", "Jane Smythe"}


def test_a_prefix_finds_the_names_it_begins(auditor: User, people: dict[str, m.Person]) -> None:
    assert set(names(find_people(auditor, Terms(name="Smi")))) == {"John Smith",
                                                                  "Jonathan Smithers"}


def test_accents_and_apostrophes_do_not_matter(auditor: User,
                                               people: dict[str, m.Person]) -> None:
    assert names(find_people(auditor, Terms(name="siobhan oconnor"))) == ["Siobhán O'Connor"]


def test_by_date_of_birth(auditor: User, people: dict[str, m.Person]) -> None:
    found = find_people(auditor, Terms(date_of_birth=dt.date(2014, 3, 4)))
    assert set(names(found)) == {"John Smith", "Mohammed Khan"}
    narrowed = find_people(auditor, Terms(name="Muhamad", date_of_birth=dt.date(2014, 3, 4)))
    assert names(narrowed) == ["Mohammed Khan"]


@pytest.mark.parametrize("typed", ["943 476 5919", "943-476-5919", UPN.lower(), "la-1001"])
def test_by_nhs_number_upn_or_la_id_as_people_type_them(auditor: User,
                                                        people: dict[str, m.Person],
                                                        typed: str) -> None:
    assert names(find_people(auditor, Terms(identifier=typed))) == ["John Smith"]


def test_nothing_typed_finds_nothing_and_records_nothing(auditor: User,
                                                         people: dict[str, m.Person]) -> None:
    assert find_people(auditor, Terms(name="  ")) == []
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()
    assert find_people(auditor, Terms(name="'--;")) == []


def test_an_outsider_finds_nobody_and_the_search_is_audited(people: dict[str, m.Person]) -> None:
    otto = UserFactory(username="otto")
    assert find_people(otto, Terms(name="John Smith")) == []
    event = AuditEvent.objects.get(action=AuditAction.SEARCH)
    assert event.actor_username == "otto"
    assert event.detail == {"terms": {"name": "John Smith", "identifier": ""}, "results": 0}


def test_a_social_worker_finds_only_the_children_they_may_see(desk: Desk) -> None:
    """Two children called Ella Example: Sam's, and Olly's in another team."""
    mine = desk.child(forename="Ella", surname="Example")
    desk.child(forename="Ella", surname="Example", to=desk.olly_pro)
    found = find_people(desk.sam, Terms(name="Ela Exampel"))
    assert [m.person.pk for m in found] == [mine.pk]
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_username="sam",
                                     detail__results=1).exists()


# Search keys: made on every path that writes a person.

def test_keys_are_made_when_a_person_is_recorded_and_renamed(db: None) -> None:
    person = PersonFactory(forename="Kathryn", surname="Thompson")
    stored = m.Person.objects.get(pk=person.pk)
    assert (stored.surname_norm, stored.surname_metaphone, stored.forename_metaphone) == (
        "THOMPSON", "0MPSN", "K0RN")
    change_record(stored, acting_user=UserFactory(), expected_version=stored.version,
                  surname="Brown")
    renamed = m.Person.objects.get(pk=person.pk)
    assert (renamed.surname_norm, renamed.surname_metaphone, renamed.surname_nysiis) == (
        "BROWN", "BRN", "BRAON")
    assert renamed.forename_norm == "KATHRYN"


def test_keys_are_made_by_the_bulk_loader(db: None) -> None:
    """The synthetic authority loads through do_bulk_load, which inserts without save()."""
    person = m.Person(la_person_id="BULK1", forename="Aisha", surname="Begum",
                      date_of_birth=dt.date(2015, 1, 1))
    do_bulk_load([(m.Person, [person])], acting_user=UserFactory(), reason="test load")
    stored = m.Person.objects.get(la_person_id="BULK1")
    assert (stored.surname_norm, stored.forename_norm, stored.surname_metaphone) == (
        "BEGUM", "AISHA", "BKM")


def test_the_data_migration_fills_keys_of_people_recorded_before(db: None) -> None:
    person = PersonFactory(forename="Leigh", surname="Nguyen")
    m.Person.objects.filter(pk=person.pk).update(surname_norm="", surname_metaphone="",
                                                 surname_nysiis="", forename_norm="",
                                                 forename_metaphone="", forename_nysiis="")
    migration = importlib.import_module(
        "goldenthread.records.migrations.0005_person_search_keys")
    migration.fill_search_keys(django_apps, None)
    stored = m.Person.objects.get(pk=person.pk)
    assert (stored.surname_norm, stored.surname_metaphone, stored.forename_metaphone) == (
        "NGUYEN", "NKYN", "L")


# Possible duplicates of a person about to be recorded.

def test_same_date_of_birth_and_a_similar_name_is_a_possible_duplicate(
        auditor: User, people: dict[str, m.Person]) -> None:
    found = possible_duplicates(auditor, forename="Jon", surname="Smyth",
                                date_of_birth=dt.date(2014, 3, 4))
    assert names(found.visible) == ["John Smith"]
    assert found.elsewhere == 0


def test_the_same_date_of_birth_alone_is_not(auditor: User, people: dict[str, m.Person]) -> None:
    found = possible_duplicates(auditor, forename="Zara", surname="Quinn",
                                date_of_birth=dt.date(2014, 3, 4))
    assert (found.visible, found.elsewhere) == ([], 0)


def test_the_same_nhs_number_or_upn_is_a_possible_duplicate_whatever_the_name(
        auditor: User, people: dict[str, m.Person]) -> None:
    by_nhs = possible_duplicates(auditor, forename="Johnny", surname="Smithson",
                                 nhs_number="943 476 5919")
    by_upn = possible_duplicates(auditor, forename="X", surname="Y", upn=UPN.lower())
    assert names(by_nhs.visible) == names(by_upn.visible) == ["John Smith"]


def test_duplicates_outside_reach_are_counted_not_shown(desk: Desk) -> None:
    """Sam is about to record Ella Example born 1 May 2015; one exists in Olly's team. Sam
    is told one exists (so he asks), not who; a restricted record is not even counted."""
    desk.child(forename="Ella", surname="Example", to=desk.olly_pro)
    hidden = desk.child(forename="Ella", surname="Exampel", to=desk.olly_pro)
    change_record(hidden, acting_user=desk.mo, expected_version=hidden.version,
                  is_restricted=True, restriction_reason="adoption")
    found = possible_duplicates(desk.sam, forename="Ella", surname="Example",
                                date_of_birth=dt.date(2015, 5, 1))
    assert (found.visible, found.elsewhere) == ([], 1)
    assert AuditEvent.objects.filter(action=AuditAction.SEARCH, actor_username="sam").exists()


def test_a_person_is_not_their_own_duplicate(auditor: User, people: dict[str, m.Person]) -> None:
    john = people["john"]
    found = possible_duplicates(auditor, forename="John", surname="Smith",
                                date_of_birth=john.date_of_birth, exclude=john.pk)
    assert found.visible == []
