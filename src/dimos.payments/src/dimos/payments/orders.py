"""Payment orders (one RF code for several debts) and the one door through which money is recorded.

Issuing (``issue_order``): the debts must exist, be open and belong to one
debtor (and to ``afm`` when given: a citizen only orders their own). The
order's amount is the sum of their totals (amount + surcharge) at that moment,
and a snapshot of what was ordered is kept with it. A debt is in at most one
pending order: issuing a new order for it *supersedes* the older pending order
as a whole (its amount no longer holds), audited on the old order and on every
debt it held. A superseded code can no longer pay anything.

Recording (``record_payment``): every payment, from any channel (gateway
callback, bank file), is stored under its transaction id before anything else
happens, and the answer is a code:

``applied``       the order was pending and the amount exact: order and debts paid;
``duplicate``     this transaction id was seen before: nothing changes, and the
                  outcome repeats the first one (``first_code``);
``wrong-amount``  the amount differs from the order's: nothing is paid, the
                  order stays pending, the payment waits for staff;
``unknown-rf``    no order has this code: kept for staff;
``already-paid``  another transaction paid this order: an overpayment for
                  staff (refund or offset); the debts are untouched;
``superseded``    the order is no longer pending (superseded or cancelled):
                  kept for staff, nothing paid.

Safe under repetition (the transaction id is the key: a second call is
``duplicate``), under reordering (only the first exact payment of a pending
order pays; whatever comes after is ``already-paid``), and under concurrent
commits: two transactions recording against one order both write the order
object, which has no conflict resolution, and two recording one transaction id
insert the same key in ``payments``, which BTrees refuse to merge; ZODB raises
a ConflictError for the second, Zope retries it, and the retry sees the first
one's outcome. ``ledger.py`` also holds an in-process lock until commit so
that retries are rare. No Zope or Plone imports.
"""

from dataclasses import dataclass
from dataclasses import field
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.bilingual import BilingualError
from dimos.payments.debts import OPEN
from dimos.payments.debts import PAID
from dimos.payments.money import format_amount
from dimos.payments.rf import format_rf
from dimos.payments.rf import make_rf
from dimos.payments.rf import normalise_rf
from persistent import Persistent

import datetime


PENDING, SUPERSEDED, CANCELLED = "pending", "superseded", "cancelled"
ORDER_STATUSES = (PENDING, PAID, SUPERSEDED, CANCELLED)

APPLIED = "applied"
DUPLICATE = "duplicate"
WRONG_AMOUNT = "wrong-amount"
UNKNOWN_RF = "unknown-rf"
ALREADY_PAID = "already-paid"
OUTCOMES = (APPLIED, DUPLICATE, WRONG_AMOUNT, UNKNOWN_RF, ALREADY_PAID, SUPERSEDED)

MESSAGES = {
    APPLIED: (
        "Η πληρωμή καταχωρίστηκε και οι οφειλές εξοφλήθηκαν.",
        "The payment was recorded and the debts are paid.",
    ),
    DUPLICATE: (
        "Η συναλλαγή έχει ήδη καταχωριστεί· δεν άλλαξε τίποτα.",
        "This transaction was already recorded; nothing changed.",
    ),
    WRONG_AMOUNT: (
        "Το ποσό δεν είναι το ποσό της εντολής πληρωμής: δεν εξοφλήθηκε καμία οφειλή· "
        "η πληρωμή καταγράφηκε για έλεγχο από την υπηρεσία.",
        "The amount is not the payment order's: no debt was paid; "
        "the payment was recorded for the staff to check.",
    ),
    UNKNOWN_RF: (
        "Δεν υπάρχει εντολή πληρωμής με αυτόν τον κωδικό· η πληρωμή καταγράφηκε για έλεγχο.",
        "No payment order has this code; the payment was recorded for the staff to check.",
    ),
    ALREADY_PAID: (
        "Η εντολή πληρωμής είχε ήδη εξοφληθεί με άλλη συναλλαγή· η πληρωμή καταγράφηκε ως "
        "υπερπληρωμή για επιστροφή ή συμψηφισμό.",
        "The payment order was already paid by another transaction; the payment was recorded "
        "as an overpayment, to be refunded or offset.",
    ),
    SUPERSEDED: (
        "Ο κωδικός πληρωμής δεν ισχύει πλέον (αντικαταστάθηκε ή ακυρώθηκε)· δεν εξοφλήθηκε "
        "καμία οφειλή και η πληρωμή καταγράφηκε για έλεγχο.",
        "The payment code is no longer valid (superseded or cancelled); no debt was paid and "
        "the payment was recorded for the staff to check.",
    ),
}


class OrderError(BilingualError):
    code = "bad-order"


class DebtNotFound(OrderError):
    """No such debt, or (for a citizen) not theirs: the same answer, so nothing leaks."""

    code = "debt-not-found"


class OrderCounter(Persistent):
    """The last order sequence number given. Deliberately without conflict resolution."""

    value = 0

    def take(self):
        self.value += 1
        return self.value


class PaymentOrder(Audited, Persistent):
    """An RF code for several debts of one debtor, and what happened to it."""

    paid = None  # {"at", "transaction_id", "channel", "by"} once paid
    superseded_by = None

    def __init__(self, rf, sequence, afm, debtor_name, lines, created_by):
        self.rf = rf
        self.sequence = sequence
        self.afm = afm
        self.debtor_name = debtor_name
        self.lines = tuple(lines)  # what was ordered, as it was at issue time
        self.amount_cents = sum(line["amount_cents"] for line in self.lines)
        self.status = PENDING
        self.created = now_utc()
        self.created_by = created_by
        self.payments = ()  # every transaction id recorded against this code

    @property
    def debt_ids(self):
        return tuple(line["id"] for line in self.lines)

    def to_json(self):
        return {
            "rf": self.rf,
            "rf_printed": format_rf(self.rf),
            "amount_cents": self.amount_cents,
            "amount": format_amount(self.amount_cents),
            "status": self.status,
            "debts": list(self.debt_ids),
            "lines": jsonable(list(self.lines)),
            "afm": self.afm,
            "created": jsonable(self.created),
            "superseded_by": self.superseded_by,
            "paid": jsonable(self.paid),
        }


@dataclass(frozen=True)
class PaymentRecord:
    """One payment as a channel reported it; immutable once stored."""

    transaction_id: str
    rf: str
    amount_cents: int
    paid_at: object
    channel: str
    actor: str
    recorded: datetime.datetime
    code: str

    def to_json(self):
        return jsonable(dict(self.__dict__))


@dataclass(frozen=True)
class Outcome:
    """What ``record_payment`` did; ``code`` is one of OUTCOMES."""

    code: str
    transaction_id: str
    rf: str
    amount_cents: int
    first_code: str
    order_status: str | None = None
    order_amount_cents: int | None = None
    debt_ids: tuple = ()
    differs: tuple = field(default=())  # for a duplicate: what the repeat changed

    @property
    def applied(self):
        return self.code == APPLIED

    @property
    def needs_attention(self):
        return self.first_code not in (APPLIED,)

    @property
    def message_el(self):
        return MESSAGES[self.code][0]

    @property
    def message_en(self):
        return MESSAGES[self.code][1]

    def to_json(self):
        data = jsonable({key: getattr(self, key) for key in self.__dataclass_fields__})
        data.update(message_el=self.message_el, message_en=self.message_en)
        data["messages"] = {"el": self.message_el, "en": self.message_en}
        return data


def _line(debt):
    return {
        "id": debt.id,
        "category": debt.category,
        "description": debt.description,
        "due_date": debt.due_date,
        "amount_cents": debt.total_cents,
    }


def _chosen_ids(debt_ids):
    if isinstance(debt_ids, str) or not isinstance(debt_ids, (list, tuple)):
        debt_ids = None
    ids = list(dict.fromkeys(str(item).strip() for item in debt_ids or ()))
    if not ids or "" in ids:
        raise OrderError(
            "Επιλέξτε μία ή περισσότερες οφειλές για την εντολή πληρωμής.",
            "Choose one or more debts for the payment order.",
            code="no-debts",
        )
    return ids


def _chosen_debts(book, ids, afm):
    debts = []
    for debt_id in ids:
        debt = book.debts.get(debt_id)
        if debt is None or (afm is not None and debt.afm != afm):
            raise DebtNotFound(
                f"Δεν βρέθηκε η οφειλή «{debt_id}».",
                f"Debt “{debt_id}” was not found.",
                debt=debt_id,
            )
        if debt.status != OPEN:
            raise OrderError(
                f"Η οφειλή «{debt_id}» δεν είναι ανοιχτή ({debt.status}) και δεν πληρώνεται.",
                f"Debt “{debt_id}” is not open ({debt.status}) and cannot be paid.",
                code="debt-not-open",
                debt=debt_id,
            )
        debts.append(debt)
    if len({debt.afm for debt in debts}) > 1:
        raise OrderError(
            "Μία εντολή πληρωμής αφορά οφειλές ενός μόνο οφειλέτη (ΑΦΜ).",
            "A payment order covers the debts of one debtor (AFM) only.",
            code="several-debtors",
        )
    if sum(debt.total_cents for debt in debts) <= 0:
        raise OrderError(
            "Το ποσό της εντολής πληρωμής είναι μηδενικό.",
            "The payment order's amount is zero.",
            code="zero-amount",
        )
    return debts


def issue_order(book, debt_ids, afm, actor, beneficiary_code):
    """A new pending PaymentOrder for ``debt_ids``; older pending orders of them are superseded."""
    debts = _chosen_debts(book, _chosen_ids(debt_ids), afm)
    sequence = book.counter.take()
    rf = make_rf(sequence, beneficiary_code)
    if rf in book.orders:  # only if the counter was reset: never reuse a code
        raise RuntimeError(f"RF code {rf} exists already")
    order = PaymentOrder(rf, sequence, debts[0].afm, debts[0].name, map(_line, debts), actor)
    order.record(
        actor,
        "issued",
        {"status": [None, PENDING], "amount_cents": [None, order.amount_cents]},
        debts=list(order.debt_ids),
    )
    book.orders[rf] = order
    chosen = set(order.debt_ids)
    for old_rf in dict.fromkeys(debt.pending_rf for debt in debts if debt.pending_rf):
        _end(book, book.orders[old_rf], SUPERSEDED, actor, keep=chosen, superseded_by=rf)
    for debt in debts:
        debt.change({"pending_rf": rf}, actor, "order-issued", rf=rf)
    return order


def _end(book, order, status, actor, keep=(), superseded_by=None):
    """End a pending ``order`` (superseded or cancelled); free its debts not in ``keep``."""
    changes = {"status": [order.status, status]}
    if superseded_by:
        changes["superseded_by"] = [None, superseded_by]
        order.superseded_by = superseded_by
    order.status = status
    order.record(actor, status, changes)
    for debt_id in order.debt_ids:
        debt = book.debts.get(debt_id)
        if debt is not None and debt.pending_rf == order.rf and debt_id not in keep:
            debt.change({"pending_rf": None}, actor, f"order-{status}", rf=order.rf)


def cancel_order(book, rf, actor):
    """Cancel a pending order (staff): its code pays nothing any more, its debts are free."""
    order = book.orders.get(normalise_rf(rf))
    if order is None:
        raise OrderError(
            "Δεν υπάρχει εντολή πληρωμής με αυτόν τον κωδικό.",
            "No payment order has this code.",
            code="unknown-rf",
        )
    if order.status != PENDING:
        raise OrderError(
            f"Η εντολή πληρωμής δεν εκκρεμεί ({order.status}).",
            f"The payment order is not pending ({order.status}).",
            code="order-not-pending",
        )
    _end(book, order, CANCELLED, actor)
    return order


def _check_payment(amount_cents, transaction_id, paid_at, channel, actor):
    if isinstance(amount_cents, bool) or not isinstance(amount_cents, int) or amount_cents < 0:
        raise TypeError("amount_cents must be a non-negative int")
    for name, value in (("transaction_id", transaction_id), ("channel", channel)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{name} must be a non-empty string")
    if not actor:
        raise ValueError("actor is required: who records the payment")
    if isinstance(paid_at, datetime.datetime) and paid_at.utcoffset() is None:
        raise ValueError("paid_at must be timezone-aware (or a date)")
    if paid_at is not None and not isinstance(paid_at, datetime.date):
        raise TypeError("paid_at must be a datetime, a date or None (now)")


def _duplicate(first, rf, amount_cents, paid_at, channel, book):
    given = {"rf": rf, "amount_cents": amount_cents, "channel": channel}
    if paid_at is not None:
        given["paid_at"] = paid_at
    differs = tuple(key for key, value in given.items() if getattr(first, key) != value)
    order = book.orders.get(first.rf)
    return Outcome(
        code=DUPLICATE,
        transaction_id=first.transaction_id,
        rf=first.rf,
        amount_cents=first.amount_cents,
        first_code=first.code,
        order_status=order.status if order is not None else None,
        order_amount_cents=order.amount_cents if order is not None else None,
        debt_ids=order.debt_ids if order is not None else (),
        differs=differs,
    )


def _pay(book, order, record):
    paid = {
        "at": record.paid_at,
        "rf": order.rf,
        "transaction_id": record.transaction_id,
        "channel": record.channel,
        "by": record.actor,
    }
    order.paid = paid
    order.status = PAID
    order.record(record.actor, "paid", {"status": [PENDING, PAID]}, **paid)
    for debt_id in order.debt_ids:
        book.debts[debt_id].change(
            {"status": PAID, "pending_rf": None, "paid": paid},
            record.actor,
            "paid",
            rf=order.rf,
            transaction_id=record.transaction_id,
        )


def _code_for(book, order, amount_cents):
    if order is None:
        return UNKNOWN_RF
    if order.status == PAID:
        return ALREADY_PAID
    if order.status != PENDING:
        return SUPERSEDED
    if amount_cents != order.amount_cents:
        return WRONG_AMOUNT
    for debt_id in order.debt_ids:  # guarded by issue_order and the import; checked anyway
        debt = book.debts.get(debt_id)
        if debt is None or debt.status != OPEN or debt.pending_rf != order.rf:
            return SUPERSEDED
    return APPLIED


def record_payment(book, rf, amount_cents, transaction_id, paid_at, channel, actor):
    """Record one payment reported by ``channel``; the Outcome says what it did (see above)."""
    _check_payment(amount_cents, transaction_id, paid_at, channel, actor)
    transaction_id = transaction_id.strip()
    rf = normalise_rf(rf)
    first = book.payments.get(transaction_id)
    if first is not None:
        return _duplicate(first, rf, amount_cents, paid_at, channel, book)
    order = book.orders.get(rf)
    code = _code_for(book, order, amount_cents)
    record = PaymentRecord(
        transaction_id=transaction_id,
        rf=rf,
        amount_cents=amount_cents,
        paid_at=paid_at if paid_at is not None else now_utc(),
        channel=channel,
        actor=actor,
        recorded=now_utc(),
        code=code,
    )
    book.payments[transaction_id] = record
    if code != APPLIED:
        book.attention.insert(transaction_id)
    if order is not None:
        order.payments = (*order.payments, transaction_id)
        if code == APPLIED:
            _pay(book, order, record)
        else:
            order.record(actor, f"payment-{code}", {}, **record.to_json())
    return Outcome(
        code=code,
        transaction_id=transaction_id,
        rf=rf,
        amount_cents=amount_cents,
        first_code=code,
        order_status=order.status if order is not None else None,
        order_amount_cents=order.amount_cents if order is not None else None,
        debt_ids=order.debt_ids if order is not None else (),
    )
