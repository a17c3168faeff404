"""POST /@debts-import: the financial system's certified debts, as CSV or JSON (staff only).

Body: the file itself, ``Content-Type: text/csv`` (UTF-8, ``;`` or ``,``) or
``application/json`` (a list of objects); columns in importer.py. Answers 200
with the import report (counts, created and updated ids, conflicts and row
errors in Greek and English), or 400 when the file as a whole is refused.
"""

from dimos.payments import ledger
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import rest_post
from dimos.payments.importer import ImportRefused
from dimos.payments.services.debts.access import user_id
from plone.restapi.services import Service


class DebtsImportPost(Service):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        body = self.request.get("BODY") or b""
        content_type = self.request.getHeader("Content-Type") or "text/csv"
        try:
            report = ledger.import_file(body, user_id(), content_type)
        except ImportRefused as error:
            return error_reply(self.request, error)
        return report.to_json()
