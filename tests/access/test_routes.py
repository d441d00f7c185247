"""Route inventory: every URL declares its access rule. A new URL without one fails."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from goldenthread.web.rules import RULES


def patterns(resolver: Any = None, prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_url_declares_a_known_access_rule() -> None:
    undeclared = [route for route, view in patterns()
                  if getattr(view, "access_rule", None) not in RULES]
    assert undeclared == []


def test_only_the_sign_in_pages_and_health_check_are_public() -> None:
    public = sorted(route for route, view in patterns() if view.access_rule == "public")
    assert public == ["accounts/login/", "accounts/logout/", "healthz"]
