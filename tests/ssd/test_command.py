"""`goldenthread ssd export` and `goldenthread ssd import`."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.ssd.extensions import EXTENSIONS
from goldenthread.ssd.schema import FILLED
from tests.factories import PersonFactory


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_export_writes_every_table_and_is_audited(tmp_path: Path, fmt: str) -> None:
    PersonFactory(la_person_id="LA-1")
    out = StringIO()
    call_command("ssd", "export", "--out", str(tmp_path / "ssd"), "--format", fmt, stdout=out,
                 stderr=StringIO())
    assert sorted(p.name for p in (tmp_path / "ssd").iterdir()) \
        == sorted(f"{t}.{fmt}" for t in (*FILLED, *EXTENSIONS))
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["export"] == "ssd"
    assert event.detail["tables"] == len(FILLED) + len(EXTENSIONS)
    assert event.detail["rows"] >= 1
    assert "Exported" in out.getvalue()


@pytest.mark.django_db
def test_import_of_a_bad_extract_fails_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ssd_people.csv").write_text("a,b\n1,2\n")
    out = StringIO()
    with pytest.raises(CommandError, match="1 problems in the extract; nothing was loaded"):
        call_command("ssd", "import", str(tmp_path / "in"), "--into", str(tmp_path / "store"),
                     stdout=out, stderr=StringIO())
    assert "ssd_people: 'ssd_people.csv': not an SSD table" in out.getvalue()
    assert not (tmp_path / "store").exists()
    assert not AuditEvent.objects.filter(action=AuditAction.BULK_LOAD).exists()


@pytest.mark.django_db
def test_export_then_import_by_command(tmp_path: Path) -> None:
    PersonFactory(la_person_id="LA-1")
    quiet = {"stdout": StringIO(), "stderr": StringIO()}
    call_command("ssd", "export", "--out", str(tmp_path / "x"), "--format", "csv", **quiet)
    out = StringIO()
    call_command("ssd", "import", str(tmp_path / "x"), "--into", str(tmp_path / "store"),
                 stdout=out, stderr=StringIO())
    assert f"Loaded {len(FILLED) + len(EXTENSIONS)} SSD tables" in out.getvalue()
    assert AuditEvent.objects.get(action=AuditAction.BULK_LOAD).detail["import"] == "ssd"
