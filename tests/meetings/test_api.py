from __future__ import annotations

from django.test import Client

from coopgov.bodies.models import Mandate
from coopgov.core.models import Person
from coopgov.meetings.models import Meeting, MeetingKind
from tests.conftest import in_english, login


def test_meetings_through_the_api(
    client: Client,
    board_meeting: Meeting,
    seminar: Meeting,
    directors: list[Mandate],
    secretariat: Person,
    django_assert_max_num_queries: object,
) -> None:
    login(client, secretariat)
    in_english(client)
    base = f"/api/v1/organisations/{board_meeting.organisation.code}/meetings"
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        listing = client.get(base).json()
    assert listing["count"] == 2
    detail = client.get(f"{base}/{board_meeting.code}").json()
    assert detail["quorum"]["required"] == 4 and len(detail["invitations"]) == 8
    refused = client.post(
        f"{base}/{seminar.code}/items",
        {"title": "Adopt", "purpose": "decision"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "purpose"
    assert refused.json()["errors"][0]["message"].startswith("Non-deciding meeting")
    added = client.post(
        f"{base}/{board_meeting.code}/items",
        {"title": "Budget", "purpose": "decision"},
        content_type="application/json",
    )
    assert added.status_code == 201
    invitation = board_meeting.invitations.get(person=directors[0].person)
    present = client.post(
        f"{base}/{board_meeting.code}/attendance/{invitation.pk}",
        {"attendance": "present"},
        content_type="application/json",
    )
    assert present.json()["attendance"] == "present"
    assert client.get(f"{base}/{board_meeting.code}").json()["quorum"]["present"] == 1


def test_planning_through_the_api_and_refusals(
    client: Client,
    board_meeting_kind: MeetingKind,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    login(client, directors[0].person)
    base = f"/api/v1/organisations/{board_meeting_kind.organisation.code}/meetings"
    payload = {
        "kind": "ordinary",
        "body": "ca",
        "title": "Mai",
        "starts_at": "2024-05-14T18:00:00+02:00",
        "ends_at": "2024-05-14T21:00:00+02:00",
    }
    assert client.post(base, payload, content_type="application/json").status_code == 404
    login(client, secretariat)
    created = client.post(base, payload, content_type="application/json")
    assert created.status_code == 201 and created.json()["may_decide"] is True


def test_outcomes_answers_proxies_minutes_and_documents_through_the_api(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coopgov.meetings import actions

    base = f"/api/v1/organisations/{board_meeting.organisation.code}/meetings/{board_meeting.code}"
    login(client, directors[0].person)
    answered = client.post(f"{base}/answer", {"answer": "yes"}, content_type="application/json")
    assert answered.json()["answer"] == "yes"
    in_english(login(client, secretariat))
    created = client.post(
        f"{base}/outcomes",
        {"kind": "orientation", "text": "Go on."},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert client.get(f"{base}/outcomes").json() == [
        {"kind": "orientation", "text": "Go on.", "item": None, "session": None}
    ]
    giver, holder = (board_meeting.invitations.get(person=m.person) for m in directors[1:3])
    proxy = client.post(
        f"{base}/proxies", {"giver": giver.pk, "holder": holder.pk}, content_type="application/json"
    )
    assert proxy.status_code == 201
    again = client.post(
        f"{base}/proxies",
        {
            "giver": board_meeting.invitations.get(person=directors[3].person).pk,
            "holder": holder.pk,
        },
        content_type="application/json",
    )
    assert again.status_code == 422
    assert again.json()["errors"][0]["message"].startswith("Proxy limit")
    assert client.get(f"{base}/minutes").status_code == 404
    actions.draft_minutes(None, meeting=board_meeting)
    assert client.get(f"{base}/minutes").json()["status"] == "draft"
    actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Note",
        upload=SimpleUploadedFile("n.txt", b"x", content_type="text/plain"),
    )
    assert client.get(f"{base}/documents").json()[0]["versions"] == [1]


def test_the_secretariat_invites_a_guest_from_the_page(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    from django.urls import reverse

    from tests.conftest import make_person

    guest = make_person(board_meeting.organisation)
    login(client, secretariat)
    client.post(
        reverse(
            "meetings:guest_add",
            kwargs={"org": board_meeting.organisation.code, "code": board_meeting.code},
        ),
        {"guest-person": guest.email},
    )
    assert board_meeting.invitations.get(person=guest).capacity == "guest"
