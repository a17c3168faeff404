"""``@@debts-admin`` («Διαχείριση οφειλών»): the revenue staff's page (Dimos: Manage debts).

- Import the financial system's certified debts (CSV or JSON upload,
  ``ledger.import_file``): the report shows what was created, updated,
  unchanged, the conflicts and the rows with errors, by row number.
- Search a debtor by ΑΦΜ (checked with ``stdnum.gr.vat``): their debts, each
  with its audit trail (who, when, what changed).
- The payments needing attention (``ledger.payments_needing_attention()``).
- The bank's reconciliation file (``reconciliation.reconcile``), with its
  report line by line.

Uploads are POSTed forms with plone.protect's token; a refused file changes
nothing and says why in Greek and English.
"""

from dimos.payments import ledger
from dimos.payments import reconciliation
from dimos.payments.bilingual import BilingualError
from dimos.payments.browser.common import check_form
from dimos.payments.browser.common import current_user_id
from dimos.payments.browser.common import debt_view
from dimos.payments.browser.common import debts_of
from dimos.payments.browser.common import ledger_exists
from dimos.payments.browser.common import PageError
from dimos.payments.browser.common import uploaded
from dimos.payments.browser.reports import audit_trail
from dimos.payments.browser.reports import import_view
from dimos.payments.browser.reports import payment_view
from dimos.payments.browser.reports import reconciliation_view
from dimos.payments.browser.reports import STATUS_TITLES
from dimos.payments.debts import clean_afm
from dimos.payments.money import format_amount
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import transaction


IMPORT_SUFFIXES = (".csv", ".txt", ".json")
BANK_SUFFIXES = (".csv", ".txt", ".tsv")


def _wrong_kind(filename, suffixes):
    accepted = ", ".join(suffixes)
    return PageError(
        f"Το αρχείο «{filename}» δεν είναι αποδεκτού τύπου· ανεβάστε αρχείο {accepted}.",
        f"The file “{filename}” is not of an accepted type; upload a {accepted} file.",
        code="bad-file-type",
    )


def import_content_type(filename, content_type):
    """``application/json`` or ``text/csv``, from the file's name (then its declared type)."""
    name = filename.lower()
    if not name.endswith(IMPORT_SUFFIXES):
        raise _wrong_kind(filename, IMPORT_SUFFIXES)
    if name.endswith(".json") or content_type.split(";")[0].strip() == "application/json":
        return "application/json"
    return "text/csv"


class DebtsAdmin(BrowserView):
    """The staff's page; see the module's docstring."""

    template = ViewPageTemplateFile("templates/debts_admin.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.errors = {}  # section ("import", "reconcile", "search", "form") → PageError
        self.import_report = None
        self.bank_report = None
        self.found = None
        if self.request.get("REQUEST_METHOD", "GET").upper() == "POST":
            self.handle_post()
        self.afm = self.text("afm")[:20]
        if self.afm:
            self.found = self.search(self.afm)
        return self.template()

    def text(self, name):
        value = self.request.form.get(name, "")
        return value.strip() if isinstance(value, str) else ""

    def fail(self, section, error):
        """Undo whatever the request changed, and show ``error`` in its ``section``."""
        transaction.abort()
        self.errors[section] = error
        self.request.response.setStatus(getattr(error, "status", 400))

    def handle_post(self):
        action = self.text("action")
        section = action if action in ("import", "reconcile") else "form"
        try:
            check_form(self)
            if action == "import":
                self.import_report = self.run_import()
            elif action == "reconcile":
                self.bank_report = self.run_reconciliation()
            else:
                raise PageError(
                    "Άγνωστη ενέργεια.", "Unknown action.", code="unknown-action", status=400
                )
        except BilingualError as error:
            self.fail(section, error)

    def run_import(self):
        data, filename, content_type = uploaded(self.request, "import_file")
        kind = import_content_type(filename, content_type)
        report = ledger.import_file(data, current_user_id(), kind)
        return dict(import_view(report), filename=filename)

    def run_reconciliation(self):
        data, filename, _content_type = uploaded(self.request, "bank_file")
        if not filename.lower().endswith(BANK_SUFFIXES):
            raise _wrong_kind(filename, BANK_SUFFIXES)
        report = reconciliation.reconcile(data, current_user_id())
        return dict(reconciliation_view(report), filename=filename)

    def search(self, text):
        """The debtor of ΑΦΜ ``text``: name, debts with their audit trails; None if invalid."""
        try:
            afm = clean_afm(text)
        except BilingualError as error:
            self.errors["search"] = error
            self.request.response.setStatus(400)
            return None
        debts = debts_of(afm)
        rows = []
        for debt in debts:
            row = debt_view(debt)
            row["status_el"], row["status_en"] = STATUS_TITLES.get(
                debt.status, (debt.status, debt.status)
            )
            row["audit"] = audit_trail(debt)
            row["lookup_url"] = self.lookup_url(debt.pending_rf) if debt.pending_rf else None
            rows.append(row)
        open_cents = sum(debt.total_cents for debt in debts if debt.status == "open")
        return {
            "afm": afm,
            "name": debts[-1].name if debts else "",
            "debts": rows,
            "open_total": format_amount(open_cents),
        }

    # --- what the template shows ---------------------------------------------

    @property
    def site_url(self):
        return api.portal.get().absolute_url()

    @property
    def page_url(self):
        return f"{self.site_url}/@@debts-admin"

    def lookup_url(self, rf):
        return f"{self.site_url}/@@rf-lookup?{urlencode({'rf': rf})}"

    def attention(self):
        if not ledger_exists():
            return []
        rows = [payment_view(record) for record in ledger.payments_needing_attention()]
        for row in rows:
            row["lookup_url"] = self.lookup_url(row["rf"])
        return rows
