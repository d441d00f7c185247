"""Every URL declares its access rule; the route-inventory test fails a URL without one.

A rule decides whether a user may reach a *page* at all; which children's records the page
may show is decided by `goldenthread.access.policy`, which every page about a child calls.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from goldenthread.access.policy import has_role_flag
from goldenthread.accounts.models import User

View = Callable[..., HttpResponseBase]

RULES: dict[str, str] = {
    "public": "anyone, signed in or not (sign-in page, health check)",
    "enrolling": "signed in with a password, two-factor not yet done (two-factor pages)",
    "signed_in": "signed in with two factors; shows only what access.policy allows",
    "child_record": "signed in with two factors; the child must be in access.policy's reach, "
                    "else 404",
    "recording": "signed in with two factors and a role that may record; the child (if "
                 "any) must be in access.policy's reach, else 404",
    "break_glass": "signed in with two factors and a role that may break glass",
    "manager": "signed in with two factors and a role that manages staff",
    "analyst": "signed in with two factors and a role that sees pseudonymised rows",
}
ROLE_FLAGS = {"recording": "may_record", "break_glass": "may_break_glass",
              "manager": "manages_staff", "analyst": "sees_pseudonymised_rows"}


def signed_in_user(request: HttpRequest) -> User:
    """The signed-in user of a request that passed its access rule."""
    user = request.user
    assert isinstance(user, User), "only for views behind a signed-in access rule"
    return user


def _two_factor_done(request: HttpRequest) -> bool:
    if not settings.OTP_REQUIRED:
        return True
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def access_rule(rule: str) -> Callable[[View], View]:
    if rule not in RULES:
        raise ValueError(f"access rule {rule!r} is not one of {sorted(RULES)}")

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if rule != "public":
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if rule != "enrolling" and not _two_factor_done(request):
                    return redirect("two_factor")
                flag = ROLE_FLAGS.get(rule)
                if flag and not has_role_flag(signed_in_user(request), flag):
                    raise Http404("No such page")
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorate
