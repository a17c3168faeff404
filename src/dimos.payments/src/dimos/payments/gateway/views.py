"""Classic UI pages: ``@@pay`` (send the citizen to the bank) and ``@@payment-return``.

Both are public: an RF code is all one needs to pay. The return page only
reads: whatever the address it is opened with says (banks add ``status``
and ``txid`` to it, unsigned), an order is paid only by the gateway's
signed callback, and the page shows what the site has recorded.
"""

from dimos.payments import ledger
from dimos.payments.gateway.callbacks import journaled
from dimos.payments.gateway.protocol import ProtocolError
from dimos.payments.gateway.start import PaymentRefused
from dimos.payments.gateway.start import start_payment
from dimos.payments.money import format_amount
from dimos.payments.orders import PENDING
from dimos.payments.rf import format_rf
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import normalise_rf
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode


def _text(request, name):
    value = request.form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


class Pay(BrowserView):
    """``@@pay?rf=<code>``: redirect to the gateway's page for a pending order, or say why not."""

    template = ViewPageTemplateFile("templates/pay.pt")
    error = None

    def __call__(self):
        self.rf = _text(self.request, "rf")
        if not self.rf:
            return self.template()
        try:
            started = start_payment(self.rf)
        except (PaymentRefused, ProtocolError) as error:
            self.error = error
            self.request.response.setStatus(error.status)
            return self.template()
        self.request.response.redirect(started.redirect_url, status=303, lock=True)
        return ""


# What the return page says, by state: (heading el, heading en, text el, text en).
STATES = {
    "paid": (
        "Η πληρωμή ολοκληρώθηκε",
        "Payment completed",
        "Η τράπεζα επιβεβαίωσε την πληρωμή και οι οφειλές εξοφλήθηκαν.",
        "The bank confirmed the payment and the debts are paid.",
    ),
    "awaiting": (
        "Αναμένεται η επιβεβαίωση της τράπεζας",
        "Awaiting the bank's confirmation",
        "Η πληρωμή θα εμφανιστεί ως εξοφλημένη μόλις την επιβεβαιώσει η τράπεζα. "
        "Ανανεώστε τη σελίδα σε λίγο· μην πληρώσετε ξανά.",
        "The payment will show as paid as soon as the bank confirms it. "
        "Reload the page in a moment; do not pay again.",
    ),
    "declined": (
        "Η πληρωμή απορρίφθηκε",
        "The payment was declined",
        "Η τράπεζα απέρριψε την πληρωμή· δεν χρεώθηκε κανένα ποσό. Μπορείτε να δοκιμάσετε ξανά.",
        "The bank declined the payment; nothing was charged. You may try again.",
    ),
    "cancelled": (
        "Η πληρωμή ακυρώθηκε",
        "The payment was cancelled",
        "Η πληρωμή ακυρώθηκε πριν ολοκληρωθεί· δεν χρεώθηκε κανένα ποσό.",
        "The payment was cancelled before it was completed; nothing was charged.",
    ),
    "problem": (
        "Η πληρωμή χρειάζεται έλεγχο",
        "The payment needs checking",
        "Η τράπεζα ανέφερε πληρωμή που δεν αντιστοιχεί στην εντολή· καμία οφειλή δεν "
        "εξοφλήθηκε και η υπηρεσία θα την ελέγξει.",
        "The bank reported a payment that does not match the order; no debt was paid "
        "and the staff will check it.",
    ),
    "not-payable": (
        "Ο κωδικός πληρωμής δεν ισχύει πλέον",
        "The payment code is no longer valid",
        "Η εντολή πληρωμής αντικαταστάθηκε ή ακυρώθηκε.",
        "The payment order was superseded or cancelled.",
    ),
    "unknown": (
        "Άγνωστος κωδικός πληρωμής",
        "Unknown payment code",
        "Δεν βρέθηκε εντολή πληρωμής με αυτόν τον κωδικό.",
        "No payment order was found with this code.",
    ),
}


def return_state(rf):
    """The state of order ``rf`` as the site recorded it (never as the browser says)."""
    order = ledger.get_order(rf) if is_valid_rf(rf) else None
    if order is None:
        return "unknown", None
    if order.status == "paid":
        return "paid", order
    if order.status != PENDING:
        return "not-payable", order
    entries = journaled(order.rf)
    if not entries:
        return "awaiting", order
    last = entries[-1]
    if last["status"] in ("declined", "cancelled"):
        return last["status"], order
    return "problem", order  # approved, but the ledger did not apply it


class PaymentReturn(BrowserView):
    """``@@payment-return?rf=<code>``: where the bank sends the citizen back. Reads only."""

    template = ViewPageTemplateFile("templates/payment_return.pt")

    def __call__(self):
        self.rf = normalise_rf(_text(self.request, "rf"))
        self.state, self.order = return_state(self.rf)
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.template()

    @property
    def texts(self):
        heading_el, heading_en, text_el, text_en = STATES[self.state]
        return {"heading_el": heading_el, "heading_en": heading_en, "el": text_el, "en": text_en}

    @property
    def rf_printed(self):
        return format_rf(self.rf)

    @property
    def amount(self):
        return format_amount(self.order.amount_cents) if self.order is not None else ""

    @property
    def pay_again_url(self):
        if self.state not in ("declined", "cancelled"):
            return None
        return f"{self.context.absolute_url()}/@@pay?{urlencode({'rf': self.rf})}"

    @property
    def reload_url(self):
        return f"{self.context.absolute_url()}/@@payment-return?{urlencode({'rf': self.rf})}"
