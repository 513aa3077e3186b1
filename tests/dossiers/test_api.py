from __future__ import annotations

from django.test import Client

from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Organisation, Person
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import Meeting
from tests.conftest import in_english, login


def test_a_dossier_through_the_api_from_opening_to_decision(
    client: Client,
    org: Organisation,
    board: Body,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    in_english(login(client, secretariat))
    base = f"/api/v1/organisations/{org.code}"
    created = client.post(
        f"{base}/dossiers",
        {"title": "Budget", "tags": ["budget"], "origin_body": "ca"},
        content_type="application/json",
    )
    assert created.status_code == 201
    code = created.json()["code"]
    bad = client.post(
        f"{base}/dossiers", {"title": "X", "tags": ["nonsense"]}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "tags"
    item = client.post(
        f"{base}/dossiers/{code}/agenda",
        {"meeting": str(board_meeting.code), "stage": "decide"},
        content_type="application/json",
    ).json()["item"]
    consultation = client.post(
        f"{base}/dossiers/{code}/consultations",
        {"consulted_body": "ca", "kind": "opinion", "due_date": "2099-01-01"},
        content_type="application/json",
    ).json()
    for mandate in directors[:5]:
        meeting_actions.record_attendance(
            None,
            invitation=board_meeting.invitations.get(person=mandate.person),
            attendance="present",
        )
    payload = {
        "item": item,
        "title": "Budget",
        "text": "Adopted",
        "method": "hands",
        "yes": 4,
        "no": 1,
    }
    blocked = client.post(
        f"{base}/dossiers/{code}/decisions", payload, content_type="application/json"
    )
    assert blocked.status_code == 422 and blocked.json()["errors"][0]["message"].startswith(
        "Consultation:"
    )
    client.post(
        f"{base}/dossiers/{code}/consultations/{consultation['id']}/opinion",
        {"opinion": "Favourable."},
        content_type="application/json",
    )
    decided = client.post(
        f"{base}/dossiers/{code}/decisions", payload, content_type="application/json"
    )
    assert decided.status_code == 201 and decided.json()["number"] == "CA-2024-001"
    detail = client.get(f"{base}/dossiers/{code}").json()
    assert [step["kind"] for step in detail["path"]].count("decision") == 1
    register = client.get(f"{base}/decisions?tag=budget").json()
    assert register["count"] == 1 and register["items"][0]["adopted"] is True
    assert client.get(f"{base}/dossiers").json()["count"] == 1
