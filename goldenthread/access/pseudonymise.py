"""Pseudonymised rows for analysts and regional pooling (issue 3).

Ids are replaced by an HMAC-SHA256 with a per-council secret (the same child gets the same
pseudonym in every export of this council, but no one without the secret can reverse it or
match it across councils); dates of birth are cut to the month; postcodes to the district
(the outward code); names and other identifiers are left out.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings

from goldenthread.core.identifiers import normalise_postcode


def pseudonym(person_id: object) -> str:
    key = settings.PSEUDONYM_KEY.encode()
    return hmac.new(key, str(person_id).encode(), hashlib.sha256).hexdigest()[:24]


def birth_month(date_of_birth: dt.date | None) -> str:
    return date_of_birth.strftime("%Y-%m") if date_of_birth else ""


def postcode_district(postcode: str) -> str:
    normal = normalise_postcode(postcode) if postcode else None
    return normal.split(" ")[0] if normal else ""
