"""``@@verify``: anyone checks a signed PDF, by upload or by the link in its QR code.

``<site>/verify`` takes an uploaded PDF; ``<site>/verify/<uid>`` (the QR
code's link) verifies the archive's own copy of that document. The answer
says in plain words whether the document is as it was signed, who signed it,
as what and when (with the timestamp authority's time), whether the
certificates lead to an authority the municipality trusts, and whether the
file is the one in the municipality's archive.
"""

from datetime import datetime
from dimos.signing import _
from dimos.signing.browser.common import in_language
from dimos.signing.browser.common import local_date
from dimos.signing.browser.common import local_time
from dimos.signing.browser.common import uploaded
from dimos.signing.verification import find_document
from dimos.signing.verification import verify_bytes
from dimos.signing.verification import verify_document
from plone import api
from Products.Five.browser import BrowserView
from zExceptions import NotFound
from zope.i18n import translate
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


HEADLINES = {
    "intact": _("Intact: the document has not been changed since it was signed."),
    "modified": _("Modified: the document was changed after it was signed."),
    "unsigned": _("This PDF has no digital signature."),
    "not-pdf": _("The file is not a PDF: only PDF documents can be verified."),
}

CHAIN = {
    "trusted": _(
        "Trusted: the certificate was issued by a certification authority the municipality trusts."
    ),
    "revoked": _("Revoked: the certification authority has revoked the certificate."),
    "untrusted": _(
        "Not verifiable: the certification authority is not on the municipality's trust list."
    ),
    "unchecked": _("Not checked: the signature does not match the content."),
}

SIGNING = {
    "pending": _("Not all of its signers have signed it yet."),
    "cancelled": _("Its signature request was cancelled."),
}


def _content(signature):
    if not (signature["intact"] and signature["valid"]):
        return "broken", _(
            "Changed after this signature: the signature does not match the content."
        )
    if signature["modified_after"]:
        return "changed", _("Changes were added to the document after this signature.")
    return "ok", _("The document is as it was when signed.")


def _validity(signature):
    certificate = signature["certificate"] or {}
    until = certificate.get("not_after") or ""
    if not signature["certificate_expired"]:
        return "ok", _("Valid until ${date}.", mapping={"date": local_date(until)})
    when = signature["timestamp"] or signature["signed_at"]
    if when and until and datetime.fromisoformat(when) <= datetime.fromisoformat(until):
        return "expired-later", _(
            "The certificate has expired since ${date}; the signature was made while it was "
            "valid and is not forged.",
            mapping={"date": local_date(until)},
        )
    return "expired", _(
        "The certificate had already expired (on ${date}) when the document was signed.",
        mapping={"date": local_date(until)},
    )


@implementer(IPublishTraverse)
class Verify(BrowserView):
    uid = None  # of the archive's document, from /verify/<uid>
    report = None
    problem = None  # a message instead of a report
    not_found = False

    def publishTraverse(self, request, name):
        if self.uid is None:
            self.uid = name
            return self
        raise NotFound(name)

    def __call__(self):
        if self.uid is not None:
            document = find_document(self.uid)
            if document is None:
                self.not_found = True
                self.request.response.setStatus(404)
            else:
                self.report = verify_document(document)
        elif self.request.method == "POST" and "form.buttons.verify" in self.request.form:
            data, _filename = uploaded(self.request, "file")
            if data is None:
                self.problem = translate(_("Choose the PDF file to verify."), context=self.request)
            else:
                self.report = verify_bytes(data)
        return self.index()

    @property
    def url(self):
        return f"{api.portal.get().absolute_url()}/@@verify"

    def t(self, message):
        return translate(message, context=self.request)

    def result(self):
        """The report in words, or None when nothing was verified."""
        report = self.report
        if report is None:
            return None
        return {
            "status": report["status"],
            "headline": self.t(HEADLINES[report["status"]]),
            "explanation": in_language(report["messages"]),
            "signatures": [
                self.signature(number, signature)
                for number, signature in enumerate(report["signatures"], 1)
            ],
            "archive": self.archive(report["archive"]),
            "sha256": report["sha256"],
        }

    def signature(self, number, signature):
        content, content_text = _content(signature)
        validity, validity_text = _validity(signature)
        chain = signature["chain"]
        return {
            "number": number,
            "heading": self.t(
                _(
                    "Signature ${number}: ${name}",
                    mapping={"number": number, "name": signature["signer"]},
                )
            ),
            "signer": signature["signer"],
            "title": signature["title"],
            "organization": signature["organization"],
            "signed_at": local_time(signature["signed_at"]),
            "timestamp": local_time(signature["timestamp"]),
            "content": content,
            "content_text": self.t(content_text),
            "chain": chain,
            "chain_text": self.t(CHAIN[chain]),
            "validity": validity,
            "validity_text": self.t(validity_text),
            "issuer": (signature["certificate"] or {}).get("issuer", ""),
        }

    def archive(self, archive):
        document = archive["document"]
        if not archive["matches"] or document is None:
            return {"matches": False}
        signing = SIGNING.get(document["signing"])
        return {
            "matches": True,
            "record": document["record"],
            "download": document.get("download"),
            "signing": self.t(signing) if signing else "",
            "signers": [
                dict(signer, signed_at=local_time(signer["signed_at"]))
                for signer in document["signers"]
            ],
        }
