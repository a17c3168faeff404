"""The body of ``POST /@digitization``, checked before anything is written.

``parse(payload, files)`` turns the worker's JSON (see ``docs/digitization.md``)
into frozen dataclasses or raises ``StoreError`` naming what is wrong, in Greek
and in English. The files come either inside the JSON, base64 encoded, or as
the parts of a multipart request (``files``); either way the same checks apply.
No Zope imports: a refused payload has touched nothing.
"""

from dataclasses import dataclass
from datetime import date

import binascii
import hashlib
import re


SHA256 = re.compile(r"^[0-9a-f]{64}$")
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
SOURCES = ("ocr", "text-layer")
SCRIPTS = ("monotonic", "polytonic")
RELATIONS = ("amends", "repeals", "refers")


class StoreError(Exception):
    """A refused request: HTTP ``status``, a machine ``code``, the message in Greek and English."""

    def __init__(self, code, message_el, message_en, status=400):
        super().__init__(f"{message_el} / {message_en}")
        self.code = code
        self.status = status
        self.message_el = message_el
        self.message_en = message_en

    def payload(self):
        """The JSON error body: ``message`` in Greek, and both languages in ``messages``."""
        return {
            "type": self.code,
            "message": self.message_el,
            "messages": {"el": self.message_el, "en": self.message_en},
        }


def bad(message_el, message_en, code="bad-payload"):
    return StoreError(code, message_el, message_en)


@dataclass(frozen=True)
class File:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class Page:
    number: int
    text: str
    source: str
    language: str | None
    script: str | None
    confidence: float | None
    flagged: bool

    def as_dict(self):
        return {
            "number": self.number,
            "text": self.text,
            "confidence": self.confidence,
            "language": self.language,
            "script": self.script,
            "source": self.source,
            "flagged": self.flagged,
        }


@dataclass(frozen=True)
class Reference:
    number: int
    year: int
    relation: str


@dataclass(frozen=True)
class Metadata:
    body: str
    decision_number: int | None
    decision_year: int | None
    meeting_date: date | None
    subject: str
    references: tuple


@dataclass(frozen=True)
class Incoming:
    sha256: str
    filename: str
    source: File
    searchable_pdf: File | None
    pages: tuple
    metadata: Metadata
    publish: bool

    @property
    def flagged_pages(self):
        return [page.number for page in self.pages if page.flagged]


def parse(payload, files=None):
    """The checked payload, or ``StoreError``.

    ``files`` is given for a multipart request: ``{part name: (filename, bytes)}``
    of the file parts sent; the payload's ``source`` and ``searchable_pdf`` then
    name the files and carry no ``data``.
    """
    if not isinstance(payload, dict):
        raise bad(
            "Το σώμα του αιτήματος δεν είναι αντικείμενο JSON.", "The body is not a JSON object."
        )
    sha256 = payload.get("sha256")
    if not isinstance(sha256, str) or not SHA256.match(sha256):
        raise bad(
            "Λείπει ή δεν είναι έγκυρο το sha256 (64 πεζοί δεκαεξαδικοί χαρακτήρες).",
            "sha256 is missing or invalid (64 lowercase hex digits).",
        )
    source = parse_file(payload.get("source"), "source", files)
    if hashlib.sha256(source.data).hexdigest() != sha256:
        raise bad(
            "Το sha256 δεν αντιστοιχεί στο αρχείο source.",
            "sha256 does not match the source file.",
            code="sha256-mismatch",
        )
    searchable = payload.get("searchable_pdf")
    if searchable is not None or (files is not None and "searchable_pdf" in files):
        searchable = parse_file(searchable, "searchable_pdf", files)
    if searchable is not None and searchable.content_type != "application/pdf":
        raise bad("Το searchable_pdf δεν είναι PDF.", "searchable_pdf is not a PDF.", "not-pdf")
    publish = payload.get("publish", False)
    if not isinstance(publish, bool):
        raise bad("Το publish πρέπει να είναι true ή false.", "publish must be true or false.")
    return Incoming(
        sha256=sha256,
        filename=str(payload.get("filename") or source.filename),
        source=source,
        searchable_pdf=searchable,
        pages=parse_pages(payload.get("pages")),
        metadata=parse_metadata(payload.get("metadata")),
        publish=publish,
    )


def parse_file(value, name, files=None):
    """A file, base64 in the JSON or the part ``name`` of ``files``.

    Its type is read from its first bytes, never trusted.
    """
    if files is None:
        data = base64_data(value, name)
        filename = value.get("filename")
    elif name in files:
        part_filename, data = files[name]
        filename = (value.get("filename") if isinstance(value, dict) else None) or part_filename
    else:
        raise bad(f"Λείπει το αρχείο {name}.", f"The file {name} is missing.")
    kind = next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)
    if kind is None:
        raise bad(
            f"Το {name} δεν είναι PDF, TIFF, PNG ή JPEG.",
            f"{name} is not a PDF, TIFF, PNG or JPEG.",
            "not-pdf" if name == "searchable_pdf" else "unsupported-format",
        )
    filename = str(filename or f"{name}.{kind.split('/')[1]}")
    return File(filename=filename, content_type=kind, data=data)


def base64_data(value, name):
    """The bytes of a file object of the JSON body."""
    if not isinstance(value, dict) or not isinstance(value.get("data"), str):
        raise bad(f"Λείπει το αρχείο {name}.", f"The file {name} is missing.")
    if value.get("encoding", "base64") != "base64":
        raise bad(f"Το {name} πρέπει να είναι σε base64.", f"{name} must be base64 encoded.")
    try:
        # binascii's strict mode validates in C; b64decode(validate=True) runs a
        # regular expression over the whole file first, slower than the decoding.
        return binascii.a2b_base64(value["data"], strict_mode=True)
    except (binascii.Error, ValueError):
        raise bad(
            f"Το {name} δεν είναι έγκυρο base64.", f"{name} is not valid base64.", "bad-base64"
        ) from None


def parse_pages(value):
    if not isinstance(value, list) or not value:
        raise bad(
            "Η λίστα pages λείπει ή είναι κενή.", "The pages list is missing or empty.", "bad-pages"
        )
    pages = tuple(parse_page(item) for item in value)
    if [page.number for page in pages] != list(range(1, len(pages) + 1)):
        raise bad(
            "Οι σελίδες πρέπει να αριθμούνται 1, 2, 3, … με τη σειρά.",
            "Pages must be numbered 1, 2, 3, … in order.",
            "bad-pages",
        )
    return pages


def parse_page(item):
    def wrong(what_el, what_en):
        return bad(f"Μη έγκυρη σελίδα: {what_el}.", f"Invalid page: {what_en}.", "bad-pages")

    if not isinstance(item, dict):
        raise wrong("δεν είναι αντικείμενο", "not an object")
    number, text = item.get("number"), item.get("text")
    if not _is_int(number) or number < 1:
        raise wrong("ο αριθμός της", "its number")
    if not isinstance(text, str):
        raise wrong(f"το κείμενο της σελίδας {number}", f"the text of page {number}")
    confidence = item.get("confidence")
    if confidence is not None and (
        not isinstance(confidence, (int, float))
        or isinstance(confidence, bool)
        or not 0 <= confidence <= 100
    ):
        raise wrong(f"η βεβαιότητα της σελίδας {number}", f"the confidence of page {number}")
    source, script = item.get("source", "ocr"), item.get("script")
    if source not in SOURCES or (script is not None and script not in SCRIPTS):
        raise wrong(f"η πηγή ή η γραφή της σελίδας {number}", f"source or script of page {number}")
    if not isinstance(item.get("flagged", False), bool):
        raise wrong(f"το flagged της σελίδας {number}", f"flagged of page {number}")
    language = item.get("language")
    return Page(
        number=number,
        text=text,
        source=source,
        language=str(language) if language else None,
        script=script,
        confidence=None if confidence is None else round(float(confidence), 1),
        flagged=item.get("flagged", False),
    )


def parse_metadata(value):
    value = value if value is not None else {}
    if not isinstance(value, dict):
        raise bad("Το metadata δεν είναι αντικείμενο.", "metadata is not an object.")
    body = value.get("body")
    if not isinstance(body, str) or not body.strip():
        raise bad(
            "Λείπει το όργανο (metadata.body).", "The body (metadata.body) is missing.", "no-body"
        )
    number = _optional_int(value, "decision_number", 1, None)
    year = _optional_int(value, "decision_year", 1800, 2200)
    return Metadata(
        body=body.strip(),
        decision_number=number,
        decision_year=year,
        meeting_date=_optional_date(value.get("meeting_date")),
        subject=str(value.get("subject") or "").strip(),
        references=tuple(parse_reference(item) for item in value.get("references") or ()),
    )


def parse_reference(item):
    if (
        not isinstance(item, dict)
        or not _is_int(item.get("number"))
        or not _is_int(item.get("year"))
        or item.get("relation", "refers") not in RELATIONS
    ):
        raise bad(
            "Μη έγκυρη αναφορά σε απόφαση (number, year, relation).",
            "Invalid reference to a decision (number, year, relation).",
        )
    return Reference(item["number"], item["year"], item.get("relation", "refers"))


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _optional_int(value, name, low, high):
    number = value.get(name)
    if number is None:
        return None
    if not _is_int(number) or number < low or (high is not None and number > high):
        raise bad(f"Μη έγκυρο {name}: {number!r}.", f"Invalid {name}: {number!r}.")
    return number


def _optional_date(value):
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise bad(
            f"Μη έγκυρη ημερομηνία συνεδρίασης: {value!r} (ΕΕΕΕ-ΜΜ-ΗΗ).",
            f"Invalid meeting date: {value!r} (YYYY-MM-DD).",
            "bad-date",
        ) from None
