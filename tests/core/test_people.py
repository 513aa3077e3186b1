from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError

from coopgov.core import actions
from coopgov.core.models import Event, Organisation, Person, Role
from tests.conftest import make_person


def test_add_person_defaults_to_the_organisation_language_and_records_an_event(
    org: Organisation,
) -> None:
    person = actions.add_person(
        None, organisation=org, first_name=" Léa ", last_name="Dupont", email="Lea@Example.org"
    )
    assert person.full_name == "Léa Dupont"
    assert person.email == "lea@example.org"
    assert person.preferred_language == "fr"
    assert person.gender == Person.Gender.NOT_DECLARED
    assert Event.objects.filter(action="core.person.added", target_id=str(person.pk)).exists()


def test_two_people_of_one_organisation_cannot_share_an_email(org: Organisation) -> None:
    make_person(org, email="same@example.org")
    with pytest.raises(ValidationError) as error:
        make_person(org, email="SAME@example.org")
    assert "email" in str(error.value).lower()
    assert Person.objects.filter(email="same@example.org").count() == 1


def test_the_same_email_may_exist_in_two_organisations(
    org: Organisation, other_org: Organisation
) -> None:
    make_person(org, email="same@example.org")
    make_person(other_org, email="same@example.org")


def test_a_person_needs_a_first_and_last_name(org: Organisation) -> None:
    with pytest.raises(ValidationError) as error:
        actions.add_person(None, organisation=org, first_name="", last_name="X")
    assert "first_name" in error.value.message_dict


def test_update_person_records_the_changes(org: Organisation, secretariat: Person) -> None:
    person = make_person(org, first_name="Tom")
    actions.update_person(secretariat, person=person, changes={"first_name": "Tomas"})
    event = Event.objects.filter(action="core.person.updated").get()
    assert event.data["changes"] == {"first_name": ["Tom", "Tomas"]}


def test_changing_the_email_of_a_person_with_a_login_asks_for_verification_again(
    org: Organisation, secretariat: Person
) -> None:
    person = make_person(org, email="old@example.org")
    user = actions.create_account(None, person=person, password="x" * 12, verified=True)
    actions.update_person(secretariat, person=person, changes={"email": "new@example.org"})
    user.refresh_from_db()
    assert user.email == "new@example.org"  # type: ignore[attr-defined]
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified) == ("new@example.org", False)


def test_create_account_needs_an_email(org: Organisation) -> None:
    person = make_person(org, email="")
    with pytest.raises(ValidationError) as error:
        actions.create_account(None, person=person)
    assert "email" in error.value.message_dict


def test_create_account_without_password_leaves_an_unusable_password(org: Organisation) -> None:
    person = make_person(org)
    user = actions.create_account(None, person=person)
    assert not user.has_usable_password()
    assert Event.objects.filter(action="core.person.account_created").exists()


def test_a_role_is_granted_once_and_revoked_with_events(
    org: Organisation, secretariat: Person
) -> None:
    person = make_person(org)
    actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    with pytest.raises(ValidationError):
        actions.grant_role(None, person=person, kind=Role.Kind.STAFF)
    actions.revoke_role(secretariat, person=person, kind=Role.Kind.STAFF)
    assert not Role.objects.filter(person=person).exists()
    assert list(
        Event.objects.filter(target_id=str(person.pk), action__startswith="core.role")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["core.role.granted", "core.role.revoked"]
    with pytest.raises(ValidationError):
        actions.revoke_role(secretariat, person=person, kind=Role.Kind.STAFF)
