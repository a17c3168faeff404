"""POST /@signature-request: ask employees to sign a PDF, one after the other.

On a record (decision, permit, ...) the new SignedDocument is related to it,
and without ``file`` the record's own PDF is the one signed: its
``signed_pdf`` if it has one (signed once more), else its ``searchable_pdf``.
On the site root it is a standalone document (a certificate for a citizen).
"""

from dimos.content.content.base import IRecord
from dimos.signing.core.errors import SigningError
from dimos.signing.plan import request_signatures
from dimos.signing.services.body import base64_file
from dimos.signing.services.body import json_object
from dimos.signing.services.body import require_json
from dimos.signing.services.body import text
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.services.summary import document_summary
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


RECORD_PDFS = ("signed_pdf", "searchable_pdf")


class SignatureRequestPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see require_json
        record = self.context if IRecord.providedBy(self.context) else None
        try:
            require_json(self.request)
            body = json_object(self.request)
            title = the_title(body, record)
            filename, pdf = the_pdf(body, record)
            signers = read_signers(body)
            document = request_signatures(
                title,
                pdf,
                filename,
                signers,
                record=record,
                actor=api.user.get_current().getId(),
            )
        except SigningError as error:
            return refusal(self.request, error)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", document.absolute_url())
        return document_summary(document)


def the_title(body, record):
    """The ``title`` sent, else the record's."""
    title = text(body, "title", required=False).strip()
    if title:
        return title
    if record is not None:
        return record.Title()
    raise RequestError(
        "missing-field",
        "Λείπει το πεδίο «title»: ο τίτλος του εγγράφου.",
        "The field “title” is missing: the document's title.",
    )


def read_signers(body):
    """[(userid, role or None), ...] from ``[{"userid", "role"?}, ...]``, in signing order."""
    signers = body.get("signers")
    if not isinstance(signers, list) or not all(isinstance(s, dict) for s in signers):
        raise RequestError(
            "bad-request",
            'Το πεδίο «signers» είναι λίστα [{"userid": ..., "role": ...}, ...].',
            'The field “signers” is a list [{"userid": ..., "role": ...}, ...].',
        )
    return [(text(s, "userid"), text(s, "role", required=False) or None) for s in signers]


def the_pdf(body, record):
    """(filename, bytes): the uploaded ``file``, else the record's own PDF."""
    if body.get("file") is not None:
        return base64_file(body["file"])
    own = next((f for f in (getattr(record, n, None) for n in RECORD_PDFS) if f), None)
    if own is None:
        raise RequestError(
            "no-file",
            "Επισυνάψτε το PDF προς υπογραφή (πεδίο «file»)· η εγγραφή δεν έχει δικό της PDF.",
            "Attach the PDF to sign (field “file”); the record has no PDF of its own.",
        )
    return own.filename or f"{record.getId()}.pdf", own.data
