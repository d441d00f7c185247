"""Analysts get pseudonymised rows: hashed ids, birth month, postcode district, no names."""

from __future__ import annotations

import csv
import io

from django.test import override_settings
from django.urls import reverse

from goldenthread.access.pseudonymise import birth_month, postcode_district, pseudonym
from tests.conftest import HttpsClient
from tests.world import World, sign_in


def test_export_has_no_names_or_full_dates(world: World) -> None:
    """Ella (born 1 May 2015, home M14 5RX) appears as 2015-05 and M14 under a pseudonym."""
    response = sign_in(HttpsClient(), world.users["ana"]).get(reverse("pseudonymised_people"))
    text = response.content.decode()
    rows = {r["pseudonym"]: r for r in csv.DictReader(io.StringIO(text))}
    ella = rows[pseudonym(world.children["ella"].pk)]
    assert ella["birth_month"] == "2015-05" and ella["postcode_district"] == "M14"
    assert ella["looked_after"] == "True"
    for leaked in ("Ella", "LA-ella", "2015-05-01", "M14 5RX"):
        assert leaked not in text
    assert pseudonym(world.children["dina"].pk) not in rows  # restricted: never exported


def test_pseudonyms_depend_on_the_council_secret() -> None:
    with override_settings(PSEUDONYM_KEY="council-one"):
        one = pseudonym(42)
    with override_settings(PSEUDONYM_KEY="council-two"):
        two = pseudonym(42)
    assert one != two and len(one) == 24 and "42" not in one


def test_generalisation_helpers() -> None:
    import datetime as dt

    assert birth_month(dt.date(2015, 5, 1)) == "2015-05" and birth_month(None) == ""
    assert postcode_district("m14 5rx") == "M14" and postcode_district("nonsense") == ""


def test_children_s_records_are_not_in_the_export_for_other_roles(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["sam"])
    assert client.get(reverse("pseudonymised_people")).status_code == 404
