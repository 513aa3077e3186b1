from __future__ import annotations

import datetime

import pytest
from django.test import Client

from coopgov.core import actions
from coopgov.core.models import ApiToken, Member, MemberCategory, Organisation, Person
from tests.conftest import login, make_member, make_person


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def token_for(person: Person) -> str:
    if person.user is None:
        actions.create_account(None, person=person, password="x" * 16, verified=True)
    assert person.user is not None
    _token, raw = actions.create_api_token(person.user, name="tests")
    return raw


def test_the_openapi_schema_is_served_and_describes_the_endpoints(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "coopgov API"
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/{org}/units",
        "/api/v1/organisations/{org}/people",
        "/api/v1/organisations/{org}/members",
        "/api/v1/organisations/{org}/members/{number}",
    ):
        assert path in schema["paths"], path
    assert "TokenAuth" in schema["components"]["securitySchemes"]
    assert client.get("/api/v1/docs").status_code == 200


def test_an_anonymous_request_is_refused_with_the_error_format(
    client: Client, org: Organisation
) -> None:
    response = client.get("/api/v1/organisations", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json() == {
        "detail": "Authentication required: send a valid API token.",
        "errors": [],
    }


def test_a_token_request_works_and_marks_the_token_used(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    raw = token_for(plain_member)
    response = client.get("/api/v1/organisations", **bearer(raw))
    assert response.status_code == 200
    assert response.json() == {"items": [response.json()["items"][0]], "count": 1}
    assert response.json()["items"][0]["code"] == "coop"
    assert ApiToken.objects.get().last_used_at is not None


def test_only_the_digest_of_a_token_is_stored(org: Organisation, plain_member: Person) -> None:
    raw = token_for(plain_member)
    stored = ApiToken.objects.get()
    assert raw not in (stored.digest, stored.prefix)
    assert raw.startswith(stored.prefix)


def test_a_revoked_or_unknown_token_is_refused(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    raw = token_for(plain_member)
    token = ApiToken.objects.get()
    assert plain_member.user is not None
    actions.revoke_api_token(plain_member.user, token=token)
    assert client.get("/api/v1/organisations", **bearer(raw)).status_code == 401
    assert client.get("/api/v1/organisations", **bearer("cg_unknown")).status_code == 401


def test_a_session_also_authenticates_reads(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(client, plain_member)
    assert client.get("/api/v1/organisations/coop").json()["name"] == org.name


def test_a_member_reads_units_but_not_the_register(
    client: Client, org: Organisation, plain_member: Person, director_a: Person
) -> None:
    actions.create_unit(None, organisation=org, code="fin", name="Finance", kind="direction")
    raw = token_for(plain_member)
    units = client.get("/api/v1/organisations/coop/units", **bearer(raw))
    assert [unit["code"] for unit in units.json()["items"]] == ["fin"]
    refused = client.get("/api/v1/organisations/coop/members", **bearer(raw))
    assert refused.status_code == 404
    assert refused.json()["detail"]
    other = Member.objects.get(person=director_a)
    assert (
        client.get(f"/api/v1/organisations/coop/members/{other.number}", **bearer(raw)).status_code
        == 404
    )
    own = Member.objects.get(person=plain_member)
    mine = client.get(f"/api/v1/organisations/coop/members/{own.number}", **bearer(raw))
    assert mine.status_code == 200 and mine.json()["person"] == str(plain_member.code)


def test_an_organisation_one_is_not_part_of_looks_missing(
    client: Client, org: Organisation, other_org: Organisation, plain_member: Person
) -> None:
    raw = token_for(plain_member)
    assert client.get("/api/v1/organisations/other", **bearer(raw)).status_code == 404
    assert client.get("/api/v1/organisations/other/units", **bearer(raw)).status_code == 404


def test_member_list_is_paginated_filtered_and_bounded(
    client: Client,
    org: Organisation,
    secretariat: Person,
    category_a: MemberCategory,
    category_c: MemberCategory,
    django_assert_max_num_queries: object,
) -> None:
    for _ in range(55):
        make_member(org, category_a)
    representative = make_person(org)
    actions.admit_member(
        None,
        organisation=org,
        category=category_c,
        admission_date=datetime.date(2022, 1, 1),
        legal_name="Atelier Commun SRL",
        representative=representative,
    )
    raw = token_for(secretariat)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        first = client.get("/api/v1/organisations/coop/members", **bearer(raw))
    body = first.json()
    assert body["count"] == 57 and len(body["items"]) == 50
    second = client.get("/api/v1/organisations/coop/members?page=2", **bearer(raw)).json()
    assert len(second["items"]) == 7
    legal = client.get("/api/v1/organisations/coop/members?category=C", **bearer(raw)).json()
    assert legal["items"][0]["name"] == "Atelier Commun SRL"
    assert legal["items"][0]["representative"] == str(representative.code)


def test_people_list_is_bounded_and_searchable(
    client: Client,
    org: Organisation,
    works_council_member: Person,
    django_assert_max_num_queries: object,
) -> None:
    for index in range(30):
        make_person(org, last_name=f"Api{index:02d}")
    raw = token_for(works_council_member)
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get("/api/v1/organisations/coop/people", **bearer(raw))
    assert response.json()["count"] == Person.objects.filter(organisation=org).count()
    found = client.get("/api/v1/organisations/coop/people?q=Api07", **bearer(raw)).json()
    assert [person["last_name"] for person in found["items"]] == ["Api07"]


def test_secretariat_adds_a_person_and_admits_a_member_through_the_api(
    client: Client, org: Organisation, secretariat: Person, category_a: MemberCategory
) -> None:
    raw = token_for(secretariat)
    created = client.post(
        "/api/v1/organisations/coop/people",
        {"first_name": "Léa", "last_name": "Dupont", "email": "lea@example.org"},
        content_type="application/json",
        **bearer(raw),
    )
    assert created.status_code == 201
    code = created.json()["code"]
    admitted = client.post(
        "/api/v1/organisations/coop/members",
        {"category": "A", "person": code, "admission_date": "2024-09-01"},
        content_type="application/json",
        **bearer(raw),
    )
    assert admitted.status_code == 201
    assert admitted.json()["number"] == Member.objects.get(person__code=code).number


def test_breaking_a_rule_through_the_api_names_the_field(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    raw = token_for(secretariat)
    response = client.post(
        "/api/v1/organisations/coop/people",
        {"first_name": "Dup", "last_name": "Licate", "email": "claire@example.org"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(raw),
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request breaks a rule.",
        "errors": [
            {"field": "email", "message": "Another person of this organisation has this email."}
        ],
    }


def test_malformed_input_is_reported_in_the_same_format(
    client: Client, org: Organisation, secretariat: Person
) -> None:
    raw = token_for(secretariat)
    response = client.post(
        "/api/v1/organisations/coop/people",
        {"first_name": ""},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert {"first_name", "last_name"} <= fields


@pytest.mark.parametrize("who", ["plain_member", "works_council_member"])
def test_only_the_secretariat_writes_people(
    client: Client, org: Organisation, who: str, request: pytest.FixtureRequest
) -> None:
    raw = token_for(request.getfixturevalue(who))
    response = client.post(
        "/api/v1/organisations/coop/people",
        {"first_name": "No", "last_name": "Way"},
        content_type="application/json",
        **bearer(raw),
    )
    assert response.status_code == 404
    assert not Person.objects.filter(last_name="Way").exists()


def test_a_bad_token_is_refused_even_with_a_valid_session(
    client: Client, org: Organisation, plain_member: Person
) -> None:
    login(client, plain_member)
    assert client.get("/api/v1/organisations", **bearer("cg_revoked-or-wrong")).status_code == 401
    assert client.get("/api/v1/organisations").status_code == 200
