"""Hostile text reaches no harm: escaped on every page, stored as text, never a formula."""

from __future__ import annotations

import csv
import io

from django.urls import reverse

from goldenthread.core.spreadsheet import csv_text, safe_cell
from goldenthread.records.actions.base import change_record
from goldenthread.records.models import Person, Team
from tests.conftest import HttpsClient
from tests.world import World, sign_in

SCRIPT = "<script>alert('pwned')</script>"
SQL = "Robert'); DROP TABLE records_person;--"


def test_script_in_every_text_field_is_escaped_on_every_page(world: World) -> None:
    """Ella's names and her mother's, and the team name, all carry a script tag; no page
    Sam can open renders it as markup."""
    ella = world.children["ella"]
    ella = change_record(ella, acting_user=world.users["sam"], expected_version=ella.version,
                         forename=SCRIPT, surname=SCRIPT, preferred_name=SCRIPT)
    mary = world.children["mary"]
    change_record(mary, acting_user=world.users["sam"], expected_version=mary.version,
                  forename=SCRIPT)
    client = sign_in(HttpsClient(), world.users["sam"])
    urls = [reverse("home"), reverse("search") + "?name=%3Cscript%3E",
            reverse("person", args=[ella.pk]), reverse("viewers", args=[ella.pk]),
            *(reverse("record", args=[r._meta.model_name, r.pk]) for r in world.ella_records)]
    for url in urls:
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
    assert "&lt;script&gt;" in client.get(reverse("person", args=[ella.pk])).content.decode()


def test_sql_metacharacters_are_stored_as_text(world: World) -> None:
    ella = world.children["ella"]
    change_record(ella, acting_user=world.users["sam"], expected_version=ella.version,
                  surname=SQL)
    assert Person.objects.get(pk=ella.pk).surname == SQL
    client = sign_in(HttpsClient(), world.users["sam"])
    html = client.get(reverse("search"), {"name": SQL}).content.decode()
    assert "1 found" in html


def test_formula_starts_become_text_in_csv() -> None:
    for hostile in ("=HYPERLINK(\"http://evil\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"):
        assert safe_cell(hostile).startswith("'")
    assert safe_cell("Ella") == "Ella" and safe_cell(-3) == -3
    text, count = csv_text(["name"], [["=1+1"], ["plain"]])
    assert list(csv.reader(io.StringIO(text))) == [["name"], ["'=1+1"], ["plain"]]
    assert count == 2


def test_export_cells_cannot_become_formulas(world: World) -> None:
    """A team named like a formula appears in the analysts' export as text."""
    team = world.teams["team-a"]
    change_record(team, acting_user=world.users["ada"], expected_version=team.version,
                  name="=cmd|' /C calc'!A0")
    assert Team.objects.get(pk=team.pk).name.startswith("=")
    response = sign_in(HttpsClient(), world.users["ana"]).get(reverse("pseudonymised_people"))
    cells = [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]
    assert "'=cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
