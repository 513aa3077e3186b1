"""Documents of a meeting (versions, access-checked downloads), the board book and minutes PDFs."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from coopgov.bodies.models import Mandate
from coopgov.core.models import Organisation, Person
from coopgov.meetings import actions
from coopgov.meetings.models import Document, DocumentVersion, Meeting
from tests.conftest import in_english, login, make_person


def pdf_file(name: str, pages: int, text: str) -> SimpleUploadedFile:
    html = "".join(f'<p style="page-break-after: always">{text} {n}</p>' for n in range(pages))
    return SimpleUploadedFile(
        name, HTML(string=html).write_pdf() or b"", content_type="application/pdf"
    )


PNG = b"\x89PNG\r\n\x1a\n" + bytes(24)


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
        upload=SimpleUploadedFile("p.png", PNG, content_type="image/png"),
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


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    """A ZIP archive with a fixed date: the same bytes in every test process (pytest-xdist
    compares the test ids, which include them)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data)
    return buffer.getvalue()


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN_TEXT = "application/vnd.oasis.opendocument.text"
JPEG = b"\xff\xd8\xff\xe0" + bytes(16)


def content_types(main: str) -> bytes:
    return (
        f'<Types><Override PartName="/main.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.{main}.main+xml"/></Types>'
    ).encode()


DOCX = zip_bytes(
    {
        "[Content_Types].xml": content_types("wordprocessingml.document"),
        "word/document.xml": b"<w:document/>",
    }
)
XLSX = zip_bytes(
    {
        "[Content_Types].xml": content_types("spreadsheetml.sheet"),
        "xl/workbook.xml": b"<workbook/>",
    }
)
ODT = zip_bytes({"mimetype": OPEN_TEXT.encode(), "content.xml": b"<office:document/>"})


@pytest.mark.parametrize(
    ("name", "declared", "content"),
    [
        ("minutes.pdf", "application/pdf", b"%PDF-1.7\n"),
        ("note.txt", "text/plain", "Budget été 2025".encode()),
        ("note.md", "text/markdown", b"# Budget"),
        ("note.md", "application/octet-stream", b"# Undeclared: the name says Markdown"),
        ("photo.png", "image/png", PNG),
        ("photo.jpeg", "image/jpg", JPEG),
        ("offer.docx", WORD, DOCX),
        ("budget.xlsx", EXCEL, XLSX),
        ("statutes.odt", OPEN_TEXT, ODT),
    ],
)
def test_an_upload_whose_content_is_what_it_claims_is_accepted(
    board_meeting: Meeting, secretariat: Person, name: str, declared: str, content: bytes
) -> None:
    version = actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Doc",
        upload=SimpleUploadedFile(name, content, content_type=declared),
    )
    assert version.content_type in {declared, "text/markdown", "image/jpeg"}
    assert version.file.read() == content  # stored whole, read from its start


@pytest.mark.parametrize(
    ("name", "declared", "content", "rule"),
    [
        ("fake.pdf", "application/pdf", b"<html>a web page</html>", "declared type (PDF)"),
        ("photo.png", "image/png", JPEG, "declared type (PNG image)"),
        ("offer.docx", WORD, ODT, "declared type (Word document)"),
        ("offer.docx", WORD, zip_bytes({"word/document.xml": b""}), "Word document"),
        ("offer.docx", WORD, b"PK\x03\x04 a broken archive", "Word document"),
        ("budget.xlsx", EXCEL, DOCX, "declared type (Excel workbook)"),
        ("text.odt", OPEN_TEXT, zip_bytes({"mimetype": b"application/zip"}), "OpenDocument"),
        ("note.txt", "text/plain", "Budget été".encode("latin-1"), "UTF-8"),
        ("note.txt", "text/plain", b"MZ\x90\x00\x03\x00", "UTF-8"),
        ("budget.pdf", "text/plain", b"plain text", "(text) ends in .txt"),
        ("photo.png", "image/jpeg", JPEG, "(JPEG image) ends in .jpg / .jpeg"),
        ("tool.exe", "application/x-msdownload", b"MZ", "accepted files are"),
        ("blob.bin", "application/octet-stream", b"x", "accepted files are"),
    ],
)
def test_an_upload_is_refused_by_its_content_with_the_rule_it_breaks(
    board_meeting: Meeting,
    secretariat: Person,
    name: str,
    declared: str,
    content: bytes,
    rule: str,
) -> None:
    with pytest.raises(ValidationError) as refused:
        actions.add_document(
            secretariat,
            meeting=board_meeting,
            title="Doc",
            upload=SimpleUploadedFile(name, content, content_type=declared),
        )
    message = refused.value.message_dict["upload"][0]
    assert message.startswith("Upload:") and rule in message
    assert not board_meeting.documents.exists()


def test_an_upload_over_the_size_limit_is_refused(
    board_meeting: Meeting, secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(actions, "MAX_DOCUMENT_BYTES", 1024)
    upload = text_file("long.txt", "x" * 1025)
    with pytest.raises(ValidationError) as refused:
        actions.add_document(secretariat, meeting=board_meeting, title="Long", upload=upload)
    assert "at most 1.0" in refused.value.message_dict["upload"][0]


def test_a_fake_pdf_is_refused_from_the_page(
    client: Client, board_meeting: Meeting, secretariat: Person
) -> None:
    in_english(login(client, secretariat))
    refused = client.post(
        url("document_add", board_meeting),
        {
            "document-title": "Scan",
            "document-upload": SimpleUploadedFile(
                "scan.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
            ),
            "document-confidentiality": "bodies",
        },
    )
    assert refused.status_code == 400
    assert "declared type (PDF)" in refused.context["document_form"].errors["upload"][0]


def stored_without_checks(
    meeting: Meeting, title: str, filename: str, content_type: str, content: bytes
) -> DocumentVersion:
    """A file stored before uploads were checked: straight to the storage."""
    document = Document.objects.create(
        organisation=meeting.organisation, meeting=meeting, title=title, confidentiality="members"
    )
    version = DocumentVersion(
        document=document,
        number=1,
        filename=filename,
        content_type=content_type,
        size=len(content),
    )
    version.file.save(filename, ContentFile(content), save=False)
    version.save()
    return version


def test_the_board_book_leaves_out_and_lists_the_files_it_cannot_read(
    client: Client, board_meeting: Meeting, directors: list[Mandate], secretariat: Person
) -> None:
    actions.add_document(
        secretariat,
        meeting=board_meeting,
        title="Readable note",
        upload=text_file("note.txt", "READABLE-NOTE"),
    )
    stored_without_checks(
        board_meeting, "Fake scan", "scan.pdf", "application/pdf", b"%PDF-1.4 not really"
    )
    stored_without_checks(
        board_meeting, "Old letter", "letter.txt", "text/plain", "Lettre été".encode("utf-16")
    )
    gone = stored_without_checks(board_meeting, "Lost file", "lost.pdf", "application/pdf", b"")
    gone.file.storage.delete(str(gone.file.name))
    in_english(login(client, directors[0].person))
    response = client.get(url("board_book", board_meeting))
    assert response.status_code == 200
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "READABLE-NOTE" in text
    assert text.count("Not included: could not be read.") == 4  # three rows and the summary
    for title in ("Fake scan", "Old letter", "Lost file"):
        assert title in text
