"""Finding a person: by name, tolerant of spelling; by date of birth; by LA id, UPN or NHS
number; and the possible duplicates of someone about to be recorded.

Names are matched on the keys Person keeps (records.models.people.name_keys): the name
reduced to A–Z (so a prefix is an index range), its metaphone and its NYSIIS code, each
indexed. Candidates are the people one of whose keys matches a word typed; they are then
ranked by how close the spelling is (exact, prefix, sounds alike, edit distance). Only
people access.policy lets the user see are ever returned, and every search is audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations

import jellyfish
from django.db.models import Q, QuerySet

from goldenthread.access.actions import record_searched
from goldenthread.access.policy import visible_people
from goldenthread.accounts.models import User
from goldenthread.records.models import Person
from goldenthread.records.models.people import name_keys

LIMIT = 50
# Rows ranked at most per tier: exact names first, then the fuzzy ones. A common surname
# alone ("Smith") finds more than a page can show; the page says to add a date of birth.
CANDIDATES = 300
MAX_WORDS = 4  # words of a name read; more add readings, not precision
WORDS = re.compile(r"[^\s,]+")
FIELDS = ("pk", "forename", "surname", "preferred_name", "date_of_birth",
          "expected_date_of_birth", "la_person_id", "sex",
          "surname_norm", "surname_metaphone", "surname_nysiis",
          "forename_norm", "forename_metaphone", "forename_nysiis")


@dataclass(frozen=True)
class Found:
    """A person as a search shows them (read as plain values: no model to build)."""

    pk: int
    forename: str
    surname: str
    preferred_name: str
    date_of_birth: dt.date | None
    expected_date_of_birth: dt.date | None
    la_person_id: str
    sex: str
    surname_norm: str
    surname_metaphone: str
    surname_nysiis: str
    forename_norm: str
    forename_metaphone: str
    forename_nysiis: str

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"


@dataclass(frozen=True)
class Terms:
    """What was typed. Any may be blank; blank terms find no one."""

    name: str = ""
    date_of_birth: dt.date | None = None
    identifier: str = ""  # an LA id, UPN or NHS number

    @property
    def empty(self) -> bool:
        return not (self.name.strip() or self.date_of_birth or self.identifier.strip())

    def for_audit(self) -> dict[str, str]:
        terms = {"name": self.name.strip(), "identifier": self.identifier.strip()}
        if self.date_of_birth:
            terms["date_of_birth"] = self.date_of_birth.isoformat()
        return terms


@dataclass(frozen=True)
class Match:
    person: Found
    score: float  # 1.0 for the name exactly as typed
    how: str  # why this person matched, for the results list


@dataclass(frozen=True)
class Word:
    """One typed word and its keys."""

    plain: str
    metaphone: str
    nysiis: str

    @classmethod
    def of(cls, text: str) -> Word:
        return cls(*name_keys(text))


def words(name: str) -> list[Word]:
    return [w for w in (Word.of(t) for t in WORDS.findall(name)) if w.plain]


def _prefix(field: str, plain: str) -> Q:
    """`field` starts with `plain`: a range of the index, since keys hold only A–Z."""
    return Q(**{f"{field}__gte": plain, f"{field}__lt": plain + "["})  # "[" follows "Z"


def _like(part: str, word: Word, *, exact: bool = False) -> Q:
    """The person's surname or forename ('part') matches the word, in the indexed ways
    (or only exactly)."""
    if len(word.plain) == 1:  # an initial
        return _prefix(f"{part}_norm", word.plain)
    if exact:
        return Q(**{f"{part}_norm": word.plain})
    return (_prefix(f"{part}_norm", word.plain) | Q(**{f"{part}_metaphone": word.metaphone})
            | Q(**{f"{part}_nysiis": word.nysiis}))


@dataclass(frozen=True)
class Reading:
    """One way to read the words typed: which is the surname, which the forename (either
    may be absent), and how many typed words it leaves out."""

    surname: Word | None
    forename: Word | None
    unused: int = 0


def readings(typed: list[Word]) -> list[Reading]:
    """Every reading of the words: all of them one name ("Van Der Berg"); the first words
    the forename and the rest the surname, or the other way round ("Smith John"); any one
    word the surname and another the forename (middle names left out)."""
    if not typed:
        return []
    typed = typed[:MAX_WORDS]
    joined = Word.of("".join(w.plain for w in typed))
    found = [Reading(joined, None), Reading(None, joined)]
    for k in range(1, len(typed)):
        first, rest = (Word.of("".join(w.plain for w in part)) for part in (typed[:k], typed[k:]))
        found += [Reading(rest, first), Reading(first, rest)]
    if len(typed) > 2:
        found += [Reading(s, f, len(typed) - 2) for s, f in permutations(typed, 2)]
    return [r for r in found if r.surname is None or len(r.surname.plain) > 1]


def name_filter(chosen: list[Reading], *, exact: bool = False) -> Q:
    """The people one of the readings fits, in the indexed ways (or exactly)."""
    found = Q(pk__in=[])
    for reading in chosen:
        fits = Q()
        if reading.surname is not None:
            fits &= _like("surname", reading.surname, exact=exact)
        if reading.forename is not None:
            fits &= _like("forename", reading.forename, exact=exact)
        found |= fits
    return found


def similarity(word: Word, plain: str, metaphone: str, nysiis: str) -> tuple[float, str]:
    """How close a typed word is to one stored name, 0 to 1, and how it matched: exact
    1; a prefix 0.75–0.95 as it covers more of the name; sounding alike up to 0.95 as
    fewer letters differ (more if both codes agree); else the spelling's closeness."""
    if not plain:
        return 0.0, ""
    if word.plain == plain:
        return 1.0, "exact"
    if len(word.plain) == 1:
        return (0.7, "initial") if plain.startswith(word.plain) else (0.0, "")
    if plain.startswith(word.plain):
        return 0.75 + 0.2 * len(word.plain) / len(plain), "starts with"
    # Letters to change (Damerau–Levenshtein) decide among names that sound alike.
    spelling = 1 - jellyfish.damerau_levenshtein_distance(word.plain, plain) \
        / max(len(word.plain), len(plain))
    codes = (word.metaphone == metaphone) + (word.nysiis == nysiis)
    if codes:
        return 0.65 + 0.05 * codes + 0.25 * spelling, "sounds like"
    return 0.85 * max(spelling, jellyfish.jaro_winkler_similarity(word.plain, plain)), \
        "similar spelling"


def _score(person: Found, chosen: list[Reading]) -> tuple[float, str]:
    """How well the best reading of the words fits the person, and how it matched."""
    surname = (person.surname_norm, person.surname_metaphone, person.surname_nysiis)
    forename = (person.forename_norm, person.forename_metaphone, person.forename_nysiis)
    preferred = Word.of(person.preferred_name)
    best: tuple[float, str] = (0.0, "")
    for reading in chosen:
        s = similarity(reading.surname, *surname) if reading.surname else None
        f = None
        if reading.forename is not None:
            f = max(similarity(reading.forename, *forename),
                    similarity(reading.forename, preferred.plain, preferred.metaphone,
                               preferred.nysiis))
        if s is not None and f is not None:
            # The weaker of the two says how the person matched.
            score = (s[0] + f[0]) / 2 - 0.02 * reading.unused
            how = s[1] if s[0] <= f[0] else f[1]
        elif s is not None:
            score, how = s
        else:
            assert f is not None
            score, how = f[0] * 0.98, f[1]  # a forename alone ranks below a surname
        best = max(best, (score, how))
    return best


def identifier_filter(identifier: str) -> Q:
    """An LA id as given, or a UPN (upper case) or NHS number (digits) with spaces and
    hyphens typed in it ignored."""
    given = identifier.strip()
    compact = re.sub(r"[\s-]", "", given).upper()
    found = Q(la_person_id__iexact=given) | Q(la_person_id__iexact=compact) \
        | Q(upn=compact) | Q(former_upn=compact)
    if compact.isdigit():
        found |= Q(nhs_number=compact)
    return found


def _filters(terms: Terms) -> Q:
    found = Q()
    if terms.date_of_birth:
        found &= Q(date_of_birth=terms.date_of_birth) \
            | Q(expected_date_of_birth=terms.date_of_birth)
    if terms.identifier.strip():
        found &= identifier_filter(terms.identifier)
    return found


def _rows(people: QuerySet[Person], limit: int) -> list[Found]:
    # Unordered: ORDER BY ... LIMIT lets PostgreSQL walk a name index through every person
    # instead of using the search keys; the rows are ranked in Python anyway.
    return [Found(**row) for row in people.order_by().values(*FIELDS)[:limit]]


def _ranked(people: Iterable[Found], chosen: list[Reading], limit: int) -> list[Match]:
    matches = []
    for person in people:
        score, how = _score(person, chosen) if chosen else (1.0, "")
        matches.append(Match(person, round(score, 4), how))
    matches.sort(key=lambda m: (-m.score, m.person.surname_norm, m.person.forename_norm,
                                m.person.la_person_id))
    return matches[:limit]


def _search(base: QuerySet[Person], chosen: list[Reading], limit: int) -> list[Match]:
    """Exact names first; names that only sound alike or begin the same are fetched only
    when the exact ones do not fill the page."""
    if not chosen:
        return _ranked(_rows(base, CANDIDATES), chosen, limit)
    exact = _rows(base.filter(name_filter(chosen, exact=True)), CANDIDATES)
    if len(exact) < limit:
        seen = [p.pk for p in exact]
        exact += _rows(base.filter(name_filter(chosen)).exclude(pk__in=seen), CANDIDATES)
    return _ranked(exact, chosen, limit)


def find_people(user: User, terms: Terms, *, limit: int = LIMIT) -> list[Match]:
    """The people the user may see who match every term given, best first; audited."""
    if terms.empty:
        return []
    typed = words(terms.name)
    if terms.name.strip() and not typed:
        matches: list[Match] = []  # only punctuation: nothing can match
    else:
        matches = _search(visible_people(user).filter(_filters(terms)), readings(typed),
                          limit)
    record_searched(user, terms=terms.for_audit(), results=len(matches))
    return matches


@dataclass(frozen=True)
class Duplicates:
    """Possible duplicates of a person about to be recorded: those the user may see, and
    how many others exist that they may not (so they ask before recording a second
    record; restricted records are never counted)."""

    visible: list[Match]
    elsewhere: int


def possible_duplicates(user: User, *, forename: str, surname: str,
                        date_of_birth: dt.date | None = None, nhs_number: str = "",
                        upn: str = "", exclude: int | None = None) -> Duplicates:
    """People who may already be this person: the same date of birth and a similar
    surname or forename, or the same NHS number or UPN. Audited as a search."""
    typed_surname, typed_forename = words(surname), words(forename)
    same: Q = Q(pk__in=[])
    if date_of_birth is not None:
        similar = Q(pk__in=[])
        for word in typed_surname:
            similar |= _like("surname", word)
        for word in typed_forename:
            similar |= _like("forename", word)
        same |= (Q(date_of_birth=date_of_birth) | Q(expected_date_of_birth=date_of_birth)) \
            & similar
    nhs = re.sub(r"\s", "", nhs_number)
    if nhs:
        same |= Q(nhs_number=nhs)
    pupil = re.sub(r"\s", "", upn).upper()
    if pupil:
        same |= Q(upn=pupil) | Q(former_upn=pupil)
    everyone = Person.objects.filter(same, archived_at__isnull=True)
    if exclude is not None:
        everyone = everyone.exclude(pk=exclude)
    reach = visible_people(user).values("pk")
    seen = _rows(everyone.filter(pk__in=reach), CANDIDATES)
    # Ranked as the name would be typed: forename words, then surname words.
    visible = _ranked(seen, readings([*typed_forename, *typed_surname]), LIMIT)
    elsewhere = everyone.filter(is_restricted=False).exclude(pk__in=reach).count()
    record_searched(user, terms={"duplicates_of": f"{forename} {surname}".strip(),
                                 "date_of_birth": date_of_birth.isoformat()
                                 if date_of_birth else "",
                                 "nhs_number": nhs, "upn": pupil},
                    results=len(visible))
    return Duplicates(visible=visible, elsewhere=elsewhere)
