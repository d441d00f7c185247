"""DfE and local code lists, with the dates each code may be used.

Every list lives in one YAML file, ``data/codelists/<LIST_ID>.yaml``::

    id: PLACE
    title: Placement type (SSDA903 PLACE)
    source: "DfE SSDA903 guidance 2025-26; csc-validator-be-903 lac2025_26"
    codes:
      - code: "U1"
        description: "Foster placement with relative(s) or friend(s) - long-term fostering"
        valid_from: 2015-04-01   # optional: absent = valid from the start
        valid_to: null           # optional: the last day the code may be used for an event

A code is valid on a date when ``valid_from <= date <= valid_to`` (an absent bound is open).
Lists that are not DfE's say ``source: local``.

This module is pure Python (no Django) so that bulk loaders, exporters and analytics can use
it. The files are read once per process, checked as they are read (unknown keys, duplicate
codes, ``valid_to`` before ``valid_from``, codes YAML would read as numbers or booleans), and
shared read-only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from types import MappingProxyType

import yaml

__all__ = [
    "Code",
    "CodeList",
    "CodeListError",
    "CodeNotAllowed",
    "UnknownCodeList",
    "check_code",
    "code_list",
    "code_lists",
    "parse_code_list",
]

_PACKAGE = "goldenthread.reference"
_DIRECTORY = ("data", "codelists")
_LIST_KEYS = frozenset({"id", "title", "source", "codes"})
_CODE_KEYS = frozenset({"code", "description", "valid_from", "valid_to"})
_REQUIRED_CODE_KEYS = ("code", "description")
_LIST_ID = re.compile(r"[A-Z][A-Z0-9_]*\Z")


@dataclass(frozen=True)
class Code:
    """One code in a list, and the dates it may be used for an event."""

    code: str
    description: str
    valid_from: date | None = None
    valid_to: date | None = None

    def valid_on(self, on: date) -> bool:
        """True when an event on ``on`` may use this code (both bounds inclusive)."""
        if self.valid_from is not None and on < self.valid_from:
            return False
        return self.valid_to is None or on <= self.valid_to

    def validity(self) -> str:
        """The dates the code may be used, in words: '' when it has always been valid."""
        if self.valid_from is not None and self.valid_to is not None:
            return f"from {self.valid_from.isoformat()} to {self.valid_to.isoformat()}"
        if self.valid_from is not None:
            return f"from {self.valid_from.isoformat()}"
        if self.valid_to is not None:
            return f"until {self.valid_to.isoformat()}"
        return ""


@dataclass(frozen=True)
class CodeList:
    """A code list: its id, a title, where the codes come from, and the codes in file order."""

    id: str
    title: str
    source: str
    codes: tuple[Code, ...]
    _by_code: Mapping[str, Code] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        by_code: dict[str, Code] = {}
        for item in self.codes:
            if item.code in by_code:
                raise CodeListError(f"code list {self.id}: code {item.code!r} appears twice")
            by_code[item.code] = item
        object.__setattr__(self, "_by_code", by_code)

    def valid_on(self, on: date) -> tuple[Code, ...]:
        """The codes an event on ``on`` may use, in file order."""
        return tuple(item for item in self.codes if item.valid_on(on))

    def get(self, code: str) -> Code | None:
        """The code, whatever its dates, or None when it has never been in the list."""
        return self._by_code.get(code)

    @property
    def is_local(self) -> bool:
        """True for the project's own lists (``source: local``), False for DfE lists."""
        return self.source == "local"


class CodeListError(ValueError):
    """A code-list file is malformed; the message names the file and, where known, the code."""


class UnknownCodeList(KeyError):
    """No code list has this id. ``str()`` gives the message without KeyError's quotes."""

    def __init__(self, list_id: str, known: tuple[str, ...]) -> None:
        self.list_id = list_id
        self.known = known
        self.message = f"unknown code list {list_id!r}; known lists: {', '.join(known)}"
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[type[UnknownCodeList], tuple[str, tuple[str, ...]]]:
        return (type(self), (self.list_id, self.known))


class CodeNotAllowed(ValueError):
    """A value is not a code of the list, or not one valid on the date of the event.

    ``str(error)`` is the message for the user, naming the field, the value and the codes
    allowed, e.g. ``sex: '1' is a SEX code only valid until 2024-03-31 (not on 2025-06-01);
    allowed: F, M, U``.
    """

    def __init__(
        self,
        message: str,
        *,
        list_id: str,
        field: str,
        value: str,
        on: date | None,
        allowed: tuple[str, ...],
    ) -> None:
        super().__init__(message)
        self.message = message
        self.list_id = list_id
        self.field = field
        self.value = value
        self.on = on
        self.allowed = allowed

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild_code_not_allowed,
            (self.message, self.list_id, self.field, self.value, self.on, self.allowed),
        )


def _rebuild_code_not_allowed(
    message: str,
    list_id: str,
    field: str,
    value: str,
    on: date | None,
    allowed: tuple[str, ...],
) -> CodeNotAllowed:
    return CodeNotAllowed(
        message, list_id=list_id, field=field, value=value, on=on, allowed=allowed
    )


def _natural_key(code: str) -> tuple[tuple[int, int, str], ...]:
    """Sort 'E2' before 'E11' and '9' before '10'."""
    parts = re.split(r"(\d+)", code)
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in parts if part)


def _date_or_none(value: object, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise CodeListError(f"{where} must be an ISO date such as 2024-04-01, not {value!r}")
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        hint = ""
        if isinstance(value, bool | int | float):
            hint = " (put it in quotes: YAML reads NO, YES, ON and bare numbers as non-text)"
        raise CodeListError(f"{where} must be text, not {value!r}{hint}")
    if not value.strip():
        raise CodeListError(f"{where} must not be empty")
    return value


def _parse_code(raw: object, where: str) -> Code:
    if not isinstance(raw, dict):
        raise CodeListError(f"{where}: each entry under 'codes' must be a mapping, not {raw!r}")
    label = f"{where}: code {raw.get('code')!r}" if "code" in raw else where
    unknown = sorted(str(key) for key in raw if key not in _CODE_KEYS)
    if unknown:
        raise CodeListError(
            f"{label}: unknown key(s) {', '.join(unknown)}; allowed keys: "
            f"{', '.join(sorted(_CODE_KEYS))}"
        )
    for key in _REQUIRED_CODE_KEYS:
        if key not in raw:
            raise CodeListError(f"{label}: '{key}' is missing")
    code = _text(raw["code"], f"{label}: 'code'")
    label = f"{where}: code {code!r}"
    if code != code.strip():
        raise CodeListError(f"{label}: code has leading or trailing spaces")
    item = Code(
        code=code,
        description=_text(raw["description"], f"{label}: 'description'"),
        valid_from=_date_or_none(raw.get("valid_from"), f"{label}: 'valid_from'"),
        valid_to=_date_or_none(raw.get("valid_to"), f"{label}: 'valid_to'"),
    )
    if (
        item.valid_from is not None
        and item.valid_to is not None
        and item.valid_to < item.valid_from
    ):
        raise CodeListError(
            f"{label}: valid_to {item.valid_to.isoformat()} is before valid_from "
            f"{item.valid_from.isoformat()}"
        )
    return item


def parse_code_list(text: str, *, filename: str) -> CodeList:
    """Read one code-list file's text; ``filename`` (``<LIST_ID>.yaml``) is used in errors.

    Raises CodeListError naming the file (and the code, where one is at fault).
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise CodeListError(f"{filename}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise CodeListError(f"{filename}: must be a mapping with keys id, title, source, codes")
    unknown = sorted(str(key) for key in raw if key not in _LIST_KEYS)
    if unknown:
        raise CodeListError(
            f"{filename}: unknown key(s) {', '.join(unknown)}; allowed keys: "
            f"{', '.join(sorted(_LIST_KEYS))}"
        )
    missing = sorted(key for key in _LIST_KEYS if key not in raw)
    if missing:
        raise CodeListError(f"{filename}: missing key(s) {', '.join(missing)}")
    list_id = _text(raw["id"], f"{filename}: 'id'")
    if not _LIST_ID.match(list_id):
        raise CodeListError(f"{filename}: id {list_id!r} must be upper case, like PLACE")
    stem = filename.rsplit("/", 1)[-1].removesuffix(".yaml")
    if stem != list_id:
        raise CodeListError(f"{filename}: id {list_id!r} does not match the file name")
    entries = raw["codes"]
    if not isinstance(entries, list) or not entries:
        raise CodeListError(f"{filename}: 'codes' must be a non-empty list")
    codes: list[Code] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        item = _parse_code(entry, f"{filename} (entry {index})")
        if item.code in seen:
            raise CodeListError(f"{filename}: code {item.code!r} appears more than once")
        seen.add(item.code)
        codes.append(item)
    return CodeList(
        id=list_id,
        title=_text(raw["title"], f"{filename}: 'title'"),
        source=_text(raw["source"], f"{filename}: 'source'"),
        codes=tuple(codes),
    )


@functools.cache
def code_lists() -> Mapping[str, CodeList]:
    """Every code list, by id, read once from the package's YAML files."""
    directory = resources.files(_PACKAGE).joinpath(*_DIRECTORY)
    found: dict[str, CodeList] = {}
    for entry in sorted(directory.iterdir(), key=lambda item: item.name):
        if not entry.name.endswith(".yaml"):
            continue
        parsed = parse_code_list(
            entry.read_text(encoding="utf-8"), filename="/".join((*_DIRECTORY, entry.name))
        )
        found[parsed.id] = parsed
    return MappingProxyType(found)


def code_list(list_id: str) -> CodeList:
    """The list with this id; UnknownCodeList (a KeyError) names the known lists if none."""
    lists = code_lists()
    try:
        return lists[list_id]
    except KeyError:
        raise UnknownCodeList(list_id, tuple(lists)) from None


def _sorted_codes(codes: tuple[Code, ...]) -> tuple[str, ...]:
    return tuple(sorted((item.code for item in codes), key=_natural_key))


def check_code(list_id: str, value: str, on: date | None, *, field: str) -> None:
    """Refuse ``value`` unless it is a code of the list valid on the date of the event ``on``.

    With ``on=None`` any code that has ever been in the list is accepted (for records whose
    event date is not known yet). Raises CodeNotAllowed with a message naming the field, the
    value and the codes allowed; UnknownCodeList for a list id that does not exist.
    """
    codes = code_list(list_id)
    item = codes.get(value)
    if on is None:
        if item is not None:
            return
        allowed = _sorted_codes(codes.codes)
        message = f"{field}: {value!r} is not a {list_id} code; allowed: {', '.join(allowed)}"
    else:
        if item is not None and item.valid_on(on):
            return
        allowed = _sorted_codes(codes.valid_on(on))
        when = on.isoformat()
        if item is None:
            message = f"{field}: {value!r} is not a {list_id} code valid on {when}"
        else:
            message = (
                f"{field}: {value!r} is a {list_id} code only valid {item.validity()} "
                f"(not on {when})"
            )
        message += f"; allowed: {', '.join(allowed)}" if allowed else "; no code is valid then"
    raise CodeNotAllowed(message, list_id=list_id, field=field, value=value, on=on, allowed=allowed)
