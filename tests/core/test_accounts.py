"""Signing in with email, MFA where required, emails in the person's language."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.core import mail
from django.test import Client
from django.urls import reverse

from coopgov.core import actions
from coopgov.core.models import Organisation, Person
from tests.conftest import PASSWORD


def with_login(person: Person) -> Person:
    actions.create_account(None, person=person, password=PASSWORD, verified=True)
    return person


def sign_in(client: Client, email: str, password: str = PASSWORD) -> object:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_a_person_signs_in_with_their_email(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    with_login(plain_member)
    response = sign_in(client, "JONAS@example.org")
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert client.get("/").status_code == 302
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 200


def test_a_wrong_password_is_refused(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    with_login(plain_member)
    response = sign_in(client, "jonas@example.org", "wrong-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 302


def test_sign_up_is_closed_accounts_come_from_the_secretariat(client: Client, db: None) -> None:
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert "account/signup_closed.html" in [template.name for template in response.templates]
    from django.contrib.auth.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_an_officer_of_an_organisation_requiring_mfa_must_set_it_up(
    client: Client, org: Organisation, secretariat: Person, admin_person: Person
) -> None:
    actions.update_organisation(admin_person, organisation=org, changes={"require_mfa": True})
    with_login(secretariat)
    sign_in(client, secretariat.email)
    response = client.get(reverse("core:organisation", args=[org.code]))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before an authenticator is added.
    confirm = client.get(reverse("mfa_activate_totp"))
    assert confirm["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_a_plain_member_is_not_asked_for_mfa(
    client: Client, org: Organisation, plain_member: Person, admin_person: Person
) -> None:
    actions.update_organisation(admin_person, organisation=org, changes={"require_mfa": True})
    with_login(plain_member)
    sign_in(client, plain_member.email)
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 200


def test_without_the_requirement_officers_are_not_forced(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    with_login(secretariat)
    sign_in(client, secretariat.email)
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 200


def test_signing_in_with_totp_asks_for_the_code(
    client: Client, org: Organisation, secretariat: Person, admin_person: Person
) -> None:
    actions.update_organisation(admin_person, organisation=org, changes={"require_mfa": True})
    with_login(secretariat)
    secret = generate_totp_secret()
    assert secretariat.user is not None
    TOTP.activate(secretariat.user, secret)
    first = sign_in(client, secretariat.email)
    assert first["Location"] == reverse("mfa_authenticate")  # type: ignore[index]
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 302
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    right = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert right.status_code == 302
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"), [("nl", "Wachtwoord"), ("fr", "mot de passe"), ("en", "Password")]
)
def test_the_password_reset_email_is_in_the_person_s_language(
    client: Client,
    org: Organisation,
    plain_member: Person,
    admin_person: Person,
    language: str,
    expected: str,
) -> None:
    with_login(plain_member)
    actions.update_person(
        admin_person, person=plain_member, changes={"preferred_language": language}
    )
    response = client.post(reverse("account_reset_password"), {"email": plain_member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert expected.lower() in mail.outbox[0].subject.lower()
    assert mail.outbox[0].to == [plain_member.email]
