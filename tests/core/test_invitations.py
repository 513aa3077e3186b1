"""Logins are given by the secretariat: an invitation email with a link to choose a password."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from coopgov.core import actions
from coopgov.core.models import Event, Organisation, Person, Role
from tests.conftest import login, make_person


def test_inviting_a_person_creates_a_login_and_emails_a_working_link(
    client: Client,
    org: Organisation,
    secretariat: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    person = make_person(org, first_name="Léa", email="lea@example.org", preferred_language="nl")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        link = actions.invite_person(
            secretariat, person=person, site_url="https://coop.example.org/"
        )
    person.refresh_from_db()
    assert person.user is not None and not person.user.has_usable_password()
    assert link.startswith("https://coop.example.org/accounts/password/reset/key/")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lea@example.org"]
    assert "Uw coopgov-login" in message.subject  # in Léa's language, Dutch
    assert link in message.body
    assert Event.objects.filter(action="core.person.invited", target_id=str(person.pk)).exists()
    # The link opens the page where Léa chooses her password.
    response = client.get(link.removeprefix("https://coop.example.org"), follow=True)
    assert response.status_code == 200
    assert "password1" in response.text


def test_no_email_is_sent_if_the_transaction_does_not_commit(
    org: Organisation, secretariat: Person, django_capture_on_commit_callbacks: object
) -> None:
    person = make_person(org)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        actions.invite_person(secretariat, person=person, site_url="http://testserver/")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_a_person_without_email_cannot_be_invited(org: Organisation, secretariat: Person) -> None:
    person = make_person(org, email="")
    with pytest.raises(Exception, match="email"):
        actions.invite_person(secretariat, person=person, site_url="http://testserver/")


def test_the_secretariat_invites_from_the_person_page(
    client: Client,
    org: Organisation,
    secretariat: Person,
    django_capture_on_commit_callbacks: object,
) -> None:
    person = make_person(org)
    login(client, secretariat)
    page = client.get(reverse("core:person", args=[org.code, person.code]))
    assert reverse("core:person_invite", args=[org.code, person.code]) in page.text
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(reverse("core:person_invite", args=[org.code, person.code]))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user is not None
    assert len(mail.outbox) == 1


def test_members_and_staff_cannot_invite(
    client: Client, org: Organisation, works_council_member: Person
) -> None:
    person = make_person(org)
    login(client, works_council_member)
    assert (
        client.post(reverse("core:person_invite", args=[org.code, person.code])).status_code == 404
    )
    person.refresh_from_db()
    assert person.user is None


def test_an_administrator_grants_and_revokes_roles_from_the_person_page(
    client: Client, org: Organisation, admin_person: Person, plain_member: Person
) -> None:
    login(client, admin_person)
    grant = reverse("core:person_grant_role", args=[org.code, plain_member.code])
    granted = client.post(grant, {"kind": "staff"}, follow=True)
    assert [str(m) for m in granted.context["messages"]] == ["Le rôle est attribué."]
    assert list(plain_member.roles.values_list("kind", flat=True)) == ["staff"]
    again = client.post(grant, {"kind": "staff"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == ["Cette personne a déjà ce rôle."]
    revoke = reverse("core:person_revoke_role", args=[org.code, plain_member.code, "staff"])
    assert client.post(revoke).status_code == 302
    assert not plain_member.roles.exists()


def test_an_administrator_cannot_remove_their_own_administrator_role(
    client: Client, org: Organisation, admin_person: Person
) -> None:
    login(client, admin_person)
    client.post(reverse("core:person_revoke_role", args=[org.code, admin_person.code, "admin"]))
    assert admin_person.roles.filter(kind=Role.Kind.ADMIN).exists()


def test_the_secretariat_cannot_change_roles(
    client: Client, org: Organisation, secretariat: Person, plain_member: Person
) -> None:
    login(client, secretariat)
    response = client.post(
        reverse("core:person_grant_role", args=[org.code, plain_member.code]), {"kind": "admin"}
    )
    assert response.status_code == 404
    assert not plain_member.roles.exists()


def test_createorganisation_sets_up_an_organisation_with_its_first_administrator(
    db: None, django_capture_on_commit_callbacks: object
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        call_command(
            "createorganisation",
            code="coop2",
            name="Nouvelle coopérative",
            enterprise_number="0712.345.630",
            admin_email="admin@example.org",
            admin_first_name="Ada",
            admin_last_name="Admin",
            site_url="https://coop.example.org",
            stdout=out,
        )
    admin = Person.objects.get(email="admin@example.org")
    assert set(admin.roles.values_list("kind", flat=True)) == {"admin", "secretariat"}
    assert admin.user is not None
    assert "https://coop.example.org/accounts/password/reset/key/" in out.getvalue()
    assert len(mail.outbox) == 1


def test_createorganisation_refuses_bad_input_and_saves_nothing(db: None) -> None:
    with pytest.raises(CommandError, match="enterprise_number"):
        call_command(
            "createorganisation",
            code="coop3",
            name="X",
            enterprise_number="0712.345.631",
            admin_email="admin@example.org",
            admin_first_name="Ada",
            admin_last_name="Admin",
            site_url="https://coop.example.org",
        )
    assert not Organisation.objects.filter(code="coop3").exists()
    assert not Person.objects.exists()


def test_emails_are_plain_text_without_html_escaping(
    org: Organisation, secretariat: Person, django_capture_on_commit_callbacks: object
) -> None:
    from coopgov.core import actions as core_actions

    core_actions.update_organisation(
        secretariat, organisation=org, changes={"name": "L'Atelier & Co"}
    )
    person = make_person(org)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.invite_person(secretariat, person=person, site_url="http://testserver/")
    assert "L'Atelier & Co" in mail.outbox[0].subject
    assert "&#x27;" not in mail.outbox[0].body and "&amp;" not in mail.outbox[0].body
