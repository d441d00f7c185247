"""Context every page gets: the CSP nonce, the council's name and the service navigation."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from goldenthread.access.policy import has_role_flag
from goldenthread.accounts.models import User
from goldenthread.records.models import LocalAuthority


def csp(request: HttpRequest) -> dict[str, object]:
    # The GOV.UK page template reads `cspNonce` for its one inline script. str() makes the
    # nonce now: django-csp's lazy nonce is falsy in `{% if %}` until something reads it.
    nonce = getattr(request, "csp_nonce", None)
    return {"cspNonce": str(nonce) if nonce is not None else ""}


def council_name() -> str:
    """The council this installation serves: its current LocalAuthority row, else settings."""
    # Plain SQL: on every page, and the ORM's compilation cost more than the read.
    table = connection.ops.quote_name(LocalAuthority._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT name FROM {table} WHERE archived_at IS NULL "  # noqa: S608
                       "ORDER BY id LIMIT 1")
        current = cursor.fetchone()
    return str(current[0]) if current and current[0] else settings.LA_NAME


@dataclass(frozen=True)
class NavItem:
    """One entry of the service navigation, shown when the user's roles carry `flag` (no
    flag: every signed-in user)."""

    text: str
    url_name: str
    flag: str = ""


NAVIGATION = (
    NavItem("My work", "home"),
    NavItem("Find a person", "search"),
    NavItem("Record a contact", "new_contact", "may_record"),
    NavItem("Break-glass review", "break_glass_review", "manages_staff"),
    NavItem("Pseudonymised export", "pseudonymised_people", "sees_pseudonymised_rows"),
)


def navigation(request: HttpRequest) -> list[dict[str, object]]:
    """The service navigation for the signed-in user, the current page marked."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return []
    items: list[dict[str, object]] = []
    for item in NAVIGATION:
        if item.flag and not has_role_flag(user, item.flag):
            continue
        href = reverse(item.url_name)
        # The page itself is "current"; a page below it (a child found by search) "active".
        items.append({"text": item.text, "href": href, "current": request.path == href,
                      "active": href != "/" and request.path.startswith(href)})
    return items


def shell(request: HttpRequest) -> dict[str, object]:
    """What base.html needs."""
    user = request.user
    return {"la_name": council_name(), "service_navigation": navigation(request),
            # Links to the recording pages are shown only to a role that may record.
            "may_record": isinstance(user, User) and has_role_flag(user, "may_record")}
