"""Obviously fake but realistic people and places: UK-style names, real Manchester postcodes,
invented URNs, UPNs with valid check letters and NHS numbers from the 999 test range."""

from __future__ import annotations

import functools
import random
from importlib import resources

import yaml

from goldenthread.core.identifiers import UPN_LETTERS, upn_check_letter

FORENAMES_F = """
Olivia Amelia Isla Ava Mia Ivy Lily Isabella Rosie Sophia Grace Freya Willow
Florence Emily Ella Poppy Evie Elsie Charlotte Aisha Maryam Zara Fatima Amara Nia
Hannah Chloe Megan Jessica Leah Ruby Holly Maisie Layla Esme Daisy Phoebe Niamh Erin
Aaliyah Khadija Precious Grace-Ann Kayla Jade Tia Eden
""".split()  # noqa: SIM905 - a word list reads better as text
FORENAMES_M = """
Noah Oliver George Arthur Muhammad Leo Harry Oscar Archie Henry Theodore Freddie
Jack Charlie Theo Alfie Jacob Thomas Finley Arlo Ibrahim Yusuf Adam Ayaan Kai Tyler
Callum Liam Mason Riley Kyle Jayden Reuben Ethan Louis Max Harvey Joshua Daniel
Samuel Kofi Tobi Emeka Zain Hamza Ali Bilal Connor Dylan
""".split()  # noqa: SIM905 - a word list reads better as text
SURNAMES = """
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts
Robinson Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke
Patel Jackson Wood Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker
Harrison Morgan Allen James Scott Phillips Watson Davis Parker Price Bennett Young
Griffiths Mitchell Kelly Cook Carter Richardson Bailey Collins Bell Shaw Murphy
Miller Cox Richards Khan Marshall Anderson Simpson Ellis Adams Singh Begum Wilkinson
Foster Chapman Powell Webb Rogers Gray Mason Ali Hunt Hussain Campbell Matthews Owen
Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens Jenkins
Murray Dixon Harvey Ahmed Okafor Mensah Nowak Kowalski Osei Ibrahim Rahman Akhtar
O'Brien McCarthy Doyle Byrne Quinn
""".split()  # noqa: SIM905 - a word list reads better as text
STREETS = ("Mill Lane", "Church Street", "Victoria Road", "Park Avenue", "Oak Grove",
           "Station Road", "Albert Street", "Moss Lane", "Princess Road", "Hyde Road",
           "Stockport Road", "Oldham Road", "Rochdale Road", "Wilmslow Road", "Cheetham Hill")


@functools.cache
def real_postcodes() -> dict[str, list[str]]:
    """District -> real postcodes in it (postcodes.yaml says where they come from)."""
    text = resources.files("goldenthread.synth").joinpath("postcodes.yaml").read_text("utf-8")
    return {str(k): [str(p) for p in v] for k, v in yaml.safe_load(text)["postcodes"].items()}


def _weighted(digits: str, first_weight: int) -> int:
    """Sum of each digit times its weight, the weights counting up from `first_weight`."""
    return sum(int(d) * w for w, d in enumerate(digits, start=first_weight))


# Check-sum parts of the three-digit groups of a serial, made once: a UPN's characters 6-8
# (weights 6, 7, 8) and an NHS number's digits 4-6 (weights 7, 6, 5) and 7-9 (4, 3, 2).
_UPN_MIDDLE = [_weighted(f"{n:03d}", 6) for n in range(1000)]
_NHS_HIGH = [_weighted(f"{n:03d}"[::-1], 5) for n in range(1000)]  # reversed: 5, 6, 7
_NHS_LOW = [_weighted(f"{n:03d}"[::-1], 2) for n in range(1000)]


class NameMaker:
    """Names, identifiers and places drawn from one seeded random stream."""

    def __init__(self, rng: random.Random, la_code: str) -> None:
        self.rng = rng
        self.la_code = la_code
        self._upn_serial = 0
        self._nhs_serial = 0
        self._urn_serial = 0
        # A UPN's check sum over the LA number and the 9, when all are digits (else None).
        prefix = f"{la_code}9"
        self._upn_prefix = _weighted(prefix, 2) if len(prefix) == 4 and prefix.isascii() \
            and prefix.isdigit() else None
        self._upn_high = (-1, 0)  # (serial // 1000, its digits' part of the sum)

    def forename(self, sex: str) -> str:
        return self.rng.choice(FORENAMES_F if sex == "F" else FORENAMES_M)

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    def postcode(self, districts: tuple[str, ...], avoid: str = "") -> str:
        """A real postcode of one of `districts` (postcodes.yaml), other than `avoid`; an
        invented one for a district the file lacks. The same four draws either way, so the
        rest of the simulation does not depend on which."""
        letters = "ABDEFGHJLNPQRSTUWXYZ"  # inward-code letters (no C, I, K, M, O, V)
        rng = self.rng
        district = rng.choice(districts)
        digit, first, second = rng.randint(1, 9), rng.choice(letters), rng.choice(letters)
        real = real_postcodes().get(district)
        if not real:
            return f"{district} {digit}{first}{second}"
        index = digit * 400 + letters.index(first) * 20 + letters.index(second)
        found = real[index % len(real)]
        return real[(index + 1) % len(real)] if found == avoid else found

    def street(self) -> str:
        return f"{self.rng.randint(1, 220)} {self.rng.choice(STREETS)}"

    def upn(self) -> str:
        """An invented UPN: this LA's number, school 9xxx (no real school), a serial."""
        self._upn_serial += 1
        serial = self._upn_serial
        body = f"{self.la_code}9{serial % 1000:03d}{serial // 1000:05d}"
        if self._upn_prefix is None or not serial < 100_000_000:  # the general rule
            return upn_check_letter("A" + body) + body
        # upn_check_letter's weighted sum of the 12 digits, in three parts found once each.
        high = serial // 1000
        if high != self._upn_high[0]:  # changes once in a thousand UPNs
            self._upn_high = (high, _weighted(f"{high:05d}", 9))
        total = self._upn_prefix + _UPN_MIDDLE[serial % 1000] + self._upn_high[1]
        return UPN_LETTERS[total % 23] + body

    def nhs_number(self) -> str:
        """From the 999 range, which the NHS never issues to patients."""
        while True:
            self._nhs_serial += 1
            serial = self._nhs_serial
            digits = f"999{serial:06d}"
            if serial < 1_000_000:  # weights 10..2: 243 for the 999, then tables of three
                total = 243 + _NHS_HIGH[serial // 1000] + _NHS_LOW[serial % 1000]
            else:
                total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
            check = (11 - total % 11) % 11
            if check != 10:
                return digits + str(check)

    def urn(self) -> str:
        """An invented Ofsted-style URN (SC + 6 digits) in a range kept for synthetic data."""
        self._urn_serial += 1
        return f"SC9{self._urn_serial % 100000:05d}"
