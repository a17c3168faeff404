"""``@@traffic-fine``: pay a traffic fine by ticket number and plate (Classic UI, no JavaScript).

Public. Step one, ``step=lookup``: ticket number and plate. A registered
fine (or one declared before) is shown with its amount and RF code and a
button to ``@@pay?rf=``. When none matches, the page says so (the same
words whatever the reason) and offers step two, ``step=declare``: the
ticket's date, place and offence, picked from the table with its amount.
Both steps only act on POST, with plone.protect's token in the form.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.fines import traffic
from dimos.payments.fines.settings import fine_settings
from dimos.payments.money import format_amount
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import datetime
import transaction


FIELDS = ("ticket", "plate", "date", "time", "place", "offence")


def _date(text):
    if not text:
        return ""
    return datetime.date.fromisoformat(text).strftime("%d/%m/%Y")


class TrafficFine(BrowserView):
    template = ViewPageTemplateFile("templates/traffic_fine.pt")
    error = None
    answer = None
    declaring = False

    def __call__(self):
        form = self.request.form
        self.values = {
            name: form[name].strip() if isinstance(form.get(name), str) else "" for name in FIELDS
        }
        step = form.get("step")
        if self.request.method == "POST" and step in ("lookup", "declare"):
            self.declaring = step == "declare"
            try:
                if self.declaring:
                    self.answer = traffic.declare_fine(self.values)
                else:
                    self.answer = traffic.lookup_fine(self.values["ticket"], self.values["plate"])
            except BilingualError as error:
                transaction.abort()  # nothing half-stored
                self.error = error
                self.declaring = self.declaring or isinstance(error, traffic.FineNotFound)
                self.request.response.setStatus(getattr(error, "status", 400))
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.template()

    def field_error(self, name):
        """The error when it is about the field ``name`` (for aria-invalid and the message)."""
        if self.error is not None and self.error.details.get("field") == name:
            return self.error
        return None

    def offences(self):
        chosen = self.values.get("offence")
        return [
            {
                "token": offence.token,
                "label": f"{offence.title_el} / {offence.title_en} "
                f"(άρθρο {offence.article} ΚΟΚ) — {format_amount(offence.amount_cents)}",
                "selected": offence.token == chosen,
            }
            for offence in fine_settings().offences.values()
        ]

    def result(self):
        """The answer as the template shows it."""
        data = self.answer.to_json()
        fine = data["fine"]
        reduction = data["reduction"]
        if reduction:
            reduction = {**reduction, "until": _date(reduction["until"])}
        return {
            **data,
            "date": _date(fine["date"]),
            "due": _date(data["due_date"]),
            "full_amount": format_amount(fine["amount_cents"]),
            "reduction": reduction,
            "pay_url": (
                f"{self.context.absolute_url()}/@@pay?{urlencode({'rf': data['rf']})}"
                if data["rf"]
                else None
            ),
        }

    @property
    def today(self):
        return traffic.today_in_greece().isoformat()
