"""How the staff's page reads the ledger's records: audit trails, import and bank reports, payments.

Plain functions from the ledger's objects to dictionaries of text a
template prints: every amount as ``1.234,56 €``, every moment in Athens'
time, every label in Greek and English. No writes.
"""

from dimos.payments.browser.common import category_titles
from dimos.payments.browser.common import format_date
from dimos.payments.browser.common import format_moment
from dimos.payments.money import format_amount
from dimos.payments.reconciliation import CATEGORIES
from dimos.payments.rf import format_rf


STATUS_TITLES = {
    "open": ("Ανοιχτή", "Open"),
    "paid": ("Εξοφλημένη", "Paid"),
    "cancelled": ("Ακυρωμένη", "Cancelled"),
}
ACTION_TITLES = {
    "created": ("Καταχώριση", "Created"),
    "imported": ("Εισαγωγή από το οικονομικό σύστημα", "Imported from the financial system"),
    "import-updated": ("Ενημέρωση από εισαγωγή", "Updated by an import"),
    "order-issued": ("Έκδοση κωδικού RF", "RF code issued"),
    "order-superseded": ("Αντικατάσταση κωδικού RF", "RF code superseded"),
    "order-cancelled": ("Ακύρωση κωδικού RF", "RF code cancelled"),
    "paid": ("Εξόφληση", "Paid"),
}
FIELD_TITLES = {
    "afm": ("ΑΦΜ", "AFM"),
    "name": ("Επωνυμία", "Name"),
    "category": ("Κατηγορία", "Category"),
    "description": ("Περιγραφή", "Description"),
    "amount_cents": ("Ποσό", "Amount"),
    "surcharge_cents": ("Προσαύξηση", "Surcharge"),
    "due_date": ("Λήξη", "Due date"),
    "status": ("Κατάσταση", "Status"),
    "pending_rf": ("Κωδικός RF σε εκκρεμότητα", "Pending RF code"),
    "paid": ("Εξόφληση", "Payment"),
}
CONTEXT_TITLES = {
    "row": ("γραμμή αρχείου", "file row"),
    "rf": ("κωδικός RF", "RF code"),
    "transaction_id": ("συναλλαγή", "transaction"),
}
OUTCOME_TITLES = {
    "wrong-amount": ("Λάθος ποσό", "Wrong amount"),
    "unknown-rf": ("Άγνωστος κωδικός RF", "Unknown RF code"),
    "already-paid": ("Πληρώθηκε δεύτερη φορά (υπερπληρωμή)", "Paid twice (overpayment)"),
    "superseded": ("Κωδικός που δεν ισχύει πλέον", "Code no longer valid"),
    "applied": ("Εξόφλησε την εντολή", "Paid the order"),
}
BANK_TITLES = {
    "matched": ("Αντιστοιχίστηκαν και εξόφλησαν", "Matched and paid"),
    "already-recorded": ("Είχαν ήδη καταχωριστεί", "Already recorded"),
    "conflict": ("Σύγκρουση με προηγούμενη καταχώριση", "Conflict with an earlier record"),
    "wrong-amount": ("Λάθος ποσό", "Wrong amount"),
    "unknown-rf": ("Άγνωστος κωδικός RF", "Unknown RF code"),
    "paid-twice": ("Πληρώθηκαν δύο φορές", "Paid twice"),
    "superseded": ("Κωδικός που δεν ισχύει πλέον", "Code no longer valid"),
    "malformed": ("Λανθασμένες γραμμές", "Malformed lines"),
}
IMPORT_TITLES = (
    ("created", "Νέες", "New"),
    ("updated", "Ενημερωμένες", "Updated"),
    ("unchanged", "Χωρίς αλλαγή", "Unchanged"),
    ("conflicts", "Συγκρούσεις (δεν εισήχθησαν)", "Conflicts (not imported)"),
    ("errors", "Γραμμές με σφάλματα (δεν εισήχθησαν)", "Rows with errors (not imported)"),
)


def titles(table, key):
    """(Greek, English) of ``key`` in ``table``, or the key itself twice."""
    return table.get(key, (key, key))


def show_value(field, value):
    """A value of the audit trail as a person reads it."""
    if value is None or value == "":
        return "—"
    if field.endswith("_cents") and isinstance(value, int) and not isinstance(value, bool):
        return format_amount(value)
    if field == "due_date":
        return format_date(value)
    if field == "at":
        return format_moment(value)
    if field == "status":
        return titles(STATUS_TITLES, value)[0]
    if field == "category":
        return category_titles(value)[0]
    if field in ("rf", "pending_rf"):
        return format_rf(value)
    if isinstance(value, dict):
        shown = [f"{key}: {show_value(key, item)}" for key, item in value.items() if item]
        return ", ".join(shown)
    return str(value)


def audit_entry(entry):
    """One entry of a debt's audit trail: who, when, what (each change old → new)."""
    action_el, action_en = titles(ACTION_TITLES, entry.get("action", ""))
    changes = []
    for field, (old, new) in (entry.get("changes") or {}).items():
        field_el, field_en = titles(FIELD_TITLES, field)
        changes.append(
            {
                "field_el": field_el,
                "field_en": field_en,
                "old": show_value(field, old),
                "new": show_value(field, new),
            }
        )
    context = []
    for key, value in (entry.get("context") or {}).items():
        if key in CONTEXT_TITLES and value not in (None, ""):
            key_el, key_en = CONTEXT_TITLES[key]
            context.append({"key_el": key_el, "key_en": key_en, "value": show_value(key, value)})
    return {
        "when": format_moment(entry.get("when")),
        "who": entry.get("who") or "—",
        "action": entry.get("action", ""),
        "action_el": action_el,
        "action_en": action_en,
        "changes": changes,
        "context": context,
    }


def audit_trail(debt):
    """The debt's audit trail, the latest change first."""
    return [audit_entry(entry) for entry in reversed(debt.audit_json())]


def payment_view(record):
    """A PaymentRecord needing attention, as the staff's table shows it."""
    title_el, title_en = titles(OUTCOME_TITLES, record.code)
    return {
        "transaction_id": record.transaction_id,
        "rf": record.rf,
        "rf_printed": format_rf(record.rf),
        "amount": format_amount(record.amount_cents),
        "paid_at": format_moment(record.paid_at),
        "recorded": format_moment(record.recorded),
        "channel": record.channel,
        "code": record.code,
        "code_el": title_el,
        "code_en": title_en,
    }


def import_view(report):
    """An ImportReport: counts, conflicts and errors with their rows, summaries."""
    counts = report.counts
    return {
        "counts": [
            {"key": key, "el": el, "en": en, "count": counts[key]} for key, el, en in IMPORT_TITLES
        ],
        "summary_el": report.summary("el"),
        "summary_en": report.summary("en"),
        "created": list(report.created),
        "updated": list(report.updated),
        "conflicts": [
            {
                "row": conflict["row"],
                "id": conflict["id"],
                "message_el": conflict["message_el"],
                "message_en": conflict["message_en"],
            }
            for conflict in report.conflicts
        ],
        "errors": [
            {
                "row": error["row"],
                "id": error.get("id") or "",
                "field": error.get("field") or "",
                "message_el": error["message_el"],
                "message_en": error["message_en"],
            }
            for error in report.errors
        ],
    }


def reconciliation_view(report):
    """A ReconciliationReport: counts by category, and every line with what became of it."""
    counts = report.counts
    lines = []
    for result in report.results:
        line = result.line
        title_el, title_en = titles(BANK_TITLES, result.category)
        lines.append(
            {
                "number": result.number,
                "category": result.category,
                "category_el": title_el,
                "category_en": title_en,
                "message_el": result.message_el,
                "message_en": result.message_en,
                "reference": line.reference if line else "",
                "rf_printed": format_rf(line.rf) if line else "",
                "amount": format_amount(line.amount_cents) if line else "",
                "date": format_date(line.date) if line else "",
                "text": result.text,
                "attention": result.category not in ("matched", "already-recorded"),
            }
        )
    return {
        "summary_el": report.summary("el"),
        "summary_en": report.summary("en"),
        "matched": format_amount(report.matched_cents),
        "counts": [
            {
                "key": category,
                "el": titles(BANK_TITLES, category)[0],
                "en": titles(BANK_TITLES, category)[1],
                "count": counts[category],
            }
            for category in CATEGORIES
        ],
        "lines": lines,
    }
