"""Simulated social workers for the load benchmark (bench/load_bench.py runs this headless).

Each simulated user signs in as its own bench account (made by `load_bench.py prepare`:
a synthetic social worker with a real caseload); once all have signed in, the statistics
restart and each user, with a pause between pages, opens
one of its children's pages, that child's chronology, My work, or searches for one of its
children by surname. Request names group the pages for the report: "child's page",
"chronology", "my work", "search".

LOAD_BENCH_PLAN names the JSON file of accounts (username, password, children, surnames);
LOAD_BENCH_WAIT the pause between pages in seconds, "min,max" (default "1,3");
LOAD_BENCH_WARMUP how many seconds of pages, after the last sign-in, are left out of the
statistics (default 20; 0 counts from the last sign-in).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gevent.event
from locust import between, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: list[dict[str, Any]] = json.loads(Path(os.environ["LOAD_BENCH_PLAN"]).read_text())
ACCOUNTS = itertools.cycle(PLAN)
WAIT = tuple(float(x) for x in os.environ.get("LOAD_BENCH_WAIT", "1,3").split(","))
# Just after the sign-ins the server has only just started: each process compiles its
# templates and reads the code lists on first use, and the 50 Argon2 sign-ins have just
# taken the CPU. Pages in that window took seconds (a start-up transient, not the steady
# state), so the statistics restart again once it is over.
WARMUP = float(os.environ.get("LOAD_BENCH_WARMUP", "20"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# Signing in is deliberately slow (Argon2), so nobody opens a page until every user has
# signed in, and the statistics start from that moment: the report is about the pages.
ALL_SIGNED_IN = gevent.event.Event()
signed_in_count = 0


class SocialWorker(FastHttpUser):
    wait_time = between(WAIT[0], WAIT[1])

    def on_start(self) -> None:
        self.account = next(ACCOUNTS)
        try:
            self._sign_in()
        finally:  # a failed sign-in is counted too, so the others are not kept waiting
            global signed_in_count
            signed_in_count += 1
            if signed_in_count == self.environment.parsed_options.num_users:
                stats = self.environment.runner.stats
                stats.reset_all()
                if WARMUP > 0:
                    gevent.spawn_later(WARMUP, stats.reset_all)
                ALL_SIGNED_IN.set()
        ALL_SIGNED_IN.wait()

    def _sign_in(self) -> None:
        with self.client.get("/accounts/login/", name="sign in (form)",
                             catch_response=True) as form:
            token = CSRF.search(form.text or "")
            if token is None:
                form.failure("no CSRF token on the sign-in page")
                return
        with self.client.post("/accounts/login/", name="sign in", catch_response=True,
                              data={"username": self.account["username"],
                                    "password": self.account["password"],
                                    "csrfmiddlewaretoken": token.group(1), "next": "/"},
                              headers={"Referer": f"{self.host}/accounts/login/"}) as signed:
            if "Signed in as" not in (signed.text or ""):
                signed.failure(f"{self.account['username']} was not signed in")

    def _page(self, path: str, name: str, must_contain: str) -> None:
        with self.client.get(path, name=name, catch_response=True) as page:
            if page.status_code != 200:
                page.failure(f"{page.status_code} for {path}")
            elif must_contain not in (page.text or ""):
                page.failure(f"{path} did not show {must_contain!r} (signed out?)")

    @task(3)
    def childs_page(self) -> None:
        child = random.choice(self.account["children"])
        self._page(f"/people/{child}/", "child's page", "Signed in as")

    @task(2)
    def chronology(self) -> None:
        child = random.choice(self.account["children"])
        self._page(f"/people/{child}/chronology/", "chronology", "Signed in as")

    @task(2)
    def my_work(self) -> None:
        self._page("/", "my work", "Signed in as")

    @task(2)
    def search(self) -> None:
        surname = random.choice(self.account["surnames"])
        self._page(f"/people/?{urlencode({'name': surname})}", "search", "Signed in as")
