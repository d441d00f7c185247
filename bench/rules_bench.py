"""How fast our own rule engine validates a large SSDA903 and CIN census (issue 7).

The clean hand-built returns of ``tests/returns/clean_returns.py`` (4 children each) are
copied ``--copies`` times into DuckDB, each copy's children renamed (12,500 copies = 50,000
children per return), then ``goldenthread.returns.rules.run`` validates each return and
both together, ``--runs`` times; the medians of wall-clock and CPU time are printed.
``--referee`` also times DfE's validators on the same tables through their Python API (one
process per return, the validators' import and the 903 postcode table included).

    .venv/bin/python bench/rules_bench.py --copies 12500 --runs 3 [--referee]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.config.settings")

from goldenthread.returns.rules import run
from tests.returns.clean_returns import (
    COLUMNS_903,
    COLUMNS_CIN,
    LA_ONS,
    YEAR,
    clean_903,
    clean_cin,
)
from tests.returns.rules_support import replicate


def _median_seconds(connection: duckdb.DuckDBPyConnection, returns: tuple[str, ...],
                    runs: int) -> tuple[float, float, int]:
    """Median wall-clock and CPU seconds (all threads: on a shared machine the CPU time is
    what the work costs; the wall time is what a user waits)."""
    walls, cpus, failures = [], [], 0
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        report = run(connection, YEAR, returns=returns)  # type: ignore[arg-type]
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        failures = len(report.failures)
    return statistics.median(walls), statistics.median(cpus), failures


def _referee_seconds(connection: duckdb.DuckDBPyConnection, return_name: str) -> float:
    from tests.returns.rules_referee import run_referee

    schema = "ssda903" if return_name == "903" else "cin"
    columns = COLUMNS_903 if return_name == "903" else COLUMNS_CIN
    tables = {}
    for name, names in columns.items():
        cursor = connection.execute(f'SELECT * FROM "{schema}"."{name}"')  # noqa: S608
        tables[name] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    started = time.perf_counter()
    run_referee(return_name, {"bench": (tables, None)}, year=YEAR, la=LA_ONS,  # type: ignore[arg-type]
                columns=columns)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=12500)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--referee", action="store_true")
    options = parser.parse_args()

    connection = duckdb.connect()
    started = time.perf_counter()
    replicate(connection, "903", clean_903(), options.copies)
    replicate(connection, "cin", clean_cin(), options.copies)
    children = options.copies * 4
    print(f"{children:,} children per return, loaded in {time.perf_counter() - started:.1f} s")
    for label, returns in (("903", ("903",)), ("CIN", ("cin",)), ("both", ("903", "cin"))):
        wall, cpu, failures = _median_seconds(connection, returns, options.runs)
        print(f"ours   {label:5} median {wall:6.2f} s wall, {cpu:6.2f} s CPU, of "
              f"{options.runs} runs ({failures} failures)")
    if options.referee:
        for return_name in ("903", "cin"):
            seconds = _referee_seconds(connection, return_name)
            print(f"DfE    {return_name:5} {seconds:6.1f} s (1 run)")


if __name__ == "__main__":
    main()
