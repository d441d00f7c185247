"""goldenthread's extension tables (gtx_*): projected from the council, population and staff
records; optional in an import, checked like the SSD's own when there; empty views when a
store lacks them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from goldenthread.accounts.models import system_user
from goldenthread.records import models as m
from goldenthread.records.actions.base import archive_record, create_record
from goldenthread.ssd.extensions import EXTENSIONS, STORE_TABLES
from goldenthread.ssd.importer import import_extract
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect
from goldenthread.synth.profile import load_profile
from goldenthread.synth.run import council
from goldenthread.synth.world import World
from tests.factories import ProfessionalFactory, TeamFactory

pytestmark = pytest.mark.django_db


def test_projection_writes_the_council_population_and_staff() -> None:
    """A council with two mid-year estimates, one of them archived (replaced); a newly
    qualified part-time social worker in a team since 2024."""
    user = system_user()
    create_record(m.LocalAuthority, acting_user=user, name="Synthetic Testshire",
                  ons_code="E08000003", dfe_code="352")
    create_record(m.ChildPopulation, acting_user=user, mid_year=2024, children_0_17=131_831,
                  source="ONS mid-2024")
    old = create_record(m.ChildPopulation, acting_user=user, mid_year=2023,
                        children_0_17=1, source="typo")
    archive_record(old, acting_user=user, expected_version=old.version, reason="typo")
    team = TeamFactory(name="Assessment team 1")
    pro = ProfessionalFactory(fte=Decimal("0.80"), asye_start=dt.date(2024, 9, 2),
                              qualified_on=dt.date(2024, 7, 1), start_date=dt.date(2024, 9, 2))
    create_record(m.TeamMembership, acting_user=user, professional=pro, team=team,
                  start_date=dt.date(2024, 9, 2))
    tables = project(today=dt.date(2025, 3, 31))
    assert list(tables)[-len(EXTENSIONS):] == list(EXTENSIONS)
    assert tables["gtx_local_authority"].to_pylist() == [
        {"la_name": "Synthetic Testshire", "la_ons_code": "E08000003", "la_dfe_code": "352"}]
    assert tables["gtx_population"].to_pylist() == [{"mid_year": 2024,
                                                     "children_0_17": 131_831}]
    [staff] = tables["gtx_professional"].to_pylist()
    assert staff == {"prof_professional_id": str(pro.pk), "start_date": dt.date(2024, 9, 2),
                     "leave_date": None, "leave_reason": None,
                     "qualified_date": dt.date(2024, 7, 1),
                     "asye_start_date": dt.date(2024, 9, 2), "is_social_worker": True,
                     "is_manager": False, "fte": 0.8, "is_agency": False}
    assert tables["gtx_team_membership"].to_pylist() == [
        {"prof_professional_id": str(pro.pk), "dept_team_id": str(team.pk),
         "start_date": dt.date(2024, 9, 2), "end_date": None, "is_team_manager": False}]


def _csv(folder: Path, table: str, *rows: str) -> None:
    folder.mkdir(exist_ok=True)
    header = ",".join(STORE_TABLES[table].column_names)
    (folder / f"{table}.csv").write_text("\n".join((header, *rows)) + "\n")


def test_an_extract_may_bring_gtx_tables(tmp_path: Path) -> None:
    """Another council's extract with its population by hand: loaded and readable."""
    _csv(tmp_path / "in", "gtx_population", "2023,52000", "2024,52310")
    report = import_extract(tmp_path / "in", tmp_path / "store")
    assert report.problems == []
    con = connect(tmp_path / "store")
    assert con.execute("SELECT SUM(children_0_17) FROM gtx_population").fetchall() == [
        (104_310,)]


def test_gtx_values_are_checked(tmp_path: Path) -> None:
    """A population that is not a number, a mid-year twice, and a membership of a
    professional the extract's ssd_professionals does not have: reported, nothing loaded."""
    _csv(tmp_path / "in", "gtx_population", "2024,lots", "2024,52310")
    _csv(tmp_path / "in", "ssd_professionals", ",".join(["P1"] + [""] * 8))
    _csv(tmp_path / "in", "gtx_team_membership", "P9,T1,2024-01-01,,N")
    report = import_extract(tmp_path / "in", tmp_path / "store")
    assert [str(p) for p in report.problems] == [
        "gtx_population row 1 column children_0_17: 'lots': a whole number (or blank)",
        "gtx_population row 2 column mid_year: '2024': a unique id; this one is on an "
        "earlier row too",
        "gtx_team_membership row 1 column prof_professional_id: 'P9': an id in "
        "ssd_professionals.prof_professional_id; it is not there"]
    assert not (tmp_path / "store").exists()


def test_a_store_without_gtx_tables_has_empty_views(tmp_path: Path) -> None:
    (tmp_path / "store").mkdir()
    con = connect(tmp_path / "store")
    for name, table in EXTENSIONS.items():
        result = con.execute(f"SELECT * FROM {name}")  # noqa: S608 (names from the schema)
        assert [d[0] for d in result.description] == list(table.column_names)
        assert result.fetchall() == []


def test_the_synthetic_authority_records_its_council_and_population() -> None:
    """`goldenthread synth` loads the council and one population row per mid-year its rates
    can need: from the one before the 3-year warm-up (2016 for a window from April 2020) to
    the window's last (2026), each the profile's 131,831 children times the scale."""
    world = World(load_profile("manchester"), scale=0.05, seed=1, start_year=2020,
                  end_year=2026)
    authority, *population = council(world)
    assert isinstance(authority, m.LocalAuthority)
    assert (authority.name, authority.ons_code, authority.dfe_code) == (
        "Synthetic Manchester (goldenthread)", "E08000003", "352")
    assert [(p.mid_year, p.children_0_17) for p in population] == [  # type: ignore[attr-defined]
        (year, 6592) for year in range(2016, 2027)]
