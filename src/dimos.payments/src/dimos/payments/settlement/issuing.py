"""Receipts on the site: the public API for what happens after a payment is applied.

``settle(order, payment)`` is what the ``IPaymentApplied`` subscriber does,
inside the transaction that recorded the payment, with the ledger's commit
lock held: only what is cheap.

1. the payment gets a receipt number, consecutive per year (``2026-000123``),
   and a *pending* receipt record in the site's ``ReceiptBook`` (store.py);
2. the seal's settings are checked (``seal.ready_config``: the registry, no
   file, no server). When no seal or no TSA is set up, the receipt stays
   pending with that reason, nothing is drawn, and the payer is emailed
   "payment received, the receipt will follow" when the transaction commits;
3. otherwise the receipt's reason says it is being issued, and once the
   transaction has committed, ``issue_in_background`` runs on the worker
   thread (background.py): it draws and seals the receipt holding no lock
   and writing nothing, then, in a short transaction of its own holding the
   receipts' lock (retried on a conflict), keeps the sealed PDF as a blob, or
   the reason it could not be sealed, and emails the payer (the PDF attached,
   or "the receipt will follow"). The bank's callback is answered meanwhile.

The payer is emailed when their Plone member (user id = ΑΦΜ) has an email
address; payers without an account get no email. A receipt problem never
aborts the payment: anything a step raises (other than a ZODB conflict,
which Zope retries as a whole) is caught, logged and, where it can be,
recorded on the receipt as the reason it is pending. Whatever did not finish
(the process stopped, the queue was full) stays pending, and
``retry_pending(actor)`` (``POST /@receipts-retry``) seals every pending
receipt again, the same number and data, and emails the payer the PDF; it
too draws and seals first and takes the receipts' lock only to write.

Other public functions: ``receipt_book()``, ``get_receipt(number)``,
``receipt_of_payment(transaction_id)``, ``receipt_of_rf(rf)``,
``receipts_of(afm)``, ``pending_receipts()``, ``receipt_links(receipt,
base_url, rf=None)``, ``municipality_name()``, ``payer_email(afm)``,
``draw_and_seal(receipt, config)``, ``keep(receipt, drawn, actor)``.
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
from dimos.payments.seal import ready_config
from dimos.payments.settlement.background import busy
from dimos.payments.settlement.background import commit_with_retries
from dimos.payments.settlement.background import run_after_commit
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
ISSUING = "receipt-issuing"
ISSUING_EL = (
    "Η απόδειξη εκδίδεται (σχεδίαση και ηλεκτρονική σφραγίδα)· η πληρωμή έχει καταχωριστεί. "
    "Αν δεν εκδοθεί σε λίγα λεπτά, θα εκδοθεί με νέα προσπάθεια."
)
ISSUING_EN = (
    "The receipt is being issued (drawn and sealed); the payment is recorded. "
    "If it is not issued within minutes, it will be issued on a new attempt."
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


def issuing_reason(now=None):
    """The reason of a receipt that is being issued, in Greek and English."""
    return {"code": ISSUING, "el": ISSUING_EL, "en": ISSUING_EN, "at": now or now_utc()}


def open_receipt(order, payment, actor, reason=None, now=None):
    """Number and store the (pending) receipt of ``payment``; the Receipt.

    The year is the current one in Athens. Holds the receipts' commit lock
    until the transaction ends, so threads of one process never conflict on
    the year's counter.
    """
    hold_until_commit(LOCK_NAME)
    year = (now or now_utc()).astimezone(ATHENS).year
    values = receipt_values(order, payment, municipality_name())
    return receipt_book().open(year, values, actor, reason)


@dataclass(frozen=True)
class Drawn:
    """What drawing and sealing a receipt gave: the sealed PDF, or why there is none."""

    pdf: bytes | None = None
    code: str = ""
    message_el: str = ""
    message_en: str = ""

    @classmethod
    def refused(cls, error):
        return cls(None, error.code, error.message_el, error.message_en)


FAILED = Drawn(None, "receipt-failed", FAILED_EL, FAILED_EN)


def seal_setup():
    """(the site's SealConfig, None) when receipts can be sealed; (None, Drawn saying why) if not.

    Cheap: the registry only, no file read, no server asked.
    """
    try:
        return ready_config(), None
    except TransientError:
        raise
    except ReceiptError as error:
        return None, Drawn.refused(error)
    except Exception:
        logger.exception("The seal's settings cannot be read: unexpected error")
        return None, FAILED


def draw_and_seal(receipt, config):
    """The receipt drawn and sealed with ``config``: a Drawn. Writes nothing, holds no lock."""
    try:
        return Drawn(issue_receipt(receipt.data(), config))
    except TransientError:
        raise
    except ReceiptError as error:
        return Drawn.refused(error)
    except Exception:
        logger.exception("Receipt %s not sealed: unexpected error", receipt.number)
        return FAILED


def keep(receipt, drawn, actor):
    """Keep what ``draw_and_seal`` gave: the PDF (issued) or the reason (pending); True if issued."""
    book = receipt_book()
    if drawn.pdf is not None:
        book.mark_issued(receipt, drawn.pdf, actor)
        return True
    logger.warning("Receipt %s not sealed (%s): %s", receipt.number, drawn.code, drawn.message_en)
    book.mark_pending(receipt, drawn.code, drawn.message_el, drawn.message_en, actor)
    return False


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


def _guarded(step, function, *args, **kwargs):
    """``function(*args, **kwargs)``; any error but a ZODB conflict is logged and gives None.

    No savepoint is rolled back: the ledger's commit lock joins the
    transaction with a resource that has no savepoints, and rolling back would
    doom the very transaction that records the payment. Each step computes
    first and writes last instead (see store.py), so a failure leaves nothing
    half-written.
    """
    try:
        return function(*args, **kwargs)
    except TransientError:
        raise
    except Exception:
        logger.exception("Settlement step “%s” failed; the payment stands", step)
        return None


def settle(order, payment, actor=None):
    """Number the receipt of an applied ``payment`` of ``order``; the Receipt or None.

    Seals nothing here: the receipt is issued after the commit, in the
    background, or stays pending at once when no seal is set up.
    Never raises for a receipt's problem (only ZODB conflicts go through).
    """
    actor = actor or payment.actor or SYSTEM_ACTOR
    config, refused = seal_setup()
    reason = issuing_reason() if config is not None else None
    receipt = _guarded("number", open_receipt, order, payment, actor, reason)
    if receipt is None or receipt.status == ISSUED:
        return receipt
    if config is None:
        _guarded("seal", keep, receipt, refused, actor)
        _guarded("email", email_payer, receipt, actor)
        return receipt
    book, number = receipt_book(), receipt.number
    _guarded(
        "issue", run_after_commit, issue_in_background, book, number, config, actor, key=number
    )
    return receipt


def issue_in_background(site, book, number, config, actor):
    """The worker's task: draw and seal receipt ``number``, then keep it and email the payer.

    Drawing and sealing (the slow part) hold no lock and write nothing; the
    writes come last, in a transaction of their own holding the receipts'
    lock (begun afresh, so they see the latest state), retried on a conflict.
    A receipt issued meanwhile (by a retry) is left as it is.
    """
    receipt = book.get(number)
    if receipt is None or receipt.status == ISSUED:
        return
    drawn = draw_and_seal(receipt, config)

    def write():
        hold_until_commit(LOCK_NAME, fresh=True)
        if receipt.status == ISSUED:
            return False
        issued = keep(receipt, drawn, actor)
        _guarded("email", email_payer, receipt, actor)
        return issued

    commit_with_retries(write)


@dataclass(frozen=True)
class RetryReport:
    """What ``retry_pending`` did: receipts now issued (and whether emailed), those still pending."""

    issued: tuple  # of (Receipt, emailed: bool)
    pending: tuple  # of Receipt, each with its ``reason``


def retry_pending(actor):
    """Seal every pending receipt again; the RetryReport.

    Receipts the worker of this process is issuing right now are left to it
    (reported pending). The others are drawn and sealed first; the receipts'
    lock is taken only to keep the results.
    """
    config, refused = seal_setup()
    waiting, issuing = [], []
    for receipt in pending_receipts():
        (issuing if busy(receipt.number) else waiting).append(receipt)
    drawn = [(r, draw_and_seal(r, config) if config else refused) for r in waiting]
    if drawn:
        hold_until_commit(LOCK_NAME, fresh=True)
    issued, pending = [], []
    for receipt, result in drawn:
        if receipt.status == ISSUED:  # issued meanwhile (the worker, another process)
            issued.append((receipt, False))
        elif _guarded("seal", keep, receipt, result, actor):
            issued.append((receipt, bool(_guarded("email", email_payer, receipt, actor))))
        else:
            pending.append(receipt)
    return RetryReport(tuple(issued), tuple(pending + issuing))
