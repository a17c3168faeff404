"""The ``IPaymentApplied`` subscriber: every applied payment gets its receipt (issuing.py)."""

from dimos.payments.settlement.issuing import settle


def payment_applied(event):
    """Number the receipt of the payment that paid ``event.order``; issued after the commit.

    Runs inside the transaction that recorded the payment, so it does only
    what is cheap: the drawing, the seal and the email come after the commit,
    on the worker thread (issuing.py). ``settle`` never raises for a
    receipt's problem, so the payment is always recorded.
    """
    settle(event.order, event.payment)
