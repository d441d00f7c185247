"""The DfE receiver's access token, fetched with OAuth 2.0 client credentials.

DfE issues each local authority a client id and secret for its token endpoint, and a scope
(reference/dfe-api.md §2.2; DfE's reference sender, dfe-csc-api-data-flows
api_pipeline/auth.py, POSTs the same four form fields). The token goes in every batch's
`Authorization: Bearer` header. It is kept until a minute before it expires (`expires_in`,
an hour when the endpoint does not say) and fetched again then, or at once when the
receiver answers 401 ("invalid API token"): a nightly run of many batches can outlive one
token. Standard library only (urllib), as the sender.

The secret never appears in a message: errors name the endpoint, the HTTP status and the
OAuth error the endpoint gave.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

__all__ = ["OAUTH_ENV", "STATIC_TOKEN_ENV", "ClientCredentials", "TokenError", "credentials_from"]

EXPIRY_MARGIN = 60.0  # seconds before expiry when a kept token is no longer used
DEFAULT_LIFETIME = 3600.0


class TokenError(Exception):
    """The token endpoint gave no usable token."""


@dataclass
class ClientCredentials:
    token_endpoint: str
    client_id: str
    client_secret: str = field(repr=False)
    scope: str
    timeout: float = 30.0
    clock: Callable[[], float] = time.monotonic
    fetched: int = 0  # tokens fetched so far
    _token: str | None = field(default=None, repr=False)
    _expires: float = 0.0

    def token(self, *, refresh: bool = False) -> str:
        """A token valid for at least a minute more; `refresh` fetches a new one whatever
        the one kept says (the receiver refused it)."""
        if refresh or self._token is None or self.clock() >= self._expires - EXPIRY_MARGIN:
            self._token, lifetime = self._fetch()
            self._expires = self.clock() + lifetime
        return self._token

    def _fetch(self) -> tuple[str, float]:
        form = urllib.parse.urlencode({
            "grant_type": "client_credentials", "client_id": self.client_id,
            "client_secret": self.client_secret, "scope": self.scope}).encode("ascii")
        request = urllib.request.Request(  # noqa: S310 - the endpoint is the LA's setting
            self.token_endpoint, data=form, method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/json"})
        where = f"token endpoint {self.token_endpoint}"
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310
                text = answer.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            raise TokenError(f"{where} answered HTTP {error.code}"
                             f"{_oauth_error(error.read().decode('utf-8', 'replace'))}"
                             ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            raise TokenError(f"{where} did not answer: "
                             f"{getattr(error, 'reason', error)}") from None
        self.fetched += 1
        try:
            found = json.loads(text)
        except ValueError:
            found = None
        token = found.get("access_token") if isinstance(found, dict) else None
        if not isinstance(token, str) or not token.strip():
            raise TokenError(f"{where} answered without an access_token")
        lifetime = found.get("expires_in", DEFAULT_LIFETIME) if isinstance(found, dict) \
            else DEFAULT_LIFETIME
        try:
            seconds = float(lifetime)
        except (TypeError, ValueError):
            seconds = DEFAULT_LIFETIME
        return token.strip(), seconds


def _oauth_error(text: str) -> str:
    """`: error (description)` from an OAuth error answer (RFC 6749 §5.2), if it is one."""
    try:
        found = json.loads(text)
    except ValueError:
        return ""
    if not isinstance(found, dict) or not isinstance(found.get("error"), str):
        return ""
    description = found.get("error_description")
    detail = f" ({str(description)[:200]})" if description else ""
    return f": {found['error']}{detail}"


# The environment variables that hold the credentials (never the command line: it shows in
# process lists and shell history).
OAUTH_ENV = {"token_endpoint": "GOLDENTHREAD_DFE_TOKEN_ENDPOINT",
             "client_id": "GOLDENTHREAD_DFE_CLIENT_ID",
             "client_secret": "GOLDENTHREAD_DFE_CLIENT_SECRET",
             "scope": "GOLDENTHREAD_DFE_SCOPE"}
STATIC_TOKEN_ENV = "GOLDENTHREAD_DFE_API_TOKEN"  # noqa: S105 - a variable's name


def credentials_from(environ: Mapping[str, str]) -> ClientCredentials | None:
    """The OAuth settings in `environ`, or None when none is set. ValueError, naming the
    variables, when only some are set, when the endpoint is not an http(s) URL, or when a
    fixed token is set as well (which to use would be a guess)."""
    found = {key: environ.get(name, "").strip() for key, name in OAUTH_ENV.items()}
    if not any(found.values()):
        return None
    missing = [OAUTH_ENV[key] for key, value in found.items() if not value]
    if missing:
        raise ValueError(f"{', '.join(missing)} not set: the OAuth client credentials need "
                         f"all of {', '.join(OAUTH_ENV.values())}")
    if not found["token_endpoint"].startswith(("https://", "http://")):
        raise ValueError(f"{OAUTH_ENV['token_endpoint']}: {found['token_endpoint']!r} is not "
                         "an http(s) URL")
    if environ.get(STATIC_TOKEN_ENV, "").strip():
        raise ValueError(f"both {STATIC_TOKEN_ENV} and the OAuth client credentials are set; "
                         "set one or the other")
    return ClientCredentials(found["token_endpoint"], found["client_id"],
                             found["client_secret"], found["scope"])
