"""`goldenthread returns annex-a|dfe-api|csww`: the Ofsted Annex A workbook, the DfE API
payload (and its sending) and the children's social work workforce census.

The `returns` management command adds these subcommands with `add_arguments(actions)` and
hands them to `handle(command, options)`. Each builds from an SSD store (`--store`, or the
current database projected into a temporary one) and writes under `--out DIR`; bad input
is refused with one line naming the option (exit 2), before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from argparse import ArgumentParser, _SubParsersAction
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from goldenthread.accounts.models import system_user
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event
from goldenthread.returns import annex_a, csww, dfe_api
from goldenthread.returns.dfe_sender import Sender
from goldenthread.returns.dfe_token import (
    OAUTH_ENV,
    STATIC_TOKEN_ENV,
    ClientCredentials,
    TokenError,
    credentials_from,
)
from goldenthread.ssd.io import write_tables
from goldenthread.ssd.projection import project
from goldenthread.ssd.store import connect

__all__ = ["ACTIONS", "add_arguments", "handle"]

ACTIONS = ("annex-a", "dfe-api", "csww")
STATE_FILE = "dfe_api_state.json"
# Credentials for the DfE receiver come from the environment, never the command line: the
# OAuth client credentials (dfe_token.OAUTH_ENV) or a token fetched some other way.
TOKEN_ENV, SUPPLIER_KEY_ENV = STATIC_TOKEN_ENV, "GOLDENTHREAD_DFE_SUPPLIER_KEY"
EARLIEST_YEAR = 2015


def _usage(message: str) -> CommandError:
    return CommandError(message, returncode=2)


def add_arguments(actions: _SubParsersAction[ArgumentParser]) -> None:
    annex = actions.add_parser("annex-a", help="write the Ofsted Annex A workbook (lists 1-11)")
    annex.add_argument("--date", required=True, help="the inspection date, YYYY-MM-DD")
    dfe = actions.add_parser("dfe-api", help="write (and send) the DfE children's social care "
                                             "API payload")
    dfe.add_argument("--year", required=True,
                     help="collection year, named by its end (2025 = 2024-25)")
    dfe.add_argument("--date", default=None,
                     help="run date, YYYY-MM-DD, within the year (default: today, or 31 "
                          "March of --year if that is earlier)")
    dfe.add_argument("--delta", action="store_true",
                     help="only children changed since the last run (its state file)")
    dfe.add_argument("--send", metavar="URL", default=None,
                     help=f"POST the payload to this endpoint (token by OAuth client "
                          f"credentials from ${', $'.join(OAUTH_ENV.values())}, or a fixed "
                          f"one from ${TOKEN_ENV}; supplier key from ${SUPPLIER_KEY_ENV})")
    dfe.add_argument("--state", type=Path, default=None,
                     help=f"the state file (default: OUT/{STATE_FILE})")
    census = actions.add_parser("csww", help="write the social work workforce census CSV files")
    census.add_argument("--year", required=True,
                        help="census year, named by its 30 September (2025 = to 30 Sep 2025)")
    for parser in (annex, dfe, census):
        parser.add_argument("--out", type=Path, required=True, help="output folder")
        parser.add_argument("--store", type=Path, default=None,
                            help="SSD store folder (default: project the current database)")


def _date(option: str, text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _usage(f"{option}: {text!r} is not a date; give it as YYYY-MM-DD") from None


def _year(text: str, latest: int) -> int:
    if not text.isdigit() or not EARLIEST_YEAR <= int(text) <= latest:
        raise _usage(f"--year: {text!r} is not a year from {EARLIEST_YEAR} to {latest}")
    return int(text)


def _check_common(options: dict[str, Any]) -> None:
    out: Path = options["out"]
    if out.exists() and not out.is_dir():
        raise _usage(f"--out: {out} is a file; give a folder")
    store = options["store"]
    if store is not None and not store.is_dir():
        raise _usage(f"--store: {store} is not a folder (an SSD store from `ssd export`)")


@contextmanager
def _opened(command: BaseCommand, store: Path | None) -> Iterator[duckdb.DuckDBPyConnection]:
    if store is not None:
        con = connect(store)
    else:
        folder = Path(tempfile.mkdtemp(prefix="gt-returns-"))
        command.stderr.write("Projecting the records into SSD tables...")
        write_tables(project(), folder / "store")
        con = connect(folder / "store")
    con.execute("SET enable_progress_bar = false")  # ours is tqdm's
    try:
        yield con
    finally:
        con.close()


def _audit(what: str, **detail: Any) -> None:
    record_event(actor=system_user(), action=AuditAction.EXPORT,
                 detail={"export": what, **detail})


def handle(command: BaseCommand, options: dict[str, Any]) -> None:
    today = timezone.localdate()
    action = options["action"]
    if action == "annex-a":
        day = _date("--date", options["date"])
        if day > today:
            raise _usage(f"--date: {day} is after today; give the inspection date, today or before")
        _check_common(options)
        with _opened(command, options["store"]) as con:
            _annex_a(command, con, day, options["out"])
    elif action == "csww":
        year = _year(options["year"], today.year if today >= dt.date(today.year, 9, 30)
                     else today.year - 1)
        _check_common(options)
        with _opened(command, options["store"]) as con:
            _csww(command, con, year, options["out"])
    else:
        run_date, state, previous = _dfe_options(options, today)
        with _opened(command, options["store"]) as con:
            _dfe_api(command, con, run_date, options, state, previous)


def _annex_a(command: BaseCommand, con: duckdb.DuckDBPyConnection, day: dt.date,
             out: Path) -> None:
    lists = annex_a.spec().lists
    with tqdm(total=len(lists) + 1, desc="Annex A", file=command.stderr) as bar:
        rows = {}
        for annex in lists:
            bar.set_postfix_str(annex.sheet)
            rows.update(annex_a.build_one(con, annex, day))
            bar.update()
        path = annex_a.write_workbook(rows, out / f"annex_a_{day.isoformat()}.xlsx")
        bar.update()
    counts = {annex.sheet: len(rows[annex.number]) for annex in lists}
    _audit("annex_a", inspection_date=day.isoformat(), rows=counts)
    command.stdout.write(f"Wrote Annex A for an inspection on {day:%d %B %Y} to {path}: "
                         + ", ".join(f"{sheet} {n}" for sheet, n in counts.items()))


def _csww(command: BaseCommand, con: duckdb.DuckDBPyConnection, year: int, out: Path) -> None:
    with tqdm(total=2, desc=f"CSWW {year}", file=command.stderr) as bar:
        census = csww.build(con, year)
        bar.update()
        written = csww.write_csv(census, out)
        bar.update()
    _audit("csww", year=year, rows=len(census.workers))
    command.stdout.write(f"Wrote the workforce census at 30 September {year}: "
                         f"{len(census.workers)} social workers, to "
                         + ", ".join(str(p) for p in written))


def _dfe_options(options: dict[str, Any], today: dt.date,
                 ) -> tuple[dt.date, Path, dfe_api.State | None]:
    """Check every dfe-api option before anything is built: run date, endpoint and its
    credentials, state."""
    year = _year(options["year"], today.year + 1)
    first, last = dt.date(year - 1, 4, 1), dt.date(year, 3, 31)
    run_date = _date("--date", options["date"]) if options["date"] else min(today, last)
    if not first <= run_date <= last:
        raise _usage(f"--date: {run_date} is outside the {year - 1}-{str(year)[2:]} "
                     f"collection year ({first} to {last})")
    if run_date > today:
        raise _usage(f"--date: {run_date} is after today")
    url = options["send"]
    if url is not None and not url.startswith(("https://", "http://")):
        raise _usage(f"--send: {url!r} is not an http(s) URL")
    if url is not None:
        try:
            options["credentials"] = credentials_from(os.environ)
        except ValueError as error:
            raise _usage(f"--send: {error}") from None
    _check_common(options)
    state: Path = options["state"] or options["out"] / STATE_FILE
    previous = None
    if state.exists():
        try:
            previous = dfe_api.load_state(state)
        except (ValueError, OSError) as error:
            raise _usage(f"--state: {state} is not a state file ({error})") from None
    elif options["delta"]:
        raise _usage(f"--delta: no state file at {state}; run a full load first")
    return run_date, state, previous


def _sender(url: str, credentials: ClientCredentials | None) -> Sender:
    """The sender with its headers; with OAuth credentials, its first token fetched now, so
    a refused secret stops the run before any child is sent (and the state stays as it was,
    so they all go on the next run)."""
    headers = {name: value for name, value in (
        ("Authorization", f"Bearer {os.environ[TOKEN_ENV].strip()}"
         if os.environ.get(TOKEN_ENV, "").strip() else ""),
        ("SupplierKey", os.environ.get(SUPPLIER_KEY_ENV, "").strip())) if value}
    if credentials is not None:
        try:
            credentials.token()
        except TokenError as error:
            raise CommandError(f"no DfE API token: {error}; nothing was sent",
                               returncode=1) from None
    return Sender(url, headers=headers, credentials=credentials)


def _dfe_api(command: BaseCommand, con: duckdb.DuckDBPyConnection, run_date: dt.date,
             options: dict[str, Any], state: Path, previous: dfe_api.State | None) -> None:
    mode = "delta" if options["delta"] else "full"
    with tqdm(total=2, desc=f"DfE API {mode} {run_date}", file=command.stderr) as bar:
        documents = dfe_api.build(con, run_date)
        bar.update()
        sent = dfe_api.payload(documents, previous, delta=options["delta"])
        folder = options["out"] / f"dfe_api_{run_date.isoformat()}_{mode}"
        files = dfe_api.write_payload(sent, folder)
        bar.update()
    records = sent.records()
    summary = {"run_date": run_date.isoformat(), "mode": mode, "cohort": len(documents),
               "sent": len(sent.documents), "purged": len(sent.purged),
               "unchanged": sent.unchanged, "files": [p.name for p in files]}
    accepted: list[str] = [str(r["la_child_id"]) for r in records]
    failed: dict[str, str] = {}
    if options["send"]:
        sender = _sender(options["send"], options.get("credentials"))
        with tqdm(total=len(records), desc="sending", unit="child", file=command.stderr) as bar:
            def sent_some(count: int) -> None:
                bar.update(count)
            result = sender.send(records, progress=sent_some)
        accepted, failed = list(result.accepted), result.failed
        summary.update(endpoint=options["send"], accepted=len(accepted), failed=failed)
    (folder / "manifest.json").write_text(json.dumps(summary, indent=1), "utf-8")
    dfe_api.save_state(dfe_api.advance(previous, documents, sent, accepted, run_date), state)
    _audit("dfe_api", run_date=run_date.isoformat(), mode=mode, rows=len(records),
           sent_to=options["send"] or "")
    command.stdout.write(f"DfE API {mode} payload for {run_date}: {len(documents)} children "
                         f"in the cohort, {len(sent.documents)} to send, {len(sent.purged)} "
                         f"purged, {sent.unchanged} unchanged; written to {folder}")
    if failed:
        raise CommandError(f"{len(failed)} of {len(records)} records were not accepted by "
                           f"{options['send']} (see {folder / 'manifest.json'}); they go "
                           "again on the next run", returncode=1)
