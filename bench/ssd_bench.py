"""Benchmark the SSD projection (issue 5: a Manchester-size authority in at most 20 s).

Projects every SSD table from the records, writes the Parquet store, and imports it back
(the full check of every value and reference), each timed; prints the median of the runs
and the row counts. Usage:

    .venv/bin/python bench/ssd_bench.py --scale 1 --runs 3
    .venv/bin/python bench/ssd_bench.py --database-url sqlite:////tmp/x/db.sqlite3 --runs 3

Without --database-url it builds a throwaway SQLite database in a temporary folder
(migrate, load_reference, `goldenthread synth --scale S`) and benchmarks on that. With it,
the database must already hold an authority (e.g. from `goldenthread synth`).
Results go in docs/benchmarks.md ("SSD projection").
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def build(url: str, var: str, scale: float, seed: int) -> None:
    env = {**os.environ, "DATABASE_URL": url, "GOLDENTHREAD_VAR_DIR": var}
    for command in (["migrate", "--no-input", "-v0"], ["load_reference"],
                    ["synth", "--scale", str(scale), "--seed", str(seed)]):
        print("goldenthread", *command, flush=True)
        subprocess.run([BIN / "goldenthread", *command], env=env, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="gt-ssd-bench-")
    url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    if args.database_url is None:
        started = time.perf_counter()
        build(url, tmp, args.scale, args.seed)
        print(f"built the authority in {time.perf_counter() - started:.0f} s")
    os.environ["DATABASE_URL"] = url
    os.environ["GOLDENTHREAD_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "goldenthread.config.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from goldenthread.ssd.importer import import_extract
    from goldenthread.ssd.io import write_tables
    from goldenthread.ssd.projection import project

    timings: dict[str, list[float]] = {"project": [], "write parquet": [], "import": []}
    tables = {}
    for run in range(args.runs):
        started = time.perf_counter()
        tables = project()
        timings["project"].append(time.perf_counter() - started)
        started = time.perf_counter()
        write_tables(tables, Path(tmp) / "export")
        timings["write parquet"].append(time.perf_counter() - started)
        started = time.perf_counter()
        report = import_extract(Path(tmp) / "export", Path(tmp) / "store")
        timings["import"].append(time.perf_counter() - started)
        assert report.ok, report.problems[:5]
        print(f"run {run + 1}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in timings.items()),
              flush=True)
    rows = {name: t.num_rows for name, t in tables.items()}
    print(f"\n{sum(rows.values())} rows in {len(rows)} tables; largest: " + ", ".join(
        f"{n} {c}" for n, c in sorted(rows.items(), key=lambda item: -item[1])[:6]))
    for name, values in timings.items():
        print(f"{name:>14}: median {statistics.median(values):.2f} s "
              f"(min {min(values):.2f}, max {max(values):.2f}, {len(values)} runs)")
    total = statistics.median(timings["project"]) + statistics.median(timings["write parquet"])
    print(f"{'export total':>14}: {total:.2f} s (target: at most 20 s)")


if __name__ == "__main__":
    main()
