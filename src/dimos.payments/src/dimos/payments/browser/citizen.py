"""``@@my-debts`` («Οι οφειλές μου»): a citizen's own debts, and one RF code for those they choose.

- Anonymous visitors get a «Σύνδεση με Taxisnet» button
  (``@@taxisnet-login?came_from=<this page>``) and a way to pay by RF code.
- A citizen logged in with Taxisnet (user id = ΑΦΜ) sees their open debts,
  ticks several and posts the form (plone.protect token): one payment order
  through ``ledger.issue_order(ids, afm=<their ΑΦΜ>, actor=<their ΑΦΜ>)``,
  then ``@@my-debts?rf=<code>`` shows the code printed in groups, its
  amount and «Πληρωμή με κάρτα» (``@@pay?rf=``). Their paid debts follow.
- Only ever their own: the ΑΦΜ is the logged-in user's, never a parameter;
  a code of another debtor is "not found", as a missing one.
"""

from dimos.payments import ledger
from dimos.payments.audit import jsonable
from dimos.payments.bilingual import BilingualError
from dimos.payments.browser.common import check_form
from dimos.payments.browser.common import citizen_afm
from dimos.payments.browser.common import current_user_id
from dimos.payments.browser.common import debt_view
from dimos.payments.browser.common import debts_of
from dimos.payments.browser.common import full_name
from dimos.payments.browser.common import get_order
from dimos.payments.browser.common import MANAGE_DEBTS
from dimos.payments.browser.common import may
from dimos.payments.browser.common import PageError
from dimos.payments.browser.common import VIEW_OWN_DEBTS
from dimos.payments.browser.lookup import order_view
from dimos.payments.debts import OPEN
from dimos.payments.debts import PAID
from dimos.payments.money import format_amount
from dimos.payments.orders import DebtNotFound
from dimos.payments.rf import format_rf
from dimos.payments.rf import normalise_rf
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import transaction


def _order_not_found(rf):
    shown = format_rf(rf)
    return PageError(
        f"Δεν βρέθηκε εντολή πληρωμής «{shown}» στις οφειλές σας.",
        f"No payment order “{shown}” was found among your debts.",
        code="order-not-found",
        status=404,
    )


class MyDebts(BrowserView):
    """The citizen's page; see the module's docstring."""

    template = ViewPageTemplateFile("templates/my_debts.pt")
    error = None
    order = None
    afm = None

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.chosen = ()
        if api.user.is_anonymous():
            return self.template()
        self.afm = citizen_afm() if may(VIEW_OWN_DEBTS, self.context) else None
        if self.afm is None:
            return self.template()
        if self.request.get("REQUEST_METHOD", "GET").upper() == "POST":
            return self.issue()
        rf = normalise_rf(self.text("rf"))
        if rf:
            self.order = self.own_order(rf)
        return self.template()

    def text(self, name):
        value = self.request.form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def chosen_ids(self):
        value = self.request.form.get("debts", [])
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, (list, tuple)):
            return []
        return [item.strip() for item in values if isinstance(item, str) and item.strip()]

    def issue(self):
        """Issue one RF code for the chosen debts, then show it (POST, redirect, GET)."""
        self.chosen = tuple(self.chosen_ids())
        try:
            check_form(self)
            order = ledger.issue_order(list(self.chosen), afm=self.afm, actor=self.afm)
        except DebtNotFound as error:
            return self.refuse(error, 404)
        except PageError as error:
            return self.refuse(error, error.status)
        except BilingualError as error:
            return self.refuse(error, 400)
        self.request.response.redirect(
            f"{self.page_url}?{urlencode({'rf': order.rf})}", status=303, lock=True
        )
        return ""

    def refuse(self, error, status):
        """The page again, with ``error`` above the form and the choices still ticked."""
        transaction.abort()
        self.error = error
        self.request.response.setStatus(status)
        return self.template()

    def own_order(self, rf):
        order = get_order(rf)
        if order is None or order.afm != self.afm:
            self.error = _order_not_found(rf)
            self.request.response.setStatus(404)
            return None
        return order_view(order, self.site_url)

    # --- what the template shows ---------------------------------------------

    @property
    def site_url(self):
        return api.portal.get().absolute_url()

    @property
    def page_url(self):
        return f"{self.site_url}/@@my-debts"

    @property
    def login_url(self):
        return f"{self.site_url}/@@taxisnet-login?{urlencode({'came_from': self.page_url})}"

    @property
    def logout_url(self):
        return f"{self.site_url}/@@taxisnet-logout"

    @property
    def lookup_url(self):
        return f"{self.site_url}/@@rf-lookup"

    @property
    def admin_url(self):
        if may(MANAGE_DEBTS, self.context):
            return f"{self.site_url}/@@debts-admin"
        return None

    @property
    def logged_in(self):
        return current_user_id() is not None

    @property
    def name(self):
        return full_name()

    def open_debts(self):
        chosen = set(self.chosen)
        rows = []
        for debt in debts_of(self.afm, OPEN):
            row = debt_view(debt)
            row["checked"] = debt.id in chosen
            row["order_url"] = (
                f"{self.page_url}?{urlencode({'rf': debt.pending_rf})}" if debt.pending_rf else ""
            )
            rows.append(row)
        return rows

    def paid_debts(self):
        """The paid debts, the latest payment first."""
        debts = sorted(
            debts_of(self.afm, PAID),
            key=lambda debt: str(jsonable((debt.paid or {}).get("at")) or ""),
            reverse=True,
        )
        return [debt_view(debt) for debt in debts]

    def open_total(self, rows):
        return format_amount(sum(row["total_cents"] for row in rows))
