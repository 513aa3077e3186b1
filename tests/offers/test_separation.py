"""Separation of sides: the member's side (the holders) and the cooperative's side (the advisers,
the secretariat keeping the record) of an activity are never the same person."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from coopgov.core import actions as core_actions
from coopgov.core.models import Event, Member, MemberCategory, Organisation, Person, Role
from coopgov.offers import actions
from coopgov.offers.models import Activity, Contribution, OfferVersion
from tests.conftest import login, make_member, make_person
from tests.offers.test_api import bearer, enrolled

D = datetime.date
RULE = "Separation of sides"


@pytest.fixture
def staff_holder(org: Organisation, category_a: MemberCategory) -> Member:
    """Bram, on the staff (he may follow activities) and a member holding his own activity."""
    person = make_person(org, first_name="Bram", last_name="Willems")
    core_actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    return make_member(org, category_a, person)


@pytest.fixture
def own_activity(org: Organisation, staff_holder: Member, adviser: Person) -> Activity:
    return actions.open_activity(
        None,
        organisation=org,
        name="Studio de Bram",
        sector="Photographie",
        profile="individual",
        started_on=D(2024, 2, 1),
        holders=[staff_holder],
        advisers=[adviser],
    )


def test_a_holder_is_not_named_adviser_of_the_activity(
    activity: Activity, holder: Member, adviser: Person
) -> None:
    assert holder.person is not None
    with pytest.raises(ValidationError) as error:
        actions.follow(adviser, activity=activity, adviser=holder.person)
    assert RULE in error.value.message_dict["adviser"][0]
    assert not activity.advisers.filter(pk=holder.person.pk).exists()
    assert not Event.objects.filter(action="offers.adviser.added").exists()


def test_an_activity_is_not_opened_with_a_holder_as_its_adviser(
    org: Organisation, holder: Member
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.open_activity(
            None,
            organisation=org,
            name="Auto-accompagnement",
            sector="Conseil",
            profile="individual",
            started_on=D(2024, 2, 1),
            holders=[holder],
            advisers=[holder.person],  # type: ignore[list-item]
        )
    assert RULE in error.value.message_dict["advisers"][0]
    assert not Activity.objects.filter(name="Auto-accompagnement").exists()


def test_the_representative_of_a_legal_person_holder_is_on_the_members_side(
    org: Organisation, category_b: MemberCategory, adviser: Person
) -> None:
    representative = make_person(org, first_name="Ines", last_name="Roels")
    legal = core_actions.admit_member(
        None,
        organisation=org,
        category=category_b,
        legal_name="Atelier Roels SRL",
        representative=representative,
        admission_date=D(2020, 1, 15),
    )
    activity = actions.open_activity(
        None,
        organisation=org,
        name="Atelier Roels",
        sector="Menuiserie",
        profile="collective",
        started_on=D(2024, 2, 1),
        holders=[legal],
        advisers=[adviser],
    )
    with pytest.raises(ValidationError, match=RULE):
        actions.follow(adviser, activity=activity, adviser=representative)


def test_a_holder_does_not_verify_their_own_shares(own_activity: Activity) -> None:
    holding = own_activity.holdings.select_related("member__person", "activity").get()
    with pytest.raises(ValidationError, match=RULE):
        actions.verify_shares(holding.member.person, holding=holding, shares=40)
    holding.refresh_from_db()
    assert holding.shares_verified is None


def test_a_holder_does_not_record_their_own_contributions_or_payments(
    own_activity: Activity,
    staff_holder: Member,
    adviser: Person,
    individual: OfferVersion,
) -> None:
    enrolled(own_activity, individual, staff_holder, adviser)
    contribution_args = {
        "activity": own_activity,
        "period_start": D(2024, 3, 1),
        "period_end": D(2024, 3, 31),
        "base_amount": Decimal(1000),
        "due_on": D(2024, 4, 15),
    }
    with pytest.raises(ValidationError, match=RULE):
        actions.record_contribution(staff_holder.person, **contribution_args)  # type: ignore[arg-type]
    contribution = actions.record_contribution(adviser, **contribution_args)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=RULE):
        actions.record_payment(
            staff_holder.person,
            contribution=contribution,
            amount=Decimal(65),
            paid_on=D(2024, 4, 1),
        )
    assert Contribution.objects.get(pk=contribution.pk).amount_paid == 0


def test_a_holder_does_not_accept_the_commitments_for_the_cooperative(
    own_activity: Activity, staff_holder: Member, individual: OfferVersion
) -> None:
    enrolment = actions.enrol(
        None, activity=own_activity, version=individual, starts_on=own_activity.started_on
    )
    with pytest.raises(ValidationError, match=RULE):
        actions.accept_commitments(staff_holder.person, enrolment=enrolment, side="cooperative")  # type: ignore[arg-type]


def test_a_support_meeting_has_no_holder_among_its_advisers(
    own_activity: Activity, staff_holder: Member, adviser: Person
) -> None:
    with pytest.raises(ValidationError) as error:
        actions.record_support_meeting(
            adviser,
            activity=own_activity,
            held_on=D(2024, 3, 1),
            advisers=[adviser, staff_holder.person],  # type: ignore[list-item]
        )
    assert RULE in error.value.message_dict["advisers"][0]


def test_a_staff_holder_cannot_follow_their_own_activity_through_the_page_or_the_api(
    client: Client, org: Organisation, own_activity: Activity, staff_holder: Member
) -> None:
    person = staff_holder.person
    assert person is not None
    response = login(client, person).post(
        f"/{org.code}/activities/{own_activity.code}/follow/", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code in {302, 400}
    assert not own_activity.advisers.filter(pk=person.pk).exists()
    api = Client().post(
        f"/api/v1/organisations/{org.code}/offers/activities/{own_activity.code}/advisers",
        {"adviser": str(person.code)},
        content_type="application/json",
        **bearer(person),  # type: ignore[arg-type]
    )
    assert api.status_code == 422
    assert RULE in api.json()["errors"][0]["message"]
    assert not own_activity.advisers.filter(pk=person.pk).exists()


def test_a_secretariat_member_does_not_keep_the_record_of_their_own_activity(
    client: Client, org: Organisation, own_activity: Activity, staff_holder: Member
) -> None:
    person = staff_holder.person
    assert person is not None
    core_actions.grant_role(None, person=person, kind=Role.Kind.SECRETARIAT)
    holding = own_activity.holdings.get()
    login(client, person)
    page = client.get(f"/{org.code}/activities/{own_activity.code}/")
    assert page.status_code == 200  # a holder reads their own activity
    response = client.post(
        f"/{org.code}/activities/{own_activity.code}/shares/",
        {"holding": holding.pk, "shares": 40},
    )
    assert response.status_code == 404
    api = Client().post(
        f"/api/v1/organisations/{org.code}/offers/activities/{own_activity.code}"
        f"/holdings/{staff_holder.number}/shares",
        {"shares": 40},
        content_type="application/json",
        **bearer(person),  # type: ignore[arg-type]
    )
    assert api.status_code == 404
    holding.refresh_from_db()
    assert holding.shares_verified is None
