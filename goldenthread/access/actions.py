"""Writes about access: grants, break-glass, two-factor enrolment, and the audit events of
looking at records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from goldenthread.access.models import AccessGrant, BreakGlass
from goldenthread.access.policy import has_role_flag
from goldenthread.accounts.models import User
from goldenthread.audit.models import AuditAction, AuditEvent
from goldenthread.audit.trail import record_event
from goldenthread.core.errors import refuse
from goldenthread.records.models import Person

BREAK_GLASS_HOURS = 4


def record_viewed(user: User, person: Person, *, page: str, reason: str = "") -> AuditEvent:
    """One VIEW event per page of a child's record that a user opens."""
    return record_event(actor=user, action=AuditAction.VIEW, subject=person,
                        person_id=person.pk, reason=reason, detail={"page": page})


def record_searched(user: User, *, terms: dict[str, str], results: int) -> AuditEvent:
    return record_event(actor=user, action=AuditAction.SEARCH,
                        detail={"terms": terms, "results": results})


def record_exported(user: User, *, export: str, row_count: int) -> AuditEvent:
    return record_event(actor=user, action=AuditAction.EXPORT,
                        detail={"export": export, "row_count": row_count})


@transaction.atomic
def do_break_glass(user: User, person: Person, *, reason: str) -> BreakGlass:
    """Open a child's record outside usual access, for a few hours, with a reason.

    Restricted records are never opened this way: they need an explicit grant.
    """
    if not has_role_flag(user, "may_break_glass"):
        raise refuse("user", "your role cannot use break-glass access")
    if len(reason.strip()) < 10:
        raise refuse("reason", "is too short; say why you need this child's record now "
                               "(at least 10 characters)")
    if person.is_restricted:
        raise refuse("person", "is a restricted record; ask for an explicit grant")
    now = timezone.now()
    glass = BreakGlass.objects.create(user=user, person=person, reason=reason.strip(),
                                      started_at=now,
                                      expires_at=now + dt.timedelta(hours=BREAK_GLASS_HOURS))
    record_event(actor=user, action=AuditAction.BREAK_GLASS, subject=glass, person_id=person.pk,
                 reason=glass.reason, after={"expires_at": glass.expires_at.isoformat()})
    return glass


@transaction.atomic
def do_grant_access(person: Person, *, to: User, reason: str, acting_user: User,
                    ends_at: dt.datetime | None = None) -> AccessGrant:
    if not reason.strip():
        raise refuse("reason", "(blank); say why this person needs the restricted record")
    grant = AccessGrant.objects.create(user=to, person=person, granted_by=acting_user,
                                       reason=reason.strip(), starts_at=timezone.now(),
                                       ends_at=ends_at)
    record_event(actor=acting_user, action=AuditAction.GRANT, subject=grant,
                 person_id=person.pk, reason=grant.reason,
                 after={"user": to.get_username(),
                        "ends_at": ends_at.isoformat() if ends_at else None})
    return grant


@transaction.atomic
def do_restrict_record(person: Person, *, reason: str, acting_user: User) -> Person:
    from goldenthread.records.actions.base import change_record

    return change_record(person, acting_user=acting_user, expected_version=person.version,
                         is_restricted=True, restriction_reason=reason, audit_reason=reason)


def unconfirmed_totp_device(user: User) -> TOTPDevice:
    """The device being enrolled: reused until confirmed, so a reload shows the same key."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator app",
                                           confirmed=False)
    return device


@transaction.atomic
def do_confirm_totp_device(user: User, device: TOTPDevice) -> TOTPDevice:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_event(actor=user, action=AuditAction.CHANGE, subject=device,
                 detail={"two_factor": "enrolled"})
    return device


@transaction.atomic
def do_create_demo_user(username: str, *, password: str, roles: list[str],
                        acting_user: User) -> User:
    """A sign-in for the local demo (refused by the command outside demo mode)."""
    from goldenthread.accounts.models import Role

    user = User.objects.filter(username=username).first() or User(username=username)
    user.set_password(password)
    user.first_name, user.last_name = username.split("-", 1)[-1].title(), "(demo)"
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    record_event(actor=acting_user, action=AuditAction.CHANGE, subject=user,
                 detail={"demo_user": username, "roles": roles})
    return user
