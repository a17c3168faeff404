"""GET /@rf/{code}: what an RF payment code unlocks, for anyone (no login).

The order's amount and status, and for each debt its category, description,
due date and amount; the debtor's name masked ("Π***** Γ*****"). Nothing else
about the debtor: no ΑΦΜ, no debt ids, no other orders. A malformed code is
400, a well-formed one no order has is 404, both in Greek and English.
"""

from dimos.payments import ledger
from dimos.payments.audit import jsonable
from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.categories import get_category
from dimos.payments.money import format_amount
from dimos.payments.orders import PENDING
from dimos.payments.rf import format_rf
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import normalise_rf
from dimos.payments.services.traversing import TraversingService


def mask_name(name):
    """Each word's first letter and five stars: "Παπαδόπουλος Γεώργιος" → "Π***** Γ*****"."""
    return " ".join(f"{word[0]}*****" for word in str(name or "").split())


def _line(line):
    category = get_category(line["category"])
    return {
        "category": line["category"],
        "category_title": category.title_el if category else line["category"],
        "category_title_en": category.title_en if category else line["category"],
        "description": line["description"],
        "due_date": jsonable(line["due_date"]),
        "amount_cents": line["amount_cents"],
        "amount": format_amount(line["amount_cents"]),
    }


def public_order(order):
    return {
        "rf": order.rf,
        "rf_printed": format_rf(order.rf),
        "amount_cents": order.amount_cents,
        "amount": format_amount(order.amount_cents),
        "status": order.status,
        "payable": order.status == PENDING,
        "debtor": mask_name(order.debtor_name),
        "debts": [_line(line) for line in order.lines],
    }


class RFGet(TraversingService):
    def reply(self):
        code = normalise_rf("".join(self.params))
        if not is_valid_rf(code):
            shown = format_rf(code)
            error = BilingualError(
                f"Ο κωδικός πληρωμής «{shown}» δεν είναι έγκυρος κωδικός RF· ελέγξτε τον.",
                f"The payment code “{shown}” is not a valid RF code; please check it.",
                code="bad-rf",
            )
            return error_reply(self.request, error)
        order = ledger.get_order(code)
        if order is None:
            error = BilingualError(
                f"Δεν υπάρχει εντολή πληρωμής με κωδικό «{format_rf(code)}».",
                f"No payment order has the code “{format_rf(code)}”.",
                code="unknown-rf",
            )
            return error_reply(self.request, error, 404, "NotFound")
        return {"@id": f"{self.context.absolute_url()}/@rf/{order.rf}", **public_order(order)}
