"""Who may see a receipt: revenue staff, the payer (user id = ΑΦΜ), or whoever holds its RF code.

Holding the RF code the receipt paid (``?rf=``) is an anonymous payer's proof,
as it was their right to pay. Anyone else gets 404, exactly as for a number
that does not exist, so receipt numbers reveal nothing. Errors are
``Refused`` (services/debts/access.py) with Greek and English messages.
"""

from dimos.payments.bilingual import error_reply
from dimos.payments.rf import normalise_rf
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import user_id
from dimos.payments.settlement.issuing import get_receipt
from dimos.payments.settlement.store import parse_number
from plone import api

import hmac


STAFF, PAYER, RF_HOLDER = "staff", "payer", "rf"
VIEW_OWN_DEBTS = "Dimos: View own debts"
KINDS = {
    400: "BadRequest",
    401: "Unauthorized",
    403: "Forbidden",
    404: "NotFound",
    409: "Conflict",
}


def not_found(number):
    return Refused(
        404,
        f"Δεν βρέθηκε η απόδειξη «{number}».",
        f"Receipt “{number}” was not found.",
        "receipt-not-found",
    )


def rf_given(request):
    """The RF code in ``?rf=``, normalised, or ""."""
    value = request.form.get("rf")
    return normalise_rf(value) if isinstance(value, str) else ""


def holds_rf(request, receipt):
    given = rf_given(request)
    return bool(given) and hmac.compare_digest(given.encode(), receipt.rf.encode())


def access_to(context, request, receipt):
    """How the caller may see ``receipt``: STAFF, PAYER or RF_HOLDER; None if not at all."""
    if is_staff(context):
        return STAFF
    if receipt.payer_afm and user_id() == receipt.payer_afm:
        return PAYER
    if holds_rf(request, receipt):
        return RF_HOLDER
    return None


def receipt_for(context, request, number):
    """(Receipt, how) for receipt ``number`` if the caller may see it; Refused (404) if not."""
    receipt = get_receipt(number) if parse_number(number) else None
    how = access_to(context, request, receipt) if receipt is not None else None
    if how is None:
        raise not_found(number)
    return receipt, how


def may_list_own(context):
    """Refused (401) unless the caller may see their own receipts (a logged-in member)."""
    if api.user.is_anonymous() or not api.user.has_permission(VIEW_OWN_DEBTS, obj=context):
        raise Refused(
            401,
            "Συνδεθείτε (με τους κωδικούς Taxisnet) για να δείτε τις αποδείξεις σας, "
            "ή δώστε τον κωδικό πληρωμής RF: ?rf=…",
            "Log in (with Taxisnet) to see your receipts, or give the RF payment code: ?rf=…",
            "login-required",
        )


def refused_reply(request, error):
    return error_reply(request, error, error.status, KINDS.get(error.status, "BadRequest"))
