"""Documents of a meeting (versions, access-checked downloads), the board book and minutes PDFs."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from coopgov.bodies.models import Mandate
from coopgov.core.models import Organisation, Person
from coopgov.meetings import actions
from coopgov.meetings.models import Meeting
from tests.conftest import in_english, login, make_person


def pdf_file(name: str, pages: int, text: str) -> SimpleUploadedFile:
    html = "".join(f'<p style="page-break-after: always">{text} {n}</p>' for n in range(pages))
    return SimpleUploadedFile(
        name, HTML(string=html).write_pdf() or b"", content_type="application/pdf"
    )


def text_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


def url(name: str, meeting: Meeting, **kwargs: object) -> str:
    return reverse(
        f"meetings:{name}",
        kwargs={"org": meeting.organisation.code, "code": meeting.code, **kwargs},
    )


def test_documents_have_versions_and_refuse_unknown_types(
    board_meeting: Meeting, secretariat: Person
) -> None:
    first = actions.add_document(
        secretariat, meeting=board_meeting, title="Budget", upload=text_file("budget.txt", "v1")
    )
    second = actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Budget",
        upload=text_file("budget.txt", "v2"),
        document=first.document,
    )
    assert (first.number, second.number) == (1, 2)
    with pytest.raises(ValidationError) as error:
        actions.add_document(
            secretariat,
            meeting=board_meeting,
            title="Script",
            upload=SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload"),
        )
    assert "upload" in error.value.message_dict


def test_downloads_check_access_like_the_meeting_and_the_document(
    client: Client,
    board_meeting: Meeting,
    directors: list[Mandate],
    secretariat: Person,
    org: Organisation,
) -> None:
    version = actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Offre",
        upload=text_file("offre.txt", "confidentiel"),
    )
    restricted = actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Salaires",
        upload=text_file("s.txt", "x"),
        confidentiality="restricted",
    )
    link = url("document", board_meeting, document=version.document.code, number=1)
    login(client, directors[0].person)
    response = client.get(link)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"confidentiel"
    assert (
        client.get(
            url("document", board_meeting, document=restricted.document.code, number=1)
        ).status_code
        == 404
    )
    assert (
        client.get(
            url("document", board_meeting, document=version.document.code, number=9)
        ).status_code
        == 404
    )
    from coopgov.core import actions as core_actions

    staff = make_person(org)
    core_actions.grant_role(None, person=staff, kind="staff")
    from coopgov.bodies import actions as body_actions

    body_actions.update_body(
        None, body=board_meeting.kind.body, changes={"confidentiality": "bodies"}
    )
    login(client, staff)
    assert client.get(link).status_code == 404


def test_the_secretariat_uploads_from_the_page(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    login(client, secretariat)
    in_english(client)
    response = client.post(
        url("document_add", board_meeting),
        {
            "document-title": "Budget",
            "document-upload": text_file("b.txt", "1"),
            "document-confidentiality": "bodies",
        },
    )
    assert response.status_code == 302
    document = board_meeting.documents.get()
    client.post(
        url("document_add", board_meeting),
        {"document-of": str(document.code), "document-upload": text_file("b.txt", "2")},
    )
    assert document.versions.count() == 2
    refused = client.post(
        url("document_add", board_meeting),
        {
            "document-title": "X",
            "document-upload": SimpleUploadedFile(
                "x.exe", b"MZ", content_type="application/x-msdownload"
            ),
            "document-confidentiality": "bodies",
        },
    )
    assert refused.status_code == 400 and "upload" in refused.context["document_form"].errors


def test_the_board_book_puts_cover_agenda_and_documents_in_agenda_order(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    first = actions.add_to_agenda(
        None, meeting=board_meeting, title="Comptes annuels", purpose="decision"
    )
    second = actions.add_to_agenda(
        None, meeting=board_meeting, title="Budget 2025", purpose="decision"
    )
    actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Note budget",
        item=second,
        upload=text_file("budget.txt", "BUDGET-NOTE"),
    )
    actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Comptes",
        item=first,
        upload=pdf_file("comptes.pdf", 2, "ACCOUNTS-PAGE"),
    )
    actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Photo",
        upload=SimpleUploadedFile("p.png", b"\\x89PNG", content_type="image/png"),
    )
    login(client, directors[0].person)
    response = client.get(url("board_book", board_meeting))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    assert "Comptes annuels" in text and "Budget 2025" in text
    accounts = next(i for i, page in enumerate(pages) if "ACCOUNTS-PAGE 0" in page)
    note = next(i for i, page in enumerate(pages) if "BUDGET-NOTE" in page)
    assert accounts < note  # documents follow the agenda order
    assert "ACCOUNTS-PAGE 1" in pages[accounts + 1]


def test_the_minutes_pdf_has_signature_lines(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    actions.add_to_agenda(None, meeting=board_meeting, title="Budget", purpose="decision")
    actions.draft_minutes(None, meeting=board_meeting)
    login(client, secretariat)
    in_english(client)
    response = client.get(url("minutes_pdf", board_meeting))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Budget" in text and "The chair" in text and "The secretary" in text
