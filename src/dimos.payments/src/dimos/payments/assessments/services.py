"""REST: ``POST /@assessment-notes`` (dimos.payments.ManageDebts): revenue staff certify a debt.

Body ``{"afm", "category", "description", "amount" | "amount_cents",
"due_date", "name"?, "reference"?}`` (notes.py says what each must be).
Answers 201 with ``{"@id", "debt" (with its audit trail), "order", "rf",
"notified", "pay_url"}`` and ``Location`` at ``/@debts/{id}``; 400 names
the bad ``field``; 409 ``note-exists`` for a reference already used.
Nothing is stored (and no email sent) when an error is answered.
"""

from dimos.payments.assessments.notes import create_note
from dimos.payments.bilingual import BilingualError
from dimos.payments.gateway.services import json_object
from dimos.payments.gateway.services import refuse
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class AssessmentNotesPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see json_object
        actor = api.user.get_current().getId()
        site_url = self.context.absolute_url()
        try:
            note = create_note(json_object(self.request), actor, site_url)
        except BilingualError as error:
            return refuse(self.request, error)
        url = f"{site_url}/@debts/{note.debt.id}"
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", url)
        return {"@id": url, **note.to_json()}
