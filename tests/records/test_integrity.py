"""Integrity where it starts: each rule DfE or common sense sets, refused at entry with a
message naming the field, the value and what is allowed (issue 2, point 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from goldenthread.accounts.models import User
from goldenthread.records.actions.base import change_record, create_record
from goldenthread.records.actions.cla import PlacementDetails, do_start_period_of_care
from goldenthread.records.models import (
    CPPlan,
    InitialConference,
    MissingEpisode,
    PeriodOfCare,
    Person,
    Placement,
    Referral,
    Section47Enquiry,
)
from tests.factories import PersonFactory, ReferralFactory
from tests.helpers import refusal

pytestmark = pytest.mark.django_db

FOSTER = PlacementDetails(placement_type="U4", provider="PR1", postcode="M14 5RX")


def enter_care(child: Person, user: User, on: dt.date) -> PeriodOfCare:
    return do_start_period_of_care(child, start_date=on, legal_status="C2", cin_need="N1",
                                   placement=FOSTER, acting_user=user)


# --- End before start -----------------------------------------------------------------

def test_referral_closed_before_it_was_made_is_refused(child: Person, social_worker: User) -> None:
    """Referral 3 June 2024 'closed' 1 June 2024: the closure date names both dates."""
    with pytest.raises(ValidationError) as excinfo:
        create_record(Referral, acting_user=social_worker, person=child,
                      referral_date=dt.date(2024, 6, 3), source="2A",
                      closure_date=dt.date(2024, 6, 1), closure_reason="RC8")
    message = refusal(excinfo, "closure_date")
    assert "closure_date: 2024-06-01 is before referral_date 2024-06-03" in message
    assert "must be on or after referral_date" in message


def test_database_refuses_end_before_start_even_past_validation(child: Person) -> None:
    """The check constraint is the last line of defence if anything skips validation."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.bulk_create([Referral(person=child, referral_date=dt.date(2024, 6, 3),
                                               source="2A", closure_date=dt.date(2024, 6, 1),
                                               closure_reason="RC8")])


# --- Events before birth / after death --------------------------------------------------

def test_placement_before_birth_is_refused(social_worker: User) -> None:
    """Ella's brother born 10 March 2024 cannot enter care on 1 March 2024."""
    baby = PersonFactory(date_of_birth=dt.date(2024, 3, 10))
    with pytest.raises(ValidationError) as excinfo:
        enter_care(baby, social_worker, dt.date(2024, 3, 1))
    message = refusal(excinfo, "start_date")
    assert "2024-03-01 is before the child's date of birth 2024-03-10" in message
    assert "must be on or after the date of birth" in message


def test_prebirth_referral_within_a_full_term_is_accepted(social_worker: User) -> None:
    """Pre-birth work is real: a referral 4 months before birth is allowed."""
    baby = PersonFactory(date_of_birth=dt.date(2024, 9, 1))
    referral = create_record(Referral, acting_user=social_worker, person=baby,
                             referral_date=dt.date(2024, 5, 1), source="6")
    assert referral.pk is not None


def test_prebirth_referral_more_than_280_days_before_birth_is_refused(
        social_worker: User) -> None:
    """Born 1 Sept 2024; a referral on 1 Nov 2023 (305 days before) cannot be pre-birth work."""
    baby = PersonFactory(date_of_birth=dt.date(2024, 9, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Referral, acting_user=social_worker, person=baby,
                      referral_date=dt.date(2023, 11, 1), source="6")
    message = refusal(excinfo, "referral_date")
    assert "2023-11-01 is before the child's date of birth 2024-09-01" in message
    assert "on or after 2023-11-26" in message


def test_unborn_child_cannot_enter_care(social_worker: User) -> None:
    """An unborn child (expected date only) can be referred but not placed."""
    unborn = PersonFactory(date_of_birth=None, expected_date_of_birth=dt.date(2025, 2, 1))
    with pytest.raises(ValidationError) as excinfo:
        enter_care(unborn, social_worker, dt.date(2025, 1, 10))
    assert "for a child not yet born (expected 2025-02-01)" in refusal(excinfo, "start_date")


def test_event_after_death_is_refused(social_worker: User) -> None:
    person = PersonFactory(date_of_birth=dt.date(2010, 1, 1), date_of_death=dt.date(2024, 2, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(MissingEpisode, acting_user=social_worker, person=person,
                      episode_type="M", start_at=dt.datetime(2024, 3, 1, 22, 0, tzinfo=dt.UTC))
    assert "2024-03-01 is after the child's date of death 2024-02-01" in \
        refusal(excinfo, "start_at")


# --- Two open periods of care -----------------------------------------------------------

def test_second_open_period_of_care_is_refused(child: Person, social_worker: User) -> None:
    """Ella came into care on 1 April 2024 and has not left: a second period cannot open."""
    enter_care(child, social_worker, dt.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(PeriodOfCare, acting_user=social_worker, person=child,
                      start_date=dt.date(2024, 9, 1))
    message = refusal(excinfo, "start_date")
    assert "2024-09-01 to (open) overlaps the period of care from 2024-04-01 to (open)" in message
    assert "periods of care for one child must not overlap" in message


def test_database_refuses_two_open_periods_of_care(child: Person) -> None:
    """The partial unique index holds even for writes that skip validation."""
    with pytest.raises(IntegrityError), transaction.atomic():
        PeriodOfCare.objects.bulk_create([
            PeriodOfCare(person=child, start_date=dt.date(2024, 4, 1)),
            PeriodOfCare(person=child, start_date=dt.date(2024, 9, 1)),
        ])


# --- Overlapping placements ---------------------------------------------------------------

def test_overlapping_placement_is_refused(child: Person, social_worker: User) -> None:
    """The foster placement from 1 April is open; another from 1 May would overlap it."""
    period = enter_care(child, social_worker, dt.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Placement, acting_user=social_worker, person=child, period=period,
                      start_date=dt.date(2024, 5, 1), placement_type="K2", provider="PR3",
                      urn="SC12345", postcode="M8 9AB")
    message = refusal(excinfo, "start_date")
    assert "overlaps the placement from 2024-04-01 to (open)" in message
    assert "placements for one child must not overlap" in message


def test_placement_may_start_on_the_day_the_last_ended(child: Person,
                                                      social_worker: User) -> None:
    """903 episodes chain: one ends and the next begins on the same day."""
    period = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                           start_date=dt.date(2024, 4, 1))
    create_record(Placement, acting_user=social_worker, person=child, period=period,
                  start_date=dt.date(2024, 4, 1), end_date=dt.date(2024, 5, 1),
                  placement_type="U4", provider="PR1")
    second = create_record(Placement, acting_user=social_worker, person=child, period=period,
                           start_date=dt.date(2024, 5, 1), placement_type="U4", provider="PR1")
    assert second.pk is not None


def test_placement_outside_its_period_of_care_is_refused(child: Person,
                                                        social_worker: User) -> None:
    period = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                           start_date=dt.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Placement, acting_user=social_worker, person=child, period=period,
                      start_date=dt.date(2024, 3, 1), placement_type="U4", provider="PR1")
    assert "2024-03-01 is before the period of care began (2024-04-01)" in \
        refusal(excinfo, "start_date")


# --- CP plan needs an initial or transfer-in conference -----------------------------------

def _conference(child: Person, user: User, *, decided: bool) -> InitialConference:
    referral = ReferralFactory(person=child)
    s47 = create_record(Section47Enquiry, acting_user=user, person=child, referral=referral,
                        start_date=dt.date(2024, 6, 4))
    return create_record(InitialConference, acting_user=user, person=child, referral=referral,
                         section_47=s47, conference_date=dt.date(2024, 6, 20),
                         cp_plan_decided=decided)


def test_cp_plan_without_a_conference_is_refused(child: Person, social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(ValidationError) as excinfo:
        create_record(CPPlan, acting_user=social_worker, person=child, referral=referral,
                      start_date=dt.date(2024, 6, 20), initial_category="NEG",
                      latest_category="NEG")
    assert refusal(excinfo, "initial_conference")


def test_cp_plan_from_a_conference_that_decided_against_one_is_refused(
        child: Person, social_worker: User) -> None:
    conference = _conference(child, social_worker, decided=False)
    with pytest.raises(ValidationError) as excinfo:
        create_record(CPPlan, acting_user=social_worker, person=child,
                      referral=conference.referral, initial_conference=conference,
                      start_date=dt.date(2024, 6, 20), initial_category="NEG",
                      latest_category="NEG")
    message = refusal(excinfo, "initial_conference")
    assert "the conference of 2024-06-20 did not decide on a child protection plan" in message


def test_cp_plan_from_a_deciding_conference_is_accepted(child: Person,
                                                       social_worker: User) -> None:
    conference = _conference(child, social_worker, decided=True)
    plan = create_record(CPPlan, acting_user=social_worker, person=child,
                         referral=conference.referral, initial_conference=conference,
                         start_date=dt.date(2024, 6, 20), initial_category="NEG",
                         latest_category="NEG")
    assert plan.pk is not None


def test_conference_without_section_47_must_be_a_transfer_in(child: Person,
                                                            social_worker: User) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(ValidationError) as excinfo:
        create_record(InitialConference, acting_user=social_worker, person=child,
                      referral=referral, conference_date=dt.date(2024, 6, 20),
                      cp_plan_decided=True)
    assert "not a transfer-in" in refusal(excinfo, "section_47")


def test_database_refuses_cp_plan_without_conference(child: Person) -> None:
    referral = ReferralFactory(person=child)
    with pytest.raises(IntegrityError), transaction.atomic():
        CPPlan.objects.bulk_create([CPPlan(person=child, referral=referral,
                                           start_date=dt.date(2024, 6, 20),
                                           initial_category="NEG", latest_category="NEG")])


# --- Codes valid for the date of the event -------------------------------------------------

def test_placement_code_withdrawn_before_the_placement_is_refused(
        child: Person, social_worker: User) -> None:
    """Z1 ('other placement') was split into Z11–Z14 from 2025-26, so a placement starting
    1 June 2025 cannot use it."""
    period = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                           start_date=dt.date(2025, 6, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Placement, acting_user=social_worker, person=child, period=period,
                      start_date=dt.date(2025, 6, 1), placement_type="Z1")
    message = refusal(excinfo, "placement_type")
    assert "placement_type" in message and "'Z1'" in message
    assert "2025-06-01" in message and "Z11" in message


def test_placement_code_valid_when_the_placement_began_is_accepted(
        child: Person, social_worker: User) -> None:
    """The same Z1 on 1 January 2025 was still valid."""
    period = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                           start_date=dt.date(2025, 1, 1))
    placement = create_record(Placement, acting_user=social_worker, person=child,
                              period=period, start_date=dt.date(2025, 1, 1),
                              placement_type="Z1")
    assert placement.placement_type == "Z1"


def test_unknown_code_is_refused_with_the_allowed_codes(child: Person,
                                                       social_worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create_record(Referral, acting_user=social_worker, person=child,
                      referral_date=dt.date(2024, 6, 3), source="ZZ")
    message = refusal(excinfo, "source")
    assert "'ZZ'" in message and "1A" in message and "10" in message


def test_old_sex_code_is_refused_for_a_new_record(social_worker: User) -> None:
    """Since 2024-25 sex is M, F or U; the old 1/2 codes are refused for new entries."""
    with pytest.raises(ValidationError) as excinfo:
        PersonFactory(sex="1")
    message = refusal(excinfo, "sex")
    assert "'1'" in message and "2024-03-31" in message and "M" in message


# --- Other rules that keep the record true --------------------------------------------------

def test_upn_with_the_wrong_check_letter_is_refused(social_worker: User) -> None:
    """B123456789012: 1×2 + 2×3 + … + 1×12 + 2×13 = 368 and 368 mod 23 = 0, so the DfE
    modulus-23 rule needs check letter A, not B."""
    with pytest.raises(ValidationError) as excinfo:
        PersonFactory(upn="B123456789012")
    assert "'B123456789012' has check letter B but its digits need A" in refusal(excinfo, "upn")


def test_nhs_number_failing_its_check_digit_is_refused() -> None:
    with pytest.raises(ValidationError) as excinfo:
        PersonFactory(nhs_number="9434765918")
    assert "fails the modulus 11 check digit" in refusal(excinfo, "nhs_number")


def test_two_people_cannot_share_a_upn(social_worker: User) -> None:
    PersonFactory(upn="A123456789012")
    with pytest.raises(ValidationError) as excinfo:
        PersonFactory(upn="A123456789012")
    assert "already recorded for another person" in str(excinfo.value)


def test_front_door_decision_needs_rationale_and_level_of_need(child: Person,
                                                              social_worker: User) -> None:
    """Seed 003: decisions at the front door must be recorded with their rationale."""
    from goldenthread.records.models import Contact

    with pytest.raises(ValidationError) as excinfo:
        create_record(Contact, acting_user=social_worker, person=child,
                      received_at=dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.UTC), source="2A",
                      decision="REFERRAL",
                      decided_at=dt.datetime(2024, 6, 3, 15, 0, tzinfo=dt.UTC))
    assert "a front-door decision needs its date, level of need and rationale" in \
        refusal(excinfo, "decision_rationale")
    assert refusal(excinfo, "level_of_need")


def test_records_of_different_children_cannot_be_linked(child: Person,
                                                       social_worker: User) -> None:
    """An assessment of Ella cannot hang from her neighbour's referral."""
    from goldenthread.records.models import Assessment

    neighbour_referral = ReferralFactory()
    with pytest.raises(ValidationError) as excinfo:
        create_record(Assessment, acting_user=social_worker, person=child,
                      referral=neighbour_referral, start_date=dt.date(2024, 6, 4))
    assert "link a record of the same child" in refusal(excinfo, "referral")


def test_return_interview_before_the_child_returned_is_refused(child: Person,
                                                              social_worker: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        create_record(MissingEpisode, acting_user=social_worker, person=child,
                      episode_type="M", start_at=dt.datetime(2024, 7, 1, 20, 0, tzinfo=dt.UTC),
                      end_at=dt.datetime(2024, 7, 2, 8, 0, tzinfo=dt.UTC),
                      rhi_offered_at=dt.datetime(2024, 7, 1, 22, 0, tzinfo=dt.UTC))
    assert "is before end_at 2024-07-02 08:00" in refusal(excinfo, "rhi_offered_at")


def test_sdq_score_above_40_is_refused(child: Person, social_worker: User) -> None:
    from goldenthread.records.models import SDQScore

    with pytest.raises(ValidationError) as excinfo:
        create_record(SDQScore, acting_user=social_worker, person=child,
                      completed_on=dt.date(2024, 5, 1), score=41)
    assert "41 is outside 0 to 40" in refusal(excinfo, "score")


def test_placement_provider_pr0_only_with_parents(child: Person, social_worker: User) -> None:
    period = create_record(PeriodOfCare, acting_user=social_worker, person=child,
                           start_date=dt.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(Placement, acting_user=social_worker, person=child, period=period,
                      start_date=dt.date(2024, 4, 1), placement_type="U4", provider="PR0",
                      distance_miles=Decimal("3.2"))
    assert "'PR0' is only for placement type P1" in refusal(excinfo, "provider")


def test_postcode_is_refused_unless_a_uk_postcode_and_stored_in_standard_form(
        child: Person, social_worker: User) -> None:
    from goldenthread.records.models import Address

    with pytest.raises(ValidationError) as excinfo:
        create_record(Address, acting_user=social_worker, person=child, address_type="HOME",
                      start_date=dt.date(2024, 1, 1), postcode="MANCHESTER")
    assert "'MANCHESTER' is not a UK postcode" in refusal(excinfo, "postcode")
    address = create_record(Address, acting_user=social_worker, person=child,
                            address_type="HOME", start_date=dt.date(2024, 1, 1),
                            postcode="m145rx")
    assert address.postcode == "M14 5RX"


# --- Linked records belong to one referral, period and lifetime ------------------------

def test_conference_cannot_follow_an_enquiry_under_another_referral(
        child: Person, social_worker: User) -> None:
    """Ella's 2023 referral had a section 47; a conference under her 2024 referral cannot
    claim that enquiry."""
    old = ReferralFactory(person=child, referral_date=dt.date(2023, 3, 1))
    change_record(old, acting_user=social_worker, expected_version=old.version,
                  closure_date=dt.date(2023, 6, 1), closure_reason="RC8")
    s47 = create_record(Section47Enquiry, acting_user=social_worker, person=child,
                        referral=old, start_date=dt.date(2023, 3, 2),
                        end_date=dt.date(2023, 3, 20))
    new = ReferralFactory(person=child, referral_date=dt.date(2024, 6, 3))
    with pytest.raises(ValidationError) as excinfo:
        create_record(InitialConference, acting_user=social_worker, person=child,
                      referral=new, section_47=s47, conference_date=dt.date(2024, 6, 20),
                      cp_plan_decided=True)
    assert f"belongs to referral {old.pk}, not to referral {new.pk}" in \
        refusal(excinfo, "section_47")


def test_period_of_care_cannot_start_before_its_referral(child: Person,
                                                        social_worker: User) -> None:
    referral = ReferralFactory(person=child, referral_date=dt.date(2024, 6, 3))
    with pytest.raises(ValidationError) as excinfo:
        create_record(PeriodOfCare, acting_user=social_worker, person=child,
                      referral=referral, start_date=dt.date(2024, 5, 1))
    assert "2024-05-01 is before the referral began (2024-06-03)" in \
        refusal(excinfo, "start_date")


def test_allocation_under_a_closed_referral_must_end_by_its_closure(
        child: Person, social_worker: User) -> None:
    from goldenthread.records.models import Involvement
    from tests.factories import ProfessionalFactory, TeamFactory

    referral = ReferralFactory(person=child, referral_date=dt.date(2024, 6, 3))
    referral = change_record(referral, acting_user=social_worker,
                             expected_version=referral.version,
                             closure_date=dt.date(2024, 9, 1), closure_reason="RC1")
    with pytest.raises(ValidationError) as excinfo:
        create_record(Involvement, acting_user=social_worker, person=child, referral=referral,
                      professional=ProfessionalFactory(), team=TeamFactory(), role="CW",
                      start_date=dt.date(2024, 6, 4))
    assert "(blank) leaves the involvement open but the referral ended on 2024-09-01" in \
        refusal(excinfo, "end_date")


def test_started_to_be_looked_after_only_on_the_first_day(child: Person,
                                                         social_worker: User) -> None:
    """RNE 'S' means the child started to be looked after: not for a later episode."""
    from goldenthread.records.actions.cla import do_change_legal_status
    from goldenthread.records.models import CLAEpisode

    period = enter_care(child, social_worker, dt.date(2024, 4, 1))
    first = do_change_legal_status(period, on=dt.date(2024, 6, 1), legal_status="C1",
                                   acting_user=social_worker)
    with pytest.raises(ValidationError) as excinfo:
        change_record(first, acting_user=social_worker, expected_version=first.version,
                      reason_new_episode="S")
    assert "'S' is only for its first day" in refusal(excinfo, "reason_new_episode")
    assert CLAEpisode.objects.get(pk=first.pk).reason_new_episode == "L"


def test_permanence_plan_decided_at_a_review_of_another_period_is_refused(
        child: Person, social_worker: User) -> None:
    from goldenthread.records.actions.cla import do_end_period_of_care
    from goldenthread.records.models import CLAReview, PermanencePlan

    earlier = enter_care(child, social_worker, dt.date(2023, 1, 2))
    review = create_record(CLAReview, acting_user=social_worker, person=child, period=earlier,
                           due_date=dt.date(2023, 1, 30), review_date=dt.date(2023, 1, 27))
    do_end_period_of_care(earlier, on=dt.date(2023, 5, 1), reason_ceased="E13",
                          acting_user=social_worker)
    later = enter_care(child, social_worker, dt.date(2024, 4, 1))
    with pytest.raises(ValidationError) as excinfo:
        create_record(PermanencePlan, acting_user=social_worker, person=child, period=later,
                      plan="ADOPTION", decided_on=dt.date(2024, 6, 1), decided_at_review=review)
    assert "link a record of the same period of care" in refusal(excinfo, "decided_at_review")


def test_an_archived_person_does_not_hold_on_to_their_upn(social_worker: User) -> None:
    """A duplicate record archived in error frees its UPN for the right record."""
    from goldenthread.records.actions.base import archive_record

    duplicate = PersonFactory(upn="A123456789012")
    archive_record(duplicate, acting_user=social_worker, expected_version=duplicate.version,
                   reason="duplicate of another record")
    assert PersonFactory(upn="A123456789012").upn == "A123456789012"
