"""Fake DfE services on 127.0.0.1 for the sender's tests (no network): the children's
social care data receiver and the OAuth token endpoint."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class FakeService:
    """An HTTP server on 127.0.0.1 that answers each POST with `answer(body, headers)`:
    (status, JSON text)."""

    path = "/"

    def __init__(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status, text = service.answer(body, self.headers)
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{self.path}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, body: bytes, headers: Any) -> tuple[int, str]:
        raise NotImplementedError

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Receiver(FakeService):
    """DfE's receiver: each POST gets the next scripted status; 200 answers one reference per
    record, as DfE does."""

    path = "/children"

    def __init__(self, statuses: list[int], *, short_answer: bool = False) -> None:
        self.statuses = list(statuses)
        self.short_answer = short_answer
        self.bodies: list[list[dict[str, Any]]] = []
        self.headers: list[Any] = []  # http.client.HTTPMessage: names in any case
        super().__init__()

    def answer(self, body: bytes, headers: Any) -> tuple[int, str]:
        records = json.loads(body)
        self.bodies.append(records)
        self.headers.append(headers)
        status = self.statuses.pop(0) if self.statuses else 200
        count = len(records) - 1 if self.short_answer else len(records)
        if status != 200:
            return status, '{"error": "scripted"}'
        return 200, json.dumps([f"2025-03-31_01:02:03.000_{i}" for i in range(count)])


class TokenEndpoint(FakeService):
    """An OAuth 2.0 token endpoint: each POST gets the next scripted answer, a status
    (200: a new token "token-1", "token-2"... valid for `lifetime` seconds) or raw text."""

    path = "/oauth2/token"

    def __init__(self, answers: list[int | str] | None = None, *, lifetime: int = 3600
                 ) -> None:
        self.answers = list(answers or [])
        self.lifetime = lifetime
        self.forms: list[dict[str, str]] = []
        super().__init__()

    def answer(self, body: bytes, headers: Any) -> tuple[int, str]:
        self.forms.append(dict(urllib.parse.parse_qsl(body.decode())))
        scripted = self.answers.pop(0) if self.answers else 200
        if isinstance(scripted, str):
            return 200, scripted
        if scripted == 200:
            return 200, json.dumps({"access_token": f"token-{len(self.forms)}",
                                    "token_type": "Bearer", "expires_in": self.lifetime})
        return scripted, json.dumps({"error": "invalid_client",
                                     "error_description": "scripted refusal"})
