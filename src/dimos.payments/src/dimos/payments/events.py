"""Events of the payments: subscribe to act when money has been applied to an order.

``PaymentApplied`` is notified by ``ledger.record_payment`` once per payment
that paid an order (outcome ``applied``), inside the transaction that
recorded it, never for duplicates, wrong amounts or superseded orders.
Subscribers (the receipt and the email, a common-space permit, ...) run in
that transaction: whatever must happen only after the commit (an email) is
queued for after the commit by the subscriber itself.
"""

from zope.interface import Attribute
from zope.interface import implementer
from zope.interface import Interface


class IPaymentApplied(Interface):
    order = Attribute("The PaymentOrder, now paid")
    payment = Attribute("The PaymentRecord that paid it")
    debts = Attribute("The Debts it paid, in the order's order")


@implementer(IPaymentApplied)
class PaymentApplied:
    def __init__(self, order, payment, debts):
        self.order = order
        self.payment = payment
        self.debts = debts
