"""The receipt book on a bare ZODB: numbers per year with no gaps and no duplicates, blobs, audit."""

from datetime import datetime
from datetime import UTC
from dimos.payments.receipts import ReceiptData
from dimos.payments.rf import make_rf
from dimos.payments.settlement.store import format_number
from dimos.payments.settlement.store import ISSUED
from dimos.payments.settlement.store import parse_number
from dimos.payments.settlement.store import PENDING
from dimos.payments.settlement.store import ReceiptBook
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from ZODB.blob import BlobStorage
from ZODB.MappingStorage import MappingStorage
from ZODB.POSException import ConflictError

import pytest
import transaction
import ZODB


def values(txid, afm=AFM_A, sequence=1, cents=(1250, 3000)):
    return {
        "rf": make_rf(sequence, "9912"),
        "transaction_id": txid,
        "paid_at": datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
        "channel": "gateway",
        "payer_afm": afm,
        "payer_name": "Παπαδόπουλος Γεώργιος",
        "municipality": "Δήμος Ελαιώνα",
        "lines": [
            {
                "debt_id": f"D{number}",
                "category": "common-space",
                "category_title": "Τέλος κοινοχρήστων χώρων",
                "category_title_en": "Common space fee",
                "description": f"Τραπεζοκαθίσματα {number}",
                "amount_cents": amount,
            }
            for number, amount in enumerate(cents, 1)
        ],
        "total_cents": sum(cents),
    }


@pytest.fixture
def db(tmp_path):
    database = ZODB.DB(BlobStorage(str(tmp_path / "blobs"), MappingStorage()))
    manager = transaction.TransactionManager()
    connection = database.open(manager)
    connection.root()["book"] = ReceiptBook()
    manager.commit()
    connection.close()
    yield database
    database.close()


def session(db):
    """(transaction manager, the book as this connection sees it)."""
    manager = transaction.TransactionManager()
    connection = db.open(manager)
    return manager, connection.root()["book"]


def test_numbers_count_per_year_and_sort_as_they_count(db):
    manager, book = session(db)
    numbers = [book.open(2026, values(f"T{n}", sequence=n), "test").number for n in (1, 2, 3)]
    numbers.append(book.open(2027, values("T4", sequence=4), "test").number)
    manager.commit()
    assert numbers == ["2026-000001", "2026-000002", "2026-000003", "2027-000001"]
    assert [receipt.number for receipt in book.newest()] == list(reversed(numbers))
    assert parse_number("2026-000123") == (2026, 123)
    assert parse_number("2026/000123") is None and parse_number("") is None
    assert format_number(2026, 1234567) == "2026-1234567"


def test_one_payment_has_one_receipt(db):
    manager, book = session(db)
    first = book.open(2026, values("SAME"), "test")
    again = book.open(2026, values("SAME"), "test")
    assert again is first
    assert book.numbers.last(2026) == 1
    assert book.of_payment("SAME") is first and book.of_rf(first.rf) is first


def test_concurrent_numbering_conflicts_and_the_retry_takes_the_next_number(db):
    """Two transactions number a receipt at once: one commits, the other conflicts and retries."""
    manager_1, book_1 = session(db)
    manager_2, book_2 = session(db)
    assert book_1.open(2026, values("P1", sequence=1), "test").number == "2026-000001"
    assert book_2.open(2026, values("P2", sequence=2), "test").number == "2026-000001"
    manager_1.commit()
    with pytest.raises(ConflictError):
        manager_2.commit()
    manager_2.abort()  # what Zope does before retrying the request
    assert book_2.open(2026, values("P2", sequence=2), "test").number == "2026-000002"
    manager_2.commit()
    manager_3, book_3 = session(db)
    assert list(book_3.receipts) == ["2026-000001", "2026-000002"]
    assert [book_3.of_payment(txid).number for txid in ("P1", "P2")] == list(book_3.receipts)
    assert book_3.numbers.numbers(2026) == [(1, "P1"), (2, "P2")]


def test_an_aborted_or_refused_receipt_spends_no_number(db):
    manager, book = session(db)
    book.open(2026, values("GONE"), "test")
    manager.abort()
    broken = values("BROKEN")
    del broken["lines"]
    with pytest.raises(KeyError):
        book.open(2026, broken, "test")
    assert book.numbers.last(2026) == 0
    assert book.open(2026, values("KEPT"), "test").number == "2026-000001"
    manager.commit()


def test_pending_then_issued_keeps_the_pdf_as_a_blob_and_audits(db):
    manager, book = session(db)
    receipt = book.open(2026, values("T1"), "gateway:sandbox")
    assert receipt.status == PENDING and list(book.pending) == [receipt.number]
    book.mark_pending(receipt, "seal-missing", "Λείπει η σφραγίδα.", "The seal is missing.", "x")
    manager.commit()
    assert receipt.reason["code"] == "seal-missing" and receipt.attempts == 1
    assert [r.number for r in book.newest(PENDING)] == [receipt.number]
    book.mark_issued(receipt, b"%PDF-1.7 sealed", "revenue-officer")
    manager.commit()
    manager_2, book_2 = session(db)
    kept = book_2.get(receipt.number)
    assert kept.status == ISSUED and kept.reason is None and kept.attempts == 2
    assert kept.pdf_bytes() == b"%PDF-1.7 sealed" and kept.pdf_size == 15
    assert list(book_2.pending) == [] and book_2.newest(PENDING) == []
    assert [entry["action"] for entry in kept.audit] == ["numbered", "not-sealed", "issued"]
    assert [entry["who"] for entry in kept.audit] == [
        "gateway:sandbox",
        "x",
        "revenue-officer",
    ]
    with pytest.raises(ValueError):
        book_2.mark_issued(kept, b"again", "x")


def test_the_receipt_data_and_a_payer_s_receipts(db):
    manager, book = session(db)
    first = book.open(2026, values("A1", sequence=1), "test")
    book.open(2026, values("B1", afm=AFM_B, sequence=2), "test")
    latest = book.open(2026, values("A2", sequence=3, cents=(4000, 0)), "test")
    assert [receipt.number for receipt in book.of_afm(AFM_A)] == [latest.number, first.number]
    data = latest.data()
    assert isinstance(data, ReceiptData)
    assert [line.amount_cents for line in data.debts] == [4000]  # a zero line is not drawn
    assert (data.number, data.total_cents, data.payer_afm) == (latest.number, 4000, AFM_A)
    assert data.filename == f"apodeixi-{latest.number}.pdf"
    shown = first.to_json()
    assert shown["total"] == "42,50 €" and shown["lines"][1]["amount"] == "30,00 €"
    assert "audit" not in shown and first.to_json(audit=True)["audit"][0]["action"] == "numbered"


def test_a_receipt_opened_while_being_issued_says_so_in_its_first_audit_entry(db):
    manager, book = session(db)
    reason = {"code": "receipt-issuing", "el": "Εκδίδεται.", "en": "Being issued.", "at": None}
    receipt = book.open(2026, values("T1"), "gateway:sandbox", reason)
    manager.commit()
    assert receipt.status == PENDING and receipt.reason == reason and receipt.attempts == 0
    (entry,) = receipt.audit
    assert entry["action"] == "numbered"
    assert entry["changes"] == {"status": [None, PENDING], "reason": [None, reason]}
    book.mark_issued(receipt, b"%PDF-1.7 sealed", "worker")
    manager.commit()
    assert receipt.reason is None and receipt.attempts == 1
    assert receipt.audit[-1]["changes"]["reason"] == [reason, None]
    assert book.open(2026, values("T2", sequence=2), "test").reason is None
