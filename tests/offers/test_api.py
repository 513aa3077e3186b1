from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from coopgov.core import actions as core_actions
from coopgov.core.models import Member, MemberCategory, Organisation, Person, Unit
from coopgov.dossiers import actions as dossier_actions
from coopgov.dossiers.models import Appearance
from coopgov.meetings.models import Meeting, Outcome
from coopgov.offers import actions
from coopgov.offers.models import Activity, Competence, Enrolment, OfferVersion, Service
from tests.conftest import make_member, make_person
from tests.meetings.conftest import (
    assembly,
    board,
    board_meeting,
    board_meeting_kind,
    directors,
    observer,
)

# Fixtures shared with the meetings tests (a board meeting to feed the needs to).
__all__ = ["assembly", "board", "board_meeting", "board_meeting_kind", "directors", "observer"]

D = datetime.date
JUNE_2024 = datetime.datetime(2024, 6, 15, 10, tzinfo=datetime.UTC)
SEPTEMBER_2024 = datetime.datetime(2024, 9, 2, 10, tzinfo=datetime.UTC)
JSON = "application/json"


def bearer(person: Person) -> dict[str, str]:
    """A token for the person, asking for English (the API answers in Accept-Language)."""
    if person.user is None:
        core_actions.create_account(None, person=person, password="x" * 16, verified=True)
    assert person.user is not None
    _token, raw = core_actions.create_api_token(person.user, name="tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}", "HTTP_ACCEPT_LANGUAGE": "en"}


def base(org: Organisation) -> str:
    return f"/api/v1/organisations/{org.code}/offers"


def post(client: Client, url: str, payload: dict[str, Any] | None = None, **extra: str) -> Any:
    return client.post(url, payload or {}, content_type=JSON, **extra)  # type: ignore[arg-type]


def get(client: Client, url: str, **extra: str) -> Any:
    return client.get(url, **extra)  # type: ignore[arg-type]


def fields(response: Any) -> dict[str | None, str]:
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def enrolled(
    activity: Activity, version: OfferVersion, holder: Member, adviser: Person
) -> Enrolment:
    """The activity in the variant from the day it started, accepted by both sides."""
    enrolment = actions.enrol(
        None, activity=activity, version=version, starts_on=activity.started_on
    )
    assert holder.person is not None
    actions.accept_commitments(holder.person, enrolment=enrolment, side="member")
    actions.accept_commitments(adviser, enrolment=enrolment, side="cooperative")
    return enrolment


def another_activity(
    org: Organisation, category: MemberCategory, adviser: Person | None, name: str, **fields: Any
) -> Activity:
    return actions.open_activity(
        None,
        organisation=org,
        name=name,
        sector="Services",
        profile=fields.pop("profile", "individual"),
        started_on=fields.pop("started_on", D(2024, 2, 1)),
        holders=[make_member(org, category)],
        advisers=[adviser] if adviser else [],
        **fields,
    )


@pytest.fixture
def grid(org: Organisation) -> list[Competence]:
    return [
        actions.add_competence(None, organisation=org, name=name, position=position)
        for position, name in enumerate(("Gestion", "Commercial"))
    ]


# The catalogue


@time_machine.travel(JUNE_2024, tick=False)
def test_the_secretariat_keeps_the_catalogue_of_services_and_variants(
    client: Client,
    org: Organisation,
    office: Unit,
    secretariat: Person,
    plain_member: Person,
    category_a: MemberCategory,
    occasional: OfferVersion,
) -> None:
    auth = bearer(secretariat)
    url = base(org)
    added = post(
        client,
        f"{url}/services",
        {"code": "comptabilite", "name": "Comptabilité", "unit": office.code, "position": 5},
        **auth,
    )
    assert added.status_code == 201, added.json()
    assert (added.json()["unit"], added.json()["funding"]) == (office.code, "contribution")
    twice = post(client, f"{url}/services", {"code": "comptabilite", "name": "Bis"}, **auth)
    assert twice.status_code == 422 and "code" in fields(twice)
    assert (
        post(
            client, f"{url}/services", {"code": "x", "name": "X", "unit": "nope"}, **auth
        ).status_code
        == 404
    )
    listed = get(client, f"{url}/services", **auth).json()
    assert [s["code"] for s in listed] == [
        "facturation",
        "conseil-juridique",
        "formation",
        "comptabilite",
    ]

    dossier = dossier_actions.open_dossier(None, organisation=org, title="Offre coopérative")
    created = post(
        client,
        f"{url}/offers",
        {
            "code": "cooperative",
            "name": "Coopérative d'activités",
            "dossier": str(dossier.code),
            "hypothesis": True,
        },
        **auth,
    )
    assert created.status_code == 201, created.json()
    assert (created.json()["dossier"], created.json()["current"], created.json()["versions"]) == (
        str(dossier.code),
        None,
        [],
    )
    offer_url = f"{url}/offers/cooperative"
    version = {
        "valid_from": "2024-01-01",
        "cooperative_commitments": "Accompagnement mensuel.",
        "contribution_rate": "10",
        "levels": [
            {"service": "facturation", "level": "reinforced"},
            {"service": "comptabilite", "level": "standard", "note": "Bilan annuel"},
        ],
        "shares_required": 4,
        "support_meetings_per_year": 6,
        "eligible_categories": ["A"],
        "eligible_profiles": ["collective"],
    }
    unknown = post(
        client,
        f"{offer_url}/versions",
        {**version, "levels": [{"service": "?", "level": "basic"}]},
        **auth,
    )
    assert unknown.status_code == 422 and fields(unknown)["levels"] == "Unknown services: ?"
    none = post(client, f"{offer_url}/versions", {**version, "levels": []}, **auth)
    assert fields(none)["levels"].startswith("O1:")
    no_return = post(
        client, f"{offer_url}/versions", {**version, "cooperative_commitments": " "}, **auth
    )
    assert fields(no_return)["cooperative_commitments"].startswith("O1:")
    first = post(client, f"{offer_url}/versions", version, **auth)
    assert first.status_code == 201, first.json()
    assert first.json()["number"] == 1 and first.json()["contribution_rate"] == "10.00"
    assert first.json()["levels"][1] == {
        "service": "comptabilite",
        "service_name": "Comptabilité",
        "level": "standard",
        "note": "Bilan annuel",
    }
    overlapping = post(
        client, f"{offer_url}/versions", {**version, "valid_from": "2023-06-01"}, **auth
    )
    assert overlapping.status_code == 422
    assert fields(overlapping)["valid_from"].startswith("Versions:")
    second = post(
        client,
        f"{offer_url}/versions",
        {**version, "valid_from": "2025-01-01", "contribution_rate": "9"},
        **auth,
    )
    assert second.status_code == 201 and second.json()["number"] == 2

    detail = get(client, offer_url, **auth).json()
    assert [(v["number"], v["valid_until"]) for v in detail["versions"]] == [
        (2, None),
        (1, "2024-12-31"),
    ]
    assert detail["current"]["number"] == 1
    assert detail["current"]["eligible_categories"] == ["A"]
    offers = get(client, f"{url}/offers", **auth).json()
    assert [(o["code"], o["current"]["number"]) for o in offers] == [
        ("cooperative", 1),
        ("occasionnel", 1),
    ]
    compared = get(client, f"{url}/offers/compare?on=2025-02-01", **auth).json()
    assert compared["on"] == "2025-02-01"
    assert [o["current"]["contribution_rate"] for o in compared["offers"]] == ["9.00", "8.00"]
    rows = {row["service"]: row["levels"] for row in compared["rows"]}
    assert rows["facturation"] == ["reinforced", "basic"]
    assert rows["formation"] == [None, None]
    assert get(client, f"{url}/offers/nope", **auth).status_code == 404

    competence = post(client, f"{url}/competences", {"name": "Gestion"}, **auth)
    assert competence.status_code == 201
    assert [c["name"] for c in get(client, f"{url}/competences", **auth).json()] == ["Gestion"]

    # A member reads the catalogue and writes nothing in it.
    member = bearer(plain_member)
    assert get(client, f"{url}/offers", **member).status_code == 200
    assert get(client, offer_url, **member).status_code == 200
    for path, payload in (
        (f"{url}/services", {"code": "y", "name": "Y"}),
        (f"{url}/offers", {"code": "y", "name": "Y"}),
        (f"{offer_url}/versions", {**version, "valid_from": "2026-01-01"}),
        (f"{url}/competences", {"name": "Y"}),
        (f"{offer_url}/needs-to-dossier", {"meeting": "00000000-0000-0000-0000-000000000000"}),
    ):
        assert post(client, path, payload, **member).status_code == 404, path
    assert Service.objects.filter(code="y").count() == 0
    assert Competence.objects.count() == 1


# An activity's way in


@time_machine.travel(JUNE_2024, tick=False)
def test_an_activity_goes_from_candidate_to_active_with_commitments_accepted_by_both_sides(
    client: Client,
    org: Organisation,
    office: Unit,
    secretariat: Person,
    adviser: Person,
    holder: Member,
    individual: OfferVersion,
    occasional: OfferVersion,
    grid: list[Competence],
) -> None:
    url = f"{base(org)}/activities"
    opened = post(
        client,
        url,
        {
            "name": "Atelier de sérigraphie",
            "sector": "Arts graphiques",
            "profile": "individual",
            "started_on": "2024-02-01",
            "holders": [holder.number],
            "advisers": [str(adviser.code)],
            "office": office.code,
        },
        **bearer(secretariat),
    )
    assert opened.status_code == 201, opened.json()
    activity = opened.json()
    assert (activity["stage"], activity["office"], activity["offer"]) == (
        "candidate",
        office.code,
        None,
    )
    assert activity["holders"] == [{"number": holder.number, "name": "Léa Dupont"}]
    assert activity["advisers"] == [{"code": str(adviser.code), "name": "Sofia Haddad"}]
    assert [s["stage"] for s in activity["path"]] == ["candidate"]
    nobody = post(client, url, {**activity, "holders": [], "advisers": []}, **bearer(secretariat))
    assert nobody.status_code == 422 and "holders" in fields(nobody)
    stranger = post(
        client, url, {**activity, "holders": [9999], "advisers": []}, **bearer(secretariat)
    )
    assert fields(stranger)["holders"] == "Unknown member numbers: 9999"

    sofia = bearer(adviser)
    lea = bearer(holder.person)  # type: ignore[arg-type]
    activity_url = f"{url}/{activity['code']}"
    skipped = post(
        client, f"{activity_url}/stages", {"stage": "active", "on": "2024-03-01"}, **sofia
    )
    assert skipped.status_code == 422
    assert fields(skipped)["stage"] == "Path: Candidate cannot become active."
    too_soon = post(
        client, f"{activity_url}/stages", {"stage": "integrated", "on": "2024-03-01"}, **sofia
    )
    assert too_soon.status_code == 422 and fields(too_soon)[None].startswith("O1:")

    enrolment = post(
        client,
        f"{activity_url}/enrolments",
        {"offer": "activite", "starts_on": "2024-02-01"},
        **sofia,
    )
    assert enrolment.status_code == 201, enrolment.json()
    assert (enrolment.json()["offer"], enrolment.json()["version"]) == ("activite", 1)
    assert enrolment.json()["review_on"] == "2025-02-01" and not enrolment.json()["accepted"]
    before = post(
        client,
        f"{activity_url}/enrolments",
        {"offer": "occasionnel", "starts_on": "2024-02-01"},
        **sofia,
    )
    assert before.status_code == 422 and fields(before)["starts_on"].startswith("O1:")
    no_version = post(
        client,
        f"{activity_url}/enrolments",
        {"offer": "activite", "version": 7, "starts_on": "2024-03-01"},
        **sofia,
    )
    assert no_version.status_code == 404
    too_early = post(
        client,
        f"{activity_url}/enrolments",
        {"offer": "activite", "starts_on": "2022-03-01"},
        **sofia,
    )
    assert too_early.status_code == 422 and fields(too_early)["version"].startswith("O1:")

    accept_url = f"{activity_url}/enrolments/{enrolment.json()['id']}/accept"
    wrong_side = post(client, accept_url, {"side": "member"}, **sofia)
    assert wrong_side.status_code == 422
    assert (
        fields(wrong_side)[None] == "Commitments: a holder of the activity accepts for the member."
    )
    member_side = post(client, accept_url, {"side": "member"}, **lea)
    assert member_side.status_code == 200, member_side.json()
    assert member_side.json()["member_accepted_by"]["name"] == "Léa Dupont"
    assert member_side.json()["member_accepted_at"].startswith("2024-06-15T10:00:00")
    assert post(client, accept_url, {"side": "cooperative"}, **lea).status_code == 422
    both = post(client, accept_url, {"side": "cooperative"}, **sofia)
    assert both.status_code == 200 and both.json()["accepted"]
    assert both.json()["cooperative_accepted_by"] == {
        "code": str(adviser.code),
        "name": "Sofia Haddad",
    }

    # The holder is no keeper of the path.
    assert (
        post(
            client, f"{activity_url}/stages", {"stage": "integrated", "on": "2024-03-01"}, **lea
        ).status_code
        == 404
    )
    integrated = post(
        client, f"{activity_url}/stages", {"stage": "integrated", "on": "2024-03-01"}, **sofia
    )
    assert integrated.status_code == 201, integrated.json()
    assert integrated.json()["recorded_by"] == str(adviser.code)
    backwards = post(
        client, f"{activity_url}/stages", {"stage": "active", "on": "2024-02-15"}, **sofia
    )
    assert backwards.status_code == 422 and fields(backwards)["on"].startswith("Path:")
    active = post(
        client,
        f"{activity_url}/stages",
        {"stage": "active", "on": "2024-04-01", "note": "Lancée"},
        **sofia,
    )
    assert active.status_code == 201

    shares = post(client, f"{activity_url}/holdings/{holder.number}/shares", {"shares": 2}, **sofia)
    assert shares.status_code == 200 and shares.json()["verified_on"] == "2024-06-15"
    assert (
        post(client, f"{activity_url}/holdings/9999/shares", {"shares": 2}, **sofia).status_code
        == 404
    )
    meeting = post(
        client,
        f"{activity_url}/support-meetings",
        {
            "held_on": "2024-05-15",
            "advisers": [str(adviser.code)],
            "attendance": [
                {"person": str(holder.person.code), "attendance": "attended"},  # type: ignore[union-attr]
                {"person": str(adviser.code), "attendance": "attended"},
            ],
            "objectives": "Premier bilan",
            "next_meeting_on": "2024-11-15",
        },
        **sofia,
    )
    assert meeting.status_code == 201, meeting.json()
    assert [(p["name"], p["attendance"]) for p in meeting.json()["participants"]] == [
        ("Léa Dupont", "attended"),
        ("Sofia Haddad", "attended"),
    ]
    ahead = post(
        client,
        f"{activity_url}/support-meetings",
        {"held_on": "2024-07-01", "advisers": [str(adviser.code)]},
        **sofia,
    )
    assert ahead.status_code == 422 and fields(ahead)["held_on"].startswith("Dates:")
    milestone = post(
        client,
        f"{activity_url}/milestones",
        {"title": "Premier client", "due_on": "2024-05-01"},
        **sofia,
    )
    assert milestone.status_code == 201
    reached = post(
        client,
        f"{activity_url}/milestones/{milestone.json()['id']}/reach",
        {"done_on": "2024-04-20"},
        **sofia,
    )
    assert reached.status_code == 200 and reached.json()["done_on"] == "2024-04-20"
    partial = post(
        client,
        f"{activity_url}/evaluations",
        {"evaluated_on": "2024-06-01", "scores": [{"competence": grid[0].pk, "score": 2}]},
        **sofia,
    )
    assert partial.status_code == 422 and f"c{grid[1].pk}" in fields(partial)
    evaluation = post(
        client,
        f"{activity_url}/evaluations",
        {
            "evaluated_on": "2024-06-01",
            "scores": [
                {"competence": grid[0].pk, "score": 2},
                {"competence": grid[1].pk, "score": 3},
            ],
            "comment": "Progresse bien.",
        },
        **sofia,
    )
    assert evaluation.status_code == 201, evaluation.json()
    assert [(s["name"], s["score"]) for s in evaluation.json()["scores"]] == [
        ("Gestion", 2),
        ("Commercial", 3),
    ]

    detail = get(client, activity_url, **lea).json()
    assert (detail["stage"], detail["offer"], detail["version"]) == ("active", "activite", 1)
    assert [(s["stage"], s["on"]) for s in detail["path"]] == [
        ("candidate", "2024-02-01"),
        ("integrated", "2024-03-01"),
        ("active", "2024-04-01"),
    ]
    assert detail["holdings"] == [
        {
            "member": holder.number,
            "name": "Léa Dupont",
            "shares_verified": 2,
            "verified_on": "2024-06-15",
        }
    ]
    [enrolled_in] = detail["enrolments"]
    assert enrolled_in["accepted"] and enrolled_in["member_accepted_by"]["name"] == "Léa Dupont"
    assert detail["support_meetings"][0]["objectives"] == "Premier bilan"
    assert detail["milestones"][0]["done_on"] == "2024-04-20"
    assert detail["evaluations"][0]["evaluator"]["name"] == "Sofia Haddad"
    assert detail["flags"] == []

    # Eligibility: the variant's profiles and categories.
    missions = another_activity(org, holder.category, adviser, "Missions", profile="occasional")
    refused = post(
        client,
        f"{url}/{missions.code}/enrolments",
        {"offer": "activite", "starts_on": "2024-03-01"},
        **sofia,
    )
    assert refused.status_code == 422
    assert (
        fields(refused)["version"]
        == "Eligibility: “Activité individuelle” is not offered to occasional missions."
    )
    partners = MemberCategory.objects.create(
        organisation=org, code="P", name="Partners", position=9
    )
    partner = another_activity(org, partners, adviser, "Partenaire")
    outside = post(
        client,
        f"{url}/{partner.code}/enrolments",
        {"offer": "activite", "starts_on": "2024-03-01"},
        **sofia,
    )
    assert fields(outside)["version"].startswith("Eligibility:")
    assert (
        post(
            client,
            f"{url}/{partner.code}/enrolments",
            {"offer": "occasionnel", "starts_on": "2024-03-01"},
            **sofia,
        ).status_code
        == 201
    )
    exited = post(
        client,
        f"{url}/{partner.code}/stages",
        {"stage": "exited", "on": "2024-05-01", "exit_reason": "ended"},
        **sofia,
    )
    assert exited.status_code == 201
    assert (
        get(client, f"{url}/{partner.code}", **sofia).json()["enrolments"][0]["ends_on"]
        == "2024-05-01"
    )


@time_machine.travel(SEPTEMBER_2024, tick=False)
def test_contributions_payments_and_the_flags_of_an_activity(
    client: Client,
    org: Organisation,
    adviser: Person,
    holder: Member,
    activity: Activity,
    individual: OfferVersion,
    secretariat: Person,
) -> None:
    enrolled(activity, individual, holder, adviser)
    sofia = bearer(adviser)
    url = f"{base(org)}/activities/{activity.code}"
    flags = {f["kind"]: f["message"] for f in get(client, url, **sofia).json()["flags"]}
    assert flags == {
        "shares": "Léa Dupont: shares held not verified yet.",
        "support": "Support meetings: 0 in the last twelve months, 1 expected.",
    }
    early = post(
        client,
        f"{url}/contributions",
        {
            "period_start": "2024-01-01",
            "period_end": "2024-01-31",
            "base_amount": "100",
            "due_on": "2024-02-28",
        },
        **sofia,
    )
    assert early.status_code == 422 and fields(early)["period_start"].startswith("O1:")
    contribution = post(
        client,
        f"{url}/contributions",
        {
            "period_start": "2024-02-01",
            "period_end": "2024-03-31",
            "base_amount": "10000",
            "due_on": "2024-04-30",
        },
        **sofia,
    )
    assert contribution.status_code == 201, contribution.json()
    assert (contribution.json()["rate"], contribution.json()["amount_due"]) == ("6.50", "650.00")
    assert contribution.json()["unpaid"] is True
    post(client, f"{url}/holdings/{holder.number}/shares", {"shares": 1}, **sofia)
    flags = {f["kind"]: f["message"] for f in get(client, url, **sofia).json()["flags"]}
    assert flags["contribution"] == "Contribution unpaid: 650.00 € over 1 periods."
    assert flags["shares"] == "Léa Dupont holds 1 shares of the 2 required."

    payments = f"{url}/contributions/{contribution.json()['id']}/payments"
    nothing = post(client, payments, {"amount": "0", "paid_on": "2024-05-02"}, **sofia)
    assert nothing.status_code == 422 and "amount" in fields(nothing)
    cents = post(client, payments, {"amount": "1.005", "paid_on": "2024-05-02"}, **sofia)
    assert cents.status_code == 422 and "amount" in fields(cents)
    negative = post(client, f"{url}/holdings/{holder.number}/shares", {"shares": -1}, **sofia)
    assert negative.status_code == 422 and "shares" in fields(negative)
    paid = post(client, payments, {"amount": "650", "paid_on": "2024-05-02"}, **sofia)
    assert (
        paid.status_code == 200
        and paid.json()["amount_paid"] == "650.00"
        and not paid.json()["unpaid"]
    )
    post(client, f"{url}/holdings/{holder.number}/shares", {"shares": 2}, **sofia)
    post(
        client,
        f"{url}/support-meetings",
        {
            "held_on": "2024-08-20",
            "advisers": [str(adviser.code)],
            "attendance": [{"person": str(holder.person.code), "attendance": "attended"}],  # type: ignore[union-attr]
        },
        **sofia,
    )
    assert get(client, url, **sofia).json()["flags"] == []

    # The adviser's page: the review comes within thirty days.
    review = post(
        client,
        f"{url}/enrolments/{activity.enrolments.get().pk}/review",
        {"next_review_on": "2024-09-20"},
        **sofia,
    )
    assert review.status_code == 200 and review.json()["review_on"] == "2024-09-20"
    assert (
        post(
            client,
            f"{url}/enrolments/{activity.enrolments.get().pk}/review",
            {"next_review_on": "2024-09-01"},
            **sofia,
        ).status_code
        == 422
    )
    quiet = another_activity(activity.organisation, holder.category, adviser, "Sans nouvelles")
    page = get(client, f"{base(org)}/advisers/me", **sofia).json()
    assert [a["name"] for a in page["activities"]] == ["Atelier de sérigraphie", "Sans nouvelles"]
    assert page["activities"][0]["flags"] == []
    assert [(f["name"], f["last_meeting"]) for f in page["follow_ups"]] == [
        ("Sans nouvelles", None)
    ]
    assert [(r["name"], r["review_on"], r["overdue"]) for r in page["reviews"]] == [
        ("Atelier de sérigraphie", "2024-09-20", False)
    ]
    assert get(client, f"{base(org)}/advisers/me", **bearer(secretariat)).json()["activities"] == []

    management = get(client, f"{base(org)}/management", **sofia).json()
    stages = {row["stage"]: row["count"] for row in management["stages"]}
    assert (stages["candidate"], stages["active"]) == (2, 0)
    assert {row["name"]: row["count"] for row in management["variants"]} == {
        "Activité individuelle": 1,
        "In no variant": 1,
    }
    delays = {row["name"]: row["count"] for row in management["delays"]}
    assert (delays["≤ 3 months"], delays["never"]) == (1, 1)
    assert quiet.pk


# Needs


@time_machine.travel(JUNE_2024, tick=False)
def test_holders_state_needs_that_feed_the_variants_dossier(
    client: Client,
    org: Organisation,
    adviser: Person,
    holder: Member,
    activity: Activity,
    individual: OfferVersion,
    secretariat: Person,
    plain_member: Person,
    category_a: MemberCategory,
    board_meeting: Meeting,
) -> None:
    lea = bearer(holder.person)  # type: ignore[arg-type]
    url = f"{base(org)}/activities/{activity.code}/needs"
    stated = post(client, url, {"service": "facturation", "level": "essential"}, **lea)
    assert stated.status_code == 201, stated.json()
    assert stated.json()["stated_by"]["name"] == "Léa Dupont"
    post(client, url, {"service": "conseil-juridique", "level": "useful", "comment": "TVA"}, **lea)
    again = post(
        client,
        url,
        {"service": "conseil-juridique", "level": "essential", "comment": "TVA !"},
        **lea,
    )
    assert again.status_code == 201
    wrong = post(client, url, {"service": "formation", "level": "urgent"}, **lea)
    assert wrong.status_code == 422 and "level" in fields(wrong)
    assert post(client, url, {"service": "nope", "level": "useful"}, **lea).status_code == 404
    assert (
        post(
            client, url, {"service": "formation", "level": "useful"}, **bearer(plain_member)
        ).status_code
        == 404
    )
    jonas_activity = another_activity(org, category_a, None, "Boulangerie")
    jonas = jonas_activity.holders.get().person
    assert jonas is not None
    post(
        client,
        f"{base(org)}/activities/{jonas_activity.code}/needs",
        {"service": "facturation", "level": "essential"},
        **bearer(jonas),
    )

    summary = get(client, f"{base(org)}/needs", **bearer(adviser))
    assert summary.status_code == 200
    rows = {row["service"]: row for row in summary.json()}
    assert rows["facturation"]["counts"] == {"essential": 2, "useful": 0, "not_needed": 0}
    assert rows["conseil-juridique"]["comments"] == ["TVA !"]
    assert rows["formation"]["total"] == 0
    assert get(client, f"{base(org)}/needs", **lea).status_code == 404

    clair = bearer(secretariat)
    feed = {"meeting": str(board_meeting.code)}
    no_dossier = post(client, f"{base(org)}/offers/activite/needs-to-dossier", feed, **clair)
    assert no_dossier.status_code == 422 and "dossier" in fields(no_dossier)
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Offre 2025")
    actions.create_offer(
        None, organisation=org, code="offre-2025", name="Offre 2025", dossier=dossier
    )
    fed_url = f"{base(org)}/offers/offre-2025/needs-to-dossier"
    assert post(client, fed_url, feed, **bearer(adviser)).status_code == 404
    fed = post(client, fed_url, feed, **clair)
    assert fed.status_code == 201, fed.json()
    assert fed.json()["dossier"] == str(dossier.code) and fed.json()["meeting"] == str(
        board_meeting.code
    )
    assert "Facturation et conversion en salaire: 2 / 0 / 0" in fed.json()["text"]
    assert "Conseil juridique et fiscal: 1 / 0 / 0" in fed.json()["text"]
    assert "Formation" not in fed.json()["text"]
    appearance = Appearance.objects.get(dossier=dossier)
    assert (
        appearance.item.meeting_id == board_meeting.pk and appearance.item_id == fed.json()["item"]
    )
    assert Outcome.objects.get(meeting=board_meeting).kind == "contribution"


# Who sees what


@time_machine.travel(JUNE_2024, tick=False)
def test_members_see_only_their_own_activities_and_keep_none(
    client: Client,
    org: Organisation,
    adviser: Person,
    holder: Member,
    activity: Activity,
    individual: OfferVersion,
    plain_member: Person,
    works_council_member: Person,
    category_a: MemberCategory,
) -> None:
    other = another_activity(org, category_a, None, "Boulangerie")
    url = f"{base(org)}/activities"
    jonas = bearer(plain_member)
    assert get(client, url, **jonas).json()["count"] == 0
    assert get(client, f"{url}/{activity.code}", **jonas).status_code == 404
    for path, payload in (
        (
            f"{url}/{activity.code}/stages",
            {"stage": "exited", "on": "2024-06-01", "exit_reason": "ended"},
        ),
        (f"{url}/{activity.code}/enrolments", {"offer": "activite", "starts_on": "2024-02-01"}),
        (f"{url}/{activity.code}/milestones", {"title": "X", "due_on": "2024-07-01"}),
        (f"{url}/{activity.code}/needs", {"service": "formation", "level": "useful"}),
        (f"{url}/{activity.code}/advisers", {"adviser": str(plain_member.code)}),
        (
            url,
            {
                "name": "X",
                "sector": "X",
                "profile": "individual",
                "started_on": "2024-01-01",
                "holders": [1],
            },
        ),
    ):
        assert post(client, path, payload, **jonas).status_code == 404, path
    assert get(client, f"{base(org)}/management", **jonas).status_code == 404

    lea = bearer(holder.person)  # type: ignore[arg-type]
    mine = get(client, url, **lea).json()
    assert [a["name"] for a in mine["items"]] == ["Atelier de sérigraphie"]
    assert get(client, f"{url}/{other.code}", **lea).status_code == 404
    assert get(client, f"{url}/{activity.code}", **lea).status_code == 200
    assert (
        post(
            client,
            f"{url}/{activity.code}/milestones",
            {"title": "X", "due_on": "2024-07-01"},
            **lea,
        ).status_code
        == 404
    )

    # Staff read every activity; they follow one themselves but keep only those they advise.
    dimitri = bearer(works_council_member)
    assert get(client, url, **dimitri).json()["count"] == 2
    assert (
        post(
            client,
            f"{url}/{other.code}/milestones",
            {"title": "X", "due_on": "2024-07-01"},
            **dimitri,
        ).status_code
        == 404
    )
    assert (
        post(
            client, f"{url}/{other.code}/advisers", {"adviser": str(adviser.code)}, **dimitri
        ).status_code
        == 404
    )
    followed = post(
        client,
        f"{url}/{other.code}/advisers",
        {"adviser": str(works_council_member.code)},
        **dimitri,
    )
    assert followed.status_code == 200 and [p["name"] for p in followed.json()] == [
        "Dimitri Pauwels"
    ]
    assert (
        post(
            client,
            f"{url}/{other.code}/milestones",
            {"title": "X", "due_on": "2024-07-01"},
            **dimitri,
        ).status_code
        == 201
    )
    stopped = post(
        client,
        f"{url}/{other.code}/advisers",
        {"adviser": str(works_council_member.code), "stop": True},
        **dimitri,
    )
    assert stopped.json() == []

    # Filters of the list.
    enrolled(activity, individual, holder, adviser)
    sofia = bearer(adviser)
    assert [a["name"] for a in get(client, f"{url}?offer=activite", **sofia).json()["items"]] == [
        "Atelier de sérigraphie"
    ]
    assert get(client, f"{url}?stage=active", **sofia).json()["count"] == 0
    assert get(client, f"{url}?adviser={adviser.code}", **sofia).json()["count"] == 1
    assert get(client, f"{url}?mine=1", **dimitri).json()["count"] == 0
    assert get(client, f"{url}?adviser=nope", **sofia).status_code == 422
    listed = get(client, f"{url}?mine=1", **sofia).json()["items"]
    assert (listed[0]["offer"], listed[0]["version"], listed[0]["holders"][0]["number"]) == (
        "activite",
        1,
        holder.number,
    )


# Query counts


def _queries(client: Client, url: str, auth: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, **auth)  # type: ignore[arg-type]
    assert response.status_code == 200, response.json()
    return len(context.captured_queries)


def _grow(
    org: Organisation,
    activity: Activity,
    individual: OfferVersion,
    adviser: Person,
    category: MemberCategory,
    round_number: int,
    grid: list[Competence],
) -> None:
    """Two more enrolled activities with a support meeting, and more of everything on the first."""
    for index in range(2):
        added = another_activity(org, category, adviser, f"Activité {round_number}-{index}")
        member = added.holders.get()
        enrolled(added, individual, member, adviser)
        actions.record_support_meeting(
            None,
            activity=added,
            held_on=D(2024, 3, round_number),
            advisers=[adviser],
            attendance={member.person: "attended", adviser: "attended"},  # type: ignore[dict-item]
        )
        actions.record_contribution(
            None,
            activity=added,
            period_start=D(2024, 2, round_number),
            period_end=D(2024, 2, 20),
            base_amount=Decimal(1000),
            due_on=D(2024, 3, 31),
        )
        actions.state_need(
            adviser, activity=added, service=Service.objects.get(code="formation"), level="useful"
        )
    extra = make_person(org)
    actions.record_support_meeting(
        None,
        activity=activity,
        held_on=D(2024, 4, round_number),
        advisers=[adviser],
        attendance={extra: "excused", adviser: "attended"},
    )
    actions.add_activity_milestone(
        None, activity=activity, title=f"Étape {round_number}", due_on=D(2024, 5, 1)
    )
    actions.evaluate(
        adviser,
        activity=activity,
        evaluated_on=D(2024, 4, round_number),
        scores={c: 2 for c in grid},
    )
    actions.record_contribution(
        None,
        activity=activity,
        period_start=D(2024, 2, round_number),
        period_end=D(2024, 2, round_number),
        base_amount=Decimal(100),
        due_on=D(2024, 3, 31),
    )
    actions.state_need(
        adviser,
        activity=activity,
        service=Service.objects.filter(organisation=org)[round_number - 1],
        level="useful",
    )


@time_machine.travel(JUNE_2024, tick=False)
def test_lists_the_activity_record_and_the_advisers_page_take_a_fixed_number_of_queries(
    client: Client,
    org: Organisation,
    adviser: Person,
    holder: Member,
    activity: Activity,
    individual: OfferVersion,
    category_a: MemberCategory,
    grid: list[Competence],
) -> None:
    enrolled(activity, individual, holder, adviser)
    _grow(org, activity, individual, adviser, category_a, 1, grid)
    auth = bearer(adviser)
    urls = [
        f"{base(org)}/activities",
        f"{base(org)}/activities?mine=1",
        f"{base(org)}/activities/{activity.code}",
        f"{base(org)}/advisers/me",
        f"{base(org)}/management",
        f"{base(org)}/offers",
        f"{base(org)}/needs",
    ]
    get(client, urls[0], **auth)  # the token's first use is recorded once
    few = [_queries(client, url, auth) for url in urls]
    _grow(org, activity, individual, adviser, category_a, 2, grid)
    _grow(org, activity, individual, adviser, category_a, 3, grid)
    many = [_queries(client, url, auth) for url in urls]
    assert many == few
    assert get(client, urls[0], **auth).json()["count"] == 7
    detail = get(client, urls[2], **auth).json()
    assert len(detail["support_meetings"]) == 3 and len(detail["evaluations"]) == 3
    assert len(get(client, urls[3], **auth).json()["activities"]) == 7
