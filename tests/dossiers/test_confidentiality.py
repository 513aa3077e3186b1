"""A dossier's appearances on agendas follow the items' confidentiality.

A dossier open to the members appears on the board's agenda twice: on an item open to the
members, and on an item for the board only whose outcome, document and decision carry marker
strings. The dossier page and API, the decision register and its CSV, PDF and API show the
board-only appearance to the board's members and the secretariat, never to a member with no
mandate or to a staff member.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from coopgov.bodies.models import Mandate
from coopgov.core.models import Organisation, Person
from coopgov.dossiers import actions
from coopgov.dossiers.models import Dossier
from coopgov.meetings import actions as meeting_actions
from coopgov.meetings.models import AgendaItem, Meeting
from tests.conftest import in_english, login
from tests.meetings.test_documents import text_file

HIDDEN = "Qzx"
OPEN = "Ovq"
READS = {
    "plain_member": False,
    "staff": False,
    "director": True,
    "secretariat": True,
}
READERS = list(READS)


@dataclass
class Story:
    dossier: Dossier
    meeting: Meeting
    items: dict[str, AgendaItem]


@pytest.fixture
def story(
    org: Organisation, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> Story:
    dossier = actions.open_dossier(None, organisation=org, title="Supplier contract")
    items = {}
    for prefix, confidentiality in ((OPEN, "members"), (HIDDEN, "bodies")):
        item = meeting_actions.add_to_agenda(
            None,
            meeting=board_meeting,
            title=f"{prefix}Title",
            purpose="decision",
            confidentiality=confidentiality,
        )
        actions.link_item(None, dossier=dossier, item=item, stage="decide")
        meeting_actions.record_outcome(
            None, meeting=board_meeting, item=item, kind="note", text=f"{prefix}Outcome"
        )
        meeting_actions.add_document(
            secretariat,
            meeting=board_meeting,
            item=item,
            title=f"{prefix}Doc",
            confidentiality="members",
            upload=text_file("note.txt", "x"),
        )
        items[prefix] = item
    for mandate in directors[:5]:
        meeting_actions.record_attendance(
            None,
            invitation=board_meeting.invitations.get(person=mandate.person),
            attendance="present",
        )
    for prefix, item in items.items():
        actions.record_decision(
            None,
            item=item,
            title=f"{prefix}Decision",
            text=f"{prefix}DecisionText",
            method="hands",
            yes=5,
        )
    return Story(dossier, board_meeting, items)


@pytest.fixture
def people(
    plain_member: Person,
    works_council_member: Person,
    directors: list[Mandate],
    secretariat: Person,
) -> dict[str, Person]:
    return {
        "plain_member": plain_member,
        "staff": works_council_member,
        "director": directors[0].person,
        "secretariat": secretariat,
    }


def assert_reads(text: str, reader: str, *parts: str) -> None:
    for part in parts:
        assert f"{OPEN}{part}" in text, f"{reader} should read {OPEN}{part}"
        if READS[reader]:
            assert f"{HIDDEN}{part}" in text, f"{reader} should read {HIDDEN}{part}"
    if not READS[reader]:
        assert HIDDEN not in text, f"{reader} reads the hidden item"


@pytest.mark.parametrize("reader", READERS)
def test_the_dossier_page_and_api_show_only_appearances_on_readable_items(
    client: Client, story: Story, people: dict[str, Person], reader: str
) -> None:
    in_english(login(client, people[reader]))
    org = story.dossier.organisation.code
    page = client.get(reverse("dossiers:detail", args=[org, story.dossier.code]))
    assert page.status_code == 200
    assert_reads(page.text, reader, "Outcome", "Doc", "Decision")
    api = client.get(f"/api/v1/organisations/{org}/dossiers/{story.dossier.code}")
    assert api.status_code == 200
    assert_reads(api.text, reader, "Outcome", "Decision")


@pytest.mark.parametrize("reader", READERS)
def test_the_register_and_its_exports_leave_out_decisions_on_hidden_items(
    client: Client,
    story: Story,
    people: dict[str, Person],
    reader: str,
    django_assert_max_num_queries: object,
) -> None:
    in_english(login(client, people[reader]))
    org = story.dossier.organisation.code
    register = reverse("dossiers:register", args=[org])
    with django_assert_max_num_queries(18):  # type: ignore[operator]
        page = client.get(register)
    assert_reads(page.text, reader, "Decision")
    csv = client.get(register, {"format": "csv"})
    assert_reads(csv.content.decode(), reader, "Decision")
    pdf = client.get(register, {"format": "pdf"})
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert_reads(text, reader, "Decision")
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        api = client.get(f"/api/v1/organisations/{org}/decisions")
    assert_reads(api.text, reader, "Decision", "DecisionText")
    searched = client.get(f"/api/v1/organisations/{org}/decisions", {"text": HIDDEN}).json()
    assert searched["count"] == (1 if READS[reader] else 0)
