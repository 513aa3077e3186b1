"""Uploaded files, checked by what they contain rather than by what the client says.

A browser (or anyone with curl) declares a file's type; coopgov believed it, so a file named
and declared as a PDF could be anything, and the board book that prints PDFs failed for every
reader. An upload is now accepted when its declared type is one the caller accepts, its name
ends with that type's extension, and its first bytes (or, for office files, the inside of the
ZIP container) are those of that type; text must be UTF-8. Each refusal names its rule.

The checks read a few bytes, a text through (within the size limit), or a ZIP's table of
contents and one small entry, never the whole archive: a ZIP bomb is never inflated. No
dependency beyond the standard library.
"""

from __future__ import annotations

import codecs
import zipfile
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

CHUNK = 64 * 1024
SMALL_ENTRY = 1024 * 1024  # a ZIP entry read to recognise an office file is at most this big


def _starts_with(*signatures: bytes) -> Callable[[IO[bytes]], bool]:
    def check(handle: IO[bytes]) -> bool:
        head = handle.read(16)
        return any(head.startswith(signature) for signature in signatures)

    return check


def _pdf(handle: IO[bytes]) -> bool:
    """A PDF's header; readers accept it anywhere in the first kilobyte, and so does this."""
    return b"%PDF-" in handle.read(1024)


def _is_utf8_text(handle: IO[bytes]) -> bool:
    """UTF-8 from start to end, without NUL characters (which only binary files carry)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := handle.read(CHUNK):
            if "\x00" in decoder.decode(chunk):
                return False
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _zip_entry(handle: IO[bytes], name: str) -> bytes | None:
    """One small entry of a ZIP container, or None when the file is no readable ZIP or lacks
    the entry."""
    if not handle.read(4).startswith(b"PK\x03\x04"):
        return None
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            info = archive.getinfo(name)
            if info.file_size > SMALL_ENTRY:
                return None
            return archive.read(info)
    # A damaged, encrypted or oddly compressed archive raises one of these.
    except (zipfile.BadZipFile, KeyError, RuntimeError, NotImplementedError, OSError, EOFError):
        return None


def _office_open_xml(main_part: bytes) -> Callable[[IO[bytes]], bool]:
    """Word and Excel files: a ZIP whose [Content_Types].xml names the main part's type."""

    def check(handle: IO[bytes]) -> bool:
        types = _zip_entry(handle, "[Content_Types].xml")
        return types is not None and main_part in types

    return check


def _open_document(mimetype: bytes) -> Callable[[IO[bytes]], bool]:
    """OpenDocument files: a ZIP whose `mimetype` entry holds the document's type."""

    def check(handle: IO[bytes]) -> bool:
        return _zip_entry(handle, "mimetype") == mimetype

    return check


@dataclass(frozen=True)
class FileType:
    label: str | Promise
    extensions: tuple[str, ...]
    matches: Callable[[IO[bytes]], bool]


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
EXCEL = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN_TEXT = "application/vnd.oasis.opendocument.text"

FILE_TYPES: dict[str, FileType] = {
    "application/pdf": FileType(gettext_lazy("PDF"), (".pdf",), _pdf),
    "text/plain": FileType(gettext_lazy("text"), (".txt",), _is_utf8_text),
    "text/markdown": FileType(gettext_lazy("Markdown"), (".md", ".markdown"), _is_utf8_text),
    "image/png": FileType(gettext_lazy("PNG image"), (".png",), _starts_with(b"\x89PNG\r\n\x1a\n")),
    "image/jpeg": FileType(
        gettext_lazy("JPEG image"), (".jpg", ".jpeg"), _starts_with(b"\xff\xd8\xff")
    ),
    WORD: FileType(
        gettext_lazy("Word document"),
        (".docx",),
        _office_open_xml(b"wordprocessingml.document.main+xml"),
    ),
    EXCEL: FileType(
        gettext_lazy("Excel workbook"),
        (".xlsx",),
        _office_open_xml(b"spreadsheetml.sheet.main+xml"),
    ),
    OPEN_TEXT: FileType(
        gettext_lazy("OpenDocument text"), (".odt",), _open_document(OPEN_TEXT.encode())
    ),
}

# Other names clients give the same types.
ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "text/x-markdown": "text/markdown",
}
# Types that say nothing: the file's extension then says what it claims to be.
UNDECLARED = {"", "application/octet-stream"}


def _refuse(message: str) -> ValidationError:
    return ValidationError({"upload": message})


def _size(upload: Any) -> int:
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    return int(size)


def check_upload(upload: Any, *, accepted: Collection[str], max_bytes: int) -> str:
    """The upload's content type once its size, declared type, extension and content agree;
    otherwise ValidationError({"upload": …}) naming the rule broken. `upload` is a Django
    File (an UploadedFile, or a ContentFile with a `content_type`); it is left at its start."""
    size = _size(upload)
    if size == 0:
        raise _refuse(_("Upload: the file is empty."))
    if size > max_bytes:
        raise _refuse(
            _("Upload: a file weighs at most %(limit)s.") % {"limit": filesizeformat(max_bytes)}
        )
    name = str(getattr(upload, "name", "") or "")
    extension = PurePath(name).suffix.lower()
    declared = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
    declared = ALIASES.get(declared, declared)
    if declared in UNDECLARED:
        declared = next(
            (
                kind
                for kind in accepted
                if kind in FILE_TYPES and extension in FILE_TYPES[kind].extensions
            ),
            declared,
        )
    labels = ", ".join(str(FILE_TYPES[kind].label) for kind in accepted if kind in FILE_TYPES)
    if declared not in accepted or declared not in FILE_TYPES:
        raise _refuse(_("Upload: accepted files are %(types)s.") % {"types": labels})
    expected = FILE_TYPES[declared]
    if extension not in expected.extensions:
        raise _refuse(
            _("Upload: the name of a file of this type (%(type)s) ends in %(extensions)s.")
            % {"type": expected.label, "extensions": " / ".join(expected.extensions)}
        )
    upload.seek(0)
    try:
        matches = expected.matches(upload)
    finally:
        upload.seek(0)
    if not matches:
        if declared in {"text/plain", "text/markdown"}:
            raise _refuse(_("Upload: a text file holds UTF-8 text; this one does not."))
        raise _refuse(
            _("Upload: the file's content does not match its declared type (%(type)s).")
            % {"type": expected.label}
        )
    return declared
