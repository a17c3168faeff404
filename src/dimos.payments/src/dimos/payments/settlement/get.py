"""GET /@receipts, /@receipts/{number}, /@receipts/{number}/pdf: payment receipts.

* ``GET /@receipts/{number}``: the receipt as JSON (``?rf=`` for whoever
  holds the RF code it paid; the payer and revenue staff without);
* ``GET /@receipts/{number}/pdf`` (``Accept: application/json`` or
  ``application/pdf``): the sealed PDF; 409 while it is pending (plain links
  from pages: ``@@receipt-pdf/{number}``, download.py);
* ``GET /@receipts``: the logged-in citizen's receipts, newest first; staff
  see everyone's, or one payer's with ``?afm=``; ``?rf=`` answers the receipt
  of one RF code to anyone who holds it (what the RF page links to);
  ``?status=pending|issued`` filters; batched (``b_start``, ``b_size``).

Who may see what: access.py. Someone holding only the RF code sees the
payer's name and ΑΦΜ masked in the JSON, as on the RF page; the PDF is the
legal receipt and shows them in full.
"""

from dimos.payments.debts import clean_afm
from dimos.payments.debts import DebtError
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.rf.get import mask_name
from dimos.payments.services.traversing import TraversingService
from dimos.payments.settlement.access import access_to
from dimos.payments.settlement.access import may_list_own
from dimos.payments.settlement.access import not_found
from dimos.payments.settlement.access import receipt_for
from dimos.payments.settlement.access import refused_reply
from dimos.payments.settlement.access import rf_given
from dimos.payments.settlement.access import RF_HOLDER
from dimos.payments.settlement.access import STAFF
from dimos.payments.settlement.download import pdf_download
from dimos.payments.settlement.issuing import receipt_book
from dimos.payments.settlement.issuing import receipt_links
from dimos.payments.settlement.issuing import receipt_of_rf
from dimos.payments.settlement.issuing import receipts_of
from dimos.payments.settlement.store import STATUSES
from plone.restapi.batching import HypermediaBatch
from plone.restapi.services import _no_content_marker


def mask_afm(afm):
    return f"******{afm[-3:]}" if afm else ""


def _status(form):
    status = str(form.get("status") or "").strip() or None
    if status is not None and status not in STATUSES:
        raise Refused(
            400,
            f"Άγνωστη κατάσταση απόδειξης «{status}»· δεκτές: {', '.join(STATUSES)}.",
            f"Unknown receipt status “{status}”; accepted: {', '.join(STATUSES)}.",
            "bad-status",
        )
    return status


def _afm(asked):
    try:
        return clean_afm(asked)
    except DebtError as error:
        raise Refused(400, error.message_el, error.message_en, error.code) from None


class ReceiptsGet(TraversingService):
    """``GET /@receipts``, ``/@receipts/{number}`` and ``/@receipts/{number}/pdf``."""

    download = None  # the PDF's bytes, when one is answered

    def render(self):
        body = super().render()
        return self.download if self.download is not None else body

    def reply(self):
        try:
            if not self.params:
                return self.listing()
            if len(self.params) == 1:
                return self.one(self.params[0])
            if len(self.params) == 2 and self.params[1] == "pdf":
                return self.pdf(self.params[0])
            raise not_found("/".join(self.params))
        except Refused as error:
            return refused_reply(self.request, error)

    def as_json(self, receipt, how):
        data = receipt.to_json(audit=how == STAFF)
        data.update(receipt_links(receipt, self.context.absolute_url(), rf=how == RF_HOLDER))
        if how == RF_HOLDER:
            data["payer_name"] = mask_name(receipt.payer_name)
            data["payer_afm"] = mask_afm(receipt.payer_afm)
        return data

    def one(self, number):
        receipt, how = receipt_for(self.context, self.request, number)
        return self.as_json(receipt, how)

    def pdf(self, number):
        receipt, _how = receipt_for(self.context, self.request, number)
        self.download = pdf_download(self.request, receipt)
        return _no_content_marker

    def chosen(self):
        """(receipts, how each is seen, the ΑΦΜ listed or None) for the caller's query."""
        form, staff = self.request.form, is_staff(self.context)
        rf = rf_given(self.request)
        if rf:
            receipt = receipt_of_rf(rf)
            how = access_to(self.context, self.request, receipt) if receipt else None
            return ([receipt] if how else []), how, None
        if staff:
            afm = _afm(form["afm"]) if form.get("afm") else None
            found = receipts_of(afm) if afm else receipt_book().newest()
            return found, STAFF, afm
        may_list_own(self.context)
        afm = own_afm()
        if form.get("afm") and str(form["afm"]).strip() != afm:
            raise Refused(
                403,
                "Μπορείτε να δείτε μόνο τις δικές σας αποδείξεις.",
                "You can only see your own receipts.",
                "not-yours",
            )
        return receipts_of(afm), None, afm

    def listing(self):
        status = _status(self.request.form)
        receipts, how, afm = self.chosen()
        receipts = [receipt for receipt in receipts if status in (None, receipt.status)]
        batch = HypermediaBatch(self.request, receipts)
        data = {
            "@id": batch.canonical_url,
            "afm": afm,
            "items": [self.as_json(receipt, how) for receipt in batch],
            "items_total": batch.items_total,
        }
        if batch.links:
            data["batching"] = batch.links
        return data
