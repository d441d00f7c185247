"""The DfE children's social care API payload: cohort, shape, stable hashes, deltas and
purges, and the sender's retries against a fake receiver on 127.0.0.1 (no network).

The run date is 31 March 2025, so the cohort window runs from 1 April 2022 (24 months back
is 31 March 2023, in the financial year that began 1 April 2022). `_council` records three
snapshots of one small council: before, after one change, and after removals.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from goldenthread.accounts.models import User
from goldenthread.records import models as m
from goldenthread.records.actions.base import archive_record, change_record, create_record
from goldenthread.records.actions.cla import do_start_period_of_care
from goldenthread.returns import dfe_api
from goldenthread.returns.dfe_sender import Sender
from goldenthread.returns.dfe_token import OAUTH_ENV
from goldenthread.ssd.store import connect
from tests.analytics.recording import child, cp_plan, professional, refer
from tests.analytics.test_looked_after import place
from tests.factories import TeamFactory
from tests.returns.fake_dfe import Receiver, TokenEndpoint
from tests.returns.store_support import frozen_folders

pytestmark = pytest.mark.django_db

d = dt.date
RUN = d(2025, 3, 31)


def _council(user: User, snapshot: Callable[[str], Path]) -> None:
    """Amy: referred 3 Jun 2024, assessed from 4 Jun (factors 1A, 2B), allocated to Sue.
    Ben: referred 10 Jan 2024, on a CP plan from 1 Feb 2024.
    Cat: referred 1 May 2023, in care from 2 May 2023 (U4).
    Dov: referred 2019, closed 1 Jan 2020: before the window, not in the cohort.
    Eld: born 1995, referred 1 May 2024: 27 when the window opens, not in the cohort.
    Snapshots: 'before'; 'changed' (Ben's plan ends 1 Feb 2025); 'removed' (also Cat's
    record archived, and Amy's assessment)."""
    team = TeamFactory(acting_user=user)
    sue = professional("Sue", user)
    amy = refer(child("Amy"), d(2024, 6, 3), user)
    assessment = create_record(m.Assessment, acting_user=user, person=amy.person, referral=amy,
                               start_date=d(2024, 6, 4))
    for code in ("1A", "2B"):
        create_record(m.AssessmentFactor, acting_user=user, assessment=assessment, code=code)
    create_record(m.Involvement, acting_user=user, person=amy.person, professional=sue,
                  role="CW", team=team, referral=amy, start_date=d(2024, 6, 3))
    ben = refer(child("Ben"), d(2024, 1, 10), user)
    plan = cp_plan(ben, d(2024, 2, 1), user)
    cat = refer(child("Cat"), d(2023, 5, 1), user)
    do_start_period_of_care(cat.person, start_date=d(2023, 5, 2), legal_status="C2",
                            cin_need="N1", placement=place(), acting_user=user, referral=cat)
    refer(child("Dov"), d(2019, 1, 1), user, closure_date=d(2020, 1, 1), closure_reason="RC8")
    refer(child("Eld", d(1995, 1, 1)), d(2024, 5, 1), user)
    snapshot("before")
    change_record(plan, acting_user=user, expected_version=plan.version, end_date=d(2025, 2, 1))
    snapshot("changed")
    person = m.Person.objects.get(pk=cat.person_id)
    archive_record(person, acting_user=user, expected_version=person.version,
                   reason="recorded in error")
    assessment.refresh_from_db()
    archive_record(assessment, acting_user=user, expected_version=assessment.version,
                   reason="recorded in error")
    snapshot("removed")


@pytest.fixture(scope="module")
def stores(django_db_setup: None, django_db_blocker: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return frozen_folders(django_db_blocker, tmp_path_factory, RUN, _council)


@pytest.fixture(scope="module")
def documents(stores: dict[str, Path]) -> dict[str, dict[str, dict[str, Any]]]:
    return {name: dfe_api.build(connect(folder), RUN) for name, folder in stores.items()}


def _delivered(docs: dict[str, dict[str, Any]]) -> dfe_api.State:
    """The state after a full load that DfE accepted whole."""
    sent = dfe_api.payload(docs, None, delta=False)
    return dfe_api.advance(None, docs, sent, list(docs), RUN)


def test_cohort_window_starts_on_1_april() -> None:
    assert dfe_api.cohort_window(RUN) == (d(2022, 4, 1), RUN)
    assert dfe_api.cohort_window(d(2025, 4, 15)) == (d(2023, 4, 1), d(2025, 4, 15))


def test_cohort(documents: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Amy, Ben and Cat; Dov's referral closed before the window, Eld is too old."""
    assert sorted(documents["before"]) == ["LA-amy", "LA-ben", "LA-cat"]


def test_document_shape(documents: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Amy's referral carries her worker (Sue's SWE number) and her assessment with its
    factors; every block says purge: false; dates are YYYY-MM-DD."""
    amy = documents["before"]["LA-amy"]
    assert amy["purge"] is False and amy["child_details"]["purge"] is False
    assert amy["child_details"]["date_of_birth"] == "2015-05-01"
    assert amy["child_details"]["disabilities"] == ["NONE"]
    [episode] = amy["social_care_episodes"]
    assert episode["referral_date"] == "2024-06-03" and episode["referral_source"] == "5A"
    assert episode["referral_no_further_action_flag"] is False
    [worker] = episode["care_worker_details"]
    assert worker["worker_id"].startswith("SW") and worker["start_date"] == "2024-06-03"
    [assessment] = episode["child_and_family_assessments"]
    assert assessment["factors"] == ["1A", "2B"] and assessment["purge"] is False
    cat = documents["before"]["LA-cat"]["social_care_episodes"][0]
    [placement] = cat["child_looked_after_placements"]
    assert (placement["start_reason"], placement["placement_type"]) == ("S", "U4")


def test_hash_is_stable(stores: dict[str, Path]) -> None:
    """Two builds of the same store hash the same, child by child; key order does not
    matter."""
    first = dfe_api.build(connect(stores["before"]), RUN)
    second = dfe_api.build(connect(stores["before"]), RUN)
    assert {k: dfe_api.child_hash(v) for k, v in first.items()} == \
           {k: dfe_api.child_hash(v) for k, v in second.items()}
    amy = first["LA-amy"]
    assert dfe_api.child_hash(dict(reversed(list(amy.items())))) == dfe_api.child_hash(amy)


def test_delta_after_one_change_holds_just_that_child(
        documents: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Only Ben's plan changed: the delta is Ben alone; the full load is all three."""
    state = _delivered(documents["before"])
    delta = dfe_api.payload(documents["changed"], state, delta=True)
    assert list(delta.documents) == ["LA-ben"] and not delta.purged
    assert delta.unchanged == 2
    plan = delta.documents["LA-ben"]["social_care_episodes"][0]["child_protection_plans"][0]
    assert plan["end_date"] == "2025-02-01"
    full = dfe_api.payload(documents["changed"], state, delta=False)
    assert sorted(full.documents) == ["LA-amy", "LA-ben", "LA-cat"]


def test_removed_child_and_record_are_purged(
        documents: dict[str, dict[str, dict[str, Any]]]) -> None:
    """Cat's record is gone: she is sent as a purge. Amy's assessment is gone: her document
    goes again, with a purge for that assessment."""
    state = _delivered(documents["changed"])
    delta = dfe_api.payload(documents["removed"], state, delta=True)
    assert delta.purged == {"LA-cat": {"la_child_id": "LA-cat", "mis_child_id": "LA-cat",
                                       "purge": True}}
    episode = delta.documents["LA-amy"]["social_care_episodes"][0]
    assessment_id = documents["changed"]["LA-amy"]["social_care_episodes"][0][
        "child_and_family_assessments"][0]["child_and_family_assessment_id"]
    assert episode["child_and_family_assessments"] == [
        {"child_and_family_assessment_id": assessment_id, "purge": True}]
    after = dfe_api.advance(state, documents["removed"], delta, ["LA-cat", "LA-amy"], RUN)
    assert sorted(after.children) == ["LA-amy", "LA-ben"]


def test_a_child_not_accepted_goes_again(
        documents: dict[str, dict[str, dict[str, Any]]]) -> None:
    """DfE refused Ben's changed document: the state keeps his old hash, so the next delta
    sends him again."""
    state = _delivered(documents["before"])
    delta = dfe_api.payload(documents["changed"], state, delta=True)
    after = dfe_api.advance(state, documents["changed"], delta, [], RUN)
    assert list(dfe_api.payload(documents["changed"], after, delta=True).documents) == \
        ["LA-ben"]


# -- the sender against a fake receiver ----------------------------------------------------

@pytest.fixture
def serve() -> Iterator[Callable[..., Receiver]]:
    """Start fake receivers (`serve([429, 503])`); all are shut down after the test."""
    started: list[Receiver] = []

    def start(statuses: list[int] = [], *, short_answer: bool = False) -> Receiver:  # noqa: B006
        started.append(Receiver(statuses, short_answer=short_answer))
        return started[-1]

    yield start
    for server in started:
        server.close()


def _records(count: int) -> list[dict[str, Any]]:
    return [{"la_child_id": f"C{i}", "purge": False} for i in range(count)]


def _sender(url: str, waits: list[float], **values: Any) -> Sender:
    return Sender(url, sleep=waits.append, **values)


def test_retries_429_and_5xx_with_back_off(serve: Callable[..., Receiver]) -> None:
    """429, then 503, then 200: three posts, waiting 5 s then 10 s; all accepted."""
    receiver = serve([429, 503])
    waits: list[float] = []
    result = _sender(receiver.url, waits).send(_records(3))
    assert result.posts == 3 and waits == [5.0, 10.0]
    assert sorted(result.accepted) == ["C0", "C1", "C2"] and not result.failed


def test_no_retry_on_400(serve: Callable[..., Receiver]) -> None:
    receiver = serve([400])
    waits: list[float] = []
    result = _sender(receiver.url, waits).send(_records(2))
    assert result.posts == 1 and waits == []
    assert set(result.failed) == {"C0", "C1"} and "HTTP 400" in result.failed["C0"]


def test_no_retry_on_413(serve: Callable[..., Receiver]) -> None:
    receiver = serve([413, 429])
    waits: list[float] = []
    result = _sender(receiver.url, waits).send(_records(1))
    assert result.posts == 1 and waits == [] and "HTTP 413" in result.failed["C0"]


def test_back_off_doubles_to_30_seconds_then_gives_up(serve: Callable[..., Receiver]) -> None:
    """Five tries: waits of 5, 10, 20 and 30 s (not 40), then the batch fails."""
    receiver = serve([429] * 5)
    waits: list[float] = []
    result = _sender(receiver.url, waits, tries=5).send(_records(1))
    assert waits == [5.0, 10.0, 20.0, 30.0] and result.posts == 5
    assert "HTTP 429" in result.failed["C0"]


def test_answer_without_one_reference_per_record_fails(
        serve: Callable[..., Receiver]) -> None:
    receiver = serve(short_answer=True)
    result = _sender(receiver.url, []).send(_records(2))
    assert not result.accepted and set(result.failed) == {"C0", "C1"}


def test_batches_of_100(serve: Callable[..., Receiver]) -> None:
    receiver = serve()
    result = _sender(receiver.url, []).send(_records(150))
    assert [len(body) for body in receiver.bodies] == [100, 50] and len(result.accepted) == 150


def test_no_answer_is_retried() -> None:
    """Nothing listens: each of the three tries fails to connect; the batch fails."""
    server = Receiver([])
    url = server.url
    server.close()
    waits: list[float] = []
    result = _sender(url, waits, timeout=2).send(_records(1))
    assert waits == [5.0, 10.0] and "no answer" in result.failed["C0"]


# -- the command ------------------------------------------------------------------------

def test_command_full_then_delta(stores: dict[str, Path], tmp_path: Path,
                                 serve: Callable[..., Receiver],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A full load sent and accepted writes the state; a delta of the same store then has
    nothing to send."""
    receiver = serve()
    monkeypatch.setenv("GOLDENTHREAD_DFE_SUPPLIER_KEY", "test-key")
    common = ["returns", "dfe-api", "--year", "2025", "--date", "2025-03-31",
              "--out", str(tmp_path), "--store", str(stores["before"])]
    call_command(*common, "--send", receiver.url)
    assert len(receiver.bodies[0]) == 3 and receiver.headers[0]["SupplierKey"] == "test-key"
    state = dfe_api.load_state(tmp_path / "dfe_api_state.json")
    assert sorted(state.children) == ["LA-amy", "LA-ben", "LA-cat"]
    call_command(*common, "--delta")
    manifest = json.loads((tmp_path / "dfe_api_2025-03-31_delta" / "manifest.json").read_text())
    assert (manifest["sent"], manifest["unchanged"]) == (0, 3)


@pytest.fixture
def token_endpoint(monkeypatch: pytest.MonkeyPatch) -> Iterator[TokenEndpoint]:
    """A fake OAuth token endpoint, and the environment pointing at it (made-up secret)."""
    endpoint = TokenEndpoint()
    for key, value in {"token_endpoint": endpoint.url, "client_id": "la-client",
                       "client_secret": "made-up-secret", "scope": "api://dfe/.default"
                       }.items():
        monkeypatch.setenv(OAUTH_ENV[key], value)
    yield endpoint
    endpoint.close()


def test_command_sends_with_a_token_by_client_credentials(
        stores: dict[str, Path], tmp_path: Path, serve: Callable[..., Receiver],
        token_endpoint: TokenEndpoint) -> None:
    receiver = serve()
    call_command("returns", "dfe-api", "--year", "2025", "--date", "2025-03-31", "--out",
                 str(tmp_path), "--store", str(stores["before"]), "--send", receiver.url)
    assert receiver.headers[0]["Authorization"] == "Bearer token-1"
    assert token_endpoint.forms[0]["grant_type"] == "client_credentials"


def test_command_sends_nothing_when_the_secret_is_refused(
        stores: dict[str, Path], tmp_path: Path, serve: Callable[..., Receiver],
        token_endpoint: TokenEndpoint) -> None:
    """The token endpoint refuses the credentials: no child is posted, the run fails with
    status 1 naming the endpoint (not the secret), and no state is kept, so every child
    goes on the next run."""
    receiver = serve()
    token_endpoint.answers = [401]
    with pytest.raises(CommandError) as failed:
        call_command("returns", "dfe-api", "--year", "2025", "--date", "2025-03-31", "--out",
                     str(tmp_path), "--store", str(stores["before"]), "--send", receiver.url)
    assert failed.value.returncode == 1 and "nothing was sent" in str(failed.value)
    assert token_endpoint.url in str(failed.value)
    assert "made-up-secret" not in str(failed.value)
    assert receiver.bodies == [] and not (tmp_path / "dfe_api_state.json").exists()


def test_command_refuses_incomplete_credentials(stores: dict[str, Path], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(OAUTH_ENV["token_endpoint"], "https://login.example/token")
    with pytest.raises(CommandError) as refused:
        call_command("returns", "dfe-api", "--year", "2025", "--out", str(tmp_path),
                     "--store", str(stores["before"]), "--send", "https://dfe.example/children")
    assert refused.value.returncode == 2 and "GOLDENTHREAD_DFE_CLIENT_SECRET" in \
        str(refused.value)
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("extra", "named"), [
    (["--year", "20x5"], "--year"), (["--year", "2025", "--date", "2025-04-01"], "--date"),
    (["--year", "2025", "--send", "ftp://dfe"], "--send"), (["--year", "2025", "--delta"],
                                                           "--delta")])
def test_command_refuses_bad_input(stores: dict[str, Path], tmp_path: Path,
                                   extra: list[str], named: str) -> None:
    with pytest.raises(CommandError) as refused:
        call_command("returns", "dfe-api", *extra, "--out", str(tmp_path), "--store",
                     str(stores["before"]))
    assert refused.value.returncode == 2 and str(refused.value).startswith(named)
    assert not list(tmp_path.iterdir())
