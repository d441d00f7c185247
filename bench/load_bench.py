"""Load benchmark (issue 6): 50 simulated social workers on a Manchester-size authority.

Target: the child's page, the chronology, My work and search each at most 150 ms at the 95th
percentile, with zero errors, on PostgreSQL.

Build the authority once (it takes minutes; the database's name must contain "bench",
because this script gives its accounts a known password):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/gt_bench
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE gt_bench'
    .venv/bin/goldenthread migrate --no-input
    .venv/bin/goldenthread load_reference
    .venv/bin/goldenthread synth --scale 1 --replace

Then run (prepares the accounts, starts the server, runs locust headless, prints p50/p95):

    .venv/bin/python bench/load_bench.py --database-url $DATABASE_URL --users 50 --run-time 180

What it does:
1. `prepare`: one bench account (`bench-sw-001` …, role social worker) for each of the
   `--users` synthetic social workers holding the most open cases, linked to that worker's
   professional record through the actions layer (so My work shows a real caseload and every
   child page is within the account's reach); writes the plan (accounts, children) as JSON.
2. `serve`: goldenthread behind Django's threaded WSGI server, pre-forked into `--workers`
   processes on one listening socket (as a production server with one worker per CPU would
   run it; `runserver` would be a single process); plain http and one-factor sign-in for
   this process only.
3. locust, headless: `--users` users, each signed in as its own account, pausing 1–3 s
   between pages (locustfile.py); the statistics restart once all have signed in and
   again after `--warmup` seconds (default 20) of pages: the server's start-up (templates
   compiled and code lists read in each process, just after 50 Argon2 sign-ins) is left
   out; `--warmup 0` counts it.
Results go in docs/benchmarks.md ("Case recording pages under load").

One request at a time, for the server's CPU per page (far less noisy than the load run on a
shared machine), with this tree and another side by side (e.g. `git archive HEAD | tar -x
-C /tmp/old`), interleaved, on any database holding a synthetic authority:

    .venv/bin/python bench/load_bench.py pages --database-url $DATABASE_URL --rounds 30 \
        --compare /tmp/old

Each variant is a long-lived process (Django's test client, the full middleware stack,
access checks and audit events as served) signed in as the social worker with the most
open cases; the parent asks each in turn for one page and prints the medians of wall and
process CPU time, and the queries per page.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
BENCH_PASSWORD = "bench-only-synthetic-data"  # noqa: S105 - bench databases only, see guard
PAGES = ("child's page", "chronology", "my work", "search")
TARGET_P95_MS = 150


def _django(code: Path = ROOT) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "goldenthread.config.settings")
    sys.path.insert(0, str(code))
    import django

    django.setup()


def _guard(database_url: str) -> None:
    if "bench" not in database_url.rsplit("/", 1)[-1]:
        sys.exit("load_bench: refused; the database's name must contain 'bench' (its accounts "
                 "get a known password)")


def prepare(users: int, plan_path: Path) -> None:
    """Bench accounts linked to the busiest synthetic social workers; the plan as JSON."""
    _django()
    from django.db.models import Count, Q

    from goldenthread.access.actions import do_create_demo_user
    from goldenthread.accounts.models import system_user
    from goldenthread.records.actions.base import change_record
    from goldenthread.records.models import Involvement, Professional

    actor = system_user()
    open_cw = Q(involvements__end_date__isnull=True, involvements__role="CW",
                involvements__archived_at__isnull=True)
    staff = list(Professional.objects.filter(is_social_worker=True, is_manager=False,
                                             leave_date__isnull=True, archived_at__isnull=True)
                 .filter(Q(user__isnull=True) | Q(user__username__startswith="bench-sw-"))
                 .annotate(open_cases=Count("involvements", filter=open_cw))
                 .filter(open_cases__gt=0).order_by("-open_cases", "pk")[:users])
    taken = {p.user.username for p in staff if p.user is not None}
    fresh = (f"bench-sw-{n:03d}" for n in range(1, 10_000) if f"bench-sw-{n:03d}" not in taken)
    plan = []
    for professional in staff:
        username = professional.user.username if professional.user else next(fresh)
        user = do_create_demo_user(username, password=BENCH_PASSWORD, roles=["social_worker"],
                                   acting_user=actor)
        if professional.user_id != user.pk:
            change_record(professional, acting_user=actor, expected_version=professional.version,
                          user=user)
        children = list(Involvement.objects.filter(
            professional=professional, role="CW", end_date__isnull=True,
            archived_at__isnull=True).values_list("person_id", "person__surname"))
        plan.append({"username": username, "password": BENCH_PASSWORD,
                     "children": [pk for pk, _ in children],
                     "surnames": sorted({surname for _, surname in children})})
    if len(plan) < users:
        sys.exit(f"prepare: only {len(plan)} social workers hold open cases; asked for {users}")
    plan_path.write_text(json.dumps(plan))
    caseloads = sorted(len(a["children"]) for a in plan)
    print(f"prepared {len(plan)} accounts; open cases each: {caseloads[0]}–{caseloads[-1]} "
          f"(median {caseloads[len(caseloads) // 2]})")


def serve(host: str, port: int, workers: int) -> None:
    """Pre-forked threaded WSGI servers sharing one listening socket."""
    _django()
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application
    from django.db import connections

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            return

    application = get_wsgi_application()
    listener = socket.create_server((host, port), backlog=1024)
    connections.close_all()  # each process opens its own
    children = []
    for _ in range(workers):
        pid = os.fork()
        if pid == 0:
            server = ThreadedWSGIServer((host, port), QuietHandler, bind_and_activate=False)
            server.socket.close()
            server.socket = listener
            server.server_name, server.server_port = host, port
            server.setup_environ()
            server.set_app(application)
            server.serve_forever()
            os._exit(0)
        children.append(pid)

    def stop(signum: int, frame: Any) -> None:
        for pid in children:
            os.kill(pid, signal.SIGTERM)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for pid in children:
        os.waitpid(pid, 0)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    sys.exit(f"the server did not answer at {url}/healthz")


def read_stats(stats_csv: Path) -> dict[str, dict[str, float]]:
    """locust's per-name statistics: requests, failures, p50, p95, p99, mean (ms), rate."""
    rows = {}
    with stats_csv.open(newline="") as handle:
        for row in csv.DictReader(handle):
            if row["Request Count"] == "0":  # e.g. signing in, from before the restart
                continue
            rows[row["Name"]] = {"requests": int(row["Request Count"]),
                                 "failures": int(row["Failure Count"]),
                                 "p50": float(row["50%"]), "p95": float(row["95%"]),
                                 "p99": float(row["99%"]),
                                 "mean": float(row["Average Response Time"]),
                                 "rate": float(row["Requests/s"])}
    return rows


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")),
               platform.processor())
    return (f"{os.cpu_count()} vCPU ({cpu}), Python {platform.python_version()}, "
            f"load average before the run {os.getloadavg()[0]:.1f}")


def report(stats: dict[str, dict[str, float]]) -> str:
    lines = ["| Page | Requests | Errors | p50 ms | p95 ms | p99 ms | mean ms | req/s |",
             "|---|---|---|---|---|---|---|---|"]
    for name in (*PAGES, "Aggregated"):
        s = stats.get(name)
        if s is None:
            lines.append(f"| {name} | not measured | | | | | | |")
            continue
        verdict = "" if name == "Aggregated" else (
            " ✓" if s["p95"] <= TARGET_P95_MS and not s["failures"] else " ✗")
        lines.append(f"| {name} | {s['requests']:.0f} | {s['failures']:.0f} | {s['p50']:.0f} | "
                     f"{s['p95']:.0f}{verdict} | {s['p99']:.0f} | {s['mean']:.1f} | "
                     f"{s['rate']:.1f} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> None:
    _guard(args.database_url)
    workdir = Path(tempfile.mkdtemp(prefix="gt-load-"))
    plan = workdir / "plan.json"
    env = {**os.environ, "DATABASE_URL": args.database_url, "GOLDENTHREAD_HTTPS": "0",
           "GOLDENTHREAD_OTP_REQUIRED": "0", "GOLDENTHREAD_VAR_DIR": str(workdir),
           "LOAD_BENCH_PLAN": str(plan), "LOAD_BENCH_WAIT": args.wait,
           "LOAD_BENCH_WARMUP": str(args.warmup)}
    me = [sys.executable, str(Path(__file__).resolve())]
    subprocess.run([*me, "prepare", "--users", str(args.users), "--plan", str(plan)],  # noqa: S603
                   env=env, check=True)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    before = machine()
    server = subprocess.Popen([*me, "serve", "--port", str(port),  # noqa: S603
                               "--workers", str(args.workers)], env=env)
    try:
        _wait_until_up(url)
        prefix = workdir / "locust"
        subprocess.run([str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"),  # noqa: S603
                        "--headless", "--users", str(args.users),
                        "--spawn-rate", str(args.spawn_rate), "--run-time", f"{args.run_time}s",
                        "--host", url, "--csv", str(prefix), "--only-summary",
                        "--loglevel", "WARNING"], env=env, check=False)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stats = read_stats(Path(f"{prefix}_stats.csv"))
    print(f"\n{args.users} users, {args.run_time} s in all (signing in first, then "
          f"{args.warmup:g} s of warm-up not counted), pause {args.wait} s, {args.workers} "
          f"server processes\nmachine: {before}; load average after "
          f"{os.getloadavg()[0]:.1f}\n")
    print(report(stats))
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists() and failures.read_text().count("\n") > 1:
        print("\nfailures:\n" + failures.read_text())
    (workdir / "result.json").write_text(json.dumps(stats, indent=1))
    print(f"\n(raw locust CSVs in {workdir})")


def page_worker(code: Path) -> None:
    """One variant for `pages`: signed in as the linked social worker with the most open
    cases; answers each page name read from stdin with one request's times (JSON)."""
    _django(code)
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    import goldenthread
    from goldenthread.records.models import Involvement, Professional

    setup_test_environment()
    open_cw = Q(involvements__end_date__isnull=True, involvements__role="CW",
                involvements__archived_at__isnull=True)
    worker = (Professional.objects.filter(is_social_worker=True, is_manager=False,
                                          user__isnull=False, archived_at__isnull=True)
              .annotate(open_cases=Count("involvements", filter=open_cw))
              .filter(open_cases__gt=0).order_by("-open_cases", "pk").select_related("user")
              .first())
    if worker is None or worker.user is None:
        sys.exit("pages: no social worker linked to an account (run `prepare`, or "
                 "GOLDENTHREAD_DEMO=1 goldenthread demo_users)")
    children = list(Involvement.objects.filter(
        professional=worker, role="CW", end_date__isnull=True, archived_at__isnull=True)
        .order_by("person_id").values_list("person_id", "person__surname"))
    paths = {"child's page": itertools.cycle([f"/people/{pk}/" for pk, _ in children]),
             "chronology": itertools.cycle([f"/people/{pk}/chronology/" for pk, _ in children]),
             "my work": itertools.cycle(["/"]),
             "search": itertools.cycle([f"/people/?{urlencode({'name': s})}"
                                        for s in sorted({s for _, s in children})])}
    client = Client()
    client.force_login(worker.user)
    queries = {}
    for name in PAGES:
        for _ in range(2):  # warm: templates compiled, code lists read
            client.get(next(paths[name]))
        with CaptureQueriesContext(connection) as captured:
            client.get(next(paths[name]))
        queries[name] = len(captured.captured_queries)
    print(json.dumps({"code": str(Path(goldenthread.__file__).parent),
                      "user": worker.user.username, "children": len(children),
                      "queries": queries}), flush=True)
    for line in sys.stdin:
        path = next(paths[line.strip()])
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        ok = response.status_code == 200 and b"Signed in as" in response.content
        print(json.dumps({"wall": wall * 1000, "cpu": cpu * 1000, "ok": ok}), flush=True)


def pages(args: argparse.Namespace) -> None:
    """Single requests, this tree and `--compare` interleaved: medians of wall and CPU."""
    variants = {"this tree": ROOT}
    if args.compare:
        variants["compared"] = args.compare.resolve()
    env = {**os.environ, "DATABASE_URL": args.database_url, "GOLDENTHREAD_HTTPS": "0",
           "GOLDENTHREAD_OTP_REQUIRED": "0",
           "GOLDENTHREAD_VAR_DIR": tempfile.mkdtemp(prefix="gt-pages-"),
           # Both variants start at once: keys given, so neither races to write them.
           "SECRET_KEY": secrets.token_urlsafe(50), "PSEUDONYM_KEY": secrets.token_urlsafe(50)}
    me = [sys.executable, str(Path(__file__).resolve())]
    workers = {name: subprocess.Popen([*me, "page-worker", "--code", str(code)],  # noqa: S603
                                      stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                      env=env) for name, code in variants.items()}
    hello = {}
    for name, proc in workers.items():
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line:
            sys.exit(f"pages: the {name} worker did not start")
        hello[name] = json.loads(line)
    load_before = os.getloadavg()
    times: dict[tuple[str, str], list[dict[str, float]]] = {
        (v, p): [] for v in variants for p in PAGES}
    for n in range(args.rounds):
        order = list(workers) if n % 2 == 0 else list(reversed(workers))
        for page in PAGES:
            for name in order:
                proc = workers[name]
                assert proc.stdin is not None
                assert proc.stdout is not None
                proc.stdin.write(page + "\n")
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline())
                if not answer["ok"]:
                    sys.exit(f"pages: {name} answered {page} wrongly")
                times[(name, page)].append(answer)
    load_after = os.getloadavg()
    for proc in workers.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait(timeout=30)
    for name, info in hello.items():
        print(f"{name}: {info['code']}, signed in as {info['user']} ({info['children']} "
              f"children)")
    print(f"{args.rounds} requests of each page per variant, interleaved; load average "
          f"before {load_before[0]:.1f}, after {load_after[0]:.1f}\n")
    head = "| Page |" + "".join(f" {v}: queries | CPU ms | wall ms |" for v in variants)
    print(head + "\n|---|" + "---|---|---|" * len(variants))
    for page in PAGES:
        cells = "".join(
            f" {hello[v]['queries'][page]} | "
            f"{statistics.median(t['cpu'] for t in times[(v, page)]):.1f} | "
            f"{statistics.median(t['wall'] for t in times[(v, page)]):.1f} |" for v in variants)
        print(f"| {page} |{cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    p = sub.add_parser("prepare", help="make the bench accounts and the plan (inside Django)")
    p.add_argument("--users", type=int, default=50)
    p.add_argument("--plan", type=Path, required=True)
    s = sub.add_parser("serve", help="run the pre-forked server (inside Django)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, required=True)
    s.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    g = sub.add_parser("pages", help="single requests: CPU and queries per page, side by side")
    g.add_argument("--rounds", type=int, default=20)
    g.add_argument("--compare", type=Path, help="another source tree to measure alongside")
    g.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    w = sub.add_parser("page-worker", help="one variant of `pages` (inside Django)")
    w.add_argument("--code", type=Path, default=ROOT)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--run-time", type=int, default=180,
                        help="seconds in all, signing in included")
    parser.add_argument("--wait", default="1,3", help="pause between pages: min,max seconds")
    parser.add_argument("--warmup", type=float, default=20,
                        help="seconds of pages after the last sign-in left out of the figures")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if args.command == "prepare":
        _guard(os.environ.get("DATABASE_URL", ""))
        prepare(args.users, args.plan)
    elif args.command == "serve":
        serve(args.host, args.port, args.workers)
    elif args.command == "page-worker":
        page_worker(args.code)
    elif args.command == "pages":
        if not args.database_url:
            parser.error("--database-url (or DATABASE_URL) is needed")
        pages(args)
    else:
        if not args.database_url:
            parser.error("--database-url (or DATABASE_URL) is needed")
        run(args)


if __name__ == "__main__":
    main()
