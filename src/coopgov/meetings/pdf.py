"""PDFs of meetings with WeasyPrint: the board book (cover, agenda, then the documents in
agenda order) and the minutes with signature lines."""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils import translation
from pypdf import PdfReader, PdfWriter

from coopgov.meetings.models import AgendaItem, DocumentVersion, Meeting, Minutes, MinutesSection

logger = logging.getLogger(__name__)

PRINTED = frozenset({"application/pdf", "text/plain", "text/markdown"})


def _html_pdf(template: str, context: dict[str, object]) -> bytes:
    # Imported here: WeasyPrint needs Pango, which only the PDF pages should depend on.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context)).write_pdf() or b""


def _pages(version: DocumentVersion) -> bytes:
    """The document as PDF pages of its own. A PDF is rewritten alone first, so that a file
    pypdf cannot read fails here, where it can be left out, rather than in the whole book."""
    with version.file.open("rb") as handle:
        data = handle.read()
    if version.content_type != "application/pdf":
        text = data.decode("utf-8-sig")
        return _html_pdf("meetings/pdf/text_document.html", {"version": version, "text": text})
    part = PdfWriter()
    part.append(PdfReader(io.BytesIO(data)))
    output = io.BytesIO()
    part.write(output)
    return output.getvalue()


def board_book(
    meeting: Meeting, items: Sequence[AgendaItem], versions: Sequence[DocumentVersion]
) -> bytes:
    """One PDF for the meeting: cover and agenda, then each document in agenda order. PDF
    documents are included page by page; text is printed; other files are listed, and so are
    files that cannot be read (a broken PDF, text that is not UTF-8, a file gone missing)."""
    parts: list[bytes] = []
    listed: list[DocumentVersion] = []
    unreadable: list[DocumentVersion] = []
    for version in versions:
        if version.content_type not in PRINTED:
            listed.append(version)
            continue
        try:
            parts.append(_pages(version))
        # pypdf raises many kinds of errors on a malformed file, the storage an OSError on a
        # missing one: any of them leaves this document out, never the whole book.
        except Exception:
            logger.warning(
                "Board book of %s: %s v%s could not be read",
                meeting.code,
                version.document_id,
                version.number,
                exc_info=True,
            )
            unreadable.append(version)
    writer = PdfWriter()
    front = _html_pdf(
        "meetings/pdf/board_book.html",
        {
            "meeting": meeting,
            "items": items,
            "versions": versions,
            "listed": listed,
            "unreadable": unreadable,
            "unreadable_ids": {version.pk for version in unreadable},
        },
    )
    writer.append(PdfReader(io.BytesIO(front)))
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def minutes_pdf(minutes: Minutes, language: str, *, sections: Sequence[MinutesSection]) -> bytes:
    """The minutes with the `sections` the reader may read (meetings.queries)."""
    with translation.override(language):
        return _html_pdf(
            "meetings/pdf/minutes.html",
            {
                "minutes": minutes,
                "meeting": minutes.meeting,
                "sections": sections,
                "errata": minutes.errata.all(),
            },
        )
