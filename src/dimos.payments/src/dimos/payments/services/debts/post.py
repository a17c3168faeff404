"""POST /@debts-import: the financial system's certified debts, as CSV or JSON (staff only).

Body: the file itself, ``Content-Type: text/csv`` (UTF-8, ``;`` or ``,``) or
``application/json`` (a list of objects); columns in importer.py. Answers 200
with the import report (counts, created and updated ids, conflicts and row
errors in Greek and English), or 400 when the file as a whole is refused.
"""

from dimos.payments import ledger
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import form_post_refusal
from dimos.payments.importer import ImportRefused
from dimos.payments.services.debts.access import user_id
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class DebtsImportPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        refusal = form_post_refusal(self.request)
        if refusal is not None:
            return error_reply(self.request, refusal, 415, "UnsupportedMediaType")
        body = self.request.get("BODY") or b""
        content_type = self.request.getHeader("Content-Type") or "text/csv"
        try:
            report = ledger.import_file(body, user_id(), content_type)
        except ImportRefused as error:
            return error_reply(self.request, error)
        return report.to_json()
