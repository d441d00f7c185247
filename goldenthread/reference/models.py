"""The code lists, mirrored into the database so SQL and pages can label codes.

The YAML files in `data/codelists/` are the source; `load_reference` brings the table in
line with them. A code is never deleted: one that leaves the files is disabled.
"""

from __future__ import annotations

from django.db import models


class ReferenceCode(models.Model):
    list_id = models.CharField(max_length=40)
    code = models.CharField(max_length=20)
    description = models.TextField()
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    disabled_on = models.DateField(null=True, blank=True,
                                   help_text="Set when the code left the published list")

    class Meta:
        db_table = "reference_code"
        ordering = ("list_id", "code")
        constraints = (
            models.UniqueConstraint(fields=("list_id", "code"), name="reference_code_unique"),
        )

    def __str__(self) -> str:
        return f"{self.list_id} {self.code}: {self.description}"
