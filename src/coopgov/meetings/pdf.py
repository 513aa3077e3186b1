"""PDFs of meetings with WeasyPrint: the board book (cover, agenda, then the documents in
agenda order) and the minutes with signature lines."""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter

from coopgov.meetings.models import AgendaItem, DocumentVersion, Meeting, Minutes


def _html_pdf(template: str, context: dict[str, object]) -> bytes:
    # Imported here: WeasyPrint needs Pango, which only the PDF pages should depend on.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf() or b""


def board_book(
    meeting: Meeting, items: Sequence[AgendaItem], versions: Sequence[DocumentVersion]
) -> bytes:
    """One PDF for the meeting: cover and agenda, then each document in agenda order. PDF
    documents are included page by page; text is printed; other files are listed."""
    included: list[DocumentVersion] = []
    listed: list[DocumentVersion] = []
    for version in versions:
        (
            included
            if version.content_type in {"application/pdf", "text/plain", "text/markdown"}
            else listed
        ).append(version)
    texts = {
        version.pk: version.file.open("rb").read().decode("utf-8", errors="replace")
        for version in included
        if version.content_type != "application/pdf"
    }
    writer = PdfWriter()
    front = _html_pdf(
        "meetings/pdf/board_book.html",
        {"meeting": meeting, "items": items, "versions": versions, "listed": listed},
    )
    writer.append(PdfReader(io.BytesIO(front)))
    for version in included:
        if version.content_type == "application/pdf":
            with version.file.open("rb") as handle:
                writer.append(PdfReader(io.BytesIO(handle.read())))
        else:
            page = _html_pdf(
                "meetings/pdf/text_document.html", {"version": version, "text": texts[version.pk]}
            )
            writer.append(PdfReader(io.BytesIO(page)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def minutes_pdf(minutes: Minutes, language: str) -> bytes:
    with translation.override(language):
        return _html_pdf(
            "meetings/pdf/minutes.html",
            {
                "minutes": minutes,
                "meeting": minutes.meeting,
                "sections": minutes.sections.all(),
                "errata": minutes.errata.all(),
            },
        )
