"""The gateway's signed callbacks: verified, journaled, and passed to the ledger once.

``receive_callback(body)`` is what ``POST /@payment-callback`` does:

1. the gateway checks the body (exact fields, constant-time HMAC, time
   window, merchant); a refusal is logged and raised (ProtocolError with its
   HTTP status), and nothing is written;
2. a transaction id already in the journal with the same content (a replay,
   or the bank retrying) gets the very answer it got the first time and
   changes nothing; with other content (another amount, RF or status) it is
   refused (409) and logged, and changes nothing;
3. an approved payment goes to ``ledger.record_payment`` (channel
   ``"gateway"``): the ledger alone decides whether it pays the order (the
   exact amount of a pending order) or is kept for staff (wrong amount,
   already paid, unknown or superseded code). Declined and cancelled
   payments record no money;
4. the answer is journaled under the transaction id, with the callback.

The journal (a site store) is also what the return page reads to tell a
declined payment from one still awaited. The ledger's commit lock is held
from the start, so two callbacks in one process never race.
"""

from BTrees.OOBTree import OOBTree
from dimos.content.commitlock import hold_until_commit
from dimos.content.numbers import site_store
from dimos.payments import ledger
from dimos.payments import logger
from dimos.payments.audit import now_utc
from dimos.payments.gateway.hmac_redirect import get_gateway
from dimos.payments.gateway.protocol import format_timestamp
from dimos.payments.gateway.protocol import ProtocolError
from persistent import Persistent
from plone import api
from zope.annotation.interfaces import IAnnotations


JOURNAL_KEY = "dimos.payments.gateway.callbacks"
CHANNEL = "gateway"

STATUS_MESSAGES = {
    "declined": (
        "Η τράπεζα απέρριψε την πληρωμή· δεν χρεώθηκε κανένα ποσό.",
        "The bank declined the payment; nothing was charged.",
    ),
    "cancelled": (
        "Η πληρωμή ακυρώθηκε πριν ολοκληρωθεί· δεν χρεώθηκε κανένα ποσό.",
        "The payment was cancelled before it was completed; nothing was charged.",
    ),
}


class CallbackJournal(Persistent):
    """Every verified callback: transaction id → entry, and RF code → its transaction ids."""

    def __init__(self):
        self.by_txid = OOBTree()
        self.by_rf = OOBTree()

    def get(self, transaction_id):
        return self.by_txid.get(transaction_id)

    def add(self, entry):
        self.by_txid[entry["transaction_id"]] = entry
        self.by_rf[entry["rf"]] = (*self.by_rf.get(entry["rf"], ()), entry["transaction_id"])

    def for_rf(self, rf):
        """The entries of ``rf``, in the order they arrived."""
        return [self.by_txid[txid] for txid in self.by_rf.get(rf, ())]


def journal():
    """The site's CallbackJournal, made on first use (by a callback: a write)."""
    return site_store(JOURNAL_KEY, CallbackJournal)


def journaled(rf):
    """The journal's entries for ``rf``, oldest first; reads only (pages call it on GET)."""
    found = IAnnotations(api.portal.get()).get(JOURNAL_KEY)
    return found.for_rf(rf) if found is not None else []


def _field(body, name):
    value = body.get(name) if isinstance(body, dict) else None
    return value[:80] if isinstance(value, str) else None


def _refuse(error, body):
    logger.warning(
        "Payment callback refused (%s, HTTP %s): %s txid=%r rf=%r",
        error.code,
        error.status,
        error.message_en,
        _field(body, "txid"),
        _field(body, "rf"),
    )
    raise error


def _outcome(callback, gateway):
    """The outcome code, its messages, and the order's status after it."""
    if callback.status != "approved":
        order = ledger.get_order(callback.rf)
        el, en = STATUS_MESSAGES[callback.status]
        return callback.status, el, en, order.status if order is not None else None
    outcome = ledger.record_payment(
        callback.rf,
        callback.amount_cents,
        callback.transaction_id,
        paid_at=callback.timestamp,
        channel=CHANNEL,
        actor=f"gateway:{gateway.name}",
    )
    return outcome.code, outcome.message_el, outcome.message_en, outcome.order_status


def _known(callback):
    """The journaled answer of a replay; ProtocolError (409) for the same id with other content."""
    entry = journal().get(callback.transaction_id)
    if entry is None:
        return None
    if tuple(entry["fingerprint"]) != callback.fingerprint():
        logger.warning(
            "Payment callback refused: transaction %s was reported before as %r, now as %r",
            callback.transaction_id,
            entry["fingerprint"],
            callback.fingerprint(),
        )
        raise ProtocolError(
            "conflicting-callback",
            "Η συναλλαγή έχει ήδη αναφερθεί με άλλο περιεχόμενο· δεν άλλαξε τίποτα.",
            "This transaction was already reported with other content; nothing changed.",
            status=409,
        )
    logger.info("Payment callback repeated: transaction %s", callback.transaction_id)
    return entry["answer"]


def receive_callback(body, gateway=None, now=None):
    """Verify, apply once and answer a callback's ``body``; ProtocolError when refused."""
    gateway = gateway or get_gateway()
    try:
        callback = gateway.verify_callback(body, now=now)
    except ProtocolError as error:
        _refuse(error, body)
    hold_until_commit(ledger.LOCK_NAME, fresh=True)  # before reading: see what others committed
    answer = _known(callback)
    if answer is not None:
        return answer
    code, message_el, message_en, order_status = _outcome(callback, gateway)
    answer = {
        "received": True,
        "transaction_id": callback.transaction_id,
        "rf": callback.rf,
        "status": callback.status,
        "outcome": code,
        "order_status": order_status,
        "message": message_el,
        "messages": {"el": message_el, "en": message_en},
    }
    journal().add(
        {
            "transaction_id": callback.transaction_id,
            "rf": callback.rf,
            "fingerprint": callback.fingerprint(),
            "amount_cents": callback.amount_cents,
            "status": callback.status,
            "timestamp": format_timestamp(callback.timestamp),
            "received": now_utc(),
            "answer": answer,
        }
    )
    logger.info(
        "Payment callback: transaction %s, %s, %s cents to %s: %s",
        callback.transaction_id,
        callback.status,
        callback.amount_cents,
        callback.rf,
        code,
    )
    return answer
