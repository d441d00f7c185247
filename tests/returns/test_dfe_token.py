"""The DfE API token by OAuth 2.0 client credentials, and the sender using it, against fake
services on 127.0.0.1 (no network). The credentials are made up for the test."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from goldenthread.returns.dfe_sender import Sender
from goldenthread.returns.dfe_token import (
    OAUTH_ENV,
    ClientCredentials,
    TokenError,
    credentials_from,
)
from tests.returns.fake_dfe import Receiver, TokenEndpoint

SECRET = "not-a-real-secret-7f3a"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def services() -> Iterator[dict[str, Any]]:
    """A token endpoint and a receiver; each test scripts their answers."""
    made: dict[str, Any] = {"token": TokenEndpoint(), "receiver": Receiver([])}
    yield made
    for service in made.values():
        service.close()


def _credentials(url: str, clock: Clock | None = None) -> ClientCredentials:
    return ClientCredentials(url, "la-client-id", SECRET, "api://dfe-csc/.default",
                             clock=clock or Clock())


def test_token_asked_for_with_the_four_form_fields(services: dict[str, Any]) -> None:
    endpoint: TokenEndpoint = services["token"]
    assert _credentials(endpoint.url).token() == "token-1"
    assert endpoint.forms == [{"grant_type": "client_credentials", "client_id": "la-client-id",
                               "client_secret": SECRET, "scope": "api://dfe-csc/.default"}]


def test_token_kept_until_a_minute_before_it_expires(services: dict[str, Any]) -> None:
    """Valid for an hour: still kept after 58 minutes; fetched again after 59 (within a
    minute of expiry), so a batch never goes with a token about to lapse."""
    clock = Clock()
    credentials = _credentials(services["token"].url, clock)
    assert credentials.token() == "token-1"
    clock.now += 58 * 60
    assert credentials.token() == "token-1" and credentials.fetched == 1
    clock.now += 60 + 1
    assert credentials.token() == "token-2" and credentials.fetched == 2


def test_refused_credentials_named_without_the_secret(services: dict[str, Any]) -> None:
    endpoint: TokenEndpoint = services["token"]
    endpoint.answers = [401]
    with pytest.raises(TokenError) as refused:
        _credentials(endpoint.url).token()
    message = str(refused.value)
    assert endpoint.url in message and "HTTP 401" in message and "invalid_client" in message
    assert SECRET not in message


def test_answer_without_a_token_is_an_error(services: dict[str, Any]) -> None:
    services["token"].answers = ['{"token_type": "Bearer"}']
    with pytest.raises(TokenError, match="without an access_token"):
        _credentials(services["token"].url).token()


def test_unreachable_endpoint_is_an_error() -> None:
    endpoint = TokenEndpoint()
    url = endpoint.url
    endpoint.close()
    with pytest.raises(TokenError, match="did not answer"):
        ClientCredentials(url, "id", SECRET, "scope", timeout=2).token()


def test_each_batch_carries_the_token(services: dict[str, Any]) -> None:
    receiver: Receiver = services["receiver"]
    sender = Sender(receiver.url, credentials=_credentials(services["token"].url),
                    sleep=lambda _: None)
    result = sender.send([{"la_child_id": f"C{i}"} for i in range(150)])
    assert len(result.accepted) == 150
    assert [h["Authorization"] for h in receiver.headers] == ["Bearer token-1"] * 2


def test_a_401_fetches_a_new_token_before_the_next_try(services: dict[str, Any]) -> None:
    """The receiver refuses the first token (it lapsed at DfE's end): the batch goes again,
    after the reference back-off, with a new one, and is accepted."""
    receiver: Receiver = services["receiver"]
    receiver.statuses = [401]
    waits: list[float] = []
    credentials = _credentials(services["token"].url)
    result = Sender(receiver.url, credentials=credentials, sleep=waits.append).send(
        [{"la_child_id": "C0"}])
    assert result.accepted and waits == [5.0] and credentials.fetched == 2
    assert [h["Authorization"] for h in receiver.headers] == ["Bearer token-1",
                                                              "Bearer token-2"]


def test_no_new_token_fails_the_batch_without_posting(services: dict[str, Any]) -> None:
    receiver: Receiver = services["receiver"]
    receiver.statuses = [401]
    services["token"].answers = [200, 503]
    result = Sender(receiver.url, credentials=_credentials(services["token"].url),
                    sleep=lambda _: None).send([{"la_child_id": "C0"}])
    assert result.posts == 1 and "no API token" in result.failed["C0"]
    assert "HTTP 503" in result.failed["C0"] and SECRET not in result.failed["C0"]


def test_credentials_from_an_environment_without_them() -> None:
    assert credentials_from({}) is None


def test_credentials_from_the_environment() -> None:
    environ = dict(zip(OAUTH_ENV.values(), ["https://login.example/token", "id", SECRET,
                                            "scope"], strict=True))
    found = credentials_from(environ)
    assert found is not None and (found.token_endpoint, found.client_id, found.scope) == \
        ("https://login.example/token", "id", "scope")
    assert SECRET not in repr(found)


@pytest.mark.parametrize(("environ", "named"), [
    ({OAUTH_ENV["token_endpoint"]: "https://login.example/token"},
     "GOLDENTHREAD_DFE_CLIENT_ID, GOLDENTHREAD_DFE_CLIENT_SECRET, GOLDENTHREAD_DFE_SCOPE not"),
    ({**dict.fromkeys(OAUTH_ENV.values(), "x"), OAUTH_ENV["token_endpoint"]: "login.example"},
     "GOLDENTHREAD_DFE_TOKEN_ENDPOINT: 'login.example' is not an http(s) URL"),
    ({**dict.fromkeys(OAUTH_ENV.values(), "https://x"), "GOLDENTHREAD_DFE_API_TOKEN": "t"},
     "both GOLDENTHREAD_DFE_API_TOKEN and the OAuth client credentials are set"),
])
def test_incomplete_or_contradictory_settings_are_refused(environ: dict[str, str],
                                                          named: str) -> None:
    with pytest.raises(ValueError, match=re.escape(named)):
        credentials_from(environ)
