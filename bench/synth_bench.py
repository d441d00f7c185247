"""Benchmark `goldenthread synth`: wall time and peak memory, on SQLite and PostgreSQL.

Each run is a fresh process on a fresh database (migrated, then timed: simulate, validate,
load). Usage:

    .venv/bin/python bench/synth_bench.py --scale 1 --runs 3
    .venv/bin/python bench/synth_bench.py --scale 0.05 --runs 5 \
        --postgres postgres://postgres@127.0.0.1:5432/synthbench

Results go in docs/benchmarks.md ("Synthetic local authority"): quote the medians.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def run_once(database_url: str, scale: float, check: bool,
             ) -> tuple[float, float, float, str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    subprocess.run([BIN / "goldenthread", "migrate", "--no-input", "-v0"],  # noqa: S603
                   env=env, check=True)
    args = [str(BIN / "goldenthread"), "synth", "--scale", str(scale), "--start-year", "2020",
            "--end-year", "2026", "--seed", "1"]
    if check:
        args.append("--check")
    # Peak memory and CPU: GNU time's maximum resident set and user + system seconds of the
    # one synth process (CPU time is steadier than wall time on a shared machine).
    timed = ["/usr/bin/time", "-f", "%M %U %S", *args]
    began = time.perf_counter()
    done = subprocess.run(timed, env=env, check=False, capture_output=True,  # noqa: S603
                          text=True)
    if done.returncode:
        sys.exit(f"synth failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    elapsed = time.perf_counter() - began
    peak_kb, user, system = done.stderr.strip().splitlines()[-1].split()
    return elapsed, int(peak_kb) / 1024, float(user) + float(system), done.stdout


def reset_postgres(url: str) -> None:
    match = re.match(r"(postgres(?:ql)?://[^/]+)/(\w+)", url)
    assert match, "give a PostgreSQL URL ending in a database name"
    import psycopg

    with psycopg.connect(match.group(1) + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{match.group(2)}"')
        conn.execute(f'CREATE DATABASE "{match.group(2)}"')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--postgres", help="also run on this PostgreSQL database (recreated)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--check", action="store_true", help="print the last run's --check")
    options = parser.parse_args()
    targets: list[tuple[str, str | None]] = [] if options.no_sqlite else [("sqlite", None)]
    if options.postgres:
        targets.append(("postgresql", options.postgres))
    for name, url in targets:
        times, cpus, peaks = [], [], []
        output = ""
        for n in range(options.runs):
            load = os.getloadavg()[0]
            if url is None:
                with tempfile.TemporaryDirectory() as tmp:
                    elapsed, peak, cpu, output = run_once(f"sqlite:///{tmp}/bench.db",
                                                          options.scale, options.check)
            else:
                reset_postgres(url)
                elapsed, peak, cpu, output = run_once(url, options.scale, options.check)
            times.append(elapsed)
            cpus.append(cpu)
            peaks.append(peak)
            print(f"{name} scale {options.scale} run {n + 1}: {elapsed:.1f}s, CPU {cpu:.1f}s, "
                  f"peak {peak:.0f} MB (load average {load:.2f} before, "
                  f"{os.getloadavg()[0]:.2f} after)", flush=True)
        print(f"{name} scale {options.scale}: median {statistics.median(times):.1f}s over "
              f"{len(times)} runs (min {min(times):.1f}, max {max(times):.1f}); CPU median "
              f"{statistics.median(cpus):.1f}s; peak memory {max(peaks):.0f} MB")
        if options.check:
            print(output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
