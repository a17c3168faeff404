"""``@@rf-lookup`` («Πληρωμή με κωδικό RF»): what an RF code pays, for anyone who holds it.

It shows what ``GET /@rf/{code}`` answers (``services.rf.get.public_order``):
the debtor's name masked, each debt's category, description, due date and
amount, the order's amount and whether it can still be paid; then a button
to ``@@pay?rf=``. A malformed code is a 400 page, a code no order has a
404, both saying why in Greek and English. It only reads.
"""

from dimos.payments.browser.common import format_date
from dimos.payments.browser.common import get_order
from dimos.payments.browser.common import PageError
from dimos.payments.orders import PAID
from dimos.payments.orders import PENDING
from dimos.payments.rf import format_rf
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import normalise_rf
from dimos.payments.services.rf.get import public_order
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode


# What a page says of an order by its status: (Greek, English, Bootstrap alert kind).
ORDER_STATES = {
    PENDING: (
        "Ο κωδικός είναι ενεργός: μπορείτε να τον πληρώσετε με κάρτα εδώ, ή σε οποιαδήποτε "
        "τράπεζα (e-banking, ATM, κατάστημα) ως κωδικό πληρωμής RF.",
        "The code is active: you may pay it by card here, or at any bank (e-banking, ATM, "
        "branch) as an RF payment code.",
        "info",
    ),
    PAID: (
        "Ο κωδικός έχει ήδη εξοφληθεί· δεν χρειάζεται να πληρώσετε ξανά.",
        "The code is already paid; there is no need to pay again.",
        "success",
    ),
    "superseded": (
        "Ο κωδικός δεν ισχύει πλέον: αντικαταστάθηκε από νεότερο κωδικό για τις ίδιες οφειλές.",
        "The code is no longer valid: a newer code replaced it for the same debts.",
        "warning",
    ),
    "cancelled": (
        "Ο κωδικός δεν ισχύει πλέον: ακυρώθηκε από την υπηρεσία.",
        "The code is no longer valid: the municipality cancelled it.",
        "warning",
    ),
}


def order_view(order, site_url):
    """What a page shows of a PaymentOrder: the public view, dates written out, how to pay."""
    data = public_order(order)
    for line in data["debts"]:
        line["due_date"] = format_date(line["due_date"])
    state_el, state_en, kind = ORDER_STATES.get(order.status, ORDER_STATES["cancelled"])
    data.update(
        state_el=state_el,
        state_en=state_en,
        state_kind=kind,
        pay_url=f"{site_url}/@@pay?{urlencode({'rf': order.rf})}" if data["payable"] else None,
    )
    return data


def lookup(text):
    """The PaymentOrder of the code ``text``; PageError (Greek and English) if there is none."""
    code = normalise_rf(text)
    shown = format_rf(code)
    if not is_valid_rf(code):
        raise PageError(
            f"Ο κωδικός πληρωμής «{shown}» δεν είναι έγκυρος κωδικός RF· ελέγξτε τον. "
            "Ένας κωδικός RF ξεκινά με RF και δύο ψηφία ελέγχου, π.χ. RF74 9912 0000 0001 4233.",
            f"The payment code “{shown}” is not a valid RF code; please check it. "
            "An RF code starts with RF and two check digits, e.g. RF74 9912 0000 0001 4233.",
            code="bad-rf",
        )
    order = get_order(code)
    if order is None:
        raise PageError(
            f"Δεν υπάρχει εντολή πληρωμής με κωδικό «{shown}».",
            f"No payment order has the code “{shown}”.",
            code="unknown-rf",
            status=404,
        )
    return order


class RFLookup(BrowserView):
    """``@@rf-lookup?rf=<code>``; see the module's docstring."""

    template = ViewPageTemplateFile("templates/rf_lookup.pt")
    error = None
    order = None

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        value = self.request.form.get("rf", "")
        self.rf = value.strip()[:64] if isinstance(value, str) else ""
        if self.rf:
            try:
                self.order = order_view(lookup(self.rf), self.site_url)
            except PageError as error:
                self.error = error
                self.request.response.setStatus(error.status)
        return self.template()

    @property
    def site_url(self):
        return api.portal.get().absolute_url()

    @property
    def my_debts_url(self):
        return f"{self.site_url}/@@my-debts"
