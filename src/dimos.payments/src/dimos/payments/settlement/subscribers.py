"""The ``IPaymentApplied`` subscriber: every applied payment gets its receipt (issuing.py)."""

from dimos.payments.settlement.issuing import settle


def payment_applied(event):
    """Number, seal and email the receipt of the payment that paid ``event.order``.

    Runs inside the transaction that recorded the payment; ``settle`` never
    raises for a receipt's problem, so the payment is always recorded.
    """
    settle(event.order, event.payment)
