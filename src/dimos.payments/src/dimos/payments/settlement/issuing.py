"""Receipts on the site: the public API for what happens after a payment is applied.

``settle(order, payment)`` is what the ``IPaymentApplied`` subscriber does,
inside the transaction that recorded the payment:

1. the payment gets a receipt number, consecutive per year (``2026-000123``),
   and a receipt record in the site's ``ReceiptBook`` (store.py);
2. the receipt is drawn and sealed (``seal.issue_receipt``) and the sealed
   PDF kept as a blob; when the seal cannot seal now (``SealError``) the
   receipt stays *pending* with the reason in Greek and English;
3. the payer is emailed (``notify.notify_payment_received``, the PDF
   attached, or "the receipt will follow") when their Plone member (user id
   = ΑΦΜ) has an email address; payers without an account get no email.

A receipt problem never aborts the payment: anything a step raises (other
than a ZODB conflict, which Zope retries as a whole) is caught, logged and,
where it can be, recorded on the receipt as the reason it is pending.
``retry_pending(actor)`` seals every pending receipt again (same number,
same data) and emails the payer the PDF.

Sealing happens inside the payment's transaction (a TSA request and
revocation data per receipt): a bank file that pays many orders at once
seals as many receipts in its request.

Other public functions: ``receipt_book()``, ``get_receipt(number)``,
``receipt_of_payment(transaction_id)``, ``receipt_of_rf(rf)``,
``receipts_of(afm)``, ``pending_receipts()``, ``receipt_links(receipt,
base_url, rf=None)``, ``municipality_name()``, ``payer_email(afm)``.
"""

from dataclasses import dataclass
from dimos.content.commitlock import hold_until_commit
from dimos.content.numbers import site_store
from dimos.payments import logger
from dimos.payments.audit import now_utc
from dimos.payments.categories import get_category
from dimos.payments.debts import is_afm
from dimos.payments.notify import notify_payment_received
from dimos.payments.notify import valid_email
from dimos.payments.receipts import ATHENS
from dimos.payments.receipts import ReceiptError
from dimos.payments.rf import normalise_rf
from dimos.payments.seal import issue_receipt
from dimos.payments.settlement.store import ISSUED
from dimos.payments.settlement.store import ReceiptBook
from plone import api
from transaction.interfaces import TransientError
from urllib.parse import urlencode


RECEIPTS_KEY = "dimos.payments.receipts"
LOCK_NAME = "dimos.payments.receipts"
MUNICIPALITY_RECORD = "dimos.payments.settlement.municipality"
SYSTEM_ACTOR = "dimos.payments:settlement"
FAILED_EL = (
    "Απρόβλεπτο σφάλμα κατά την έκδοση της απόδειξης· η πληρωμή έχει καταχωριστεί και η "
    "απόδειξη θα εκδοθεί με νέα προσπάθεια."
)
FAILED_EN = (
    "Unexpected error while issuing the receipt; the payment is recorded and the receipt "
    "will be issued on a new attempt."
)


def receipt_book():
    """The site's ReceiptBook, made on first use."""
    return site_store(RECEIPTS_KEY, ReceiptBook)


def get_receipt(number):
    """The Receipt numbered ``number`` (``"2026-000123"``), or None."""
    return receipt_book().get(number)


def receipt_of_payment(transaction_id):
    """The Receipt of the payment ``transaction_id``, or None."""
    return receipt_book().of_payment(str(transaction_id or "").strip())


def receipt_of_rf(rf):
    """The Receipt of the payment that paid RF code ``rf`` (any spacing or case), or None."""
    return receipt_book().of_rf(normalise_rf(rf))


def receipts_of(afm):
    """The receipts of payer ``afm``, newest first."""
    return receipt_book().of_afm(afm)


def pending_receipts():
    """The receipts whose sealed PDF is still to be issued, oldest first."""
    return receipt_book().pending_receipts()


def receipt_links(receipt, base_url, rf=None):
    """The receipt's REST addresses under ``base_url`` (the site's URL); ``rf`` adds ``?rf=``.

    ``{"@id": …/@receipts/<number>, "pdf": …/@receipts/<number>/pdf, "download":
    …/@@receipt-pdf/<number>}``, the last two None while pending; ``pdf`` is
    for REST clients, ``download`` for a plain link in a page. With ``rf``
    (the code it paid) the links work for whoever holds the code.
    """
    query = f"?{urlencode({'rf': receipt.rf})}" if rf else ""
    url = f"{base_url}/@receipts/{receipt.number}"
    issued = receipt.status == ISSUED
    return {
        "@id": f"{url}{query}",
        "pdf": f"{url}/pdf{query}" if issued else None,
        "download": f"{base_url}/@@receipt-pdf/{receipt.number}{query}" if issued else None,
    }


def municipality_name():
    """The name printed on receipts: the settlement record, else the site's title."""
    for record in (MUNICIPALITY_RECORD, "plone.site_title"):
        name = api.portal.get_registry_record(record, default=None)
        if name and name.strip():
            return name.strip()
    return "Δήμος"


def payer_email(afm):
    """The email address of the Plone member whose user id is ``afm``, or None."""
    if not is_afm(afm):
        return None
    user = api.user.get(userid=afm)
    if user is None:
        return None
    address = (user.getProperty("email", "") or "").strip()
    return address if valid_email(address) else None


def _line(line):
    category = get_category(line["category"])
    return {
        "debt_id": line["id"],
        "category": line["category"],
        "category_title": category.title_el if category else line["category"],
        "category_title_en": category.title_en if category else line["category"],
        "description": line["description"],
        "amount_cents": line["amount_cents"],
    }


def receipt_values(order, payment, municipality):
    """What the receipt of ``payment`` (which paid ``order``) says."""
    return {
        "rf": order.rf,
        "transaction_id": payment.transaction_id,
        "paid_at": payment.paid_at,
        "channel": payment.channel,
        "payer_afm": order.afm,
        "payer_name": order.debtor_name,
        "municipality": municipality,
        "lines": [_line(line) for line in order.lines],
        "total_cents": payment.amount_cents,
    }


def open_receipt(order, payment, actor, now=None):
    """Number and store the (pending) receipt of ``payment``; the Receipt.

    The year is the current one in Athens. Holds the receipts' commit lock
    until the transaction ends, so threads of one process never conflict on
    the year's counter.
    """
    hold_until_commit(LOCK_NAME)
    year = (now or now_utc()).astimezone(ATHENS).year
    values = receipt_values(order, payment, municipality_name())
    return receipt_book().open(year, values, actor)


def seal(receipt, actor):
    """Seal and keep the receipt's PDF; True when issued, False (reason recorded) when not."""
    if receipt.status == ISSUED:
        return True
    book = receipt_book()
    try:
        pdf = issue_receipt(receipt.data())
    except TransientError:
        raise
    except ReceiptError as error:
        logger.warning("Receipt %s not sealed (%s): %s", receipt.number, error.code, error)
        book.mark_pending(receipt, error.code, error.message_el, error.message_en, actor)
        return False
    except Exception:
        logger.exception("Receipt %s not sealed: unexpected error", receipt.number)
        book.mark_pending(receipt, "receipt-failed", FAILED_EL, FAILED_EN, actor)
        return False
    book.mark_issued(receipt, pdf, actor)
    return True


def email_payer(receipt, actor):
    """Queue the "payment received" email (the PDF attached if issued); True if queued."""
    address = payer_email(receipt.payer_afm)
    if address is None:
        logger.info("Receipt %s: the payer has no email address; none sent", receipt.number)
        return False
    pdf = receipt.pdf_bytes()
    if not notify_payment_received(address, receipt.payer_name, receipt.data(), pdf):
        return False
    receipt_book().note_email(receipt, address, pdf is not None, actor)
    return True


def _guarded(step, function, *args):
    """``function(*args)``; any error but a ZODB conflict is logged and gives None.

    No savepoint is rolled back: the ledger's commit lock joins the
    transaction with a resource that has no savepoints, and rolling back would
    doom the very transaction that records the payment. Each step computes
    first and writes last instead (see store.py), so a failure leaves nothing
    half-written.
    """
    try:
        return function(*args)
    except TransientError:
        raise
    except Exception:
        logger.exception("Settlement step “%s” failed; the payment stands", step)
        return None


def settle(order, payment, actor=None):
    """Receipt, seal and email for an applied ``payment`` of ``order``; the Receipt or None.

    Never raises for a receipt's problem (only ZODB conflicts go through).
    """
    actor = actor or payment.actor or SYSTEM_ACTOR
    receipt = _guarded("number", open_receipt, order, payment, actor)
    if receipt is None:
        return None
    _guarded("seal", seal, receipt, actor)
    _guarded("email", email_payer, receipt, actor)
    return receipt


@dataclass(frozen=True)
class RetryReport:
    """What ``retry_pending`` did: receipts now issued (and whether emailed), those still pending."""

    issued: tuple  # of (Receipt, emailed: bool)
    pending: tuple  # of Receipt, each with its ``reason``


def retry_pending(actor):
    """Seal every pending receipt again; the RetryReport."""
    issued, pending = [], []
    for receipt in pending_receipts():
        if _guarded("seal", seal, receipt, actor):
            issued.append((receipt, bool(_guarded("email", email_payer, receipt, actor))))
        else:
            pending.append(receipt)
    return RetryReport(tuple(issued), tuple(pending))
