"""The book of payment receipts: numbered per year, kept in BTrees (not content objects).

One ``ReceiptBook`` lives in the site's annotations (``issuing.receipt_book()``):

``numbers``     a ``dimos.content.numbering.NumberBook``: year → the last number
                given, and number → the transaction id holding it;
``receipts``    receipt number (``"2026-000123"``) → Receipt;
``by_payment``  transaction id → receipt number (one receipt per payment, ever);
``by_rf``       RF code → receipt number (an order is paid once);
``by_afm``      ΑΦΜ → OOTreeSet of receipt numbers (a payer's receipts);
``pending``     OOTreeSet of the numbers whose PDF is still to be sealed.

Numbers: the year's counter has no conflict resolution, so two transactions
that number a receipt at the same time conflict on it; ZODB aborts one and
Zope retries it, and the retry takes the next number. A number is spent only
when the transaction that took it commits: no gaps, no duplicates (the same
argument as ``NumberBook``'s). A receipt is never deleted.

A ``Receipt`` is ``pending`` until its sealed PDF is kept (a ZODB blob), then
``issued``; while pending, ``reason`` says why in Greek and English (being
issued, or why it could not be sealed). Its data
never changes once numbered, so a later attempt seals the same receipt with
the same number. Every change is audited (who, when, what).

No Zope or Plone imports: it runs, and is tested, on a bare ZODB.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dimos.content.numbering import NumberBook
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.money import format_amount
from dimos.payments.receipts import ReceiptData
from dimos.payments.receipts import ReceiptLine
from persistent import Persistent
from ZODB.blob import Blob

import re


PENDING, ISSUED = "pending", "issued"
STATUSES = (PENDING, ISSUED)
NUMBER = re.compile(r"(\d{4})-(\d{6,})")
# What a receipt keeps of each debt it settled.
LINE_KEYS = ("debt_id", "category", "category_title", "category_title_en", "description")


def format_number(year, sequence):
    """``2026-000123``: the year, a dash and six digits; sorts as it counts."""
    return f"{year:04d}-{sequence:06d}"


def parse_number(text):
    """(year, sequence) of a receipt number, or None when ``text`` is not one."""
    match = NUMBER.fullmatch(str(text or "").strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


class Receipt(Audited, Persistent):
    """One payment's receipt. Made by ``ReceiptBook.open``; sealed by ``mark_issued``."""

    pdf = None  # the sealed PDF (a ZODB Blob) once issued
    pdf_size = 0
    issued_at = None
    reason = None  # {"code", "el", "en", "at"} while pending: being issued, or why not sealed
    attempts = 0
    emails = ()  # {"at", "to", "with_pdf"} for each email queued to the payer

    number = year = sequence = None  # given by ReceiptBook.open

    def __init__(self, values):
        self.rf = values["rf"]
        self.transaction_id = values["transaction_id"]
        self.paid_at = values["paid_at"]
        self.channel = values["channel"]
        self.payer_afm = values.get("payer_afm") or ""
        self.payer_name = values.get("payer_name") or ""
        self.municipality = values["municipality"]
        self.lines = tuple(
            {
                **{key: line.get(key) or "" for key in LINE_KEYS},
                "amount_cents": line["amount_cents"],
            }
            for line in values["lines"]
        )
        self.total_cents = values["total_cents"]
        self.created = now_utc()
        self.status = PENDING

    @property
    def emailed_pdf(self):
        return any(email["with_pdf"] for email in self.emails)

    def data(self):
        """The receipts.ReceiptData this receipt says (ReceiptError if it cannot be drawn)."""
        lines = [
            ReceiptLine(line["category_title"] or line["category"], line["description"], cents)
            for line in self.lines
            if (cents := line["amount_cents"])  # a zero line has nothing to show
        ]
        return ReceiptData(
            municipality=self.municipality,
            number=self.number,
            rf_code=self.rf,
            paid_at=self.paid_at,
            channel=self.channel,
            transaction_id=self.transaction_id,
            payer_name=self.payer_name,
            payer_afm=self.payer_afm,
            debts=lines,
            total_cents=self.total_cents,
        )

    def pdf_bytes(self):
        """The sealed PDF, or None while pending."""
        if self.pdf is None:
            return None
        with self.pdf.open("r") as stream:
            return stream.read()

    def to_json(self, audit=False):
        data = {
            "number": self.number,
            "year": self.year,
            "status": self.status,
            "rf": self.rf,
            "transaction_id": self.transaction_id,
            "paid_at": jsonable(self.paid_at),
            "channel": self.channel,
            "payer_afm": self.payer_afm,
            "payer_name": self.payer_name,
            "municipality": self.municipality,
            "lines": [
                {**line, "amount": format_amount(line["amount_cents"])} for line in self.lines
            ],
            "total_cents": self.total_cents,
            "total": format_amount(self.total_cents),
            "created": jsonable(self.created),
            "issued_at": jsonable(self.issued_at),
            "pdf_size": self.pdf_size,
            "reason": jsonable(self.reason),
        }
        if audit:
            data["attempts"] = self.attempts
            data["emails"] = jsonable(list(self.emails))
            data["audit"] = self.audit_json()
        return data


class ReceiptBook(Persistent):
    def __init__(self):
        self.numbers = NumberBook()
        self.receipts = OOBTree()
        self.by_payment = OOBTree()
        self.by_rf = OOBTree()
        self.by_afm = OOBTree()
        self.pending = OOTreeSet()

    # --- reading -----------------------------------------------------------------

    def get(self, number):
        return self.receipts.get(str(number or "").strip())

    def of_payment(self, transaction_id):
        number = self.by_payment.get(transaction_id)
        return None if number is None else self.receipts[number]

    def of_rf(self, rf):
        number = self.by_rf.get(rf)
        return None if number is None else self.receipts[number]

    def of_afm(self, afm):
        """The receipts of payer ``afm``, newest first."""
        return [self.receipts[number] for number in reversed(list(self.by_afm.get(afm, ())))]

    def newest(self, status=None):
        """Every receipt (only those of ``status`` if given), newest first."""
        numbers = self.pending if status == PENDING else self.receipts.keys()
        found = (self.receipts[number] for number in reversed(list(numbers)))
        return [receipt for receipt in found if status is None or receipt.status == status]

    def pending_receipts(self):
        """The receipts still to be sealed, oldest first."""
        return [self.receipts[number] for number in self.pending]

    # --- writing -----------------------------------------------------------------

    def open(self, year, values, actor, reason=None):
        """Number a new pending receipt in ``year`` for ``values`` (see Receipt); audited.

        ``reason`` ({"code", "el", "en", "at"}) says why it is pending, e.g.
        that it is being issued. A payment that has a receipt already keeps
        it: the same Receipt comes back.
        """
        transaction_id = values["transaction_id"]
        existing = self.of_payment(transaction_id)
        if existing is not None:
            return existing
        receipt = Receipt(values)  # first: a value it refuses spends no number
        receipt.sequence = self.numbers.take_next(year, transaction_id)
        receipt.year = year
        receipt.number = number = format_number(year, receipt.sequence)
        receipt.reason = reason
        changes = {"status": [None, PENDING]}
        if reason is not None:
            changes["reason"] = [None, jsonable(reason)]
        receipt.record(
            actor,
            "numbered",
            changes,
            rf=receipt.rf,
            transaction_id=transaction_id,
            total_cents=receipt.total_cents,
        )
        self.receipts[number] = receipt
        self.by_payment[transaction_id] = number
        self.by_rf[receipt.rf] = number
        if receipt.payer_afm:
            if receipt.payer_afm not in self.by_afm:
                self.by_afm[receipt.payer_afm] = OOTreeSet()
            self.by_afm[receipt.payer_afm].insert(number)
        self.pending.insert(number)
        return receipt

    def mark_issued(self, receipt, pdf, actor, when=None):
        """Keep the sealed ``pdf`` (bytes) of a pending receipt; it is issued."""
        if receipt.status == ISSUED:
            raise ValueError(f"receipt {receipt.number} is issued already")
        blob = Blob()
        with blob.open("w") as stream:
            stream.write(pdf)
        receipt.pdf = blob
        receipt.pdf_size = len(pdf)
        receipt.issued_at = when or now_utc()
        receipt.attempts += 1
        receipt.record(
            actor,
            "issued",
            {"status": [receipt.status, ISSUED], "reason": [jsonable(receipt.reason), None]},
            size=len(pdf),
        )
        receipt.status = ISSUED
        receipt.reason = None
        self.pending.remove(receipt.number)

    def mark_pending(self, receipt, code, message_el, message_en, actor, when=None):
        """The receipt could not be sealed now: why, in Greek and English; it stays pending."""
        when = when or now_utc()
        reason = {"code": code, "el": message_el, "en": message_en, "at": when}
        receipt.attempts += 1
        receipt.record(
            actor, "not-sealed", {"reason": [jsonable(receipt.reason), jsonable(reason)]}
        )
        receipt.reason = reason

    def note_email(self, receipt, to, with_pdf, actor):
        """Remember that an email to the payer was queued (sent when the transaction commits)."""
        email = {"at": now_utc(), "to": to, "with_pdf": bool(with_pdf)}
        receipt.emails = (*receipt.emails, email)
        receipt.record(actor, "emailed", {}, to=to, with_pdf=bool(with_pdf))
