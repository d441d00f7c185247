"""A real goldenthread server for the browser tests, on a database of its own.

The audit trail is append-only (database triggers), so Django's live_server and its flush
between tests cannot be used. Instead each test session builds a fresh database beside the
suite's own — SQLite: a file in a temporary directory; PostgreSQL: `<suite's name>_browser`
on the same server, created and dropped here — fills it (tests/browser/prepare.py: migrate,
the DfE code lists, a small synthetic council, the demo and walk sign-ins), then runs
`goldenthread runserver` on a free local port in a subprocess.

Plain http and one-factor sign-in (GOLDENTHREAD_HTTPS=0, GOLDENTHREAD_OTP_REQUIRED=0) and
GOLDENTHREAD_DEMO=1 are set for that server process only, never for the suite.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
GOLDENTHREAD = [sys.executable, "-m", "goldenthread"]  # the suite's own interpreter
STARTUP_SECONDS = 60


class ServerFailed(RuntimeError):
    """The browser tests' server could not be prepared or did not answer."""


@dataclass
class AppServer:
    url: str
    database: str  # "sqlite" or "postgresql": names the screenshot folder
    log: Path  # the server's output: tracebacks of any 500
    facts: dict[str, Any] = field(default_factory=dict)  # what tests/browser/prepare.py found

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")[-chars:]


def database_kind(suite_url: str) -> str:
    return "postgresql" if suite_url.startswith(("postgres://", "postgresql://")) else "sqlite"


def _run(args: list[str], env: dict[str, str], what: str) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True,  # noqa: S603
                          check=False, timeout=600)
    if done.returncode:
        raise ServerFailed(f"{what} failed ({done.returncode}):\n{done.stdout[-3000:]}\n"
                           f"{done.stderr[-3000:]}")
    return done.stdout


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _maintenance(url: str) -> tuple[str, str]:
    """(a URL for the server's `postgres` database, the suite database's name)."""
    parts = urlsplit(url.replace("postgres://", "postgresql://", 1))
    name = parts.path.lstrip("/")
    if not name:
        raise ServerFailed(f"DATABASE_URL {url!r} does not end in a database name")
    return parts._replace(path="/postgres").geturl(), name


def _recreate_postgres(maintenance_url: str, name: str, *, create: bool) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(name)))
        if create:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@contextmanager
def browser_database(suite_url: str) -> Iterator[str]:
    """A fresh, empty database for the server, removed afterwards; yields its URL."""
    if database_kind(suite_url) == "postgresql":
        maintenance_url, suite_name = _maintenance(suite_url)
        worker = os.environ.get("PYTEST_XDIST_WORKER", "")
        name = f"{suite_name}_browser{'_' + worker if worker else ''}"
        _recreate_postgres(maintenance_url, name, create=True)
        try:
            yield urlsplit(suite_url)._replace(path=f"/{name}").geturl()
        finally:
            _recreate_postgres(maintenance_url, name, create=False)
    else:
        directory = tempfile.mkdtemp(prefix="gt-browser-")
        try:
            yield f"sqlite:///{directory}/browser.sqlite3"
        finally:
            shutil.rmtree(directory, ignore_errors=True)


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"the server stopped ({process.returncode}) before answering")
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise ServerFailed(f"the server did not answer at {url}/healthz in {STARTUP_SECONDS} s")


@contextmanager
def app_server(suite_url: str) -> Iterator[AppServer]:
    """Build the browser database, start the server, stop and remove both afterwards."""
    with browser_database(suite_url) as database_url, \
            tempfile.TemporaryDirectory(prefix="gt-browser-var-") as var_dir:
        env = {**os.environ, "DATABASE_URL": database_url, "GOLDENTHREAD_VAR_DIR": var_dir,
               "GOLDENTHREAD_HTTPS": "0", "GOLDENTHREAD_OTP_REQUIRED": "0",
               "GOLDENTHREAD_DEMO": "1", "DEBUG": "0"}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        facts = json.loads(_run([sys.executable, "-m", "tests.browser.prepare"], env,
                                "preparing the database").splitlines()[-1])
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = Path(var_dir) / "server.log"
        log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115
        process = subprocess.Popen(  # noqa: S603
            [*GOLDENTHREAD, "runserver", "--noreload", "--insecure", "--skip-checks",
             f"127.0.0.1:{port}"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        try:
            try:
                _wait_until_up(url, process)
            except ServerFailed as failed:
                log.flush()
                raise ServerFailed(f"{failed}\n{log_path.read_text()}") from None
            yield AppServer(url=url, database=database_kind(suite_url), log=log_path,
                            facts=facts)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()
