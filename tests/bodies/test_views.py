"""Body pages, the map, mandate pages: without htmx (plain forms), refused, and bounded."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from coopgov.bodies import actions
from coopgov.bodies.models import Body, Confirmation, Draw, Mandate
from coopgov.core.models import MemberCategory, Organisation, Person
from tests.bodies.conftest import JUNE_2023, group, seat
from tests.conftest import in_english, login, make_member, make_person


def url(name: str, org: Organisation, **kwargs: object) -> str:
    return reverse(f"bodies:{name}", kwargs={"org": org.code, **kwargs})


@pytest.fixture
def filled_board(board: Body, category_a: MemberCategory, category_b: MemberCategory) -> Body:
    for index in range(8):
        seat(board, category_a, gender="female" if index % 2 else "male")
    for index in range(3):
        seat(board, category_b, group_name="B/C", gender="female" if index % 2 else "male")
    return board


def test_the_body_list_shows_every_body_with_bounded_queries(
    client: Client,
    org: Organisation,
    filled_board: Body,
    plain_member: Person,
    django_assert_max_num_queries: object,
) -> None:
    for index in range(5):
        actions.create_body(
            None, organisation=org, code=f"wg{index}", name=f"Groupe {index}", kind="working_group"
        )
    login(client, plain_member)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(url("list", org))
    assert response.status_code == 200
    assert "Conseil d&#x27;administration" in response.text and "Groupe 4" in response.text


def test_the_map_draws_every_body_and_relation_with_a_text_alternative(
    client: Client,
    org: Organisation,
    filled_board: Body,
    assembly: Body,
    plain_member: Person,
    django_assert_max_num_queries: object,
) -> None:
    council = actions.create_body(
        None,
        organisation=org,
        code="ce",
        name="Conseil d'entreprise",
        kind="works_council",
        may_decide=False,
    )
    actions.relate_bodies(
        None, source=council, kind="sends_observers_to", target=filled_board, seats=2
    )
    login(client, plain_member)
    in_english(client)
    with django_assert_max_num_queries(15):  # type: ignore[operator]
        response = client.get(url("map", org))
    assert response.status_code == 200
    assert response.text.count('class="body-box') == 3
    assert response.text.count("<line ") == 2
    assert 'role="img"' in response.text and 'aria-labelledby="map-title map-desc"' in response.text
    assert "sends observers to" in response.text
    assert f'href="{filled_board.get_absolute_url()}"' in response.text


def test_the_body_page_shows_the_composition_report_and_history_with_bounded_queries(
    client: Client,
    org: Organisation,
    filled_board: Body,
    secretariat: Person,
    django_assert_max_num_queries: object,
) -> None:
    login(client, secretariat)
    in_english(client)
    with django_assert_max_num_queries(30):  # type: ignore[operator]
        response = client.get(filled_board.get_absolute_url())
    assert response.status_code == 200
    comp = response.context["composition"]
    assert comp.filled == 11 and comp.vacancies == 4
    assert "Rule report" in response.text and "11 of 15 seats filled" in response.text
    assert "bodies.mandate.appointed" not in response.text  # events of mandates are on their pages
    assert "bodies.body.created" in response.text


def test_more_mandates_do_not_mean_more_queries(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    secretariat: Person,
    django_assert_num_queries: object,
) -> None:
    login(client, secretariat)
    seat(board, category_a)
    client.get(board.get_absolute_url())
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(board.get_absolute_url())
    for index in range(6):
        seat(board, category_a, gender="female" if index % 2 else "male")
    with CaptureQueriesContext(connection) as many:
        client.get(board.get_absolute_url())
    assert len(many) == len(few)


def test_a_past_date_shows_the_composition_of_that_day(
    client: Client, org: Organisation, board: Body, category_a: MemberCategory, secretariat: Person
) -> None:
    early = seat(board, category_a, start=datetime.date(2019, 6, 18))
    login(client, secretariat)
    response = client.get(board.get_absolute_url(), {"on": "2020-01-01"})
    assert [m.pk for m in response.context["composition"].members] == [early.pk]
    assert (
        client.get(board.get_absolute_url(), {"on": "2018-01-01"}).context["composition"].filled
        == 0
    )
    assert client.get(board.get_absolute_url(), {"on": "not-a-date"}).status_code == 200


def test_a_restricted_body_hides_its_members_from_others(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    plain_member: Person,
    director_a: Person,
) -> None:
    ethics = actions.create_body(
        None,
        organisation=org,
        code="ethique",
        name="Comité d'éthique",
        kind="committee",
        confidentiality="bodies",
    )
    actions.appoint(None, body=ethics, person=director_a, start=JUNE_2023, origin="appointed")
    mandate = Mandate.objects.get(body=ethics)
    login(client, plain_member)
    page = client.get(ethics.get_absolute_url())
    assert page.status_code == 200 and "composition" not in page.context
    assert director_a.last_name not in page.text
    assert client.get(mandate.get_absolute_url()).status_code == 404
    assert (
        client.get(f"/api/v1/organisations/{org.code}/bodies/ethique/composition").status_code
        == 404
    )
    login(client, director_a)
    assert "composition" in client.get(ethics.get_absolute_url()).context


def test_the_secretariat_appoints_through_the_form_and_sees_the_rule_that_refuses(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    category_b: MemberCategory,
    secretariat: Person,
) -> None:
    person = make_person(org, gender="female")
    make_member(org, category_b, person)
    login(client, secretariat)
    in_english(client)
    data = {
        "person": person.pk,
        "role": "member",
        "seat_group": group(board, "A").pk,
        "origin": "elected",
        "start": "2023-06-20",
    }
    refused = client.post(url("appoint", org, code=board.code), data)
    assert refused.status_code == 200
    assert "Category quota: seats A are for members of categories A." in refused.text
    assert not Mandate.objects.exists()
    data["seat_group"] = group(board, "B/C").pk
    accepted = client.post(url("appoint", org, code=board.code), data)
    assert accepted.status_code == 302
    assert Mandate.objects.get().person == person


def test_members_cannot_appoint(
    client: Client, org: Organisation, board: Body, plain_member: Person
) -> None:
    login(client, plain_member)
    assert client.get(url("appoint", org, code=board.code)).status_code == 404
    assert client.post(url("appoint", org, code=board.code), {}).status_code == 404


def test_ending_co_opting_and_confirming_from_the_mandate_page(
    client: Client,
    org: Organisation,
    board: Body,
    assembly: Body,
    category_a: MemberCategory,
    secretariat: Person,
) -> None:
    leaving = seat(board, category_a)
    newcomer = make_person(org)
    make_member(org, category_a, newcomer)
    login(client, secretariat)
    ended = client.post(
        url("mandate_end", org, code=leaving.code), {"reason": "resigned", "on": "2024-10-15"}
    )
    assert ended.status_code == 302
    coopted = client.post(
        url("mandate_coopt", org, code=leaving.code), {"person": newcomer.pk, "start": "2024-11-10"}
    )
    mandate = Mandate.objects.get(person=newcomer)
    assert coopted["Location"] == mandate.get_absolute_url()
    assembly_page = client.get(assembly.get_absolute_url())
    assert newcomer.full_name in assembly_page.text  # listed on the AG's page until it decides
    confirmation = Confirmation.objects.get(mandate=mandate)
    client.post(
        url("confirmation_decide", org, code=mandate.code),
        {"decision": "reject", "on": "2025-06-17"},
    )
    confirmation.refresh_from_db()
    mandate.refresh_from_db()
    assert confirmation.status == "rejected" and mandate.end == datetime.date(2025, 6, 17)


def test_a_refused_end_date_is_shown_on_its_field(
    client: Client, org: Organisation, board: Body, category_a: MemberCategory, secretariat: Person
) -> None:
    mandate = seat(board, category_a)
    login(client, secretariat)
    in_english(client)
    response = client.post(
        url("mandate_end", org, code=mandate.code), {"reason": "resigned", "on": "2020-01-01"}
    )
    assert response.status_code == 400
    assert response.context["end_form"].errors["on"] == ["A mandate ends after it starts."]


def test_renewing_and_changing_a_representative_from_the_mandate_page(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    category_c: MemberCategory,
    secretariat: Person,
) -> None:
    from coopgov.core import actions as core_actions

    mandate = seat(board, category_a, start=datetime.date(2019, 6, 18))
    login(client, secretariat)
    renewed = client.post(url("mandate_renew", org, code=mandate.code), {"origin": "elected"})
    assert renewed.status_code == 302
    assert Mandate.objects.get(renews=mandate).term_number == 2
    first, second = make_person(org), make_person(org)
    partner = core_actions.admit_member(
        None,
        organisation=org,
        category=category_c,
        admission_date=datetime.date(2020, 1, 1),
        legal_name="Atelier SRL",
        representative=first,
    )
    legal, _ = actions.appoint(
        None,
        body=board,
        person=first,
        legal_member=partner,
        start=JUNE_2023,
        origin="elected",
        seat_group=group(board, "B/C"),
    )
    response = client.post(
        url("mandate_representative", org, code=legal.code),
        {"person": second.pk, "since": "2024-05-01"},
    )
    assert response.status_code == 302
    legal.refresh_from_db()
    assert legal.person == second


def test_a_draw_by_lot_from_the_page(
    client: Client, org: Organisation, category_a: MemberCategory, secretariat: Person
) -> None:
    ethics = actions.create_body(
        None, organisation=org, code="ethique", name="Comité d'éthique", kind="committee"
    )
    for index in range(12):
        make_member(org, category_a, make_person(org, gender="female" if index % 2 else "male"))
    login(client, secretariat)
    response = client.post(
        url("draw_new", org, code=ethics.code),
        {
            "seats": 5,
            "categories": [category_a.pk],
            "exclude_mandate_holders": "on",
            "stratum": "gender",
            "seed": "abc",
            "start": "2024-02-01",
        },
    )
    draw = Draw.objects.get()
    assert response["Location"] == draw.get_absolute_url()
    page = client.get(draw.get_absolute_url())
    assert page.context["verified"] is True and "abc" in page.text
    assert Mandate.objects.filter(body=ethics).count() == 5


def test_the_person_page_lists_mandates_past_and_present(
    client: Client, org: Organisation, board: Body, category_a: MemberCategory, secretariat: Person
) -> None:
    mandate = seat(board, category_a, start=datetime.date(2015, 6, 16))
    login(client, secretariat)
    page = client.get(reverse("core:person", args=[org.code, mandate.person.code]))
    assert (
        mandate.get_absolute_url() in page.text and board.name.replace("'", "&#x27;") in page.text
    )


def test_the_api_gives_composition_report_and_mandates(
    client: Client,
    org: Organisation,
    filled_board: Body,
    secretariat: Person,
    django_assert_max_num_queries: object,
) -> None:
    login(client, secretariat)
    base = f"/api/v1/organisations/{org.code}/bodies"
    assert client.get(base).json()["count"] == 2
    detail = client.get(f"{base}/ca").json()
    assert detail["seat_rule"]["max_seats"] == 15
    assert {g["name"]: g["categories"] for g in detail["seat_rule"]["groups"]} == {
        "A": ["A"],
        "B/C": ["B", "C"],
    }
    comp = client.get(f"{base}/ca/composition?on=2024-01-01").json()
    assert comp["filled"] == 11 and comp["seats"] == {"A": [8, 11], "B/C": [3, 4]}
    report = client.get(f"{base}/ca/report").json()
    assert {f["rule"] for f in report} >= {"size", "quota", "gender", "term"}
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        mandates = client.get(f"{base}/ca/mandates").json()
    assert mandates["count"] == 11


def test_the_api_appoints_and_reports_a_warning_or_the_rule_that_refuses(
    client: Client, org: Organisation, board: Body, category_b: MemberCategory, secretariat: Person
) -> None:
    person = make_person(org)
    make_member(org, category_b, person)
    in_english(login(client, secretariat))
    payload = {
        "person": str(person.code),
        "start": "2023-06-20",
        "origin": "elected",
        "seat_group": "A",
    }
    refused = client.post(
        f"/api/v1/organisations/{org.code}/bodies/ca/mandates",
        payload,
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"].startswith("Category quota")
    actions.set_seat_rule(None, body=board, quota_enforcement="warn")
    accepted = client.post(
        f"/api/v1/organisations/{org.code}/bodies/ca/mandates",
        payload,
        content_type="application/json",
    )
    assert accepted.status_code == 201 and accepted.json()["warnings"]


def test_holders_of_a_running_mandate_must_set_up_mfa_when_required(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    plain_member: Person,
    admin_person: Person,
) -> None:
    from coopgov.core import actions as core_actions

    core_actions.update_organisation(admin_person, organisation=org, changes={"require_mfa": True})
    login(client, plain_member)
    assert client.get(reverse("core:organisation", args=[org.code])).status_code == 200
    actions.appoint(
        None,
        body=board,
        person=plain_member,
        start=datetime.date(2024, 1, 1),
        end=datetime.date(2099, 1, 1),
        origin="elected",
        seat_group=group(board, "A"),
    )
    client.logout()
    login(client, plain_member)
    response = client.get(reverse("core:organisation", args=[org.code]))
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")


def test_the_secretariat_creates_a_body_sets_its_seat_rule_and_relates_it(
    client: Client,
    org: Organisation,
    assembly: Body,
    category_a: MemberCategory,
    category_b: MemberCategory,
    secretariat: Person,
) -> None:
    login(client, secretariat)
    created = client.post(
        url("new", org),
        {
            "name": "Conseil d'administration",
            "code": "ca",
            "kind": "board",
            "may_decide": "on",
            "confidentiality": "members",
        },
    )
    board = Body.objects.get(code="ca")
    assert created["Location"] == board.get_absolute_url()
    duplicate = client.post(
        url("new", org),
        {"name": "Autre", "code": "ca", "kind": "board", "confidentiality": "members"},
    )
    assert duplicate.status_code == 200 and "code" in duplicate.context["form"].errors
    rule = {
        "min_seats": 3,
        "max_seats": 15,
        "size_enforcement": "block",
        "quota_enforcement": "block",
        "min_gender_share": 40,
        "gender_enforcement": "block",
        "term_years": 4,
        "max_consecutive_terms": 2,
        "term_enforcement": "block",
        "selection_modes": ["elected", "co_opted"],
        "advisory_seats": 2,
        "legal_person_seats": 2,
        "quorum_numerator": 1,
        "quorum_denominator": 2,
        "quorum_base": "filled",
        "groups-TOTAL_FORMS": 3,
        "groups-INITIAL_FORMS": 0,
        "groups-MIN_NUM_FORMS": 0,
        "groups-MAX_NUM_FORMS": 10,
        "groups-0-name": "A",
        "groups-0-seats": 11,
        "groups-0-categories": [category_a.pk],
        "groups-1-name": "B/C",
        "groups-1-seats": 4,
        "groups-1-categories": [category_b.pk],
    }
    saved = client.post(url("seat_rule", org, code="ca"), rule)
    assert saved.status_code == 302
    assert sorted(group.name for group in board.seat_rule.groups.all()) == ["A", "B/C"]
    assert board.seat_rule.selection_modes == ["elected", "co_opted"]
    too_many = client.post(
        url("seat_rule", org, code="ca"),
        {**rule, "groups-INITIAL_FORMS": 2, "groups-0-seats": 12},
    )
    assert too_many.status_code == 200 and "max_seats" in too_many.context["form"].errors
    page = client.get(assembly.get_absolute_url())
    assert 'hx-get="?form=relation"' in page.text and 'name="target"' not in page.text
    fragment = client.get(
        assembly.get_absolute_url(), {"form": "relation"}, headers={"HX-Request": "true"}
    )
    assert fragment.text.startswith("<form") and 'name="target"' in fragment.text
    assert client.get(assembly.get_absolute_url(), {"form": "other"}).status_code == 404
    client.post(url("relation_add", org, code="ag"), {"kind": "elects", "target": board.pk})
    relation = assembly.relations_out.get()
    assert (relation.kind, relation.target) == ("elects", board)
    client.post(url("relation_remove", org, code="ag", pk=relation.pk))
    assert not assembly.relations_out.exists()


def test_members_cannot_create_or_configure_bodies(
    client: Client, org: Organisation, board: Body, plain_member: Person
) -> None:
    login(client, plain_member)
    assert client.get(url("new", org)).status_code == 404
    assert client.get(url("seat_rule", org, code=board.code)).status_code == 404
    assert client.post(url("edit", org, code=board.code), {"name": "X"}).status_code == 404


def test_a_person_is_chosen_among_the_officers_or_found_by_a_search(
    client: Client,
    org: Organisation,
    board: Body,
    category_a: MemberCategory,
    secretariat: Person,
    plain_member: Person,
) -> None:
    mandate = seat(board, category_a)
    stranger = make_person(org, first_name="Aurélie", last_name="Introuvable")
    login(client, secretariat)
    in_english(client)
    page = client.get(mandate.get_absolute_url()).text
    assert mandate.person.full_name in page  # an officer is listed
    assert "Introuvable" not in page  # the rest of the register is not
    search = reverse("core:person_choices", args=[org.code])
    assert (
        f'<option value="{stranger.pk}">{stranger}</option>'
        in client.get(search, {"q": "introuv"}).text
    )
    assert f'value="{mandate.person.pk}"' in client.get(search).text  # officers by default
    login(client, plain_member)
    assert client.get(search, {"q": "introuv"}).status_code == 404
