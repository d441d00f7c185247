"""Security headers Django does not set itself; the idle timeout of sessions; one
transaction per request on PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
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


SESSION_TOUCHED = "_touched"  # when the session was last saved, seconds since the epoch


class IdleTimeout:
    """Keeps the session's expiry (SESSION_COOKIE_AGE) an idle timeout without saving the
    session on every request: a signed-in session is saved again, and so its expiry pushed
    on, only once SESSION_REFRESH_SECONDS have passed since it was last saved. A session
    therefore ends at most SESSION_COOKIE_AGE after the last request, and never later
    (docs/security.md). Goes just inside SessionMiddleware, which saves a modified session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Signed-in sessions only (reading the key loads the session; an unknown or expired
        # key loads as empty): anonymous visitors get no session from this.
        if session is None or SESSION_KEY not in session:
            return response
        now = time.time()
        touched = session.get(SESSION_TOUCHED)
        if session.modified or not isinstance(touched, int | float) \
                or not 0 <= now - touched < settings.SESSION_REFRESH_SECONDS:
            session[SESSION_TOUCHED] = now  # saved by SessionMiddleware on the way out
        return response
