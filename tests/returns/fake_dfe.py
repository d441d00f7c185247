"""Fake DfE services on 127.0.0.1 for the sender's tests (no network): the children's
social care data receiver and the OAuth token endpoint."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """An HTTP server on 127.0.0.1 answering each POST with the next scripted status;
    200 answers one reference per record, as DfE does."""

    def __init__(self, statuses: list[int], *, short_answer: bool = False) -> None:
        self.statuses = list(statuses)
        self.bodies: list[list[dict[str, Any]]] = []
        self.headers: list[Any] = []  # http.client.HTTPMessage: names in any case
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.bodies.append(body)
                receiver.headers.append(self.headers)
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                count = len(body) - 1 if short_answer else len(body)
                text = json.dumps([f"2025-03-31_01:02:03.000_{i}" for i in range(count)]) \
                    if status == 200 else '{"error": "scripted"}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(text.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/children"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class TokenEndpoint:
    """An OAuth 2.0 token endpoint: each POST gets the next scripted answer, a status
    (200: a new token "token-1", "token-2"... valid for `lifetime` seconds) or raw text."""

    def __init__(self, answers: list[int | str] | None = None, *, lifetime: int = 3600
                 ) -> None:
        self.answers = list(answers or [])
        self.forms: list[dict[str, str]] = []
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                text = self.rfile.read(int(self.headers["Content-Length"])).decode()
                endpoint.forms.append(dict(urllib.parse.parse_qsl(text)))
                answer = endpoint.answers.pop(0) if endpoint.answers else 200
                status, body = (200, answer) if isinstance(answer, str) else (answer, "")
                if answer == 200:
                    body = json.dumps({"access_token": f"token-{len(endpoint.forms)}",
                                       "token_type": "Bearer", "expires_in": lifetime})
                elif not body:
                    body = json.dumps({"error": "invalid_client",
                                       "error_description": "scripted refusal"})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/oauth2/token"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
