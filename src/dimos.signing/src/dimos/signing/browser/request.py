"""``@@request-signatures``: a clerk asks for signatures on a PDF, signers in order.

On a record (a decision, a permit) the PDF may be one the record has already
(its signed or its searchable PDF) or an upload; at the site root it is an
upload (a certificate for a citizen, say). The signers are chosen among the
employees with a registered certificate, in the order they sign. A refusal
(not a PDF, no signer, a signer named twice) is shown and nothing is created.
"""

from dimos.content.content.base import IRecord
from dimos.signing import _
from dimos.signing.browser.common import refusal
from dimos.signing.browser.common import say
from dimos.signing.browser.common import typed
from dimos.signing.browser.common import uploaded
from dimos.signing.core.errors import SigningError
from dimos.signing.plan import full_name
from dimos.signing.plan import plan_of
from dimos.signing.plan import request_signatures
from dimos.signing.signers import all_credentials
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

import transaction


SIGNER_ROWS = 4
UPLOAD = "upload"
# The record's own PDFs that may be sent for signature, in the order offered.
RECORD_PDFS = {
    "signed_pdf": _("The record's signed PDF"),
    "searchable_pdf": _("The record's searchable PDF (from the scan)"),
}


class Incomplete(Exception):
    """The form lacks something; ``args[0]`` is the message to show."""


class RequestSignatures(BrowserView):
    error = None  # the message of a refused request

    def __call__(self):
        if self.request.method == "POST" and "form.buttons.request" in self.request.form:
            CheckAuthenticator(self.request)
            try:
                document = request_signatures(*self.read(), record=self.record())
            except Incomplete as incomplete:
                self.error = translate(incomplete.args[0], context=self.request)
            except SigningError as error:
                transaction.doom()  # whatever happened, nothing of it is kept
                self.error = refusal(error)
            else:
                awaiting = plan_of(document).awaiting()
                message = _(
                    "Signatures requested: the document waits for ${name} to sign.",
                    mapping={"name": full_name(awaiting)},
                )
                say(message, self.request)
                self.request.response.redirect(f"{document.absolute_url()}/@@sign")
                return ""
        return self.index()

    def record(self):
        return self.context if IRecord.providedBy(self.context) else None

    def read(self):
        """(title, pdf, filename, signers) from the form, or Incomplete."""
        title = typed(self.request, "title")
        if not title:
            raise Incomplete(_("Enter the title of the document."))
        pdf, filename = self.pdf()
        signers = self.chosen_signers()
        return title, pdf, filename, signers

    def pdf(self):
        source = typed(self.request, "source") or UPLOAD
        if source != UPLOAD:
            if source not in {option["name"] for option in self.record_pdfs()}:
                raise Incomplete(_("The record has no such PDF."))
            named = getattr(self.record(), source)
            return named.data, named.filename or f"{source}.pdf"
        data, filename = uploaded(self.request, "pdf")
        if data is None:
            raise Incomplete(_("Choose the PDF to be signed."))
        return data, filename or "document.pdf"

    def chosen_signers(self):
        """[(userid, role or None)] in row order (request_signatures checks their certificates)."""
        signers = []
        for number in range(1, SIGNER_ROWS + 1):
            userid = typed(self.request, f"signer-{number}")
            if userid:
                signers.append((userid, typed(self.request, f"role-{number}") or None))
        return signers

    def record_pdfs(self):
        """The record's PDFs that may be signed: [{name, label, filename}]."""
        record = self.record()
        options = []
        for name, label in RECORD_PDFS.items():
            named = getattr(record, name, None) if record is not None else None
            if named is not None and getattr(named, "size", 0):
                options.append(
                    {
                        "name": name,
                        "label": translate(label, context=self.request),
                        "filename": named.filename or "",
                        "checked": self.source() == name,
                    }
                )
        return options

    def source(self):
        return typed(self.request, "source") or UPLOAD

    def candidates(self):
        """The employees who may sign now: a registered certificate that has not expired."""
        people = [
            {"userid": c.userid, "name": full_name(c.userid), "role": c.role}
            for c in all_credentials()
            if not c.info.expired()
        ]
        return sorted(people, key=lambda person: (person["name"].lower(), person["userid"]))

    def rows(self):
        """The signer rows of the form, with what was chosen before a refusal."""
        return [
            {
                "number": number,
                "select": f"signer-{number}",
                "role": f"role-{number}",
                "chosen": typed(self.request, f"signer-{number}"),
                "role_value": typed(self.request, f"role-{number}"),
            }
            for number in range(1, SIGNER_ROWS + 1)
        ]

    def title_value(self):
        if "title" in self.request.form:
            return typed(self.request, "title")
        record = self.record()
        return record.Title() if record is not None else ""
