"""POST /@receipts-retry (revenue staff): seal every pending receipt again.

A receipt this process's worker thread is issuing right now is left to it
and listed as pending (code ``receipt-issuing``); one left "being issued" by
a process that stopped is issued like any other.

Answers which receipts are now issued (their numbers never change; the payer
is emailed the PDF when they have an address) and which are still pending,
each with its reason in Greek and English, plus a summary message.

The request is sent as JSON (``Content-Type: application/json``, body ``{}``):
a browser posts JSON to another site only after a CORS preflight the site
does not grant, which is what guards this service instead of plone.protect's
token (as the payments' other POST services do). Anything else is 415.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import language
from dimos.payments.services.debts.access import user_id
from dimos.payments.settlement.issuing import receipt_links
from dimos.payments.settlement.issuing import retry_pending
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def summary(issued, pending):
    if not issued and not pending:
        return (
            "Δεν εκκρεμεί καμία απόδειξη.",
            "No receipt is pending.",
        )
    return (
        f"Εκδόθηκαν {issued} αποδείξεις· εκκρεμούν ακόμη {pending}.",
        f"{issued} receipts issued; {pending} still pending.",
    )


def sent_as_json(request):
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    return content_type == "application/json"


class ReceiptsRetryPost(Service):
    def reply(self):
        if not sent_as_json(self.request):
            error = BilingualError(
                "Στείλτε το αίτημα ως JSON (Content-Type: application/json), π.χ. με σώμα {}.",
                "Send the request as JSON (Content-Type: application/json), e.g. with the body {}.",
                code="not-json",
            )
            return error_reply(self.request, error, 415, "UnsupportedMediaType")
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see above
        report = retry_pending(f"{user_id() or 'anonymous'}")
        base = self.context.absolute_url()
        lang = language(self.request)
        issued = [
            {
                "number": receipt.number,
                "rf": receipt.rf,
                "emailed": emailed,
                **receipt_links(receipt, base),
            }
            for receipt, emailed in report.issued
        ]
        pending = []
        for receipt in report.pending:
            reason = receipt.reason or {}
            el, en = reason.get("el", ""), reason.get("en", "")
            pending.append(
                {
                    "number": receipt.number,
                    "rf": receipt.rf,
                    "attempts": receipt.attempts,
                    "code": reason.get("code"),
                    "message": en if lang == "en" else el,
                    "messages": {"el": el, "en": en},
                    **receipt_links(receipt, base),
                }
            )
        el, en = summary(len(issued), len(pending))
        return {
            "issued": issued,
            "pending": pending,
            "issued_total": len(issued),
            "pending_total": len(pending),
            "message": en if lang == "en" else el,
            "messages": {"el": el, "en": en},
        }
