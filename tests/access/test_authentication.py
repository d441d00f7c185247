"""The usual attacks on sign-in fail: session fixation, CSRF, a stolen session after
sign-out, brute force; the second factor is required; idle sessions expire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from goldenthread.accounts.models import User
from tests.conftest import HttpsClient
from tests.factories import UserFactory
from tests.world import World, sign_in

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def sam(db: None) -> User:
    user = UserFactory(username="sam")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in_with_password(client: Client, username: str = "sam",
                          password: str = PASSWORD) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_session_key_changes_at_sign_in(sam: User) -> None:
    """Session fixation: a session planted before sign-in is not the one signed in."""
    client = HttpsClient()
    session = client.session
    session["planted"] = True
    session.save()
    planted = session.session_key
    assert sign_in_with_password(client) == 302
    assert client.session.session_key != planted


def test_post_without_csrf_token_is_refused(sam: User) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "sam", "password": PASSWORD},
                           secure=True)
    assert response.status_code == 403


def test_session_is_worthless_after_sign_out(world: World) -> None:
    """A session cookie copied before sign-out opens nothing afterwards."""
    client = sign_in(HttpsClient(), world.users["sam"])
    stolen = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = HttpsClient()
    thief.cookies["sessionid"] = stolen
    response = thief.get(reverse("person", args=[world.children["ella"].pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_brute_force_locks_the_account(sam: User) -> None:
    """After 5 wrong passwords even the right one is refused (429) for the cool-off."""
    client = HttpsClient()
    for _ in range(5):
        sign_in_with_password(client, password="wrong guess")
    assert sign_in_with_password(client) == 429


def test_idle_session_expires(world: World) -> None:
    client = sign_in(HttpsClient(), world.users["sam"])
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_first_sign_in_enrols_an_authenticator_then_opens(sam: User) -> None:
    client = HttpsClient()
    sign_in_with_password(client)
    page = client.get(reverse("two_factor"))
    assert "Set up your authenticator app" in page.content.decode()
    device = TOTPDevice.objects.get(user=sam, confirmed=False)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert client.post(reverse("two_factor"), {"token": token}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("home")).status_code == 200


def test_wrong_code_is_refused_with_a_message(sam: User) -> None:
    client = HttpsClient()
    sign_in_with_password(client)
    response = client.post(reverse("two_factor"), {"token": "000000x"})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_security_headers_on_every_page(world: World) -> None:
    response = sign_in(HttpsClient(), world.users["sam"]).get(reverse("home"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp and "nonce-" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" in response


def test_inline_script_carries_the_csp_nonce(world: World) -> None:
    response = sign_in(HttpsClient(), world.users["sam"]).get(reverse("home"))
    nonce = response["Content-Security-Policy"].split("nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in response.content.decode()


def test_session_cookie_is_secure_and_http_only(sam: User) -> None:
    client = HttpsClient()
    sign_in_with_password(client)
    cookie = client.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_busy_session_is_saved_once_a_minute_not_on_every_page(world: World) -> None:
    """The idle timeout without an UPDATE per page: a page soon after the last save leaves
    the session as it was; once SESSION_REFRESH_SECONDS have passed, a page pushes its
    expiry on again, so a user at work is not signed out."""
    client = sign_in(HttpsClient(), world.users["sam"])
    assert client.get(reverse("home")).status_code == 200  # stamps the session
    first = _expiry(client)
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) == first
    session = client.session
    session["_touched"] = session["_touched"] - 61  # as if the last save were a minute ago
    session.save()
    pushed = _expiry(client)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=pushed - dt.timedelta(minutes=5))
    assert client.get(reverse("home")).status_code == 200
    assert _expiry(client) > pushed - dt.timedelta(minutes=5)


def test_a_session_never_outlives_the_idle_timeout(world: World) -> None:
    """However often the user works, the stored expiry is never more than
    SESSION_COOKIE_AGE after the latest request."""
    client = sign_in(HttpsClient(), world.users["sam"])
    for _ in range(3):
        client.get(reverse("home"))
        latest = timezone.now()
        assert _expiry(client) <= latest + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)


def test_no_session_for_anonymous_visitors(db: None) -> None:
    client = HttpsClient()
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert "sessionid" not in client.cookies
    assert not Session.objects.exists()
