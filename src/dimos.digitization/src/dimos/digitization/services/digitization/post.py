"""POST /@digitization: a worker stores the result of one scanned file."""

from dimos.digitization.incoming import StoreError
from dimos.digitization.store import create_or_update
from dimos.digitization.store import summary
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides

import transaction


class DigitizationPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            payload = json_body(self.request)
        except Exception:
            payload = None
        try:
            stored = create_or_update(payload)
        except StoreError as error:
            transaction.abort()  # nothing of a refused result is kept
            self.request.response.setStatus(error.status)
            return error.payload()
        self.request.response.setStatus(201 if stored.created else 200)
        if stored.created:
            self.request.response.setHeader("Location", stored.record.absolute_url())
        return summary(stored.record, stored.created, stored.notes)
