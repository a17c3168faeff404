"""The sealed PDF of a receipt as a download, for the REST service and for plain links.

``GET /@receipts/{number}/pdf`` is a REST service: plone.rest answers it only
to ``Accept: application/json`` or ``application/pdf``. A browser following a
link sends neither, so pages (the RF page, a citizen's list) link to
``@@receipt-pdf/{number}`` (``?rf=<code>`` for anonymous payers) instead,
with the same access rules (access.py) and the same bytes. Errors there are
plain text, Greek first with English below.
"""

from dimos.payments.services.debts.access import Refused
from dimos.payments.settlement.access import receipt_for
from dimos.payments.settlement.store import ISSUED
from Products.Five.browser import BrowserView
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def not_issued(receipt):
    """Refused (409): the receipt is numbered but not sealed yet, and why."""
    reason = receipt.reason or {}
    return Refused(
        409,
        f"Η απόδειξη {receipt.number} δεν έχει εκδοθεί ακόμη· η πληρωμή έχει καταχωριστεί. "
        f"{reason.get('el', '')}".strip(),
        f"Receipt {receipt.number} has not been issued yet; the payment is recorded. "
        f"{reason.get('en', '')}".strip(),
        "receipt-pending",
        number=receipt.number,
    )


def pdf_download(request, receipt):
    """The sealed PDF's bytes, the response's headers set; Refused (409) while pending."""
    if receipt.status != ISSUED:
        raise not_issued(receipt)
    pdf = receipt.pdf_bytes()
    response = request.response
    response.setHeader("Content-Type", "application/pdf")
    response.setHeader("Content-Disposition", f'attachment; filename="{receipt.data().filename}"')
    response.setHeader("Content-Length", str(len(pdf)))
    response.setHeader("Cache-Control", "private, no-store")
    return pdf


@implementer(IPublishTraverse)
class ReceiptPdf(BrowserView):
    """``@@receipt-pdf/{number}[?rf=…]``: the sealed PDF for a plain link."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def __call__(self):
        try:
            receipt, _how = receipt_for(self.context, self.request, "/".join(self.params))
            return pdf_download(self.request, receipt)
        except Refused as error:
            response = self.request.response
            response.setStatus(error.status)
            response.setHeader("Content-Type", "text/plain; charset=utf-8")
            return f"{error.message_el}\n\n{error.message_en}\n"
