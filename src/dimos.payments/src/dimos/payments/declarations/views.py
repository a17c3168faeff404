"""``@@fee-declaration``: the Classic UI form a business declares its fees with.

A plain HTML form (no JavaScript needed), Greek with English beside; a
refused declaration is shown again with the reason beside the field to fix
and nothing stored. On success it shows the fee, the penalty, the RF code and
a link to pay it; below, the business's own declarations.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.declarations.book import declarations_of
from dimos.payments.declarations.book import declare
from dimos.payments.declarations.book import today
from dimos.payments.declarations.services import fullname
from dimos.payments.money import format_amount
from dimos.payments.rates import FEE_SCHEDULES
from dimos.payments.rates import find_rate
from dimos.payments.rates import format_percent
from dimos.payments.rates import SCHEDULES
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import user_id
from plone.protect.authenticator import check
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode
from zExceptions import Forbidden


FIELDS = ("fee", "period", "category", "gross_revenue", "name")
STATUS_LABELS = {
    "open": "Προς πληρωμή / To be paid",
    "paid": "Εξοφλήθηκε / Paid",
    "cancelled": "Αντικαταστάθηκε / Replaced",
    "nil": "Μηδενική / Nil",
}
FORM_EXPIRED = BilingualError(
    "Η φόρμα έληξε· υποβάλετέ την ξανά.",
    "The form has expired; please submit it again.",
    code="form-expired",
)


def form_text(request, name):
    value = request.form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


class FeeDeclarationForm(BrowserView):
    """GET: the form; POST: declare, then the result or the form with its errors."""

    template = ViewPageTemplateFile("templates/fee_declaration.pt")

    def __call__(self):
        self.errors = {}
        self.error = None
        self.declaration = None
        self.values = {name: form_text(self.request, name) for name in FIELDS}
        self.values["name"] = self.values["name"] or fullname()
        try:
            self.afm = own_afm()
        except Refused as error:
            self.afm, self.error = None, error
            self.request.response.setStatus(403)
            return self.template()
        if self.request.method == "POST" and "form.submitted" in self.request.form:
            self.submit()
        return self.template()

    def submit(self):
        try:
            check(self.request)
        except Forbidden:
            self.error = FORM_EXPIRED
            self.request.response.setStatus(403)
            return
        values = self.values
        try:
            self.declaration = declare(
                self.afm,
                values["fee"],
                values["period"],
                values["gross_revenue"],
                values["category"],
                actor=user_id(),
                name=values["name"],
            )
        except BilingualError as error:
            field = error.details.get("field")
            if field in FIELDS:
                self.errors[field] = error
            else:
                self.error = error
            self.request.response.setStatus(400)

    # --- what the template shows --------------------------------------------------------

    def fees(self):
        return [
            {
                "value": fee,
                "title_el": SCHEDULES[fee][0],
                "title_en": SCHEDULES[fee][1],
                "selected": fee == self.values["fee"],
            }
            for fee in FEE_SCHEDULES
        ]

    def category_groups(self):
        """The categories of each fee's table in force today, with their rates."""
        groups = []
        for fee in FEE_SCHEDULES:
            table = find_rate(fee, today())
            if table is None:
                continue
            options = [
                {
                    "value": token,
                    "title": f"{entry['title_el']} / {entry['title_en']} "
                    f"({format_percent(entry['rate_ppm'])})",
                    "selected": token == self.values["category"],
                }
                for token, entry in table.values["categories"].items()
            ]
            groups.append({"label": SCHEDULES[fee][0], "options": options})
        return groups

    def result(self):
        declaration = self.declaration
        if declaration is None:
            return None
        data = declaration.to_json()
        data.update(
            fee_amount=format_amount(declaration.fee_cents),
            penalty=format_amount(declaration.penalty_cents),
            deadline_shown=f"{declaration.deadline:%d/%m/%Y}",
            pay_url=self.pay_url(declaration.rf),
        )
        return data

    def pay_url(self, rf):
        if not rf:
            return None
        return f"{self.context.absolute_url()}/@@pay?{urlencode({'rf': rf})}"

    def mine(self):
        if not self.afm:
            return []
        rows = []
        for declaration in declarations_of(self.afm):
            data = declaration.to_json()
            data["pay_url"] = self.pay_url(declaration.rf) if data["status"] == "open" else None
            data["status_label"] = STATUS_LABELS.get(data["status"], data["status"])
            rows.append(data)
        return rows
