"""Meetings and edge input: titles on two lines, year 1, a bare string as a body, the .ics of
a stored multi-line title, and convocations that cannot be sent."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from icalendar import Calendar

from coopgov.bodies.models import Mandate
from coopgov.core.models import Event, Person
from coopgov.meetings import actions, tasks
from coopgov.meetings.models import Meeting, MeetingKind
from tests.conftest import in_english, login
from tests.meetings.conftest import at

TITLE = "Conseil\nextraordinaire\r\n\u2028de mars"


def base(meeting: Meeting) -> str:
    return f"/api/v1/organisations/{meeting.organisation.code}/meetings"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "Conseil\nde mars"}, "title"),
        ({"venue": "Siège\r\n2e étage"}, "venue"),
        ({"starts_at": "0001-05-14T18:00:00+02:00"}, "starts_at"),
        ({"ends_at": "9999-05-14T21:00:00+02:00"}, "ends_at"),
        ({"starts_at": 0}, "starts_at"),
    ],
)
def test_the_api_refuses_a_meeting_on_two_lines_or_out_of_time(
    client: Client,
    board_meeting_kind: MeetingKind,
    secretariat: Person,
    changes: dict[str, Any],
    field: str,
) -> None:
    login(client, secretariat)
    payload = {
        "kind": "ordinary",
        "body": "ca",
        "title": "Mai",
        "starts_at": "2024-05-14T18:00:00+02:00",
        "ends_at": "2024-05-14T21:00:00+02:00",
        **changes,
    }
    count = Meeting.objects.count()
    response = client.post(base(board_meeting_kind), payload, content_type="application/json")
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert Meeting.objects.count() == count


def test_an_item_description_may_hold_line_breaks_but_not_its_title(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    login(client, secretariat)
    url = f"{base(board_meeting)}/{board_meeting.code}/items"
    item = {"title": "Budget", "purpose": "decision", "description": "Line 1\nLine 2"}
    assert client.post(url, item, content_type="application/json").status_code == 201
    item["title"] = "Budget\n2025"
    assert client.post(url, item, content_type="application/json").status_code == 422


@pytest.mark.parametrize("body", ['"hello"', "[]", "null", "42"])
def test_convening_with_a_body_that_is_not_an_object_is_refused(
    client: Client, board_meeting: Meeting, secretariat: Person, body: str
) -> None:
    # Ninja read attributes of anything: a bare string passed for ConveneIn and convened.
    login(client, secretariat)
    in_english(client)
    with time_machine.travel(at(2024, 3, 1), tick=False):
        response = client.post(
            f"{base(board_meeting)}/{board_meeting.code}/convene",
            body,
            content_type="application/json",
        )
    assert response.status_code == 422
    assert response.json()["errors"] == [{"field": None, "message": "Send a JSON object here."}]
    board_meeting.refresh_from_db()
    assert board_meeting.convened_at is None


def test_the_ics_of_a_title_stored_on_several_lines_is_served_on_one_line(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    # Stored before the API refused it: the .ics answered 500.
    Meeting.objects.filter(pk=board_meeting.pk).update(title=TITLE, venue="Siège\n1er")
    login(client, secretariat)
    response = client.get(f"{board_meeting.get_absolute_url()}meeting.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Conseil extraordinaire de mars"
    event = calendar.walk("VEVENT")[0]
    assert str(event["summary"]) == "Conseil extraordinaire de mars"
    assert str(event["location"]) == "Siège 1er"


def test_a_convocation_of_a_title_stored_on_several_lines_is_sent(
    board_meeting: Meeting, directors: list[Mandate], django_capture_on_commit_callbacks: Any
) -> None:
    Meeting.objects.filter(pk=board_meeting.pk).update(title=TITLE)
    board_meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1))
    assert len(mail.outbox) == board_meeting.invitations.count() == 8
    assert "\n" not in mail.outbox[0].subject and "Conseil extraordinaire" in mail.outbox[0].subject
    _name, content, _mimetype = mail.outbox[0].attachments[0]
    assert Calendar.from_ical(content).walk("VEVENT")[0]["summary"] == (
        "Conseil extraordinaire de mars"
    )
    assert not Event.objects.filter(action="meetings.convocation.failed").exists()


def test_a_convocation_that_cannot_be_sent_is_recorded_and_shown_to_the_secretariat(
    client: Client,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(EmailMessage, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1))
    failed = Event.objects.filter(action="meetings.convocation.failed")
    invitees = {str(i.person.code) for i in board_meeting.invitations.select_related("person")}
    assert failed.count() == len(invitees) == 8
    assert {e.data["error"] for e in failed} == {"SMTPServerDisconnected"}
    assert {e.data["person"] for e in failed} == invitees
    # Not convened after all: counted on the page, and convening again retries them.
    assert board_meeting.invitations.filter(convened_at__isnull=True).count() == 8
    login(client, secretariat)
    page = in_english(client).get(board_meeting.get_absolute_url())
    assert "8 invitees have no convocation" in page.text
    login(client, directors[0].person)
    assert "no convocation" not in client.get(board_meeting.get_absolute_url()).text
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 2))
    assert len(mail.outbox) == 8
    assert not board_meeting.invitations.filter(convened_at__isnull=True).exists()


def test_a_queue_that_refuses_a_convocation_is_recorded_and_the_others_still_go(
    board_meeting: Meeting,
    directors: list[Mandate],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = board_meeting.invitations.order_by("pk").first()
    assert first is not None
    task = tasks.send_convocation

    class FlakyQueue:
        def enqueue(self, invitation_id: int) -> Any:
            if invitation_id == first.pk:
                raise ConnectionError("broker down")
            return task.enqueue(invitation_id)

    monkeypatch.setattr(tasks, "send_convocation", FlakyQueue())
    with django_capture_on_commit_callbacks(execute=True):
        actions.convene(None, meeting=board_meeting, now=at(2024, 3, 1))
    failed = Event.objects.get(action="meetings.convocation.failed")
    assert failed.data["invitation"] == first.pk and failed.data["error"] == "ConnectionError"
    assert len(mail.outbox) == 7
