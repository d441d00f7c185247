"""The DfE children's social care API payload (reference/dfe-api.md), from the SSD tables.

`build(con, run_date)` gives one JSON document per child in the cohort, shaped as DfE's
spec (v0.7-0.9): identifiers, `child_details`, `health_and_wellbeing` and everything else
nested under the referral (`social_care_episodes`), with a `purge: false` on every block.
Dates are YYYY-MM-DD; missing values are left out. The queries are in dfe_api_sql.py.

The cohort (the Early Adopter window): from the 1 April that starts the financial year 24
months before the run date, to the run date. A person is in it if aged 25 or under at some
point in the window (or unborn, expected in it) and they have a referral, CIN plan, CP
plan or period of care overlapping it, or are a care leaver of 16-25 last contacted in it.

Deltas: `child_hash` is the SHA-256 of the document's canonical JSON (sorted keys, no
spaces), so an unchanged child hashes the same on every run. `payload` compares this run
with the last run's `State` (a JSON file): in delta mode it keeps only children whose hash
changed or who are new; records that were sent before and are gone are sent back as
`{<id>: …, purge: true}` inside the child's document, and a child who left the cohort as
`{la_child_id, mis_child_id, purge: true}`. `advance` gives the next state, keeping the
old entry of any child DfE did not accept, so they go again next time.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from goldenthread.returns import dfe_api_sql as q

__all__ = ["BATCH_SIZE", "Payload", "State", "advance", "build", "canonical", "child_hash",
           "cohort_window", "load_state", "payload", "record_keys", "save_state",
           "write_payload"]

BATCH_SIZE = 100  # children per POST, as DfE's reference sender sends them
Document = dict[str, Any]

# The lists nested in a social care episode, each with its items' id key.
EPISODE_LISTS: Mapping[str, str] = {
    "child_and_family_assessments": "child_and_family_assessment_id",
    "child_in_need_plans": "child_in_need_plan_id",
    "section_47_assessments": "section_47_assessment_id",
    "child_protection_plans": "child_protection_plan_id",
    "child_looked_after_placements": "child_looked_after_placement_id",
}
EPISODE_BLOCKS = ("adoption", "care_leavers")


def cohort_window(run_date: dt.date) -> tuple[dt.date, dt.date]:
    """24 months before the run date, back to the 1 April starting that financial year."""
    year, month = divmod(run_date.year * 12 + run_date.month - 1 - 24, 12)
    start_year = year if month + 1 >= 4 else year - 1
    return dt.date(start_year, 4, 1), run_date


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _block(**values: Any) -> Document:
    """A block without its missing values, dates as ISO text, then `purge: false`."""
    out = {k: _iso(v) for k, v in values.items() if v is not None and v != ""}
    out["purge"] = False
    return out


def _grouped(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any],
             ) -> dict[str, list[tuple[Any, ...]]]:
    """Rows of a query whose first column is the key, grouped by it (order kept)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    for row in con.execute(sql, used).fetchall():
        found.setdefault(str(row[0]), []).append(tuple(row[1:]))
    return found


def _episode(row: tuple[Any, ...], parts: Mapping[str, Mapping[str, list[tuple[Any, ...]]]],
             ) -> Document:
    (referral, referral_date, source, nfa, closed, reason) = row
    episode = {"social_care_episode_id": referral,
               **{k: v for k, v in _block(referral_date=referral_date, referral_source=source,
                                         closure_date=closed, closure_reason=reason).items()
                  if k != "purge"}}
    if nfa in ("Y", "N"):
        episode["referral_no_further_action_flag"] = nfa == "Y"
    workers = [{k: _iso(v) for k, v in (("worker_id", w), ("start_date", s), ("end_date", e))
                if v is not None} for w, s, e, _ in parts["workers"].get(referral, [])]
    if workers:
        episode["care_worker_details"] = workers
    assessments = [_block(child_and_family_assessment_id=i, start_date=s, authorisation_date=a,
                          factors=json.loads(f) if f else None)
                   for i, s, a, f in parts["assessments"].get(referral, [])]
    plans = [_block(child_in_need_plan_id=i, start_date=s, end_date=e)
             for i, s, e in parts["cin_plans"].get(referral, [])]
    enquiries = [_block(section_47_assessment_id=i, start_date=s,
                        icpc_required_flag=None if flag is None else flag == "Y",
                        icpc_date=icpc, end_date=e)
                 for i, s, flag, icpc, e in parts["section_47"].get(referral, [])]
    cp_plans = [_block(child_protection_plan_id=i, start_date=s, end_date=e)
                for i, s, e in parts["cp_plans"].get(referral, [])]
    placements = [_block(child_looked_after_placement_id=i, start_date=s, start_reason=rne,
                         placement_type=kind, postcode=post, end_date=e, end_reason=rec,
                         change_reason=rpc)
                  for i, s, rne, kind, post, e, rec, rpc in parts["placements"].get(referral, [])]
    for name, items in (("child_and_family_assessments", assessments),
                        ("child_in_need_plans", plans), ("section_47_assessments", enquiries),
                        ("child_protection_plans", cp_plans),
                        ("child_looked_after_placements", placements)):
        if items:
            episode[name] = items
    adoption = parts["adoption"].get(referral)
    if adoption:
        decided, matched, placed = adoption[-1]
        episode["adoption"] = _block(initial_decision_date=decided, matched_date=matched,
                                     placed_date=placed)
    leaver = parts["care_leavers"].get(referral)
    if leaver:
        contact, activity, accommodation = leaver[-1]
        episode["care_leavers"] = _block(contact_date=contact, activity=activity,
                                         accommodation=accommodation)
    episode["purge"] = False
    return episode


def build(con: duckdb.DuckDBPyConnection, run_date: dt.date) -> dict[str, Document]:
    """The payload document of every child in the cohort on `run_date`, by la_child_id."""
    start, end = cohort_window(run_date)
    params = {"start": start, "end": end}
    people = con.execute(q.COHORT, params).fetchall()
    extra = {name: _grouped(con, sql, params) for name, sql in q.CHILD_PARTS.items()}
    episodes = _grouped(con, q.EPISODES, params)
    parts = {name: _grouped(con, sql, params) for name, sql in q.EPISODE_PARTS.items()}
    documents: dict[str, Document] = {}
    for (child, mis, upn, upn_reason, forename, surname, born, expected, sex,
         ethnicity) in people:
        details = _block(unique_pupil_number=upn,
                         former_unique_pupil_number=(extra["former_upn"].get(child)
                                                     or [(None,)])[0][0],
                         unique_pupil_number_unknown_reason=upn_reason, first_name=forename,
                         surname=surname, date_of_birth=born, expected_date_of_birth=expected,
                         sex={"M": "M", "F": "F", "1": "M", "2": "F"}.get(sex or "", "U"),
                         ethnicity=ethnicity)
        details.pop("purge")
        details["disabilities"] = [c for (c,) in extra["disabilities"].get(child, [])] \
            or ["NONE"]
        postcode = extra["postcode"].get(child)
        if postcode:
            details["postcode"] = postcode[-1][0]
        uasc = extra["uasc"].get(child)
        details["uasc_flag"] = bool(uasc)
        if uasc and uasc[-1][0] is not None:
            details["uasc_end_date"] = _iso(uasc[-1][0])
        details["purge"] = False
        document: Document = {"la_child_id": child, "mis_child_id": mis, "purge": False,
                              "child_details": details}
        sdq = extra["sdq"].get(child)
        if sdq:
            document["health_and_wellbeing"] = {
                "sdq_assessments": [{"date": _iso(day), "score": score} for day, score in sdq],
                "purge": False}
        document["social_care_episodes"] = [_episode((referral, *row), parts)
                                            for referral, *row in episodes.get(child, [])]
        documents[child] = document
    return documents


def canonical(document: Mapping[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def child_hash(document: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical(document)).hexdigest()


def record_keys(document: Mapping[str, Any]) -> set[str]:
    """Every sub-record of a child that DfE could be asked to purge, as paths
    ('episode/<id>', 'episode/<id>/<list>/<item id>', 'episode/<id>/adoption', ...)."""
    keys: set[str] = set()
    if "health_and_wellbeing" in document:
        keys.add("health_and_wellbeing")
    for episode in document.get("social_care_episodes", []):
        base = f"episode/{episode['social_care_episode_id']}"
        keys.add(base)
        for name, id_key in EPISODE_LISTS.items():
            keys.update(f"{base}/{name}/{item[id_key]}" for item in episode.get(name, []))
        keys.update(f"{base}/{name}" for name in EPISODE_BLOCKS if name in episode)
    return keys


@dataclass
class State:
    """What DfE holds after the last run: per child, its hash, its mis_child_id and the
    paths of its sub-records."""

    run_date: str | None = None
    children: dict[str, dict[str, Any]] = field(default_factory=dict)


def load_state(path: Path) -> State:
    raw = json.loads(path.read_text("utf-8"))
    return State(run_date=raw.get("run_date"), children=dict(raw.get("children", {})))


def save_state(state: State, path: Path) -> None:
    """Written whole and then renamed, so a crash never leaves half a state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(json.dumps({"run_date": state.run_date, "children": state.children},
                                  sort_keys=True, indent=1), "utf-8")
    os.replace(partial, path)


def _with_purges(document: Document, gone: set[str]) -> Document:
    """The document with a purge stub for each sub-record DfE holds and we no longer do."""
    out: Document = json.loads(json.dumps(document))  # a deep copy
    if "health_and_wellbeing" in gone:
        out["health_and_wellbeing"] = {"purge": True}
    episodes = {e["social_care_episode_id"]: e for e in out["social_care_episodes"]}
    for key in sorted(gone):
        parts = key.split("/")
        if parts[0] != "episode":
            continue
        if len(parts) == 2:
            out["social_care_episodes"].append({"social_care_episode_id": parts[1],
                                                "purge": True})
        elif parts[1] in episodes:
            episode = episodes[parts[1]]
            if len(parts) == 3:
                episode[parts[2]] = {"purge": True}
            else:
                episode.setdefault(parts[2], []).append(
                    {EPISODE_LISTS[parts[2]]: parts[3], "purge": True})
    return out


@dataclass(frozen=True)
class Payload:
    """What this run sends: documents (with purge stubs) and purged children, by id."""

    documents: dict[str, Document]
    purged: dict[str, Document]
    unchanged: int

    def records(self) -> list[Document]:
        return [*(self.documents[k] for k in sorted(self.documents)),
                *(self.purged[k] for k in sorted(self.purged))]


def payload(current: Mapping[str, Document], previous: State | None, *,
            delta: bool) -> Payload:
    """Full: every child. Delta: children new or changed since `previous`. Both: purge
    stubs for what `previous` holds and this run does not."""
    held = previous.children if previous else {}
    documents: dict[str, Document] = {}
    unchanged = 0
    for child, document in current.items():
        before = held.get(child)
        if delta and before is not None and before["hash"] == child_hash(document):
            unchanged += 1
            continue
        gone = set(before["records"]) - record_keys(document) if before else set()
        documents[child] = _with_purges(document, gone) if gone else document
    purged = {child: {"la_child_id": child, "mis_child_id": entry.get("mis_child_id"),
                      "purge": True}
              for child, entry in held.items() if child not in current}
    return Payload(documents, purged, unchanged)


def advance(previous: State | None, current: Mapping[str, Document], sent: Payload,
            accepted: Collection[str], run_date: dt.date) -> State:
    """The state after this run: accepted children as they are now (purged ones dropped);
    the rest as DfE still holds them."""
    children = dict(previous.children) if previous else {}
    for child in accepted:
        if child in sent.purged:
            children.pop(child, None)
        elif child in sent.documents:
            document = current[child]
            children[child] = {"hash": child_hash(document),
                               "mis_child_id": document.get("mis_child_id"),
                               "records": sorted(record_keys(document))}
    return State(run_date=run_date.isoformat(), children=children)


def batches(records: Iterable[Document], size: int = BATCH_SIZE) -> list[list[Document]]:
    items = list(records)
    return [items[i:i + size] for i in range(0, len(items), size)]


def write_payload(sent: Payload, folder: Path) -> list[Path]:
    """The records as JSON arrays of up to BATCH_SIZE children (the POST bodies), in files
    children-0001.json, ... under `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, batch in enumerate(batches(sent.records()), start=1):
        path = folder / f"children-{number:04d}.json"
        path.write_text(json.dumps(batch, ensure_ascii=False, indent=1), "utf-8")
        written.append(path)
    return written
