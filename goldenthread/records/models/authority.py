"""The council itself: who it is, and how many children live in it.

Returns need the council's codes (the ONS code for the SSDA903 and the DfE number for the
CIN census); rates per 10,000 need the ONS mid-year estimate of children aged 0 to 17.
DfE divides a year ending 31 March by the mid-year estimate before it (2025 by mid-2024).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.models import ArchivableModel

ONS_CODE = re.compile(r"^E(06|08|09|10)[0-9]{6}$")
DFE_CODE = re.compile(r"^[0-9]{3}$")


class LocalAuthority(ArchivableModel):
    """This council (one current row): its name and the codes DfE and ONS know it by."""

    name = models.CharField(max_length=200)
    ons_code = models.CharField("ONS code", max_length=9,
                                help_text="Upper-tier ONS code, e.g. E08000003")
    dfe_code = models.CharField("DfE LA number", max_length=3, help_text="e.g. 352")

    class Meta:
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"
        constraints = (models.UniqueConstraint(fields=("ons_code",),
                                               condition=models.Q(archived_at__isnull=True),
                                               name="local_authority_one_current_per_code"),)

    def __str__(self) -> str:
        return self.name

    def clean_record(self) -> list[ValidationError]:
        errors = []
        if not ONS_CODE.match(self.ons_code):
            errors.append(refuse("ons_code", f"{show(self.ons_code)} is not an upper-tier ONS "
                                             "code; it is E06, E08, E09 or E10 and six digits"))
        if not DFE_CODE.match(self.dfe_code):
            errors.append(refuse("dfe_code", f"{show(self.dfe_code)} is not a DfE LA number; "
                                             "it is three digits"))
        return errors


class ChildPopulation(ArchivableModel):
    """ONS mid-year estimate of the children aged 0-17 living in the council's area."""

    mid_year = models.PositiveSmallIntegerField(help_text="The year of the 30 June estimate")
    children_0_17 = models.PositiveIntegerField("children aged 0-17")
    source = models.CharField(max_length=255, help_text="Which ONS release, or 'synthetic'")

    class Meta:
        verbose_name = "child population estimate"
        constraints = (models.UniqueConstraint(fields=("mid_year",),
                                               condition=models.Q(archived_at__isnull=True),
                                               name="child_population_one_per_year"),)

    def __str__(self) -> str:
        return f"mid-{self.mid_year}: {self.children_0_17:,}"

    def clean_record(self) -> list[ValidationError]:
        if not 1990 <= self.mid_year <= 2100:
            return [refuse("mid_year", f"{show(self.mid_year)} is outside 1990 to 2100")]
        return []
