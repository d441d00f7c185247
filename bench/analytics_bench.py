"""Benchmark the indicator engine (issue 5): a Manchester-size store, three measures.

1. The whole catalogue at one date plus 24 monthly points, broken down by team (goal: at
   most 2 s), and the same without a breakdown;
2. ten front-door indicators, the same 25 dates by team, in plain pandas
   (bench/pandas_indicators.py) against the engine, after checking they agree (goal: the
   engine at least 10 times faster);
3. ten Manchester-size authorities pooled: their stores unioned once into a pooled store
   (pooling.write_pooled: ids prefixed by council, an `la` column; timed apart, as a region
   would refresh its pooled extract nightly), then the whole catalogue at one date on it
   (goal: at most 15 s). The ten are copies of the one synthetic store under ten council
   keys: the same volume as ten Manchesters, not ten different ones.

Each is run --runs times in this process; the medians of wall-clock time are printed with
this process's CPU time (DuckDB's threads included), which a busy machine inflates less
(the first run also pays for reading the holiday calendar and DuckDB's first touch of the
files, so it is shown apart as "cold"). Usage:

    .venv/bin/python bench/analytics_bench.py --scale 1 --runs 5

The store is built once and cached under var/bench-analytics/ (a SQLite database made with
`goldenthread migrate`, `load_reference`, `synth --scale S --seed N`, then
`goldenthread ssd export`); at scale 1 that takes several minutes. --store PATH uses a
store you already have. Results go in docs/benchmarks.md ("Indicator engine").
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
sys.path.insert(0, str(ROOT))

AS_AT = dt.date(2026, 3, 31)  # the last 31 March of the synthetic window (synth's default)


def build(folder: Path, scale: float, seed: int) -> Path:
    """The cached store for this scale and seed, built if it is not there yet."""
    store = folder / "store"
    if (store / "ssd_cin_episodes.parquet").exists():
        return store
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
           "GOLDENTHREAD_VAR_DIR": str(folder)}
    for command in (["migrate", "--no-input", "-v0"], ["load_reference"],
                    ["synth", "--scale", str(scale), "--seed", str(seed)],
                    ["ssd", "export", "--out", str(store)]):
        print("goldenthread", *command, flush=True)
        subprocess.run([BIN / "goldenthread", *command], env=env, check=True,  # noqa: S603
                       stdout=subprocess.DEVNULL)
    return store


Timing = tuple[float, list[float], list[float], object]


def timed(runs: int, work: Callable[[], object]) -> Timing:
    """(cold wall time, the later runs' wall times, their CPU times, the last result)."""
    walls, cpus, result = [], [], None
    for _ in range(runs + 1):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    if runs == 0:  # a one-off: its one run is all there is
        return walls[0], walls, cpus, result
    return walls[0], walls[1:], cpus[1:], result


def report(label: str, timing: Timing, goal: str = "") -> tuple[float, float]:
    """Prints the timing; returns the medians (wall, CPU)."""
    cold, warm, cpus, _ = timing
    median, cpu = statistics.median(warm), statistics.median(cpus)
    print(f"{label:<56} median {median:6.2f} s, CPU {cpu:5.2f} s "
          f"(cold {cold:.2f}; runs {', '.join(f'{t:.2f}' for t in warm)})"
          f"{f'  goal {goal}' if goal else ''}", flush=True)
    return median, cpu


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    import duckdb
    import pandas

    return (f"{os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}, pandas {pandas.__version__}; load average "
            f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-analytics")
    parser.add_argument("--pooled", type=int, default=10, help="authorities to pool")
    args = parser.parse_args()
    store = args.store or build(args.cache / f"scale-{args.scale}-seed-{args.seed}",
                                args.scale, args.seed)

    from bench.pandas_indicators import TEN, ten_indicators
    from goldenthread.analytics.catalogue import catalogue
    from goldenthread.analytics.engine import evaluate, month_ends
    from goldenthread.analytics.pooling import write_pooled
    from goldenthread.ssd.store import connect

    print(f"store {store}\nmachine: {machine()}", flush=True)
    known = catalogue()
    ends = sorted({AS_AT, *month_ends(dt.date(2024, 3, 1), AS_AT)})[-25:]
    by_team = [i for i in known.values() if "team" in i.breakdowns]
    print(f"{len(known)} indicators ({len(by_team)} by team), {len(ends)} dates "
          f"{ends[0]}..{ends[-1]}", flush=True)

    def whole(by: str | None) -> Callable[[], object]:
        return lambda: evaluate(connect(store), by_team if by else known.values(), ends,
                                by=by)  # type: ignore[arg-type]

    report("whole catalogue, 25 dates, by team", timed(args.runs, whole("team")),
           goal="<= 2 s")
    report("whole catalogue, 25 dates", timed(args.runs, whole(None)))
    report("whole catalogue, one date", timed(args.runs, lambda: evaluate(
        connect(store), known.values(), [AS_AT])))

    ten = [known[i] for i in TEN]
    engine = timed(args.runs, lambda: evaluate(connect(store), ten, ends, by="team"))
    engine_time = report("ten front-door indicators, 25 dates, by team: engine", engine)
    in_pandas = timed(max(1, args.runs // 2), lambda: ten_indicators(store, ends))
    pandas_time = report("the same ten in plain pandas", in_pandas)
    _agree(engine[3], in_pandas[3])  # type: ignore[arg-type]
    print(f"{'pandas / engine':<56} {pandas_time[0] / engine_time[0]:6.1f} x (CPU "
          f"{pandas_time[1] / engine_time[1]:.1f} x)  goal >= 10 x", flush=True)

    pooled = args.cache / f"pooled-{args.pooled}"
    councils = {f"LA{n:02d}": store for n in range(args.pooled)}
    report(f"union {args.pooled} stores into one pooled store (once)",
           timed(0, lambda: write_pooled(councils, pooled)))
    report(f"{args.pooled} authorities pooled, whole catalogue, one date",
           timed(args.runs, lambda: evaluate(connect(pooled), known.values(), [AS_AT])),
           goal="<= 15 s")
    print(f"load average after: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _agree(engine: list[object], pandas_values: dict[tuple[str, dt.date, str], float | None]
           ) -> None:
    """The two implementations give the same value for every indicator, date and team."""
    mine = {(f.indicator, f.period_end, f.group or ""): f.value  # type: ignore[attr-defined]
            for f in engine}
    differ = [(key, mine.get(key), theirs) for key, theirs in pandas_values.items()
              if mine.get(key) is None or theirs is None
              or abs(float(mine[key] or 0) - float(theirs)) > 1e-9]
    differ = [d for d in differ if not (d[1] is None and d[2] is None)]
    missing = set(mine) - set(pandas_values)
    if differ or missing:
        sys.exit(f"pandas and the engine disagree: {differ[:5]} {sorted(missing)[:5]}")
    print(f"pandas and the engine agree on all {len(mine)} values", flush=True)


if __name__ == "__main__":
    main()
