"""Check digits and formats of the identifiers a child carries (UPN, NHS number, postcode).

UPN check letter: DfE "Unique pupil numbers (UPNs)" guidance, as also checked by the CIN
census rules: weights 2..13 for characters 2..13, modulus 23, letters without I, O and S.
NHS number: NHS Data Dictionary, modulus 11 with weights 10..2.
"""

from __future__ import annotations

import re

UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_UPN_SHAPE = re.compile(r"^[A-HJ-NP-RT-Z][0-9]{11}[0-9A-HJ-NP-RT-Z]$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def upn_check_letter(upn: str) -> str:
    """The check letter a UPN's characters 2..13 require."""
    total = 0
    for weight, char in enumerate(upn[1:13], start=2):
        value = int(char) if char.isdigit() else UPN_LETTERS.index(char)
        total += value * weight
    return UPN_LETTERS[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why a UPN is not valid, or None when it is."""
    if not _UPN_SHAPE.match(upn):
        return ("must be 13 characters: a check letter (not I, O or S), 11 digits, "
                "then a digit or letter")
    expected = upn_check_letter(upn)
    if upn[0] != expected:
        return f"has check letter {upn[0]} but its digits need {expected}"
    return None


def nhs_number_problem(number: str) -> str | None:
    """Why an NHS number is not valid, or None when it is."""
    if not re.fullmatch(r"[0-9]{10}", number):
        return "must be 10 digits with no spaces"
    total = sum(int(d) * w for d, w in zip(number[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(number[9]):
        return "fails the modulus 11 check digit"
    return None


def normalise_postcode(postcode: str) -> str | None:
    """A UK postcode in upper case with one space before the inward code, or None."""
    match = _POSTCODE.match(postcode.strip().upper().replace("  ", " "))
    if not match:
        return None
    return f"{match.group(1)} {match.group(2)}"
