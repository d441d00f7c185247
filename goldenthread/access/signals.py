"""Sign-ins, sign-outs and failed sign-ins go to the audit trail."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction
from goldenthread.audit.trail import record_event


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    record_event(actor=user, action=AuditAction.LOGIN)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(actor=user, action=AuditAction.LOGOUT)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None,
                  **kwargs: Any) -> None:
    user = User.objects.filter(username=credentials.get("username", "")).first()
    if user is not None:
        record_event(actor=user, action=AuditAction.LOGIN_FAILED)
