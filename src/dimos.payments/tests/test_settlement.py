"""After a payment is applied: the receipt is numbered, then sealed after the commit, retried.

The payment's transaction only numbers the receipt; it is drawn and sealed
once that transaction has committed, on the worker thread, in a transaction
of its own. Tests that seal therefore use the functional layer (they commit)
and wait for the worker with ``background.drain()``; those without a seal
stay in the integration layer (nothing waits for a commit there).

The seal is a real certificate of dimos.signing's test PKI on 127.0.0.1 (CA,
OCSP, TSA); every sealed receipt is validated with pyHanko and read back with
pdftotext.
"""

from datetime import date
from datetime import datetime
from datetime import UTC
from dimos.payments import ledger
from dimos.payments.receipts import ATHENS
from dimos.payments.settlement import background
from dimos.payments.settlement.issuing import pending_receipts
from dimos.payments.settlement.issuing import receipt_book
from dimos.payments.settlement.issuing import receipt_of_payment
from dimos.payments.settlement.issuing import receipt_of_rf
from dimos.payments.settlement.issuing import receipts_of
from dimos.payments.settlement.issuing import retry_pending
from dimos.payments.settlement.testing import assert_sealed
from dimos.payments.settlement.testing import drop_seal
from dimos.payments.settlement.testing import pdf_text
from dimos.payments.settlement.testing import seal_identity
from dimos.payments.settlement.testing import use_seal
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_gateway import issue_test_order
from dimos.signing.testing_pki import start_pki
from plone import api
from stdnum import iso11649

import pytest
import transaction


PAYER = "094019245"  # issue_test_order's debtor
PAID_AT = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        pki.identities["seal"] = seal_identity(pki)
        yield pki


@pytest.fixture(autouse=True)
def worker():
    """The worker thread has done its work at the end of each test, and is gone."""
    yield background.WORKER
    assert background.drain(), "the worker did not finish"
    assert background.stop(), "the worker thread did not end"


def this_year():
    return datetime.now(ATHENS).year


def pay(order, txid, cents=None, channel="bank-file"):
    amount = order.amount_cents if cents is None else cents
    return ledger.record_payment(order.rf, amount, txid, PAID_AT, channel, actor="test:bank")


def committed():
    """Commit, wait for the worker, and see what it committed."""
    transaction.commit()
    assert background.drain()
    transaction.begin()


def test_an_applied_payment_gets_a_numbered_sealed_receipt(functional_portal, pki, tmp_path):
    use_seal(pki, tmp_path)
    api.portal.set_registry_record("dimos.payments.settlement.municipality", "Δήμος Ελαιώνα")
    order = issue_test_order([1250, 3000])
    queued = background.WORKER.submitted
    assert pay(order, "BANK-0001").applied

    receipt = receipt_of_payment("BANK-0001")  # the payment's transaction only numbers it
    assert receipt.number == f"{this_year()}-000001"
    assert receipt.status == "pending" and receipt.pdf_bytes() is None
    assert receipt.reason["code"] == "receipt-issuing"
    assert "εκδίδεται" in receipt.reason["el"] and "being issued" in receipt.reason["en"]
    assert background.WORKER.submitted == queued  # nothing runs before the commit
    committed()

    assert background.WORKER.submitted == queued + 1
    receipt = receipt_of_payment("BANK-0001")
    assert receipt is receipt_of_rf(iso11649.format(order.rf).lower())
    assert receipt.status == "issued" and receipt.reason is None
    assert (receipt.rf, receipt.total_cents, receipt.payer_afm) == (order.rf, 4250, PAYER)
    assert [line["amount_cents"] for line in receipt.lines] == [1250, 3000]
    assert receipt.lines[0]["category_title"] == "Τέλος κοινοχρήστων χώρων"
    assert receipts_of(PAYER) == [receipt] and pending_receipts() == []

    pdf = receipt.pdf_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) == receipt.pdf_size
    assert_sealed(pki, pdf)
    text = pdf_text(pdf)
    for shown in (
        "Δήμος Ελαιώνα",
        receipt.number,
        iso11649.format(order.rf),
        "BANK-0001",
        PAYER,
        "12,50 €",
        "30,00 €",
        "42,50 €",
        "02/03/2026 10:15",  # paid at 08:15 UTC, shown in Athens time
    ):
        assert shown in text, shown
    actions = [entry["action"] for entry in receipt.audit]
    assert actions == ["numbered", "issued"]
    assert receipt.audit[0]["changes"]["reason"][1]["code"] == "receipt-issuing"
    assert {entry["who"] for entry in receipt.audit} == {"test:bank"}


def test_receipt_numbers_are_consecutive(portal):
    numbers = []
    for number in range(1, 4):
        order = issue_test_order([1000 * number])
        assert pay(order, f"SEQ-{number}").applied
        numbers.append(receipt_of_payment(f"SEQ-{number}").number)
    year = this_year()
    assert numbers == [f"{year}-000001", f"{year}-000002", f"{year}-000003"]
    assert receipt_book().numbers.last(year) == 3


def test_only_an_applied_payment_gets_a_receipt(portal):
    order = issue_test_order([1250, 3000])
    assert pay(order, "WRONG-1", cents=4251).code == "wrong-amount"
    assert receipt_of_payment("WRONG-1") is None and receipt_of_rf(order.rf) is None

    assert pay(order, "RIGHT-1").applied
    assert pay(order, "RIGHT-1").code == "duplicate"  # the same payment reported again
    assert pay(order, "LATE-2").code == "already-paid"  # another payment of a paid order
    assert receipt_of_payment("LATE-2") is None
    assert list(receipt_book().receipts) == [receipt_of_payment("RIGHT-1").number]

    old = issue_test_order([5000])
    ledger.issue_order(old.debt_ids, actor="test:citizen")  # supersedes the old code
    assert pay(old, "OLD-1").code == "superseded"
    assert receipt_of_payment("OLD-1") is None and receipt_of_rf(old.rf) is None
    assert receipt_book().numbers.last(this_year()) == 1


def test_without_a_seal_the_receipt_waits_and_the_payment_stands(portal, pki, tmp_path):
    use_seal(pki, tmp_path)
    drop_seal()  # the TSA and trust are set; the seal's file is not
    order = issue_test_order([1250])
    outcome = pay(order, "NOSEAL-1")
    assert outcome.applied
    assert ledger.get_order(order.rf).status == "paid"
    assert {ledger.get_debt(debt_id).status for debt_id in order.debt_ids} == {"paid"}

    receipt = receipt_of_payment("NOSEAL-1")
    number = receipt.number
    assert receipt.status == "pending" and receipt.pdf_bytes() is None
    assert receipt.reason["code"] == "seal-not-configured"
    assert "σφραγίδα" in receipt.reason["el"] and "seal" in receipt.reason["en"]
    assert pending_receipts() == [receipt]

    report = retry_pending("revenue-officer")  # still no seal: still pending, why again
    assert report.issued == () and report.pending == (receipt,)
    assert receipt.attempts == 2

    use_seal(pki, tmp_path, identity="expired")  # a seal, but an expired one
    retry_pending("revenue-officer")
    assert receipt.status == "pending" and receipt.reason["code"] == "seal-expired"

    use_seal(pki, tmp_path)
    report = retry_pending("revenue-officer")
    assert [issued.number for issued, _emailed in report.issued] == [number]
    assert report.pending == () and pending_receipts() == []
    assert receipt.number == number and receipt.status == "issued" and receipt.reason is None
    assert_sealed(pki, receipt.pdf_bytes())
    assert number in pdf_text(receipt.pdf_bytes())
    assert [entry["action"] for entry in receipt.audit] == [
        "numbered",
        "not-sealed",
        "not-sealed",
        "not-sealed",
        "issued",
    ]
    assert receipt.audit[-1]["who"] == "revenue-officer"
    assert receipt_book().numbers.last(this_year()) == 1  # the retry took no new number


def test_the_payer_s_email_is_queued_only_when_they_have_an_address(portal):
    drop_seal()
    api.portal.set_registry_record("plone.email_from_address", "noreply@dimos.example.gr")
    create_citizen(AFM_A)
    mine = issue_test_order([1250], afm=AFM_A)
    stranger = issue_test_order([2500])  # a debtor with no account here
    pay(mine, "MAIL-1")
    pay(stranger, "MAIL-2")
    (email,) = receipt_of_payment("MAIL-1").emails
    assert email["to"] == f"{AFM_A}@example.org" and email["with_pdf"] is False
    assert receipt_of_payment("MAIL-2").emails == ()


def test_a_debt_without_a_known_debtor_still_gets_a_receipt(functional_portal, pki, tmp_path):
    use_seal(pki, tmp_path)
    values = {
        "afm": None,
        "name": "Άγνωστος οδηγός",
        "category": "traffic-fine",
        "description": "Κλήση ΚΟΚ αρ. 123456",
        "amount_cents": 4000,
        "surcharge_cents": 0,
        "due_date": date(2026, 6, 30),
        "status": "open",
    }
    ledger.add_debt("KOK-123456", "traffic-fine", values, actor="police-officer")
    order = ledger.issue_order(["KOK-123456"], actor="anonymous")
    paid_on = date(2026, 3, 2)  # a bank's file gives the day only
    assert ledger.record_payment(order.rf, 4000, "KOK-PAY-1", paid_on, "bank-file", "bank").applied
    committed()
    receipt = receipt_of_rf(order.rf)
    assert receipt.status == "issued" and receipt.payer_afm == ""
    assert receipt.emails == ()
    text = pdf_text(receipt.pdf_bytes())
    assert "Κλήση ΚΟΚ αρ. 123456" in text and "40,00 €" in text and "02/03/2026" in text
    assert "Τράπεζα, με τον κωδικό RF" in text


def test_an_unexpected_error_while_issuing_is_recorded_not_raised(
    functional_portal, pki, tmp_path, caplog
):
    """A seal path with a NUL byte makes Python itself refuse (ValueError, not SealError)."""
    use_seal(pki, tmp_path)
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", f"{tmp_path}/seal\0.p12")
    order = issue_test_order([1250])
    assert pay(order, "ODD-1").applied
    committed()
    assert ledger.get_order(order.rf).status == "paid"
    receipt = receipt_of_payment("ODD-1")
    assert receipt.status == "pending" and receipt.reason["code"] == "receipt-failed"
    assert "η πληρωμή έχει καταχωριστεί" in receipt.reason["el"]
    assert "the payment is recorded" in receipt.reason["en"]
    assert "unexpected error" in caplog.text
    use_seal(pki, tmp_path)
    ((issued, _emailed),) = retry_pending("revenue-officer").issued
    assert issued is receipt and receipt.status == "issued"
    transaction.commit()


def test_without_a_seal_the_receipt_is_pending_at_once_and_nothing_is_queued(functional_portal):
    drop_seal()
    order = issue_test_order([1250])
    queued = background.WORKER.submitted
    assert pay(order, "NOSEAL-2").applied
    receipt = receipt_of_payment("NOSEAL-2")
    assert receipt.status == "pending" and receipt.reason["code"] == "seal-not-configured"
    committed()
    assert background.WORKER.submitted == queued  # nothing to draw: no seal to seal it with
    assert receipt_of_payment("NOSEAL-2").reason["code"] == "seal-not-configured"


class RefusesToCommit:
    """A resource whose vote fails, as a full disk or a lost database connection would."""

    transaction_manager = transaction.manager

    def abort(self, txn):
        pass

    tpc_begin = commit = tpc_abort = tpc_finish = abort

    def tpc_vote(self, txn):
        raise OSError("No space left on device")

    def sortKey(self):
        return "~~refuses"  # after the ZODB connection: it votes last


def test_nothing_is_issued_unless_the_payment_s_transaction_commits(
    functional_portal, pki, tmp_path
):
    use_seal(pki, tmp_path)
    order = issue_test_order([1250])
    transaction.commit()
    queued = background.WORKER.submitted

    assert pay(order, "ABORTED-1").applied
    transaction.abort()  # e.g. the request failed after the payment was recorded
    assert pay(order, "FAILED-1").applied
    transaction.get().join(RefusesToCommit())
    with pytest.raises(OSError):
        transaction.commit()
    transaction.abort()

    assert background.drain()
    assert background.WORKER.submitted == queued  # neither failed transaction queued a task
    transaction.begin()
    assert receipt_of_payment("ABORTED-1") is None and receipt_of_payment("FAILED-1") is None
    assert ledger.get_order(order.rf).status == "pending"
    assert receipt_book().numbers.last(this_year()) == 0


class AnotherProcess:
    """A synchronizer: just before the worker's first commit, another process changes the receipt.

    It marks the receipt pending (a retry of its own that could not reach the
    TSA) from a connection and transaction manager of its own, without the
    in-process lock, as another Zope process would: the worker's commit then
    conflicts on the receipt.
    """

    def __init__(self, db, book_oid):
        self.db, self.book_oid, self.commits = db, book_oid, 0

    def newTransaction(self, txn):
        txn.addBeforeCommitHook(self.before_commit)

    def beforeCompletion(self, txn):
        pass

    afterCompletion = beforeCompletion

    def before_commit(self):
        self.commits += 1
        if self.commits > 1:
            return
        manager = transaction.TransactionManager()
        connection = self.db.open(manager)
        try:
            book = connection.get(self.book_oid)
            receipt = book.get(next(iter(book.pending)))
            book.mark_pending(receipt, "seal-tsa", "Η TSA δεν απαντά.", "The TSA is down.", "other")
            manager.commit()
        finally:
            connection.close()


def listen(site, synchronizer):
    """A task for the worker thread: ``synchronizer`` sees its transactions from now on."""
    transaction.manager.registerSynch(synchronizer)


def test_a_conflict_while_keeping_the_receipt_is_retried(functional_portal, pki, tmp_path):
    use_seal(pki, tmp_path)
    order = issue_test_order([1250])
    book = receipt_book()
    other = AnotherProcess(functional_portal._p_jar.db(), None)
    background.run_after_commit(listen, other, key="listen")
    transaction.commit()
    other.book_oid = book._p_oid  # a new object has its oid once committed

    assert pay(order, "CONFLICT-1").applied
    committed()
    assert other.commits == 2  # the first commit conflicted; the second went through
    receipt = receipt_of_payment("CONFLICT-1")
    assert receipt.status == "issued" and receipt.reason is None
    assert_sealed(pki, receipt.pdf_bytes())
    assert [entry["action"] for entry in receipt.audit] == ["numbered", "not-sealed", "issued"]
    assert [entry["who"] for entry in receipt.audit] == ["test:bank", "other", "test:bank"]
    assert receipt.attempts == 2 and pending_receipts() == []
