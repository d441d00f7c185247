"""Send the DfE API payload (dfe_api.py) to the children's social care data receiver.

Standard library only (urllib). Records go as JSON arrays of up to 100 children in
`POST {endpoint}` (DfE's: {API_ENDPOINT}/children_social_care_data/{LA_CODE}/children).
A batch is accepted when DfE answers 200 with a JSON list of one "<date>_<time>_<uuid>"
reference per record, in order (reference/dfe-api.md §2.2).

Retries, as DfE's reference sender (dfe-csc-api-data-flows, api_pipeline/api.py): a batch
answered 401, 403 or 429 is tried again after 5 s, then 10 s (doubling, at most 30 s), three
tries in all. We also retry a 5xx answer and a connection that fails or times out: both
are passing faults of the receiver or the network. Any other answer (400 malformed, 413 too
large, 204, other 4xx) fails the batch at once, since sending it again cannot help. A batch
that fails leaves its children unsent; the others go on.

With `credentials` (dfe_token.py) each batch carries the OAuth token as `Authorization:
Bearer`, and a batch answered 401 fetches a new token before its next try.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from goldenthread.returns.dfe_token import ClientCredentials, TokenError

__all__ = ["RETRY_STATUSES", "SendResult", "Sender", "retryable"]

RETRY_STATUSES = frozenset({401, 403, 429})
MESSAGES = {204: "no content", 400: "malformed payload", 401: "invalid API token",
            403: "API access disallowed", 413: "payload exceeds the limit",
            429: "rate limit exceeded"}


def retryable(status: int) -> bool:
    return status in RETRY_STATUSES or 500 <= status <= 599


@dataclass
class SendResult:
    """By la_child_id: DfE's reference for each accepted record, the reason for each
    failed one; `waits`: the pauses before retries, in seconds."""

    accepted: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    waits: list[float] = field(default_factory=list)
    posts: int = 0


@dataclass
class Sender:
    endpoint: str
    headers: Mapping[str, str] = field(default_factory=dict)
    credentials: ClientCredentials | None = None
    batch_size: int = 100
    tries: int = 3
    first_wait: float = 5.0
    longest_wait: float = 30.0
    timeout: float = 60.0
    sleep: Callable[[float], None] = time.sleep

    def _headers(self, refresh: bool) -> dict[str, str]:
        headers = {"Content-Type": "application/json", **self.headers}
        if self.credentials is not None:
            headers["Authorization"] = f"Bearer {self.credentials.token(refresh=refresh)}"
        return headers

    def _post(self, body: bytes, headers: Mapping[str, str]) -> tuple[int, str]:
        """(status, text); (0, reason) when no answer came."""
        request = urllib.request.Request(  # noqa: S310 - the endpoint is the LA's setting
            self.endpoint, data=body, method="POST", headers=dict(headers))
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                return int(answer.status), answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            return int(error.code), error.read().decode("utf-8", "replace")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            return 0, str(getattr(error, "reason", error))

    def _batch(self, batch: Sequence[Mapping[str, Any]], result: SendResult,
               progress: Callable[[int], None] | None) -> None:
        ids = [str(record["la_child_id"]) for record in batch]
        body = json.dumps(list(batch), ensure_ascii=False).encode("utf-8")
        wait, refresh = self.first_wait, False
        for attempt in range(1, self.tries + 1):
            try:
                headers = self._headers(refresh)
            except TokenError as error:
                result.failed.update(dict.fromkeys(ids, f"no API token: {error}"))
                break
            result.posts += 1
            status, text = self._post(body, headers)
            refresh = status == 401
            if status == 200:
                self._accept(ids, text, result)
                break
            reason = (f"HTTP {status}: {MESSAGES.get(status, 'unexpected answer')}"
                      if status else f"no answer: {text}")
            if (status and not retryable(status)) or attempt == self.tries:
                result.failed.update(dict.fromkeys(ids, f"{reason} — {text[:200]}".strip()))
                break
            result.waits.append(wait)
            self.sleep(wait)
            wait = min(self.longest_wait, wait * 2)
        if progress is not None:
            progress(len(batch))

    @staticmethod
    def _accept(ids: list[str], text: str, result: SendResult) -> None:
        try:
            references = json.loads(text)
        except ValueError:
            references = None
        if not isinstance(references, list) or len(references) != len(ids):
            count = len(references) if isinstance(references, list) else "no list"
            result.failed.update(dict.fromkeys(
                ids, f"HTTP 200 but the answer is not one reference per record ({count} for "
                     f"{len(ids)})"))
            return
        result.accepted.update(zip(ids, map(str, references), strict=True))

    def send(self, records: Sequence[Mapping[str, Any]],
             progress: Callable[[int], None] | None = None) -> SendResult:
        result = SendResult()
        for start in range(0, len(records), self.batch_size):
            self._batch(records[start:start + self.batch_size], result, progress)
        return result
