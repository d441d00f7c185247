"""Pages show what a code means, not the raw code: the `describe` filter, `describe_field`
and dates as GOV.UK writes them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import engines

from goldenthread.reference.codes import UnknownCodeList
from goldenthread.web.jinja2env import describe, describe_field, govuk_date
from tests.factories import PersonFactory


def render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_a_code_shows_its_description_from_its_list() -> None:
    """SEX 'F' is 'Female' in the DfE list (reference/data/codelists/SEX.yaml)."""
    assert render('{{ code | describe("SEX") }}', code="F") == "Female"


def test_the_code_may_be_shown_beside_its_description() -> None:
    assert render('{{ code | describe("SEX", with_code=True) }}', code="F") == "Female (F)"


def test_no_code_shows_nothing_so_the_page_can_say_not_recorded() -> None:
    assert render('{{ code | describe("SEX") or "Not recorded" }}', code=None) == "Not recorded"
    assert describe("", "SEX") == ""


def test_a_code_the_list_never_held_is_shown_as_it_is() -> None:
    """Old or imported data keeps showing rather than vanishing."""
    assert describe("Q9", "PLACE") == "Q9"


def test_a_list_that_does_not_exist_is_a_template_mistake() -> None:
    with pytest.raises(UnknownCodeList):
        describe("F", "NO_SUCH_LIST")


def test_descriptions_are_escaped_like_any_value() -> None:
    """Descriptions come from our files, but pass through autoescape all the same."""
    assert render("{{ '<b>' | describe('SEX') }}") == "&lt;b&gt;"


@pytest.mark.django_db
def test_a_code_field_is_described_from_the_list_the_field_names() -> None:
    """Person.ethnicity is a CodeField on the ETHNICITY list: WBRI is "White – British"."""
    child = PersonFactory(ethnicity="WBRI")
    assert describe_field(child, "ethnicity") == "White – British"
    assert describe_field(child, "forename") == child.forename


def test_dates_read_as_gov_uk_writes_them() -> None:
    assert govuk_date(dt.date(2015, 5, 1)) == "1 May 2015"
    assert govuk_date(None) == ""


def test_a_moment_is_shown_in_uk_local_time() -> None:
    """14:05 UTC on 1 July is 3:05pm in British Summer Time; midnight is 12:00am."""
    assert govuk_date(dt.datetime(2026, 7, 1, 14, 5, tzinfo=dt.UTC)) == "1 July 2026, 3:05pm"
    assert govuk_date(dt.datetime(2026, 1, 1, 0, 0, tzinfo=dt.UTC)) == "1 January 2026, 12:00am"
