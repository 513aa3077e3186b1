from __future__ import annotations

import datetime

import time_machine
from django.test import Client

from coopgov.bodies import actions as body_actions
from coopgov.bodies.models import Body, Mandate
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions as dossier_actions
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


def test_a_roll_call_through_the_api(
    client: Client,
    org: Organisation,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
) -> None:
    dossier = dossier_actions.open_dossier(None, organisation=org, title="Lease")
    appearance = dossier_actions.put_on_agenda(
        None, dossier=dossier, meeting=board_meeting, stage="decide"
    )
    for mandate in directors[:4]:
        meeting_actions.record_attendance(
            None,
            invitation=board_meeting.invitations.get(person=mandate.person),
            attendance="present",
        )
    in_english(login(client, secretariat))
    url = f"/api/v1/organisations/{org.code}/dossiers/{dossier.code}/decisions"
    payload = {"item": appearance.item_id, "title": "Lease", "text": "t", "method": "roll_call"}
    votes = {str(m.person.code): "yes" for m in directors[:4]}
    unknown = client.post(
        url,
        {**payload, "votes": {**votes, "00000000-0000-0000-0000-000000000000": "no"}},
        content_type="application/json",
    )
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "votes"
    decided = client.post(url, {**payload, "votes": votes}, content_type="application/json")
    assert decided.status_code == 201, decided.json()
    assert (decided.json()["yes"], len(decided.json()["votes"])) == (4, 4)
    register = client.get(f"/api/v1/organisations/{org.code}/decisions").json()
    assert {v["vote"] for v in register["items"][0]["votes"]} == {"yes"}


def test_actions_through_the_api(
    client: Client, org: Organisation, board_meeting: Meeting, secretariat: Person
) -> None:
    in_english(login(client, secretariat))
    url = f"/api/v1/organisations/{org.code}/actions"
    payload = {"title": "Book the room", "owner": str(secretariat.code), "due_on": "2030-01-31"}
    orphan = client.post(url, payload, content_type="application/json")
    assert (
        orphan.status_code == 422 and "follows a dossier" in orphan.json()["errors"][0]["message"]
    )
    added = client.post(
        url, {**payload, "meeting": str(board_meeting.code)}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["meeting"] == str(board_meeting.code)
    assert client.get(url).json()["items"][0]["title"] == "Book the room"


def test_written_resolutions_through_the_api(
    client: Client, org: Organisation, board: Body, directors: list[Mandate], secretariat: Person
) -> None:
    base = f"/api/v1/organisations/{org.code}/resolutions"
    with time_machine.travel(datetime.datetime(2024, 2, 1, 9, tzinfo=datetime.UTC)):
        in_english(login(client, secretariat))
        past = client.post(
            base,
            {"body": "ca", "title": "Signature", "text": "t", "deadline": "2024-01-01"},
            content_type="application/json",
        )
        assert past.status_code == 422 and past.json()["errors"][0]["field"] == "deadline"
        sent = client.post(
            base,
            {"body": "ca", "title": "Signature", "text": "t", "deadline": "2024-02-15"},
            content_type="application/json",
        )
        assert sent.status_code == 201 and len(sent.json()["answers"]) == 7
        code = sent.json()["code"]
        early = client.post(f"{base}/{code}/conclude")
        assert early.status_code == 422
        assert "7 answers are awaited" in early.json()["errors"][0]["message"]
        for mandate in directors:
            login(client, mandate.person)
            answered = client.post(
                f"{base}/{code}/answer", {"answer": "yes"}, content_type="application/json"
            )
            assert answered.status_code == 200
        refused = client.post(f"{base}/{code}/conclude")
        assert refused.status_code == 404  # a director does not run the secretariat
        login(client, secretariat)
        concluded = client.post(f"{base}/{code}/conclude").json()
        assert client.get(base).json()["count"] == 1
    assert concluded["status"] == "adopted" and concluded["decision"] == "CA-2024-001"
    assert {a["answer"] for a in concluded["answers"]} == {"yes"}


def test_expectations_and_duties_through_the_api(
    client: Client, org: Organisation, board: Body, secretariat: Person
) -> None:
    body_actions.create_body(
        None, organisation=org, code="ce", name="CE", kind="works_council", may_decide=False
    )
    in_english(login(client, secretariat))
    base = f"/api/v1/organisations/{org.code}"
    same = client.post(
        f"{base}/expectations",
        {"from_body": "ce", "to_body": "ce", "text": "Hear us"},
        content_type="application/json",
    )
    assert same.status_code == 422 and same.json()["errors"][0]["field"] == "to_body"
    voiced = client.post(
        f"{base}/expectations",
        {"from_body": "ce", "to_body": "ca", "text": "Hear us before deciding"},
        content_type="application/json",
    )
    assert voiced.status_code == 201 and voiced.json()["status"] == "open"
    answered = client.post(
        f"{base}/expectations/{voiced.json()['id']}/answer",
        {"answer": "We will.", "close": True},
        content_type="application/json",
    ).json()
    assert (answered["status"], answered["answer"]) == ("closed", "We will.")
    assert client.get(f"{base}/expectations?status=open").json()["count"] == 0
    dossier_actions.add_information_duty(
        None,
        from_body=board,
        to_body=Body.objects.get(code="ce"),
        title="Quarterly figures",
        period="quarterly",
    )
    duties = client.get(f"{base}/information-duties").json()
    assert duties[0]["months"] == [1, 4, 7, 10] and duties[0]["to_body"] == "ce"
