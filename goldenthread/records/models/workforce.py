"""The workforce: teams in a hierarchy, professionals, and who held which child's case when.

SSD: ssd_department, ssd_professionals, ssd_involvements. Involvements are dated so a
caseload can be computed for any day and changes of social worker can be counted.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from goldenthread.core.errors import refuse, show
from goldenthread.core.fields import CodeField
from goldenthread.core.models import ArchivableModel
from goldenthread.core.rules import NoOverlap, Within
from goldenthread.records.models.base import PersonRecord


class TeamKind(models.TextChoices):
    LOCALITY = "locality", "Locality"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


# A team sits in a service, a service in a locality: the order the seeds' structure charts use.
ALLOWED_PARENT = {TeamKind.TEAM: {TeamKind.SERVICE, TeamKind.LOCALITY},
                  TeamKind.SERVICE: {TeamKind.LOCALITY}, TeamKind.LOCALITY: set()}


class Team(ArchivableModel):
    DATE_ORDER = (("start_date", "end_date"),)

    code = models.CharField(max_length=48, unique=True)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=16, choices=TeamKind.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="children")
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "team"

    def __str__(self) -> str:
        return self.name

    def clean_record(self) -> list[ValidationError]:
        allowed = ALLOWED_PARENT[TeamKind(self.kind)]
        allowed_text = " or ".join(sorted(allowed)) or "nothing"
        if self.parent_id is None:
            if self.kind != TeamKind.LOCALITY:
                return [refuse("parent", f"(blank) is only allowed for a locality; a {self.kind} "
                                         f"must sit inside a {allowed_text}")]
            return []
        parent = self.parent
        assert parent is not None
        if parent.kind not in allowed:
            return [refuse("parent", f"{show(parent.name)} is a {parent.kind}; a {self.kind} may "
                                     f"only sit inside a {allowed_text}")]
        seen = {self.pk}
        ancestor: Team | None = parent
        while ancestor is not None:
            if ancestor.pk in seen:
                return [refuse("parent", f"{show(parent.name)} would make the hierarchy a loop")]
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        return []


SWE_NUMBER = re.compile(r"^SW[0-9]{1,7}$")


class Professional(ArchivableModel):
    """A member of staff or agency worker who can hold cases (ssd_professionals)."""

    DATE_ORDER = (("start_date", "leave_date"), ("qualified_on", "leave_date"))

    staff_id = models.CharField(max_length=48, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="professional")
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=150)
    swe_registration_number = models.CharField(
        "Social Work England number", max_length=9, blank=True,
        help_text="SW followed by digits; blank for staff who are not social workers")
    job_title = models.CharField(max_length=200)
    is_social_worker = models.BooleanField(default=True)
    is_manager = models.BooleanField(default=False)
    fte = models.DecimalField("FTE", max_digits=3, decimal_places=2, default=Decimal("1.00"))
    is_agency = models.BooleanField(default=False)
    qualified_on = models.DateField(null=True, blank=True,
                                    help_text="Date of qualifying as a social worker")
    asye_start = models.DateField("ASYE start", null=True, blank=True,
                                  help_text="Assessed and supported year in employment")
    start_date = models.DateField()
    leave_date = models.DateField(null=True, blank=True)
    leave_reason = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = "professional"
        constraints = (models.CheckConstraint(condition=models.Q(fte__gt=0) & models.Q(fte__lte=1),
                                              name="professional_fte_range"),)

    def __str__(self) -> str:
        return f"{self.forename} {self.surname}"

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    def in_asye_on(self, day: dt.date) -> bool:
        """Newly qualified: in the first year of the ASYE on `day`."""
        return self.asye_start is not None and \
            self.asye_start <= day < self.asye_start + dt.timedelta(days=365)

    def clean_record(self) -> list[ValidationError]:
        errors = []
        if self.swe_registration_number and not SWE_NUMBER.match(self.swe_registration_number):
            errors.append(refuse("swe_registration_number",
                                 f"{show(self.swe_registration_number)} is not a Social Work "
                                 "England number; it is SW followed by up to 7 digits"))
        if self.is_social_worker and not self.swe_registration_number and not self.is_agency \
                and self.asye_start is None:
            errors.append(refuse("swe_registration_number",
                                 "(blank) for a social worker; registered social workers must "
                                 "have their Social Work England number recorded"))
        if not (Decimal("0") < self.fte <= Decimal("1")):
            errors.append(refuse("fte", f"{show(self.fte)} is outside 0.01 to 1.00"))
        return errors


class TeamMembership(ArchivableModel):
    """A professional's place in a team, dated: teams change, caseloads follow."""

    DATE_ORDER = (("start_date", "end_date"),)
    OVERLAP = NoOverlap(what="memberships of one team", scope=("professional", "team"))
    WITHIN = (Within("professional", "start_date", "leave_date", "start_date", "end_date"),)

    professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                     related_name="memberships")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="memberships")
    is_team_manager = models.BooleanField(default=False)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = "team membership"


class Involvement(PersonRecord):
    """Who held a child's case, in which role and team, from when to when (ssd_involvements).

    A child has one allocated social worker (role CW) at a time; other roles (IRO,
    personal adviser, missing-from-home worker) run alongside.
    """

    DATE_ORDER = (("start_date", "end_date"),)
    OVERLAP = NoOverlap(what="allocated social workers (role CW) for one child",
                        applies=lambda inv: inv.role == "CW", condition=models.Q(role="CW"))
    WITHIN = (Within("professional", "start_date", "leave_date", "start_date", "end_date"),
              Within("referral", "referral_date", "closure_date", "start_date", "end_date"))
    LIFE_EVENTS = ("start_date",)
    PREBIRTH_ALLOWED = True
    SAME_PERSON_AS = ("referral",)

    professional = models.ForeignKey(Professional, on_delete=models.PROTECT,
                                     related_name="involvements")
    role = CodeField(code_list="INVOLVEMENT_ROLE", dated_by="start_date")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="involvements")
    referral = models.ForeignKey("records.Referral", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="involvements")
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    change_reason = CodeField(code_list="SW_CHANGE_REASON", dated_by="end_date", blank=True)

    class Meta:
        verbose_name = "involvement"
        indexes = (models.Index(fields=("professional", "start_date", "end_date"),
                                name="involvement_caseload"),)
