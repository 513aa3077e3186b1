"""One confidentiality rule for agenda content, wherever it appears.

A board meeting (the board is open to the members) has an item open to the members, an item for
the board only ("bodies") and an item for the secretariat only ("restricted"). The confidential
items carry marker strings in their title, description, outcome, conflict declaration, minutes
and document; each channel is read as four people: a member with no mandate, an invited guest
without rights (staff), a director and the secretariat. A marker reaches only those who may read
its item.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from coopgov.bodies.models import Mandate
from coopgov.core.models import Person
from coopgov.meetings import actions
from coopgov.meetings.models import AgendaItem, Meeting, MeetingKind, Minutes
from tests.conftest import in_english, login
from tests.meetings.conftest import at
from tests.meetings.test_documents import text_file

BOARD = "Qzx"  # markers of the item for the board only
RESTRICTED = "Wrx"  # markers of the item for the secretariat only
OPEN = "Ovq"  # markers of the item every member reads

# What each reader may read: the prefixes of the markers that must reach them.
READS = {
    "plain_member": {OPEN},
    "guest": {OPEN},
    "director": {OPEN, BOARD},
    "secretariat": {OPEN, BOARD, RESTRICTED},
}
READERS = list(READS)


@dataclass
class Agenda:
    meeting: Meeting
    later: Meeting
    items: dict[str, AgendaItem]


def add_item(meeting: Meeting, prefix: str, confidentiality: str) -> AgendaItem:
    return actions.add_to_agenda(
        None,
        meeting=meeting,
        title=f"{prefix}Title",
        description=f"{prefix}Description",
        purpose="discussion",
        confidentiality=confidentiality,
    )


@pytest.fixture
def guest(board_meeting: Meeting, works_council_member: Person) -> Person:
    """Dimitri, staff, invited to the board's meeting as a guest: no right on its items."""
    actions.invite_guest(None, meeting=board_meeting, person=works_council_member)
    return works_council_member


@pytest.fixture
def agenda(
    board_meeting: Meeting,
    board_meeting_kind: MeetingKind,
    directors: list[Mandate],
    secretariat: Person,
    guest: Person,
) -> Agenda:
    meeting = board_meeting
    items = {
        OPEN: add_item(meeting, OPEN, "members"),
        BOARD: add_item(meeting, BOARD, "bodies"),
        RESTRICTED: add_item(meeting, RESTRICTED, "restricted"),
    }
    session = actions.add_session(
        None,
        meeting=meeting,
        starts_at=at(2024, 3, 12, 18),
        ends_at=at(2024, 3, 12, 19),
        kind="plenary",
        title="Plenary",
    )
    for prefix, item in items.items():
        actions.record_outcome(
            None, meeting=meeting, item=item, kind="note", text=f"{prefix}Outcome"
        )
        actions.declare_conflict(directors[1].person, item=item, justification=f"{prefix}Conflict")
        actions.add_document(
            secretariat,
            meeting=meeting,
            item=item,
            title=f"{prefix}Doc",
            # The document itself is open to the members: its item decides.
            confidentiality="members",
            upload=text_file("note.txt", f"{prefix}DocBody"),
        )
    actions.record_outcome(None, meeting=meeting, session=session, kind="note", text="InSession")
    actions.record_outcome(None, meeting=meeting, kind="orientation", text="WholeMeeting")
    later = actions.schedule_meeting(
        None,
        kind=board_meeting_kind,
        title="Next board",
        starts_at=at(2024, 5, 14),
        ends_at=at(2024, 5, 14, 21),
    )
    return Agenda(meeting, later, items)


@pytest.fixture
def people(
    plain_member: Person, guest: Person, directors: list[Mandate], secretariat: Person
) -> dict[str, Person]:
    return {
        "plain_member": plain_member,
        "guest": guest,
        "director": directors[0].person,
        "secretariat": secretariat,
    }


def as_reader(client: Client, people: dict[str, Person], reader: str) -> Client:
    return in_english(login(client, people[reader]))


def assert_reads(text: str, reader: str, *parts: str) -> None:
    """Each part of each item the reader may read is there; nothing of the others is."""
    for prefix in (OPEN, BOARD, RESTRICTED):
        if prefix in READS[reader]:
            for part in parts:
                assert f"{prefix}{part}" in text, f"{reader} should read {prefix}{part}"
        else:
            assert prefix not in text, f"{reader} reads the {prefix} item"


def page_url(name: str, meeting: Meeting, **kwargs: object) -> str:
    return reverse(
        f"meetings:{name}",
        kwargs={"org": meeting.organisation.code, "code": meeting.code, **kwargs},
    )


def api_url(meeting: Meeting, path: str = "") -> str:
    return f"/api/v1/organisations/{meeting.organisation.code}/meetings/{meeting.code}{path}"


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def approve(agenda: Agenda) -> None:
    minutes = Minutes.objects.get(meeting=agenda.meeting)
    actions.approve_minutes(None, minutes=minutes, at=agenda.later)


@pytest.mark.parametrize("reader", READERS)
def test_the_meeting_page_shows_each_reader_only_the_items_they_may_read(
    client: Client, agenda: Agenda, people: dict[str, Person], reader: str
) -> None:
    page = as_reader(client, people, reader).get(agenda.meeting.get_absolute_url())
    assert page.status_code == 200
    assert_reads(page.text, reader, "Title", "Description", "Outcome", "Conflict", "Doc")
    # Outcomes of a session or of the whole meeting follow the meeting.
    assert "InSession" in page.text and "WholeMeeting" in page.text


@pytest.mark.parametrize("reader", READERS)
def test_the_outcomes_api_leaves_out_the_outcomes_of_hidden_items(
    client: Client,
    agenda: Agenda,
    people: dict[str, Person],
    reader: str,
    django_assert_max_num_queries: object,
) -> None:
    as_reader(client, people, reader).get(api_url(agenda.meeting))  # the session is saved
    with django_assert_max_num_queries(8):  # type: ignore[operator]
        response = client.get(api_url(agenda.meeting, "/outcomes"))
    assert response.status_code == 200
    assert_reads(response.text, reader, "Outcome")
    texts = {outcome["text"] for outcome in response.json()}
    assert {"InSession", "WholeMeeting"} <= texts


@pytest.mark.parametrize("reader", READERS)
def test_the_meeting_and_documents_api_leave_out_hidden_items_and_their_documents(
    client: Client,
    agenda: Agenda,
    people: dict[str, Person],
    reader: str,
    django_assert_max_num_queries: object,
) -> None:
    as_reader(client, people, reader)
    detail = client.get(api_url(agenda.meeting))
    assert_reads(detail.text, reader, "Title", "Description")
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        documents = client.get(api_url(agenda.meeting, "/documents"))
    assert documents.status_code == 200
    assert_reads(documents.text, reader, "Doc")


@pytest.mark.parametrize("reader", READERS)
def test_document_downloads_follow_the_item_of_the_document(
    client: Client, agenda: Agenda, people: dict[str, Person], reader: str
) -> None:
    as_reader(client, people, reader)
    for prefix, item in agenda.items.items():
        document = item.documents.get()
        response = client.get(
            page_url("document", agenda.meeting, document=document.code, number=1)
        )
        assert response.status_code == (200 if prefix in READS[reader] else 404)


def test_draft_minutes_are_read_only_by_the_body_s_members_and_the_secretariat(
    client: Client, agenda: Agenda, people: dict[str, Person]
) -> None:
    actions.draft_minutes(None, meeting=agenda.meeting)
    for reader in READERS:
        as_reader(client, people, reader)
        page = client.get(page_url("minutes", agenda.meeting))
        pdf = client.get(page_url("minutes_pdf", agenda.meeting))
        api = client.get(api_url(agenda.meeting, "/minutes"))
        assert page.status_code == 200
        if reader in {"plain_member", "guest"}:
            assert f"{OPEN}Title" not in page.text and BOARD not in page.text
            assert "No approved minutes yet." in page.text
            assert pdf.status_code == 404 and api.status_code == 404
        else:
            assert_reads(page.text, reader, "Title", "Outcome", "Conflict")
            assert_reads(pdf_text(pdf.content), reader, "Title", "Outcome", "Conflict")
            assert api.json()["status"] == "draft"
            assert_reads(api.text, reader, "Title", "Outcome", "Conflict")


@pytest.mark.parametrize("reader", READERS)
def test_approved_minutes_leave_out_the_sections_of_hidden_items(
    client: Client,
    agenda: Agenda,
    people: dict[str, Person],
    reader: str,
    django_assert_max_num_queries: object,
) -> None:
    actions.draft_minutes(None, meeting=agenda.meeting)
    approve(agenda)
    as_reader(client, people, reader)
    page = client.get(page_url("minutes", agenda.meeting))
    assert_reads(page.text, reader, "Title", "Outcome", "Conflict")
    assert "InSession" in page.text and "WholeMeeting" in page.text
    pdf = client.get(page_url("minutes_pdf", agenda.meeting))
    assert pdf.status_code == 200
    assert_reads(pdf_text(pdf.content), reader, "Title", "Outcome", "Conflict")
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        api = client.get(api_url(agenda.meeting, "/minutes"))
    assert api.json()["status"] == "approved"
    assert_reads(api.text, reader, "Title", "Outcome", "Conflict")


@pytest.mark.parametrize("reader", READERS)
def test_the_board_book_holds_only_readable_items_and_documents(
    client: Client, agenda: Agenda, people: dict[str, Person], reader: str
) -> None:
    response = as_reader(client, people, reader).get(page_url("board_book", agenda.meeting))
    assert response.status_code == 200
    assert_reads(pdf_text(response.content), reader, "Title", "Description", "Doc", "DocBody")


@pytest.mark.parametrize("reader", READERS)
def test_the_calendar_file_and_the_programme_carry_no_item(
    client: Client, agenda: Agenda, people: dict[str, Person], reader: str
) -> None:
    as_reader(client, people, reader)
    for name in ("ics", "programme"):
        response = client.get(page_url(name, agenda.meeting))
        assert response.status_code == 200
        content = response.content.decode()
        assert BOARD not in content and RESTRICTED not in content


def test_each_invitee_s_convocation_lists_only_the_items_they_may_read(
    agenda: Agenda,
    people: dict[str, Person],
    observer: Mandate,
    django_capture_on_commit_callbacks: object,
) -> None:
    from coopgov.core import actions as core_actions

    core_actions.grant_role(None, person=observer.person, kind="staff")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        actions.convene(None, meeting=agenda.meeting, now=at(2024, 3, 1))
    bodies = {message.to[0]: str(message.body) for message in mail.outbox}
    assert len(bodies) == agenda.meeting.invitations.count()
    assert_reads(bodies[people["guest"].email], "guest", "Title")
    assert_reads(bodies[people["director"].email], "director", "Title")
    # The works council's observer sits on the board (advisory voice): a member of the body.
    assert f"{BOARD}Title" in bodies[observer.person.email]
    for name, content, _mimetype in (m.attachments[0] for m in mail.outbox):
        assert name == "invitation.ics"
        assert BOARD not in str(content) and RESTRICTED not in str(content)


def test_a_guest_cannot_declare_a_conflict_on_an_item_they_may_not_read(
    client: Client, agenda: Agenda, people: dict[str, Person]
) -> None:
    as_reader(client, people, "guest")
    hidden = agenda.items[BOARD]
    response = client.post(
        page_url("conflict", agenda.meeting, item=hidden.pk), {"justification": "Mine."}
    )
    assert response.status_code == 404
    assert not hidden.conflicts.filter(person=people["guest"]).exists()
    readable = agenda.items[OPEN]
    client.post(page_url("conflict", agenda.meeting, item=readable.pk), {"justification": "Mine."})
    assert readable.conflicts.filter(person=people["guest"]).exists()
