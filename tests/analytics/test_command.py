"""`goldenthread indicators`: figures as a table, CSV or JSON; drill-down; bad input refused
with status 2 and a line naming the option and what is allowed.

The store: two referrals in the year to 31 March 2025, one in a team whose name starts with
'=' (a spreadsheet would read it as a formula), one in June and one in January; 10,000
children in mid-2024.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.analytics.catalogue import catalogue
from goldenthread.analytics.management.commands import indicators
from goldenthread.analytics.management.commands.indicators import last_31_march
from goldenthread.audit.models import AuditAction, AuditEvent
from tests.analytics.test_engine import make_indicator, referral, write_store
from tests.factories import PersonFactory, ReferralFactory

FORMULA_TEAM = "=HYPERLINK(\"http://example.invalid\")"


@pytest.fixture
def store(tmp_path: Path) -> Path:
    folder = tmp_path / "store"
    write_store(folder, {
        "ssd_person": [{"pers_person_id": "A", "pers_dob": dt.date(2015, 1, 1)}],
        "ssd_department": [{"dept_team_id": "T1", "dept_team_name": FORMULA_TEAM}],
        "ssd_cin_episodes": [
            referral("1", "A", dt.date(2024, 6, 10), cine_referral_team="T1"),
            referral("2", "A", dt.date(2025, 1, 10), cine_referral_nfa="Y")],
        "gtx_population": [{"mid_year": 2024, "children_0_17": 10_000}],
    }).close()
    return folder


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refused(*args: str) -> str:
    with pytest.raises(CommandError) as raised:
        run(*args)
    assert raised.value.returncode == 2
    return str(raised.value)


def test_table_shows_value_unit_benchmarks_and_direction(store: Path) -> None:
    """2 referrals; re-referrals 1 of 2 (50%) rest on small numbers, so shown as DfE would
    ('c'), beside England's 22.6%, with lower better."""
    text = run("--store", str(store), "--as-at", "2025-03-31", "--indicator", "FD-REFERRALS",
               "--indicator", "FD-REREFERRALS")
    lines = {line.split()[0]: line for line in text.splitlines() if line.startswith("FD-")}
    assert lines.keys() == {"FD-REFERRALS", "FD-REREFERRALS"}
    assert "2" in lines["FD-REFERRALS"].split()
    assert {"c", "%", "22.6", "▼"} <= set(lines["FD-REREFERRALS"].split())


def test_csv_by_team_is_formula_safe(store: Path) -> None:
    """By team: the June referral in T1, the January one unallocated. T1's name starts
    with '=', so the CSV cell starts with an apostrophe."""
    rows = list(csv.DictReader(io.StringIO(run(
        "--store", str(store), "--as-at", "2025-03-31", "--indicator", "FD-REFERRALS",
        "--by", "team", "--format", "csv"))))
    assert {(r["group"], r["label"], r["value"]) for r in rows} == {
        ("T1", "'" + FORMULA_TEAM, "1.0"), ("Unallocated", "Unallocated", "1.0")}


def test_json_with_monthly_points(store: Path) -> None:
    """As at 31 March 2025 plus the month ends from January to March: 3 points; year to
    date, the count is 1 (June's) until January's referral, then 2."""
    data = json.loads(run("--store", str(store), "--as-at", "2025-03-31", "--from",
                          "2024-12-15", "--indicator", "FD-REFERRALS", "--format", "json"))
    assert [(f["period_end"], f["value"]) for f in data["figures"]] == [
        ("2024-12-31", 1.0), ("2025-01-31", 2.0), ("2025-02-28", 2.0), ("2025-03-31", 2.0)]
    assert data["figures"][0]["benchmarks"][0]["label"] == "England"


def test_drill_down_prints_the_referrals(store: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run(
        "--store", str(store), "--as-at", "2025-03-31", "--drill-down", "FD-REFERRAL-NFA",
        "--format", "csv"))))
    assert [(r["subject_id"], r["in_numerator"]) for r in rows] == [("1", "N"), ("2", "Y")]


def test_drill_down_of_one_group(store: Path) -> None:
    text = run("--store", str(store), "--as-at", "2025-03-31", "--drill-down",
               "FD-REFERRALS", "--by", "team", "--group", "T1")
    assert text.splitlines()[0].endswith(": 1 referrals")


def test_list_prints_the_catalogue() -> None:
    assert "FD-REFERRAL-RATE" in run("--list")


@pytest.mark.parametrize(("args", "message"), [
    (["--indicator", "NOPE"], "--indicator: 'NOPE' is not in the catalogue; allowed: "),
    (["--drill-down", "NOPE"], "--drill-down: 'NOPE' is not in the catalogue; allowed: "),
    (["--by", "shoe_size"], "--by: 'shoe_size' is not allowed; allowed: locality, team, "),
    (["--format", "xml"], "--format: 'xml' is not allowed; allowed: table, csv, json"),
    (["--as-at", "2025-02-30"], "--as-at: '2025-02-30' is not a date; allowed: YYYY-MM-DD"),
    (["--from", "31/03/2024"], "--from: '31/03/2024' is not a date; allowed: YYYY-MM-DD"),
    (["--as-at", "2025-03-31", "--from", "2025-04-01"],
     "--from: 2025-04-01 is after --to 2025-03-31; allowed: a date on or before --to"),
    (["--from", "2025-01-01", "--to", "2024-12-31"], "--from: 2025-01-01 is after --to"),
    (["--to", "2025-01-01"], "--to: given without --from"),
    (["--indicator", "FD-REFERRALS", "--by", "legal_status"],
     "--by: FD-REFERRALS cannot be broken down by legal_status; allowed: locality, team"),
    (["--group", "T1"], "--group: allowed only with --drill-down and --by"),
])
def test_bad_input_is_refused_with_status_2(store: Path, args: list[str],
                                            message: str) -> None:
    assert message in refused("--store", str(store), *args)


def test_a_store_that_is_not_there(tmp_path: Path) -> None:
    assert "--store: " in refused("--store", str(tmp_path / "nowhere"))


def test_default_as_at_is_the_last_31_march() -> None:
    assert last_31_march(dt.date(2025, 3, 31)) == dt.date(2024, 3, 31)
    assert last_31_march(dt.date(2025, 4, 1)) == dt.date(2025, 3, 31)


@pytest.mark.django_db
def test_without_a_store_the_records_are_projected_and_audited() -> None:
    """One referral recorded on 10 June 2024: the year to 31 March 2025 has 1. Projecting
    the records is an export of personal data, so it is audited."""
    ReferralFactory(person=PersonFactory(la_person_id="LA-ONE"), referral_date=dt.date(2024, 6, 10))
    data = json.loads(run("--as-at", "2025-03-31", "--indicator", "FD-REFERRALS",
                          "--format", "json"))
    assert data["figures"][0]["value"] == 1.0
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["export"] == "indicators"


def test_a_failing_indicator_is_named_and_the_rest_still_print(
        store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An indicator whose SQL names a column no store has: its error is printed, the other
    figures still are, and the command ends with status 1 (not 2: the input was fine)."""
    broken = make_indicator("T-BROKEN", "SELECT no_such_column FROM ssd_person")
    known = {"FD-REFERRALS": catalogue()["FD-REFERRALS"], "T-BROKEN": broken}
    monkeypatch.setattr(indicators, "catalogue", lambda: known)
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match=r"1 indicator\(s\) failed: T-BROKEN") as raised:
        call_command("indicators", "--store", str(store), "--as-at", "2025-03-31",
                     stdout=out, stderr=err)
    assert raised.value.returncode == 1
    assert "FD-REFERRALS" in out.getvalue()
    assert "error: T-BROKEN:" in err.getvalue()
