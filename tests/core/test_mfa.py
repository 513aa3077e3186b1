"""One MFA rule for pages, the API and API tokens: an officer of an organisation that requires
two-factor authentication uses coopgov only once an authenticator app is set up."""

from __future__ import annotations

import datetime

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coopgov.bodies import actions as bodies_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core import actions
from coopgov.core.middleware import lacks_required_mfa, must_use_mfa
from coopgov.core.models import Organisation, Person
from tests.conftest import in_english, login

PEOPLE = "/api/v1/organisations/coop/people"
MFA_MESSAGE = (
    "Your cooperative requires two-factor authentication for its officers: "
    "set up an authenticator app to continue."
)


@pytest.fixture
def mfa_required(org: Organisation, admin_person: Person) -> Organisation:
    actions.update_organisation(admin_person, organisation=org, changes={"require_mfa": True})
    org.refresh_from_db()
    return org


def with_authenticator(person: Person) -> Person:
    assert person.user is not None
    TOTP.activate(person.user, generate_totp_secret())
    return person


def mandate_holder(org: Organisation, person: Person, *, end: datetime.date | None) -> Person:
    body = bodies_actions.create_body(
        None, organisation=org, code="ca", name="Board", kind=Body.Kind.BOARD
    )
    bodies_actions.appoint(
        None,
        body=body,
        person=person,
        start=datetime.date(2020, 1, 1),
        end=end,
        origin=Mandate.Origin.ELECTED,
    )
    return person


def test_the_api_refuses_the_session_of_an_officer_without_an_authenticator(
    client: Client, mfa_required: Organisation, secretariat: Person
) -> None:
    login(in_english(client), secretariat)
    response = client.get(PEOPLE)
    assert response.status_code == 403
    assert response.json() == {"detail": MFA_MESSAGE, "errors": []}


def test_the_api_refusal_is_translated(
    client: Client, mfa_required: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    client.cookies["django_language"] = "fr"
    detail = client.get(PEOPLE).json()["detail"]
    assert detail != MFA_MESSAGE and "authentification" in detail.lower()


def test_the_api_serves_an_officer_once_an_authenticator_is_set_up(
    client: Client, mfa_required: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    with_authenticator(secretariat)
    assert client.get(PEOPLE).status_code == 200


def test_the_api_serves_officers_where_mfa_is_not_required(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    login(client, secretariat)
    assert client.get(PEOPLE).status_code == 200


def test_the_api_serves_a_plain_member_of_an_organisation_requiring_mfa(
    client: Client, mfa_required: Organisation, plain_member: Person
) -> None:
    login(client, plain_member)
    assert client.get("/api/v1/organisations/coop").status_code == 200


def test_the_api_costs_one_small_query_until_a_page_has_checked_the_session(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    """The pages' middleware remembers in the session that the check passed; the API reads it."""
    login(client, plain_member)

    def rule_queries() -> list[str]:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/organisations/coop").status_code == 200
        return [q["sql"] for q in queries.captured_queries if "mfa_authenticator" in q["sql"]]

    assert len(rule_queries()) == 1
    assert len(rule_queries()) == 1
    client.get(reverse("core:organisation", args=["coop"]))
    assert rule_queries() == []


def test_pages_and_api_obey_the_same_rule_for_a_mandate_holder(
    client: Client, mfa_required: Organisation, director_a: Person
) -> None:
    mandate_holder(mfa_required, director_a, end=None)
    login(client, director_a)
    assert client.get(reverse("core:organisation", args=["coop"]))["Location"] == reverse(
        "mfa_activate_totp"
    )
    assert client.get("/api/v1/organisations/coop").status_code == 403


def test_a_finished_mandate_does_not_bind_to_mfa(
    mfa_required: Organisation, director_a: Person
) -> None:
    mandate_holder(mfa_required, director_a, end=datetime.date(2021, 1, 1))
    login(Client(), director_a)
    assert not must_use_mfa(director_a.user)


@pytest.mark.parametrize(
    ("who", "bound"),
    [
        ("secretariat", True),
        ("admin_person", True),
        ("works_council_member", True),
        ("plain_member", False),
        ("outsider", False),
    ],
)
def test_who_must_use_mfa(
    mfa_required: Organisation, who: str, bound: bool, request: pytest.FixtureRequest
) -> None:
    person = request.getfixturevalue(who)
    login(Client(), person)
    assert must_use_mfa(person.user) is bound
    assert lacks_required_mfa(person.user) is bound
    with_authenticator(person)
    assert must_use_mfa(person.user) is bound
    assert lacks_required_mfa(person.user) is False


def test_the_rule_is_one_query(mfa_required: Organisation, secretariat: Person) -> None:
    login(Client(), secretariat)
    with CaptureQueriesContext(connection) as queries:
        assert lacks_required_mfa(secretariat.user)
    assert len(queries) == 1
