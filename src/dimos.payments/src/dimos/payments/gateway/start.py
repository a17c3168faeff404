"""Starting a card payment for an RF code: anyone who holds the code may pay it.

No login: the RF code is what the citizen was given (on paper, by email, by
the e-service). Only a pending order can be paid, and only its own amount:
the amount travels signed, so the browser cannot change it.
"""

from dataclasses import dataclass
from dimos.payments import ledger
from dimos.payments.bilingual import BilingualError
from dimos.payments.gateway.hmac_redirect import get_gateway
from dimos.payments.money import format_amount
from dimos.payments.orders import PENDING
from dimos.payments.rf import format_rf
from dimos.payments.rf import is_valid_rf
from dimos.payments.rf import normalise_rf


class PaymentRefused(BilingualError):
    """The payment cannot start; ``status`` is the HTTP status that says why."""

    def __init__(self, message_el, message_en, code, status, **details):
        super().__init__(message_el, message_en, code=code, **details)
        self.status = status


@dataclass(frozen=True)
class PaymentStart:
    """Where to send the citizen, and what they are about to pay."""

    rf: str
    amount_cents: int
    redirect_url: str
    gateway_name: str
    gateway_title_el: str
    gateway_title_en: str

    def to_json(self):
        return {
            "rf": self.rf,
            "rf_printed": format_rf(self.rf),
            "amount_cents": self.amount_cents,
            "amount": format_amount(self.amount_cents),
            "redirect_url": self.redirect_url,
            "gateway": {
                "name": self.gateway_name,
                "title": {"el": self.gateway_title_el, "en": self.gateway_title_en},
            },
        }


def payable_order(text):
    """The pending PaymentOrder of RF code ``text``; PaymentRefused otherwise."""
    rf = normalise_rf(text)
    if not rf:
        raise PaymentRefused(
            "Πληκτρολογήστε τον κωδικό πληρωμής RF.",
            "Type the RF payment code.",
            code="missing-rf",
            status=400,
        )
    if not is_valid_rf(rf):
        raise PaymentRefused(
            f"Ο κωδικός πληρωμής «{format_rf(rf)}» δεν είναι έγκυρος κωδικός RF· ελέγξτε τον.",
            f"The payment code “{format_rf(rf)}” is not a valid RF code; please check it.",
            code="bad-rf",
            status=400,
            rf=rf,
        )
    order = ledger.get_order(rf)
    if order is None:
        raise PaymentRefused(
            f"Δεν υπάρχει εντολή πληρωμής με κωδικό «{format_rf(rf)}».",
            f"There is no payment order with code “{format_rf(rf)}”.",
            code="unknown-rf",
            status=404,
            rf=rf,
        )
    if order.status == "paid":
        raise PaymentRefused(
            "Η εντολή πληρωμής έχει ήδη εξοφληθεί· δεν χρειάζεται να πληρώσετε ξανά.",
            "The payment order is already paid; there is no need to pay again.",
            code="already-paid",
            status=409,
            rf=rf,
        )
    if order.status != PENDING:
        raise PaymentRefused(
            "Ο κωδικός πληρωμής δεν ισχύει πλέον (αντικαταστάθηκε ή ακυρώθηκε).",
            "The payment code is no longer valid (superseded or cancelled).",
            code="not-payable",
            status=409,
            rf=rf,
            order_status=order.status,
        )
    return order


def start_payment(text):
    """The PaymentStart of RF code ``text``; PaymentRefused or ProtocolError (not configured)."""
    order = payable_order(text)
    gateway = get_gateway()
    return PaymentStart(
        rf=order.rf,
        amount_cents=order.amount_cents,
        redirect_url=gateway.payment_url(order.rf, order.amount_cents),
        gateway_name=gateway.name,
        gateway_title_el=gateway.title_el,
        gateway_title_en=gateway.title_en,
    )
