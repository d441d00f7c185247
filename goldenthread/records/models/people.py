"""People, their identifiers, characteristics, addresses, relationships and households.

SSD: ssd_person, ssd_linked_identifiers, ssd_disability, ssd_immigration_status,
ssd_address, ssd_family, ssd_mother.
"""

from __future__ import annotations

import unicodedata
from typing import Any, ClassVar

import jellyfish
from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.identifiers import nhs_number_problem, upn_problem
from goldenthread.core.models import ArchivableModel
from goldenthread.core.rules import NoOverlap, check_postcode
from goldenthread.records.models.base import PersonRecord


def search_form(name: str) -> str:
    """A name as the search keys hold it: accents folded, upper-case A to Z only, so
    "O'Connor", "o connor" and "OCONNOR" agree and a prefix is a range of an index."""
    folded = unicodedata.normalize("NFKD", name).upper()
    return "".join(c for c in folded if "A" <= c <= "Z")


def name_keys(name: str) -> tuple[str, str, str]:
    """(normalised, metaphone, NYSIIS) of one name. The two phonetic codes miss different
    spellings (metaphone: Leigh/Lee, Brown/Braun; NYSIIS: Sean/Shaun, Smiht/Smith), so a
    search matches either."""
    plain = search_form(name)
    if not plain:
        return "", "", ""
    return plain, jellyfish.metaphone(plain), jellyfish.nysiis(plain)


# The name fields the search keys are made from, and the keys each fills.
SEARCH_KEYS: dict[str, tuple[str, str, str]] = {
    "surname": ("surname_norm", "surname_metaphone", "surname_nysiis"),
    "forename": ("forename_norm", "forename_metaphone", "forename_nysiis"),
}


KEY_LENGTH = {"surname": 255, "forename": 100}


def _key_field(max_length: int) -> Any:
    return models.CharField(max_length=max_length, blank=True, editable=False)


class Person(ArchivableModel):
    """A child, a parent or anyone else the council records. Person-centric, as the SSD is."""

    DATE_ORDER: ClassVar[tuple[tuple[str, str], ...]] = (("date_of_birth", "date_of_death"),)

    la_person_id = models.CharField("LA person id", max_length=48, unique=True,
                                    help_text="The council's id (CIN LAchildID, 903 CHILD)")
    upn = models.CharField("UPN", max_length=13, blank=True)
    former_upn = models.CharField("former UPN", max_length=13, blank=True)
    upn_unknown_reason = CodeField(code_list="UPN_UNKNOWN", blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=255)
    preferred_name = models.CharField(max_length=100, blank=True)
    sex = CodeField(code_list="SEX", blank=True)
    gender_identity = models.CharField(max_length=100, blank=True)
    ethnicity = CodeField(code_list="ETHNICITY", blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    expected_date_of_birth = models.DateField(null=True, blank=True)
    date_of_death = models.DateField(null=True, blank=True)
    nationality = models.CharField(max_length=48, blank=True)
    first_language = models.CharField(max_length=48, blank=True)
    is_restricted = models.BooleanField(
        default=False, help_text="Seen only with an explicit grant (e.g. adoption, a child of a "
                                 "member of staff, a high-profile case)")
    restriction_reason = models.TextField(blank=True)
    # Search keys (casework.search), made from the names on every save and bulk load.
    surname_norm = _key_field(KEY_LENGTH["surname"])
    surname_metaphone = _key_field(KEY_LENGTH["surname"])
    surname_nysiis = _key_field(KEY_LENGTH["surname"])
    forename_norm = _key_field(KEY_LENGTH["forename"])
    forename_metaphone = _key_field(KEY_LENGTH["forename"])
    forename_nysiis = _key_field(KEY_LENGTH["forename"])

    class Meta:
        verbose_name = "person"
        constraints = (
            models.UniqueConstraint(fields=("upn",),
                                    condition=(~models.Q(upn="")
                                               & models.Q(archived_at__isnull=True)),
                                    name="person_upn_unique",
                                    violation_error_message="upn: this UPN is already recorded "
                                                            "for another person"),
            models.CheckConstraint(
                condition=~(models.Q(upn__gt="") & models.Q(upn_unknown_reason__gt="")),
                name="person_upn_or_reason"),
        )
        indexes = (models.Index(fields=("surname", "forename"), name="person_name"),
                   models.Index(fields=("date_of_birth",), name="person_dob"),
                   models.Index(fields=("nhs_number",), name="person_nhs"),
                   *(models.Index(fields=(key,), name=f"person_{key}")
                     for keys in SEARCH_KEYS.values() for key in keys))

    def __str__(self) -> str:
        return f"{self.forename} {self.surname} ({self.la_person_id})"

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"

    def fill_derived_fields(self) -> None:
        """Make the search keys from the names (called by save() and by the bulk loader,
        which inserts without save())."""
        for name, keys in SEARCH_KEYS.items():
            limit = KEY_LENGTH[name]
            typed = getattr(self, name)  # may be None or worse before validation refuses it
            made = name_keys(typed if isinstance(typed, str) else "")
            for key, value in zip(keys, made, strict=True):
                setattr(self, key, value[:limit])  # metaphone spells X as KS: may grow

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_derived_fields()
        fields = kwargs.get("update_fields")
        if fields is not None and set(fields) & SEARCH_KEYS.keys():
            changed = [key for name in SEARCH_KEYS if name in fields for key in SEARCH_KEYS[name]]
            kwargs["update_fields"] = [*fields, *changed]
        super().save(*args, **kwargs)  # actions call this (noqa: write)

    def clean_record(self) -> list[ValidationError]:
        errors = []
        if self.upn:
            problem = upn_problem(self.upn)
            if problem:
                errors.append(refuse("upn", f"{show(self.upn)} {problem}"))
        if self.former_upn:
            problem = upn_problem(self.former_upn)
            if problem:
                errors.append(refuse("former_upn", f"{show(self.former_upn)} {problem}"))
        if self.upn and self.upn_unknown_reason:
            errors.append(refuse("upn_unknown_reason",
                                 f"{show(self.upn_unknown_reason)} is a reason for having no UPN, "
                                 "but a UPN is recorded; leave it blank"))
        if self.nhs_number:
            problem = nhs_number_problem(self.nhs_number)
            if problem:
                errors.append(refuse("nhs_number", f"{show(self.nhs_number)} {problem}"))
        if self.is_restricted and not self.restriction_reason.strip():
            errors.append(refuse("restriction_reason", "(blank) for a restricted record; say why "
                                                       "it is restricted"))
        if self.date_of_birth is None and self.expected_date_of_birth is None \
                and self.date_of_death is not None:
            errors.append(refuse("date_of_death", "a date of death needs a date of birth"))
        return errors


class PersonDisability(PersonRecord):
    """A disability as the CIN census codes it (ssd_disability)."""

    code = CodeField(code_list="DISABILITY")
    recorded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "disability"
        verbose_name_plural = "disabilities"
        constraints = (models.UniqueConstraint(fields=("person", "code"),
                                               name="disability_once_per_person"),)


class ImmigrationStatus(PersonRecord):
    """Immigration status over time, including unaccompanied asylum-seeking children (UASC)."""

    DATE_ORDER = (("start_date", "end_date"),)
    OVERLAP = NoOverlap(what="immigration statuses for one person")

    status = CodeField(code_list="IMMIGRATION_STATUS", dated_by="start_date")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "immigration status"
        verbose_name_plural = "immigration statuses"


class Address(PersonRecord):
    """Where a person lived, and when: the postcode history (ssd_address)."""

    DATE_ORDER = (("start_date", "end_date"),)

    address_type = CodeField(code_list="ADDRESS_TYPE", dated_by="start_date")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    line_1 = models.CharField(max_length=200, blank=True)
    line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8)
    uprn = models.CharField("UPRN", max_length=12, blank=True)

    class Meta:
        verbose_name = "address"
        verbose_name_plural = "addresses"

    def clean_record(self) -> list[ValidationError]:
        return [*super().clean_record(), *check_postcode(self, "postcode")]


class Relationship(ArchivableModel):
    """`relative` is the `relationship_type` of `person`: e.g. Jane is the MOTHER of Ella."""

    DATE_ORDER = (("start_date", "end_date"),)

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relationships")
    relative = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="relatives_of")
    relationship_type = CodeField(code_list="RELATIONSHIP_TYPE")
    lives_with = models.BooleanField(default=False)
    has_parental_responsibility = models.BooleanField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "relationship"
        constraints = (
            models.CheckConstraint(condition=~models.Q(person=models.F("relative")),
                                   name="relationship_not_to_self"),
        )

    def clean_record(self) -> list[ValidationError]:
        if self.person_id is not None and self.person_id == self.relative_id:
            return [refuse("relative", "is the same person; a relationship joins two people")]
        return []


class Household(ArchivableModel):
    """People living together, for family-level work (ssd_family)."""

    name = models.CharField(max_length=200, help_text="e.g. the family's surname and street")

    class Meta:
        verbose_name = "household"

    def __str__(self) -> str:
        return self.name


class HouseholdMember(PersonRecord):
    DATE_ORDER = (("start_date", "end_date"),)
    OVERLAP = NoOverlap(what="memberships of one household", scope=("person", "household"))

    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "household member"
