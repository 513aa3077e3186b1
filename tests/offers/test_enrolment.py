"""Enrolment in one variant at a time (O1), the commitments accepted explicitly by both sides,
their review, the shares verified, and the contributions due and paid."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopgov.core import actions as core_actions
from coopgov.core.models import Event, Member, MemberCategory, Organisation, Person
from coopgov.offers import actions
from coopgov.offers.models import (
    Activity,
    Contribution,
    Enrolment,
    Holding,
    OfferVersion,
    Service,
    Stage,
)
from tests.conftest import make_member, make_person

D = datetime.date


def noon(day: D) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=datetime.UTC)


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=f"offers.{action}").order_by("pk"))


def open_activity(
    org: Organisation, holders: list[Member], profile: str = "individual"
) -> Activity:
    return actions.open_activity(
        None,
        organisation=org,
        name=f"Activité {profile}",
        sector="Conseil",
        profile=profile,
        started_on=D(2023, 6, 1),
        holders=holders,
    )


@pytest.fixture
def enrolment(activity: Activity, individual: OfferVersion) -> Enrolment:
    """The activity in the individual variant (6.5 %) from 1 March 2024."""
    return actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))


@pytest.fixture
def colleague(org: Organisation) -> Person:
    """Another adviser of the cooperative, who does not follow the activity."""
    return make_person(org, first_name="Karim", last_name="Benali")


# Enrolment (O1)


def test_an_activity_is_enrolled_in_a_variant_from_a_day(
    activity: Activity, individual: OfferVersion, adviser: Person
) -> None:
    enrolment = actions.enrol(
        adviser, activity=activity, version=individual, starts_on=D(2024, 3, 1)
    )
    assert (enrolment.version, enrolment.starts_on, enrolment.ends_on) == (
        individual,
        D(2024, 3, 1),
        None,
    )
    assert enrolment.review_on == D(2025, 3, 1)  # a year later unless said otherwise
    assert not enrolment.accepted
    (event,) = events("activity.enrolled")
    assert (event.actor, event.target_id) == (adviser, str(activity.pk))
    assert event.data == {
        "offer": "activite",
        "version": 1,
        "starts_on": "2024-03-01",
        "previous": "",
    }


def test_o1_a_change_of_variant_ends_the_current_enrolment_the_day_before(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion
) -> None:
    moved = actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 9, 1))
    enrolment.refresh_from_db()
    assert enrolment.ends_on == D(2024, 8, 31)
    assert list(activity.enrolments.filter(ends_on__isnull=True)) == [moved]
    for day, current in [
        (D(2024, 8, 31), enrolment),
        (D(2024, 9, 1), moved),
        (D(2024, 3, 1), enrolment),
        (D(2030, 1, 1), moved),
    ]:
        assert [e for e in activity.enrolments.all() if e.covers(day)] == [current]
    assert not any(e.covers(D(2024, 2, 29)) for e in activity.enrolments.all())
    assert events("activity.enrolled")[-1].data == {
        "offer": "occasionnel",
        "version": 1,
        "starts_on": "2024-09-01",
        "previous": "activite",
    }


def test_o1_a_change_of_variant_on_the_day_after_the_start_leaves_a_one_day_enrolment(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion
) -> None:
    actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 3, 2))
    enrolment.refresh_from_db()
    assert (enrolment.starts_on, enrolment.ends_on) == (D(2024, 3, 1), D(2024, 3, 1))


@pytest.mark.parametrize("starts_on", [D(2024, 3, 1), D(2024, 2, 29)])
def test_o1_a_change_of_variant_starting_on_or_before_the_current_start_is_refused(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion, starts_on: D
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.enrol(None, activity=activity, version=occasional, starts_on=starts_on)
    assert list(error.value.message_dict) == ["starts_on"]
    assert error.value.message_dict["starts_on"][0].startswith(
        "O1: the activity is in “Activité individuelle” since"
    )
    enrolment.refresh_from_db()
    assert enrolment.ends_on is None and activity.enrolments.count() == 1
    assert len(events("activity.enrolled")) == 1


def test_o1_a_new_enrolment_does_not_overlap_a_closed_one(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion
) -> None:
    Enrolment.objects.filter(pk=enrolment.pk).update(ends_on=D(2024, 8, 31))
    with pytest.raises(ValidationError, match="O1: the activity was already in a variant"):
        actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 8, 31))
    after = actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 9, 1))
    assert after.ends_on is None


def test_o1_the_database_keeps_one_open_enrolment_per_activity(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion
) -> None:
    second = Enrolment(
        activity=activity, version=occasional, starts_on=D(2024, 9, 1), review_on=D(2025, 9, 1)
    )
    with pytest.raises(ValidationError, match="O1: an activity is in one offer variant at a time"):
        second.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    second.ends_on = D(2024, 9, 30)
    second.save()  # a closed enrolment beside the open one is left to the action's dating
    assert activity.enrolments.filter(ends_on__isnull=True).count() == 1


def test_the_version_is_valid_on_the_day_the_enrolment_starts(
    activity: Activity, individual: OfferVersion, services: list[Service]
) -> None:
    second = actions.publish_version(
        None,
        offer=individual.offer,
        valid_from=D(2025, 1, 1),
        cooperative_commitments="Salaire payé dans les cinq jours ouvrables.",
        contribution_rate=Decimal(7),
        levels={services[0]: "standard"},
    )
    individual.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.enrol(None, activity=activity, version=individual, starts_on=D(2025, 1, 1))
    assert error.value.message_dict["version"][0].startswith(
        "O1: version 1 of “Activité individuelle” is not valid on"
    )
    with pytest.raises(ValidationError, match="O1: version 2 of"):
        actions.enrol(None, activity=activity, version=second, starts_on=D(2024, 12, 31))
    assert not activity.enrolments.exists()
    last_day = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 12, 31))
    first_day = actions.enrol(None, activity=activity, version=second, starts_on=D(2025, 1, 1))
    last_day.refresh_from_db()
    assert (last_day.ends_on, first_day.ends_on) == (D(2024, 12, 31), None)


def test_a_version_is_not_valid_before_it_starts(
    activity: Activity, individual: OfferVersion
) -> None:
    with pytest.raises(ValidationError, match="O1: version 1"):
        actions.enrol(None, activity=activity, version=individual, starts_on=D(2022, 12, 31))


def test_a_variant_is_offered_to_the_activity_profiles_it_names(
    org: Organisation, holder: Member, individual: OfferVersion, occasional: OfferVersion
) -> None:
    collective = open_activity(org, [holder], profile="collective")
    with pytest.raises(ValidationError) as error:
        actions.enrol(None, activity=collective, version=occasional, starts_on=D(2024, 1, 1))
    assert error.value.message_dict == {
        "version": [
            "Eligibility: “Missions occasionnelles” is not offered to collective enterprise."
        ]
    }
    assert actions.enrol(None, activity=collective, version=individual, starts_on=D(2024, 1, 1))


def test_a_variant_naming_no_profile_is_offered_to_every_profile(
    org: Organisation, holder: Member, services: list[Service]
) -> None:
    offer = actions.create_offer(None, organisation=org, code="ouvert", name="Ouvert")
    version = actions.publish_version(
        None,
        offer=offer,
        valid_from=D(2023, 1, 1),
        cooperative_commitments="Tout.",
        contribution_rate=Decimal(5),
        levels={services[0]: "basic"},
    )
    contributor = open_activity(org, [holder], profile="contributor")
    assert actions.enrol(None, activity=contributor, version=version, starts_on=D(2024, 1, 1))


def test_a_variant_is_open_to_the_categories_of_all_holders(
    org: Organisation,
    holder: Member,
    category_c: MemberCategory,
    individual: OfferVersion,
    occasional: OfferVersion,
) -> None:
    partner = make_member(org, category_c, make_person(org, first_name="Yves", last_name="Roland"))
    shared = open_activity(org, [holder, partner])
    with pytest.raises(ValidationError) as error:
        actions.enrol(None, activity=shared, version=individual, starts_on=D(2024, 1, 1))
    assert error.value.message_dict == {
        "version": [
            "Eligibility: “Activité individuelle” is not open to the category of Yves Roland."
        ]
    }
    assert not shared.enrolments.exists()
    assert actions.enrol(None, activity=shared, version=occasional, starts_on=D(2024, 1, 1))


@pytest.mark.parametrize("review_on", [D(2024, 2, 29), D(2024, 3, 1)])
def test_the_review_comes_after_the_enrolment_starts(
    activity: Activity, individual: OfferVersion, review_on: D
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.enrol(
            None,
            activity=activity,
            version=individual,
            starts_on=D(2024, 3, 1),
            review_on=review_on,
        )
    assert error.value.message_dict == {
        "review_on": ["Dates: the review comes after the enrolment starts."]
    }
    next_day = actions.enrol(
        None,
        activity=activity,
        version=individual,
        starts_on=D(2024, 3, 1),
        review_on=D(2024, 3, 2),
    )
    assert next_day.review_on == D(2024, 3, 2)


def test_an_exited_activity_is_not_enrolled(activity: Activity, individual: OfferVersion) -> None:
    actions.advance(
        None, activity=activity, stage=Stage.EXITED, on=D(2024, 2, 1), exit_reason="not_admitted"
    )
    with pytest.raises(ValidationError, match="This activity has exited the cooperative"):
        actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))
    assert not activity.enrolments.exists()


def test_a_variant_of_another_organisation_is_refused(
    activity: Activity, other_org: Organisation
) -> None:
    service = actions.add_service(None, organisation=other_org, code="s", name="S")
    offer = actions.create_offer(None, organisation=other_org, code="o", name="O")
    version = actions.publish_version(
        None,
        offer=offer,
        valid_from=D(2023, 1, 1),
        cooperative_commitments="Rien.",
        contribution_rate=Decimal(1),
        levels={service: "basic"},
    )
    with pytest.raises(ValidationError) as error:
        actions.enrol(None, activity=activity, version=version, starts_on=D(2024, 3, 1))
    assert list(error.value.message_dict) == ["version"]


# Commitments accepted by both sides


def test_each_side_accepts_the_commitments_and_who_and_when_is_kept(
    enrolment: Enrolment, holder: Member, adviser: Person
) -> None:
    lea = holder.person
    assert lea is not None
    actions.accept_commitments(lea, enrolment=enrolment, side="member", at=noon(D(2024, 3, 2)))
    enrolment.refresh_from_db()
    assert (enrolment.member_accepted_by, enrolment.member_accepted_at) == (
        lea,
        noon(D(2024, 3, 2)),
    )
    assert not enrolment.accepted
    actions.accept_commitments(
        adviser, enrolment=enrolment, side="cooperative", at=noon(D(2024, 3, 5))
    )
    enrolment.refresh_from_db()
    assert (enrolment.cooperative_accepted_by, enrolment.cooperative_accepted_at) == (
        adviser,
        noon(D(2024, 3, 5)),
    )
    assert enrolment.accepted
    assert [(e.actor, e.data) for e in events("commitments.accepted")] == [
        (lea, {"side": "member", "offer": "activite", "at": "2024-03-02T12:00:00+00:00"}),
        (adviser, {"side": "cooperative", "offer": "activite", "at": "2024-03-05T12:00:00+00:00"}),
    ]


def test_an_acceptance_is_timed_now_unless_said_otherwise(
    enrolment: Enrolment, adviser: Person
) -> None:
    with time_machine.travel(noon(D(2024, 3, 4)), tick=False):
        actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    enrolment.refresh_from_db()
    assert enrolment.cooperative_accepted_at == noon(D(2024, 3, 4))


def test_only_the_cooperative_side_accepted_is_not_accepted(
    enrolment: Enrolment, adviser: Person
) -> None:
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    enrolment.refresh_from_db()
    assert not enrolment.accepted


def test_the_member_side_is_accepted_by_a_holder_not_by_anyone_else(
    enrolment: Enrolment, adviser: Person, outsider: Person, plain_member: Person
) -> None:
    for person in (adviser, outsider, plain_member):
        with pytest.raises(ValidationError, match="Commitments: a holder of the activity accepts"):
            actions.accept_commitments(person, enrolment=enrolment, side="member")
    enrolment.refresh_from_db()
    assert enrolment.member_accepted_at is None and not events("commitments.accepted")


def test_the_legal_representative_accepts_for_a_legal_person_holder(
    org: Organisation, category_a: MemberCategory, individual: OfferVersion
) -> None:
    representative = make_person(org, first_name="Hugo", last_name="Lambert")
    company = core_actions.admit_member(
        None,
        organisation=org,
        category=category_a,
        admission_date=D(2022, 1, 1),
        legal_name="Sérigraphie Lambert SRL",
        representative=representative,
    )
    activity = open_activity(org, [company])
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 1, 1))
    actions.accept_commitments(representative, enrolment=enrolment, side="member")
    enrolment.refresh_from_db()
    assert enrolment.member_accepted_by == representative


def test_the_cooperative_side_is_accepted_by_an_adviser_of_the_activity(
    enrolment: Enrolment, holder: Member, colleague: Person, adviser: Person
) -> None:
    for person, rule in (
        (holder.person, "Separation of sides"),
        (colleague, "Commitments: an adviser of the activity"),
    ):
        with pytest.raises(ValidationError, match=rule):
            actions.accept_commitments(person, enrolment=enrolment, side="cooperative")  # type: ignore[arg-type]
    enrolment.refresh_from_db()
    assert enrolment.cooperative_accepted_at is None
    actions.follow(None, activity=enrolment.activity, adviser=colleague)
    actions.accept_commitments(colleague, enrolment=enrolment, side="cooperative")
    enrolment.refresh_from_db()
    assert enrolment.cooperative_accepted_by == colleague


@pytest.mark.parametrize("side", ["member", "cooperative"])
def test_each_side_accepts_once(
    enrolment: Enrolment, holder: Member, adviser: Person, side: str
) -> None:
    person = holder.person if side == "member" else adviser
    assert person is not None
    actions.accept_commitments(person, enrolment=enrolment, side=side, at=noon(D(2024, 3, 2)))
    with pytest.raises(ValidationError, match="side has already accepted"):
        actions.accept_commitments(person, enrolment=enrolment, side=side, at=noon(D(2024, 4, 2)))
    enrolment.refresh_from_db()
    assert getattr(enrolment, f"{side}_accepted_at") == noon(D(2024, 3, 2))
    assert len(events("commitments.accepted")) == 1


def test_a_side_is_the_member_or_the_cooperative(enrolment: Enrolment, adviser: Person) -> None:
    with pytest.raises(ValidationError) as error:
        actions.accept_commitments(adviser, enrolment=enrolment, side="both")
    assert list(error.value.message_dict) == ["side"]


# Review of the commitments


def test_the_commitments_are_reviewed_and_the_next_review_set(
    enrolment: Enrolment, adviser: Person
) -> None:
    with time_machine.travel(noon(D(2025, 3, 3))):
        with pytest.raises(ValidationError) as error:
            actions.review_commitments(adviser, enrolment=enrolment, next_review_on=D(2025, 3, 3))
        assert list(error.value.message_dict) == ["next_review_on"]
        actions.review_commitments(
            adviser, enrolment=enrolment, next_review_on=D(2025, 3, 4), note="Tout va bien."
        )
    enrolment.refresh_from_db()
    assert enrolment.review_on == D(2025, 3, 4)
    (event,) = events("commitments.reviewed")
    assert (event.actor, event.data) == (
        adviser,
        {"next_review_on": "2025-03-04", "note": "Tout va bien."},
    )


# Shares


def test_the_shares_held_are_verified_on_a_day(
    activity: Activity, holder: Member, adviser: Person
) -> None:
    holding = activity.holdings.get()
    with time_machine.travel(noon(D(2024, 3, 10))):
        with pytest.raises(ValidationError) as error:
            actions.verify_shares(adviser, holding=holding, shares=2, on=D(2024, 3, 11))
        assert list(error.value.message_dict) == ["on"]
        actions.verify_shares(adviser, holding=holding, shares=2)
    holding = Holding.objects.get(pk=holding.pk)
    assert (holding.shares_verified, holding.verified_on) == (2, D(2024, 3, 10))
    (event,) = events("shares.verified")
    assert event.data == {"member": holder.number, "shares": 2}


# Contributions


def test_a_contribution_is_due_at_the_rate_of_the_variant_in_force_at_the_period_start(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion
) -> None:
    moved = actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 7, 1))
    june = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 6, 1),
        period_end=D(2024, 6, 30),
        base_amount=Decimal(1000),
        due_on=D(2024, 7, 15),
    )
    straddling = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 6, 30),
        period_end=D(2024, 7, 29),
        base_amount=Decimal(1000),
        due_on=D(2024, 8, 15),
    )
    july = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 7, 1),
        period_end=D(2024, 7, 31),
        base_amount=Decimal(1000),
        due_on=D(2024, 8, 15),
    )
    assert [(c.enrolment, c.rate, c.amount_due) for c in (june, straddling, july)] == [
        (enrolment, Decimal("6.5"), Decimal("65.00")),
        (enrolment, Decimal("6.5"), Decimal("65.00")),
        (moved, Decimal(8), Decimal("80.00")),
    ]
    assert events("contribution.recorded")[0].data == {
        "period": ["2024-06-01", "2024-06-30"],
        "due": "65.00",
    }


@pytest.mark.parametrize(
    ("base", "due"),
    [
        (Decimal("1.00"), Decimal("0.07")),  # 0.065: half up, not to the even 0.06
        (Decimal("0.07"), Decimal("0.00")),  # 0.00455
        (Decimal("0.08"), Decimal("0.01")),  # 0.0052
        (Decimal("10.10"), Decimal("0.66")),  # 0.6565
        (Decimal("0"), Decimal("0.00")),
    ],
)
def test_the_amount_due_is_rounded_half_up_to_the_cent(
    activity: Activity, enrolment: Enrolment, base: Decimal, due: Decimal
) -> None:
    contribution = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 3, 1),
        period_end=D(2024, 3, 31),
        base_amount=base,
        due_on=D(2024, 4, 15),
    )
    assert contribution.amount_due == due
    contribution.refresh_from_db()
    assert contribution.amount_due == due


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    base=st.decimals(min_value=0, max_value=10**9, places=2),
    rate=st.decimals(min_value=0, max_value=100, places=2),
)
def test_the_amount_due_is_the_base_times_the_rate_to_the_nearest_cent_halves_up(
    activity: Activity, services: list[Service], base: Decimal, rate: Decimal
) -> None:
    with transaction.atomic():
        offer = actions.create_offer(None, organisation=activity.organisation, code="p", name="P")
        version = actions.publish_version(
            None,
            offer=offer,
            valid_from=D(2023, 1, 1),
            cooperative_commitments="Tout.",
            contribution_rate=rate,
            levels={services[0]: "basic"},
        )
        actions.enrol(None, activity=activity, version=version, starts_on=D(2024, 3, 1))
        due = actions.record_contribution(
            None,
            activity=activity,
            period_start=D(2024, 3, 1),
            period_end=D(2024, 3, 31),
            base_amount=base,
            due_on=D(2024, 4, 30),
        ).amount_due
        transaction.set_rollback(True)
    exact = base * rate / 100
    assert due == due.quantize(Decimal("0.01"))  # whole cents
    assert abs(due - exact) <= Decimal("0.005")
    if abs(due - exact) == Decimal("0.005"):
        assert due > exact  # a half cent goes up
    assert Decimal(0) <= due <= base


def test_o1_no_contribution_while_the_activity_is_in_no_variant(
    activity: Activity, enrolment: Enrolment
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_contribution(
            None,
            activity=activity,
            period_start=D(2024, 2, 29),
            period_end=D(2024, 3, 31),
            base_amount=Decimal(1000),
            due_on=D(2024, 4, 15),
        )
    assert error.value.message_dict == {
        "period_start": ["O1: the activity was in no variant at the start of this period."]
    }
    assert not Contribution.objects.exists() and not events("contribution.recorded")


def test_o1_no_contribution_after_the_enrolment_ended(
    activity: Activity, enrolment: Enrolment
) -> None:
    actions.advance(
        None, activity=activity, stage=Stage.EXITED, on=D(2024, 6, 30), exit_reason="ended"
    )
    last = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 6, 30),
        period_end=D(2024, 6, 30),
        base_amount=Decimal(100),
        due_on=D(2024, 7, 15),
    )
    assert last.enrolment == enrolment
    with pytest.raises(ValidationError, match="O1: the activity was in no variant"):
        actions.record_contribution(
            None,
            activity=activity,
            period_start=D(2024, 7, 1),
            period_end=D(2024, 7, 31),
            base_amount=Decimal(100),
            due_on=D(2024, 8, 15),
        )


def test_one_contribution_per_period(activity: Activity, enrolment: Enrolment) -> None:
    fields = {
        "activity": activity,
        "period_start": D(2024, 3, 1),
        "base_amount": Decimal(1000),
        "due_on": D(2024, 4, 15),
    }
    actions.record_contribution(None, period_end=D(2024, 3, 31), **fields)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        actions.record_contribution(None, period_end=D(2024, 3, 15), **fields)  # type: ignore[arg-type]
    assert Contribution.objects.count() == 1 and len(events("contribution.recorded")) == 1


def test_the_base_of_a_contribution_is_zero_or_more(
    activity: Activity, enrolment: Enrolment
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_contribution(
            None,
            activity=activity,
            period_start=D(2024, 3, 1),
            period_end=D(2024, 3, 31),
            base_amount=Decimal("-0.01"),
            due_on=D(2024, 4, 15),
        )
    assert list(error.value.message_dict) == ["base_amount"]


def test_a_contribution_period_ends_on_or_after_it_starts(
    activity: Activity, enrolment: Enrolment
) -> None:
    with pytest.raises(ValidationError):
        actions.record_contribution(
            None,
            activity=activity,
            period_start=D(2024, 3, 31),
            period_end=D(2024, 3, 30),
            base_amount=Decimal(10),
            due_on=D(2024, 4, 15),
        )
    assert not Contribution.objects.exists()


def test_payments_add_up_until_the_contribution_is_paid(
    activity: Activity, enrolment: Enrolment, adviser: Person
) -> None:
    contribution = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 3, 1),
        period_end=D(2024, 3, 31),
        base_amount=Decimal(1000),
        due_on=D(2024, 4, 15),
    )
    actions.record_payment(
        adviser, contribution=contribution, amount=Decimal(40), paid_on=D(2024, 4, 10)
    )
    assert contribution.is_unpaid(D(2024, 4, 16))
    actions.record_payment(
        adviser, contribution=contribution, amount=Decimal(25), paid_on=D(2024, 4, 20)
    )
    contribution.refresh_from_db()
    assert (contribution.amount_paid, contribution.paid_on) == (Decimal("65.00"), D(2024, 4, 20))
    assert not contribution.is_unpaid(D(2024, 4, 21))
    assert [e.data for e in events("contribution.paid")] == [
        {"amount": "40", "paid_on": "2024-04-10"},
        {"amount": "25", "paid_on": "2024-04-20"},
    ]


@pytest.mark.parametrize("amount", [Decimal(0), Decimal("-5")])
def test_a_payment_is_more_than_zero(
    activity: Activity, enrolment: Enrolment, amount: Decimal
) -> None:
    contribution = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 3, 1),
        period_end=D(2024, 3, 31),
        base_amount=Decimal(1000),
        due_on=D(2024, 4, 15),
    )
    with pytest.raises(ValidationError) as error:
        actions.record_payment(
            None, contribution=contribution, amount=amount, paid_on=D(2024, 4, 1)
        )
    assert list(error.value.message_dict) == ["amount"]
    contribution.refresh_from_db()
    assert contribution.amount_paid == 0


def test_a_payment_is_not_recorded_ahead_of_its_day(
    activity: Activity, enrolment: Enrolment
) -> None:
    contribution = actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 3, 1),
        period_end=D(2024, 3, 31),
        base_amount=Decimal(1000),
        due_on=D(2024, 4, 15),
    )
    with time_machine.travel(noon(D(2024, 4, 10))):
        with pytest.raises(ValidationError) as error:
            actions.record_payment(
                None, contribution=contribution, amount=Decimal(65), paid_on=D(2024, 4, 11)
            )
        assert list(error.value.message_dict) == ["paid_on"]
        actions.record_payment(
            None, contribution=contribution, amount=Decimal(65), paid_on=D(2024, 4, 10)
        )
    contribution.refresh_from_db()
    assert contribution.amount_paid == Decimal(65)


def test_the_commitments_of_an_ended_enrolment_are_not_accepted(
    activity: Activity, enrolment: Enrolment, occasional: OfferVersion, adviser: Person
) -> None:
    actions.enrol(None, activity=activity, version=occasional, starts_on=D(2024, 9, 1))
    enrolment.refresh_from_db()
    with pytest.raises(ValidationError, match="Commitments: this enrolment has ended"):
        actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    enrolment.refresh_from_db()
    assert enrolment.cooperative_accepted_at is None


def test_an_enrolment_starts_on_or_after_the_activitys_start(
    activity: Activity, individual: OfferVersion
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 1, 31))
    assert "starts_on" in refused.value.message_dict
    assert not Enrolment.objects.exists()
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 2, 1))
    assert enrolment.starts_on == D(2024, 2, 1)


def test_the_default_review_comes_a_calendar_year_after_the_start(
    activity: Activity, individual: OfferVersion
) -> None:
    enrolment = actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 2, 29))
    assert enrolment.review_on == D(2025, 2, 28)


def test_a_new_version_cannot_start_before_activities_entered_the_current_one(
    activity: Activity, individual: OfferVersion, services: list[Service]
) -> None:
    actions.enrol(None, activity=activity, version=individual, starts_on=D(2024, 3, 1))
    with pytest.raises(ValidationError, match="Versions: activities entered version 1"):
        actions.publish_version(
            None,
            offer=individual.offer,
            valid_from=D(2024, 3, 1),
            cooperative_commitments="Autre chose.",
            contribution_rate=Decimal(7),
            levels={services[0]: "basic"},
        )
    individual.refresh_from_db()
    assert individual.valid_until is None and individual.offer.versions.count() == 1
    later = actions.publish_version(
        None,
        offer=individual.offer,
        valid_from=D(2024, 3, 2),
        cooperative_commitments="Autre chose.",
        contribution_rate=Decimal(7),
        levels={services[0]: "basic"},
    )
    individual.refresh_from_db()
    assert (individual.valid_until, later.number) == (D(2024, 3, 1), 2)
