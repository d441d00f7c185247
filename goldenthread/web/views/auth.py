"""Sign-in with a password, then a TOTP code; enrolment of the authenticator app."""

from __future__ import annotations

import base64
from urllib.parse import quote

from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from goldenthread.access.actions import do_confirm_totp_device, unconfirmed_totp_device
from goldenthread.web.rules import access_rule, signed_in_user

login = access_rule("public")(auth_views.LoginView.as_view(
    template_name="accounts/login.html", redirect_authenticated_user=True))


@access_rule("public")
@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth.logout(request)  # flushes the session: its cookie is worthless from now on
    return redirect("login")


@access_rule("enrolling")
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = confirmed or unconfirmed_totp_device(user)
    error = ""
    if request.method == "POST":
        token = request.POST.get("token", "").strip().replace(" ", "")
        if token.isdigit() and device.verify_token(token):
            if not device.confirmed:
                do_confirm_totp_device(user, device)
            otp_login(request, device)
            target = request.GET.get("next", "")
            if not url_has_allowed_host_and_scheme(target, {request.get_host()},
                                                   require_https=request.is_secure()):
                target = "/"
            return redirect(target)
        error = "The code is not right: enter the 6 digits your authenticator app shows now"
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = {"enrolling": not device.confirmed, "error": error, "key": key,
               "otpauth": f"otpauth://totp/goldenthread:{quote(user.get_username())}"
                          f"?secret={key}&issuer=goldenthread"}
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


@access_rule("public")
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
