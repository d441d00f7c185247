"""How fast the statutory returns are built and validated for a Manchester-size authority
(issue 7, "Speed").

From the cached scale-1 SSD store (var/bench-analytics/, as bench/analytics_bench.py finds
or builds it), in one run of this script:

1. every return is built --runs times (median printed): the SSDA903 tables (this year's and
   last year's, as the referee needs) and their CSV files, the CIN census flat tables, XML
   and its schema check, the Ofsted Annex A workbook, the DfE API payload files and the
   CSWW census files (goal: all of them in at most 30 s);
2. goldenthread's own rules (``returns.rules.validate_tables``) on the 903 and CIN tables
   together, --runs times (goal: at most 5 s, and at least 10 times faster than 3.);
3. DfE's validators once each through their own file-based entry points, in
   ``.venv-referee``: the 903 validator's ``LacValidator`` on the CSV files (this year's
   and last year's, as its upload page takes them; its full postcode table), and the CIN
   validator's own XML reader on the census file (``referee_cin_xml``), capped at
   --dfe-timeout seconds and reported as "> N s" when it does not finish;
4. the referee through its Python API (``referee_903``/``referee_cin``: our tables handed to
   the validators' rule functions, skipping their file readers), once each.

Wall-clock and CPU (``process_time``: this process; for the DfE validators, their child
process's CPU from ``resource``) are printed, with the load average before and after (the
machine is shared). Results go in docs/benchmarks.md ("Statutory returns").

    .venv/bin/python bench/returns_bench.py --runs 3 [--no-dfe]
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.config.settings")

YEAR = 2026  # the 2025-26 collection: the synthetic window ends 31 March 2026
INSPECTION = dt.date(2026, 3, 31)  # Annex A's inspection date
CSWW_YEAR = 2025  # the workforce census at 30 September 2025
LA_ONS = "E08000003"  # Manchester, for the 903 validator's placement checks (fallback)

# Run by .venv-referee's Python (pandas 1.5): DfE's 903 validator reading CSV files the way
# its upload page and `python -m lac_validator run` do. argv: folder, year, la, [last folder].
DFE_903_FILES = """
import importlib, logging, sys, time
from pathlib import Path
logging.disable(logging.CRITICAL)
from lac_validator.lac_validator import LacValidator
from lac_validator.utils import process_uploaded_files
folder, year, la = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
files = {"This year": sorted(str(p) for p in folder.glob("*.csv"))}
if len(sys.argv) > 4:
    files["Prev year"] = sorted(str(p) for p in Path(sys.argv[4]).glob("*.csv"))
started = time.perf_counter()
registry = importlib.import_module(f"lac_validator.rules.lac{int(year) - 1}_{year[2:]}")
v = LacValidator(metadata={"collectionYear": year, "localAuthority": la},
                 files=process_uploaded_files(files), registry=registry.registry)
flagged = sum(int(t.filter(like="ERR_").any(axis=1).sum()) for t in v.ds_results.values()
              if hasattr(t, "filter"))
print(f"{len(v.dones)} rules ran, {len(v.skips)} skipped, {len(v.fails)} crashed, "
      f"{flagged} rows flagged, {time.perf_counter() - started:.1f} s inside")
"""


def uptime() -> str:
    return subprocess.run(["/usr/bin/uptime"], capture_output=True, text=True,
                          check=False).stdout.strip()


def children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


Timing = tuple[float, float, list[float], Any]  # median wall, median CPU, walls, last result


def timed(runs: int, work: Callable[[], Any]) -> Timing:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), walls, result


def once_child(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """Wall and CPU (this process and its finished children) of one call."""
    started, cpu, child = time.perf_counter(), time.process_time(), children_cpu()
    result = work()
    return (time.perf_counter() - started,
            time.process_time() - cpu + children_cpu() - child, result)


def line(label: str, wall: float, cpu: float, note: str = "") -> None:
    print(f"{label:<46} {wall:7.2f} s wall, {cpu:7.2f} s CPU{'  ' + note if note else ''}",
          flush=True)


def build_steps(con: Any, built: dict[str, Any], out: Path) -> dict[str, Callable[[], Any]]:
    """Each return's build, in timed steps; what they make goes into `built`."""
    from goldenthread.returns import annex_a, cin_census, csww, dfe_api, ssda903

    def schema_check() -> None:
        problems = cin_census.validate_xml(out / "cin.xml", YEAR)
        if problems:
            print(f"  CIN XML: {len(problems)} schema problems, e.g. {problems[0]}")

    def api_files() -> None:
        dfe_api.write_payload(dfe_api.payload(built["api"], None, delta=False), out / "api")

    return {
        "SSDA903 tables (this and last year)": lambda: built.update(
            {"903": ssda903.build(con, YEAR),
             "903-last": ssda903.build(con, YEAR - 1, coding_year=YEAR)}),
        "SSDA903 CSV files (both years)": lambda: (
            ssda903.write_csv(built["903"], out / "903"),
            ssda903.write_csv(built["903-last"], out / "903-last")),
        "CIN census tables": lambda: built.update(cin=cin_census.flat_tables(con, YEAR)),
        "CIN census XML file": lambda: cin_census.write_xml(built["cin"], YEAR,
                                                            out / "cin.xml"),
        "CIN census XML schema check (xmlschema)": schema_check,
        "Annex A lists 1-11": lambda: built.update(annex=annex_a.build(con, INSPECTION)),
        "Annex A workbook (openpyxl)": lambda: annex_a.write_workbook(
            built["annex"], out / "annex_a.xlsx"),
        "DfE API documents (full load)": lambda: built.update(
            api=dfe_api.build(con, INSPECTION)),
        "DfE API payload files": api_files,
        "CSWW census + CSV files": lambda: built.update(csww=csww.build(con, CSWW_YEAR)) or
        csww.write_csv(built["csww"], out / "csww"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--store", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=ROOT / "var" / "bench-analytics")
    parser.add_argument("--dfe-timeout", type=float, default=360.0,
                        help="seconds before DfE's CIN XML reader is given up on")
    parser.add_argument("--no-dfe", action="store_true", help="skip DfE's validators")
    args = parser.parse_args()

    import django

    django.setup()
    from bench.analytics_bench import machine
    from goldenthread.returns.referee import (
        referee_903,
        referee_cin,
        referee_cin_xml,
        referee_python,
    )
    from goldenthread.returns.rules import RULES, validate_tables
    from goldenthread.ssd.store import connect

    store = args.store or args.cache / "store-scale-1"
    if not (store / "ssd_cin_episodes.parquet").exists():
        sys.exit(f"--store: no SSD store at {store}; export one with `goldenthread ssd "
                 "export` from a `synth --scale 1` database (bench/analytics_bench.py)")
    print(f"store {store}\nmachine: {machine()}\nuptime before: {uptime()}", flush=True)
    out = Path(tempfile.mkdtemp(prefix="gt-returns-bench-"))
    atexit.register(shutil.rmtree, out, True)  # the files are only timed, never kept
    con = connect(store)
    con.execute("SET enable_progress_bar = false")
    rows = con.sql("SELECT la_ons_code FROM gtx_local_authority LIMIT 1").fetchall()
    la = str(rows[0][0]) if rows else LA_ONS

    built: dict[str, Any] = {}
    steps = build_steps(con, built, out)
    walls: dict[str, list[float]] = {label: [] for label in steps}
    cpus: dict[str, list[float]] = {label: [] for label in steps}
    print(f"\nbuilds, median of {args.runs} runs (every return built once per run):")
    for run in range(args.runs):
        for label, work in steps.items():
            started, cpu = time.perf_counter(), time.process_time()
            work()
            walls[label].append(time.perf_counter() - started)
            cpus[label].append(time.process_time() - cpu)
        print(f"  run {run + 1}: all returns {sum(w[run] for w in walls.values()):.2f} s wall, "
              f"{sum(c[run] for c in cpus.values()):.2f} s CPU", flush=True)
    for label in steps:
        line(f"  {label}", statistics.median(walls[label]), statistics.median(cpus[label]))
    line("all returns", statistics.median(sum(w[r] for w in walls.values())
                                          for r in range(args.runs)),
         statistics.median(sum(c[r] for c in cpus.values()) for r in range(args.runs)),
         "goal <= 30 s")
    this_year, last_year, cin_tables = built["903"], built["903-last"], built["cin"]
    print(f"  903: {this_year['Header'].num_rows:,} children, "
          f"{this_year['Episodes'].num_rows:,} episodes; CIN: "
          f"{cin_tables['ChildIdentifiers'].num_rows:,} children, "
          f"{cin_tables['CINdetails'].num_rows:,} CIN episodes; Annex A "
          f"{sum(len(r) for r in built['annex'].values()):,} rows; DfE API "
          f"{len(built['api']):,} children; CSWW {len(built['csww'].workers):,} workers; "
          f"CIN XML {(out / 'cin.xml').stat().st_size / 1e6:.0f} MB", flush=True)

    ours_wall, ours_cpu, ours_walls, failures = timed(
        args.runs, lambda: validate_tables(YEAR, ssda903=this_year, cin=cin_tables))
    ours_rules = {name: sum(r.return_name == name and r.applies_to(YEAR) for r in RULES)
                  for name in ("903", "cin")}
    print(f"\ngoldenthread's rules ({ours_rules['903']} for 903, {ours_rules['cin']} for CIN), "
          f"903 + CIN together, median of {args.runs} runs "
          f"({', '.join(f'{w:.2f}' for w in ours_walls)}):")
    line("ours: validate_tables(903 + CIN)", ours_wall, ours_cpu,
         f"{len(failures)} failures  goal <= 5 s")
    for label, alone in (("903", lambda: validate_tables(YEAR, ssda903=this_year)),
                         ("CIN", lambda: validate_tables(YEAR, cin=cin_tables))):
        wall, cpu, _, found = timed(args.runs, alone)
        line(f"  ours: {label} alone", wall, cpu, f"{len(found)} failures")
    if args.no_dfe:
        print(f"uptime after: {uptime()}")
        return

    print("\nDfE's validators, one run each (CPU: their process):", flush=True)
    python = referee_python()
    wall_903, cpu_903, done = once_child(lambda: subprocess.run(  # noqa: S603
        [str(python), "-c", DFE_903_FILES, str(out / "903"), str(YEAR), la,
         str(out / "903-last")], cwd=out, capture_output=True, text=True, check=False,
        env={**os.environ, "PYTHONPATH": "", "PYTHONWARNINGS": "ignore"}))
    # Some of DfE's rules print(): their summary is the script's last line.
    note = done.stdout.strip().splitlines()[-1] if done.returncode == 0 else \
        f"FAILED: {done.stderr.strip().splitlines()[-1:]}"
    line("DfE 903: LacValidator on the CSV files", wall_903, cpu_903, note)
    xml = out / "cin.xml"
    try:
        wall_cin, cpu_cin, verdict = once_child(
            lambda: referee_cin_xml(xml, year=YEAR, timeout=args.dfe_timeout))
        line("DfE CIN: its XML reader + rules", wall_cin, cpu_cin,
             f"{len(verdict.ran)} rules ran, {len(verdict.failures)} failures")
        cin_files = f"{wall_cin:.1f} s"
    except subprocess.TimeoutExpired:
        wall_cin = args.dfe_timeout
        cin_files = f"> {args.dfe_timeout:.0f} s"
        print(f"{'DfE CIN: its XML reader + rules':<46} > {args.dfe_timeout:.0f} s wall "
              "(did not finish; stopped)", flush=True)

    api_903 = once_child(lambda: referee_903(this_year, year=YEAR, la_ons_code=la,
                                             last_year=last_year))
    line("referee API: referee_903", api_903[0], api_903[1],
         f"{len(api_903[2].failures)} failures, {api_903[2].seconds:.1f} s in rules")
    api_cin = once_child(lambda: referee_cin(cin_tables, year=YEAR))
    line("referee API: referee_cin", api_cin[0], api_cin[1],
         f"{len(api_cin[2].failures)} failures, {api_cin[2].seconds:.1f} s in rules")

    files = wall_903 + wall_cin
    print(f"\nDfE file-based, 903 + CIN: {wall_903:.1f} s + {cin_files} = "
          f"{'> ' if cin_files.startswith('>') else ''}{files:.1f} s; ours {ours_wall:.2f} s: "
          f"{'> ' if cin_files.startswith('>') else ''}{files / ours_wall:.0f}x faster "
          "(goal >= 10x)")
    api = api_903[0] + api_cin[0]
    print(f"referee API, 903 + CIN: {api:.1f} s; ours {api / ours_wall:.0f}x faster")
    print(f"uptime after: {uptime()}")
    con.close()


if __name__ == "__main__":
    main()
