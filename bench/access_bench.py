"""What do access checks and the audit write add to a child's page? (issue 3: at most 10%)

Builds the persona council from tests/world.py plus ballast (other children allocated
across the teams, so the access queries work over realistic tables), then requests Ella's
page as Sam many times in two variants, interleaved so machine noise hits both alike:

  with     the real view: access.policy decides, one audit event is written
  without  the same view with access_person replaced by a plain lookup and the audit
           write replaced by a no-op

Prints, for each, the median and 95th percentile of wall time, and the median CPU time
of this process (on SQLite all the work is in-process, so CPU time is steady even when
the machine is busy), with the overhead of the medians.
Run:  .venv/bin/python bench/access_bench.py [--rounds 15] [--requests 40] [--ballast 3000]
      [--postgres postgres://postgres@127.0.0.1:5432/test]
Uses a throwaway SQLite database, or with --postgres a throwaway database on that server.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--ballast", type=int, default=3000)
    parser.add_argument("--postgres", default="",
                        help="server URL; a database gt_bench_<pid> is made there and dropped")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="gt-bench-")
    os.environ["DATABASE_URL"] = (throwaway_postgres(args.postgres) if args.postgres
                                  else f"sqlite:///{tmp}/bench.sqlite3")
    os.environ["GOLDENTHREAD_VAR_DIR"] = tmp
    os.environ["DJANGO_SETTINGS_MODULE"] = "goldenthread.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    world, client = build(args.ballast)

    from django.urls import reverse

    from goldenthread.web.views import people

    url = reverse("person", args=[world.children["ella"].pk])
    real_access, real_audit = people.access_person, people.record_viewed

    from goldenthread.records.models import Person

    def plain_lookup(user: object, person_id: object) -> object:
        return Person.objects.get(pk=person_id)

    def no_audit(*args: object, **kwargs: object) -> None:
        return None

    timings: dict[str, list[float]] = {"with": [], "without": []}
    cpu: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(args.rounds):
        for variant in ("with", "without"):
            if variant == "without":
                people.access_person, people.record_viewed = plain_lookup, no_audit  # type: ignore[assignment]
            for _ in range(args.requests):
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(url, secure=True)
                timings[variant].append(time.perf_counter() - began)
                cpu[variant].append(time.process_time() - began_cpu)
                assert response.status_code == 200
            people.access_person, people.record_viewed = real_access, real_audit
    report(timings, cpu, connection.vendor, args)
    if args.postgres:
        connection.close()
        drop_postgres(args.postgres, os.environ["DATABASE_URL"])


def throwaway_postgres(server: str) -> str:
    import psycopg

    name = f"gt_bench_{os.getpid()}"
    with psycopg.connect(server.replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return server.rsplit("/", 1)[0] + "/" + name


def drop_postgres(server: str, url: str) -> None:
    import psycopg

    with psycopg.connect(server.replace("postgres://", "postgresql://", 1),
                         autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]}")


def build(ballast: int) -> tuple[object, object]:
    from django.test import Client

    from goldenthread.records import models as m
    from goldenthread.records.actions.journey import do_allocate_worker
    from tests.factories import PersonFactory
    from tests.world import build_world, sign_in

    world = build_world()
    builder = world.users["ada"]
    workers = list(m.Professional.objects.filter(memberships__team__kind="team"))
    for index in range(ballast):
        child = PersonFactory(date_of_birth=dt.date(2008 + index % 15, 1 + index % 12, 1))
        worker = workers[index % len(workers)]
        do_allocate_worker(child, professional=worker, team=worker.memberships.get().team,
                           on=dt.date(2024, 1, 8), acting_user=builder)
    return world, sign_in(Client(), world.users["sam"])


def report(timings: dict[str, list[float]], cpu: dict[str, list[float]], vendor: str,
           args: argparse.Namespace) -> None:
    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=100)[94] * 1000

    med = {k: statistics.median(v) * 1000 for k, v in timings.items()}
    med_cpu = {k: statistics.median(v) * 1000 for k, v in cpu.items()}
    print(f"database: {vendor}; ballast children: {args.ballast}; "
          f"{args.rounds} rounds x {args.requests} requests per variant, interleaved")
    for variant in ("without", "with"):
        print(f"  {variant:8s} wall median {med[variant]:6.2f} ms  p95 {p95(timings[variant]):6.2f}"
              f" ms   cpu median {med_cpu[variant]:6.2f} ms")
    print(f"  overhead of access checks + audit write: wall "
          f"{(med['with'] / med['without'] - 1) * 100:+.1f}%, cpu "
          f"{(med_cpu['with'] / med_cpu['without'] - 1) * 100:+.1f}% (medians)")


if __name__ == "__main__":
    main()
