"""The Ofsted Annex A workbook for an inspection on 31 August 2024.

The 6-month window then starts on 29 February 2024 (the last day of February in a leap
year, as 31 August has no 29 February-6-months twin) and the 12-month window of lists 10
and 11 on 31 August 2023; both ends are inside. Each docstring names the children of
`_council` behind its answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import create_record
from goldenthread.returns import annex_a
from goldenthread.ssd.store import connect
from tests.analytics.recording import child, professional, refer
from tests.factories import TeamFactory
from tests.returns.store_support import frozen_folders

pytestmark = pytest.mark.django_db

d = dt.date
INSPECTION = d(2024, 8, 31)
FORMULA = "=SUM(1,2)"
# The template's column counts (liia-tools-pipeline Annex_A_schema.yml; ecosystem.md).
COLUMN_COUNTS = {1: 7, 2: 8, 3: 11, 4: 12, 5: 14, 6: 14, 7: 17, 8: 34, 9: 17, 10: 16, 11: 19}


def _at_noon(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)


def _council(user: User, snapshot: Callable[[str], Path]) -> None:
    """Contacts: Ann on 29 Feb 2024 (the window's first day), Bea on 28 Feb (the day
    before), Cal on 31 Aug 2024 (the inspection date), Dan on 1 Sep (after it).
    Referrals: Ivy on 1 Sep 2023 (closed 1 Oct), then twice on 10 Mar 2024 (the first
    closed that day), these two allocated to the worker whose name is FORMULA (+ ' Worker'),
    in a team.
    Early help: Eli from 1 May 2024 with an organisation named like a formula.
    Adoption decisions (list 10, 12 months): Eve adopted 31 Aug 2023 (the first day), Fay
    adopted 30 Aug 2023 (the day before), Gus waiting since 5 Jan 2023, Hal's decision
    reversed 15 Sep 2023 (RD1), Ida's reversed 30 Aug 2023."""
    for name, day in (("Ann", d(2024, 2, 29)), ("Bea", d(2024, 2, 28)),
                      ("Cal", d(2024, 8, 31)), ("Dan", d(2024, 9, 1))):
        create_record(m.Contact, acting_user=user, person=child(name), received_at=_at_noon(day),
                      source="6")
    team = TeamFactory(acting_user=user, name="Duty and assessment")
    worker = professional(FORMULA, user)
    ivy = child("Ivy")
    refer(ivy, d(2023, 9, 1), user, closure_date=d(2023, 10, 1), closure_reason="RC8")
    refer(ivy, d(2024, 3, 10), user, team=team, worker=worker, closure_date=d(2024, 3, 10),
          closure_reason="RC8")
    refer(ivy, d(2024, 3, 10), user, team=team, worker=worker)
    create_record(m.EarlyHelpEpisode, acting_user=user, person=child("Eli"),
                  start_date=d(2024, 5, 1), organisation="=cmd|' /C calc'!A0")
    for name, values in (
            ("Eve", {"permanence_order_date": d(2023, 8, 31),
                     "permanence_order_type": "ADOPTION"}),
            ("Fay", {"permanence_order_date": d(2023, 8, 30),
                     "permanence_order_type": "ADOPTION"}),
            ("Gus", {"adm_decision_date": d(2023, 1, 5)}),
            ("Hal", {"decision_reversed_date": d(2023, 9, 15), "decision_reversed_reason": "RD1"}),
            ("Ida", {"decision_reversed_date": d(2023, 8, 30), "decision_reversed_reason": "RD2"})):
        create_record(m.Permanence, acting_user=user, person=child(name),
                      **{"adm_decision_date": d(2022, 6, 1), **values})
    snapshot("store")


@pytest.fixture(scope="module")
def store(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Path:
    return frozen_folders(django_db_blocker, tmp_path_factory, INSPECTION, _council)["store"]


@pytest.fixture(scope="module")
def workbook(store: Path, tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("annex-a") / "annex_a.xlsx"
    annex_a.write_workbook(annex_a.build(connect(store), INSPECTION), path)
    return openpyxl.load_workbook(path)


def _rows(workbook: openpyxl.Workbook, sheet: str) -> list[dict[str, object]]:
    rows = list(workbook[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_headings_are_the_templates_as_transcribed() -> None:
    """The YAML's headings hash to the digest taken from the cited template file, in the
    template's column counts."""
    spec = annex_a.spec()
    lines = ["\t".join([annex.sheet, *annex.headings]) for annex in spec.lists]
    assert hashlib.sha256("\n".join(lines).encode()).hexdigest() == spec.source["digest"]
    assert {a.number: len(a.columns) for a in spec.lists} == COLUMN_COUNTS
    assert spec.source["path"].endswith("Annex_A_2024_Jan.xlsx")


def test_every_sheet_has_the_template_headings(workbook: openpyxl.Workbook) -> None:
    """Sheets 'List 1' to 'List 11' in order, row 1 exactly the YAML's headings (curly
    quotes in list 8's missing and absent headings included)."""
    assert workbook.sheetnames == [f"List {n}" for n in range(1, 12)]
    for annex in annex_a.spec().lists:
        first = next(workbook[annex.sheet].iter_rows(max_row=1, values_only=True))
        assert first == annex.headings
    missing = "Number of Episodes the Child has been \u2018Missing\u2019 from their Placement"
    assert f"{missing} in the last 12 months" in annex_a.spec().lists[7].headings


def test_contacts_six_months_both_ends_included(workbook: openpyxl.Workbook) -> None:
    """29 Feb 2024 (Ann) to 31 Aug 2024 (Cal): not Bea (28 Feb) nor Dan (1 Sep)."""
    rows = _rows(workbook, "List 1")
    assert [r["Child Unique ID"] for r in rows] == ["LA-ann", "LA-cal"]
    assert rows[0]["Contact Source"] == "q) 6: Police"
    assert rows[0]["Gender"] == "b) Female" and rows[0]["Ethnicity"] == "a) WBRI"


def test_dates_are_excel_dates(workbook: openpyxl.Workbook) -> None:
    """Ann's contact is a date cell shown dd/mm/yyyy, not text; her age on the inspection
    date (born 1 May 2015) is a number, 9."""
    cell = workbook["List 1"]["F2"]
    assert cell.is_date and cell.value == dt.datetime(2024, 2, 29)
    assert cell.number_format == annex_a.DATE_FORMAT
    assert workbook["List 1"]["E2"].value == 9


def test_six_month_window_from_a_month_end() -> None:
    """31 August less 6 months is 29 February in a leap year, 28 February otherwise; less
    12 months, 31 August."""
    assert annex_a.window(d(2024, 8, 31), 6) == (d(2024, 2, 29), d(2024, 8, 31))
    assert annex_a.window(d(2025, 8, 31), 6)[0] == d(2025, 2, 28)
    assert annex_a.window(d(2024, 8, 31), 12)[0] == d(2023, 8, 31)


def test_adoption_list_covers_twelve_months(workbook: openpyxl.Workbook) -> None:
    """Eve (adopted on the window's first day), Gus (waiting) and Hal (reversed in the
    window); not Fay nor Ida (a day too early). Hal's reason is RD1."""
    rows = {r["Child Unique ID"]: r for r in _rows(workbook, "List 10")}
    assert sorted(rows) == ["LA-eve", "LA-gus", "LA-hal"]
    assert rows["LA-eve"]["Date of Adoption Order"] == dt.datetime(2023, 8, 31)
    assert rows["LA-hal"]["Reason Why Child No Longer Placed for Adoption"] == "RD1"
    assert rows["LA-gus"]["Family identifier"] is None  # not held in the SSD


def test_referrals_in_the_last_12_months(workbook: openpyxl.Workbook) -> None:
    """Ivy's two referrals of 10 Mar 2024: before the first, her 1 Sep 2023 referral (1);
    before the second, that and the first of the day (2). Her 2023 referral is outside
    the window."""
    rows = _rows(workbook, "List 3")
    assert [r["Number of Referrals in Last 12 Months"] for r in rows] == [1, 2]
    assert {r["Allocated Team"] for r in rows} == {"Duty and assessment"}


def test_a_name_beginning_with_equals_stays_text(workbook: openpyxl.Workbook) -> None:
    """The allocated worker named '=SUM(1,2) Worker' and the organisation '=cmd|...' are
    written as text with a leading apostrophe, never as formulas."""
    worker = workbook["List 3"]["K2"]
    assert worker.data_type == "s" and worker.value == f"'{FORMULA} Worker"
    organisation = workbook["List 2"]["H2"]
    assert organisation.data_type == "s" and str(organisation.value).startswith("'=")
    formulas = [c.coordinate for sheet in workbook for row in sheet.iter_rows()
                for c in row if c.data_type == "f"]
    assert formulas == []


def test_adopters_list_has_headings_and_no_rows(workbook: openpyxl.Workbook) -> None:
    """List 11 has no source in the SSD: its headings and nothing else."""
    assert workbook["List 11"].max_row == 1
    assert workbook["List 11"]["A1"].value == "Individual adopter identifier"


def test_command_writes_the_workbook(store: Path, tmp_path: Path) -> None:
    call_command("returns", "annex-a", "--date", "2024-08-31", "--out", str(tmp_path),
                 "--store", str(store))
    assert (tmp_path / "annex_a_2024-08-31.xlsx").is_file()


@pytest.mark.parametrize(("date", "named"), [("2024-02-30", "--date"), ("31/08/2024", "--date"),
                                             ("2999-01-01", "--date")])
def test_command_refuses_a_bad_date(store: Path, tmp_path: Path, date: str,
                                    named: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("returns", "annex-a", "--date", date, "--out", str(tmp_path),
                     "--store", str(store))
    assert refused.value.returncode == 2
    assert str(refused.value).startswith(named) and "\n" not in str(refused.value)
    assert not list(tmp_path.iterdir())
