"""Context every page gets."""

from __future__ import annotations

from django.http import HttpRequest


def csp(request: HttpRequest) -> dict[str, object]:
    # The GOV.UK page template reads `cspNonce` for its one inline script. str() makes the
    # nonce now: django-csp's lazy nonce is falsy in `{% if %}` until something reads it.
    nonce = getattr(request, "csp_nonce", None)
    return {"cspNonce": str(nonce) if nonce is not None else ""}
