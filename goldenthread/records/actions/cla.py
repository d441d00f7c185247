"""Coming into care, moving placement, changing legal status, leaving care.

Each keeps the SSDA903 shape true: the first episode of a period starts with RNE 'S';
a change of placement or legal status closes the open episode with REC 'X1' and opens
the next the same day; leaving care closes episode, placement and period together.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction

from goldenthread.accounts.models import User
from goldenthread.core.errors import refuse, show
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.models import CLAEpisode, PeriodOfCare, Person, Placement, Referral

CONTINUING_IN_CARE = "X1"


@dataclass(frozen=True)
class PlacementDetails:
    placement_type: str
    provider: str = ""
    urn: str = ""
    postcode: str = ""
    distance_miles: Decimal | None = None
    carer_name: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        return {"placement_type": self.placement_type, "provider": self.provider,
                "urn": self.urn, "postcode": self.postcode,
                "distance_miles": self.distance_miles, "carer_name": self.carer_name,
                **self.extra}


def _open_episode(period: PeriodOfCare) -> CLAEpisode:
    episode = period.episodes.filter(end_date__isnull=True, archived_at__isnull=True).first()
    if episode is None:
        raise refuse("period", f"the {period} has no open 903 episode")
    return episode


@transaction.atomic
def do_start_period_of_care(person: Person, *, start_date: dt.date, legal_status: str,
                            cin_need: str, placement: PlacementDetails, acting_user: User,
                            referral: Referral | None = None, home_postcode: str = "",
                            ) -> PeriodOfCare:
    period = create_record(PeriodOfCare, acting_user=acting_user, person=person,
                           start_date=start_date, referral=referral)
    first = create_record(Placement, acting_user=acting_user, person=person, period=period,
                          start_date=start_date, **placement.values())
    create_record(CLAEpisode, acting_user=acting_user, person=person, period=period,
                  placement=first, start_date=start_date, reason_new_episode="S",
                  legal_status=legal_status, cin_need=cin_need, home_postcode=home_postcode)
    return period


@transaction.atomic
def do_change_placement(period: PeriodOfCare, *, on: dt.date, placement: PlacementDetails,
                        reason_place_change: str, acting_user: User,
                        reason_new_episode: str = "P") -> Placement:
    """Move the child: RNE 'P' (placement and carer changed) or 'T' (placement only)."""
    if reason_new_episode not in {"P", "T", "U", "B"}:
        raise refuse("reason_new_episode", f"{show(reason_new_episode)} is not a reason for a "
                                           "change of placement; allowed: P, T (or U, B with a "
                                           "change of legal status)")
    episode = _open_episode(period)
    old = episode.placement
    change_record(episode, acting_user=acting_user, expected_version=episode.version,
                  end_date=on, reason_ceased=CONTINUING_IN_CARE)
    change_record(old, acting_user=acting_user, expected_version=old.version, end_date=on,
                  change_reason=reason_place_change)
    new = create_record(Placement, acting_user=acting_user, person=period.person,
                        period=period, start_date=on, **placement.values())
    create_record(CLAEpisode, acting_user=acting_user, person=period.person, period=period,
                  placement=new, start_date=on, reason_new_episode=reason_new_episode,
                  legal_status=episode.legal_status, cin_need=episode.cin_need,
                  home_postcode=episode.home_postcode)
    return new


@transaction.atomic
def do_change_legal_status(period: PeriodOfCare, *, on: dt.date, legal_status: str,
                           acting_user: User) -> CLAEpisode:
    """A new episode with RNE 'L': same placement, new legal status."""
    episode = _open_episode(period)
    if episode.legal_status == legal_status:
        raise refuse("legal_status", f"{show(legal_status)} is the child's legal status already")
    change_record(episode, acting_user=acting_user, expected_version=episode.version,
                  end_date=on, reason_ceased=CONTINUING_IN_CARE)
    return create_record(CLAEpisode, acting_user=acting_user, person=period.person,
                         period=period, placement=episode.placement, start_date=on,
                         reason_new_episode="L", legal_status=legal_status,
                         cin_need=episode.cin_need, home_postcode=episode.home_postcode)


@transaction.atomic
def do_end_period_of_care(period: PeriodOfCare, *, on: dt.date, reason_ceased: str,
                          acting_user: User) -> PeriodOfCare:
    if reason_ceased == CONTINUING_IN_CARE:
        raise refuse("reason_ceased", "'X1' means the child stays in care; choose the reason "
                                      "care ended")
    episode = _open_episode(period)
    placement = episode.placement
    change_record(episode, acting_user=acting_user, expected_version=episode.version,
                  end_date=on, reason_ceased=reason_ceased)
    change_record(placement, acting_user=acting_user, expected_version=placement.version,
                  end_date=on)
    return change_record(period, acting_user=acting_user, expected_version=period.version,
                         end_date=on)
