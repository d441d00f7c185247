"""Security headers Django does not set itself."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # Pages about children must not linger in shared or browser caches.
        if request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")
        return response


class OneTransactionPerRequest:
    """On PostgreSQL, run each request (view, audit event and session save) in one
    transaction: one commit, one WAL flush, instead of one per write. Actions nest inside
    as savepoints.

    Not on SQLite: there every transaction takes the database's one write lock (IMMEDIATE
    mode), and commits are cheap (WAL, synchronous=NORMAL), so autocommit is better.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql":
            return self.get_response(request)
        with transaction.atomic():
            return self.get_response(request)
