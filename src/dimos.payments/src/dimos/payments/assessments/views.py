"""``@@assessment-note``: the revenue staff's form for an assessment note (Classic UI).

Permission dimos.payments.ManageDebts. On a valid POST (with plone.protect's
token) the note is stored and the clerk is sent (303) to
``@@assessment-note?created=<debt id>``, which shows the debt and its RF
code, so that reloading the page never stores the note twice. Errors are
shown above the form, in Greek and English, with what was typed kept.
"""

from dimos.payments import ledger
from dimos.payments.assessments.notes import create_note
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import CATEGORIES
from dimos.payments.money import format_amount
from dimos.payments.rf import format_rf
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import transaction


FIELDS = ("afm", "name", "category", "description", "amount", "due_date", "reference")


class AssessmentNote(BrowserView):
    template = ViewPageTemplateFile("templates/assessment_note.pt")
    error = None

    def __call__(self):
        form = self.request.form
        self.values = {
            name: form[name].strip() if isinstance(form.get(name), str) else "" for name in FIELDS
        }
        if self.request.method == "POST":
            CheckAuthenticator(self.request)
            site_url = self.context.absolute_url()
            try:
                note = create_note(self.values, api.user.get_current().getId(), site_url)
            except BilingualError as error:
                transaction.abort()  # nothing half-stored
                self.error = error
                self.request.response.setStatus(getattr(error, "status", 400))
                return self.template()
            query = urlencode({"created": note.debt.id, "notified": int(note.notified)})
            self.request.response.redirect(f"{site_url}/@@assessment-note?{query}", status=303)
            return ""
        return self.template()

    def field_error(self, name):
        if self.error is not None and self.error.details.get("field") == name:
            return self.error
        return None

    def categories(self):
        chosen = self.values.get("category")
        return [
            {
                "token": category.token,
                "label": f"{category.title_el} / {category.title_en}",
                "selected": category.token == chosen,
            }
            for category in CATEGORIES
        ]

    def created(self):
        """The note just stored (``?created=``), as the page shows it, or None."""
        debt_id = self.request.form.get("created")
        debt = ledger.get_debt(debt_id) if isinstance(debt_id, str) else None
        if debt is None or debt.source != "assessment":
            return None
        rf = debt.pending_rf or (debt.paid or {}).get("rf")
        return {
            "id": debt.id,
            "afm": debt.afm,
            "name": debt.name,
            "description": debt.description,
            "amount": format_amount(debt.total_cents),
            "due_date": debt.due_date.strftime("%d/%m/%Y"),
            "rf": format_rf(rf) if rf else "",
            "notified": self.request.form.get("notified") == "1",
            "created_by": debt.audit[0]["who"] if debt.audit else "",
        }
