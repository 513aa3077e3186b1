"""Personal API tokens expire, are issued only to people who satisfy their cooperatives' MFA
requirement, and stop working when that requirement is no longer met."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from coopgov.core import actions
from coopgov.core.models import ApiToken, Event, Organisation, Person
from tests.conftest import in_english, login

ORGANISATIONS = "/api/v1/organisations"


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def signed_up(person: Person) -> Person:
    login(Client(), person)
    return person


def require_mfa(org: Organisation) -> None:
    actions.update_organisation(None, organisation=org, changes={"require_mfa": True})


def test_a_token_expires_after_the_default_lifetime(
    org: Organisation, plain_member: Person
) -> None:
    signed_up(plain_member)
    assert plain_member.user is not None
    token, _raw = actions.create_api_token(plain_member.user, name="export")
    assert token.expires_at - token.created_at == datetime.timedelta(days=90)
    event = Event.objects.get(action="core.api_token.created")
    assert event.data == {
        "name": "export",
        "prefix": token.prefix,
        "expires_at": token.expires_at.isoformat(),
    }
    assert event.actor == plain_member


@override_settings(API_TOKEN_MAX_DAYS=30)
def test_the_owner_chooses_a_lifetime_up_to_the_operator_s_maximum(
    org: Organisation, plain_member: Person
) -> None:
    signed_up(plain_member)
    assert plain_member.user is not None
    token, _raw = actions.create_api_token(plain_member.user, name="short", days=30)
    assert token.expires_at - token.created_at == datetime.timedelta(days=30)
    with pytest.raises(ValidationError) as refused:
        actions.create_api_token(plain_member.user, name="long", days=31)
    assert refused.value.message_dict == {"days": ["A token is valid for 1 to 30 days."]}
    with pytest.raises(ValidationError):
        actions.create_api_token(plain_member.user, name="none", days=0)
    assert ApiToken.objects.count() == 1


def test_an_expired_token_authenticates_nobody(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    signed_up(plain_member)
    assert plain_member.user is not None
    _token, raw = actions.create_api_token(plain_member.user, name="short", days=1)
    assert client.get(ORGANISATIONS, **bearer(raw)).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=1, seconds=1)):
        refused = client.get(ORGANISATIONS, **bearer(raw))
    assert refused.status_code == 401
    assert refused.json()["errors"] == []


def test_an_officer_without_an_authenticator_cannot_create_a_token(
    org: Organisation, secretariat: Person
) -> None:
    require_mfa(org)
    signed_up(secretariat)
    assert secretariat.user is not None
    with pytest.raises(ValidationError) as refused:
        actions.create_api_token(secretariat.user, name="export")
    assert "two-factor authentication" in refused.value.messages[0]
    assert not ApiToken.objects.exists()
    assert not Event.objects.filter(action="core.api_token.created").exists()
    TOTP.activate(secretariat.user, generate_totp_secret())
    actions.create_api_token(secretariat.user, name="export")
    assert ApiToken.objects.count() == 1


def test_the_rule_covers_every_organisation_of_the_person(
    org: Organisation, other_org: Organisation, plain_member: Person
) -> None:
    """A plain member here, but secretariat of another cooperative that requires MFA."""
    signed_up(plain_member)
    assert plain_member.user is not None
    there = actions.add_person(
        None, organisation=other_org, first_name="Jonas", last_name="Peeters"
    )
    Person.objects.filter(pk=there.pk).update(user=plain_member.user)
    actions.grant_role(None, person=there, kind="secretariat")
    require_mfa(other_org)
    with pytest.raises(ValidationError):
        actions.create_api_token(plain_member.user, name="export")


def test_a_token_is_refused_once_its_owner_must_set_up_mfa(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    signed_up(secretariat)
    assert secretariat.user is not None
    _token, raw = actions.create_api_token(secretariat.user, name="export")
    assert client.get(ORGANISATIONS, **bearer(raw)).status_code == 200
    require_mfa(org)
    refused = client.get(ORGANISATIONS, HTTP_ACCEPT_LANGUAGE="en", **bearer(raw))
    assert refused.status_code == 403
    assert "two-factor authentication" in refused.json()["detail"]
    TOTP.activate(secretariat.user, generate_totp_secret())
    assert client.get(ORGANISATIONS, **bearer(raw)).status_code == 200


def test_authenticating_a_token_is_one_query(
    org: Organisation, secretariat: Person, django_assert_num_queries: object
) -> None:
    signed_up(secretariat)
    assert secretariat.user is not None
    _token, raw = actions.create_api_token(secretariat.user, name="export")
    actions.authenticate_api_token(raw)  # marks it used
    with django_assert_num_queries(1):  # type: ignore[operator]
        assert actions.authenticate_api_token(raw) == secretariat.user


def test_the_account_page_lists_tokens_with_creation_expiry_and_last_use(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(in_english(client), plain_member)
    assert plain_member.user is not None
    _used, raw = actions.create_api_token(plain_member.user, name="used one", days=10)
    client.get(ORGANISATIONS, **bearer(raw))
    with time_machine.travel(timezone.now() - datetime.timedelta(days=30)):
        actions.create_api_token(plain_member.user, name="old one", days=1)
    page = client.get(reverse("my_account"))
    assert "Expires" in page.text and "Last used" in page.text
    rows = {token.name: token for token in page.context["tokens"]}
    assert rows["used one"].last_used_at is not None and rows["used one"].is_active
    assert rows["old one"].is_expired and not rows["old one"].is_active
    assert page.text.count(">expired<") == 1 and page.text.count(">Revoke<") == 1


def test_the_account_form_sets_the_lifetime(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(in_english(client), plain_member)
    page = client.get(reverse("my_account"))
    assert page.context["form"]["days"].value() == 90
    assert 'max="365"' in page.text
    client.post(reverse("my_account"), {"name": "week", "days": "7"})
    token = ApiToken.objects.get()
    assert token.expires_at - token.created_at == datetime.timedelta(days=7)
    refused = client.post(reverse("my_account"), {"name": "too long", "days": "400"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["days"] == ["A token is valid for 1 to 365 days."]
    assert ApiToken.objects.count() == 1


def test_the_account_page_names_the_mfa_rule_when_a_token_is_refused(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    login(in_english(client), secretariat)
    client.get(reverse("my_account"))  # the session passes the MFA check before it applies
    require_mfa(org)
    refused = client.post(reverse("my_account"), {"name": "export"})
    assert refused.status_code == 200
    assert "two-factor authentication" in refused.context["form"].non_field_errors()[0]
    assert not ApiToken.objects.exists()


def test_an_expired_token_cannot_be_revoked_again(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(client, plain_member)
    assert plain_member.user is not None
    token, _raw = actions.create_api_token(plain_member.user, name="short", days=1)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        response = client.post(reverse("revoke_token", args=[token.prefix]))
    assert response.status_code == 404
