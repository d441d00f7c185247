"""Cells that cannot become formulas when a CSV or workbook is opened in a spreadsheet.

OWASP "CSV injection": a text cell starting with = + - @, a tab or a carriage return is
read as a formula by Excel and LibreOffice. Such cells get a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> tuple[str, int]:
    """The CSV document and its number of data rows; every text cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    count = 0
    for row in rows:
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        count += 1
    return buffer.getvalue(), count
