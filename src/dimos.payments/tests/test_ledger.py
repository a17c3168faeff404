"""Payment orders and record_payment: repeated, reordered, wrong, superseded and concurrent payments.

Most tests run on a bare DebtBook (and a real in-memory ZODB for the
concurrency tests); the last ones run the public API on a Plone site.
"""

from dimos.payments import ledger
from dimos.payments.debtbook import DebtBook
from dimos.payments.orders import ALREADY_PAID
from dimos.payments.orders import APPLIED
from dimos.payments.orders import CANCELLED
from dimos.payments.orders import DebtNotFound
from dimos.payments.orders import DUPLICATE
from dimos.payments.orders import OrderError
from dimos.payments.orders import PENDING
from dimos.payments.orders import SUPERSEDED
from dimos.payments.orders import UNKNOWN_RF
from dimos.payments.orders import WRONG_AMOUNT
from dimos.payments.rf import format_rf
from dimos.payments.rf import make_rf
from dimos.payments.rf import parse_rf
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import sample_rows
from plone import api
from stdnum import iso11649
from ZODB.FileStorage import FileStorage
from ZODB.POSException import ConflictError

import datetime
import itertools
import pytest
import transaction
import ZODB


CODE = "9912"
WHEN = datetime.datetime(2026, 3, 2, 10, 15, tzinfo=datetime.UTC)


@pytest.fixture
def book():
    book = DebtBook()
    report = book.import_rows(sample_rows(), "clerk")
    assert report.counts["created"] == 6
    return book


def issue(book, ids, afm=AFM_A, actor=AFM_A):
    return book.issue_order(ids, afm, actor, CODE)


def pay(book, order_or_rf, amount, txid, actor="gateway:sandbox"):
    rf = getattr(order_or_rf, "rf", order_or_rf)
    return book.record_payment(rf, amount, txid, WHEN, "gateway", actor)


def state(book):
    """Everything record_payment may change, to show that a call changed nothing."""
    return (
        {k: (d.status, d.pending_rf, d.paid, len(d.audit)) for k, d in book.debts.items()},
        {k: (o.status, o.paid, o.payments, len(o.audit)) for k, o in book.orders.items()},
        dict(book.payments.items()),
        list(book.attention),
    )


# --- issuing orders -------------------------------------------------------------------


def test_an_order_sums_amounts_and_surcharges_and_has_a_valid_rf(book):
    order = issue(book, ["2026-0001", "2026-0002"])
    assert order.amount_cents == 12000 + 123456 + 6173
    assert order.status == PENDING and order.afm == AFM_A
    assert iso11649.is_valid(order.rf)
    assert parse_rf(format_rf(order.rf), CODE) == order.sequence
    assert book.get_order(format_rf(order.rf).lower()) is order
    assert [d.id for d in book.debts_of_rf(order.rf)] == ["2026-0001", "2026-0002"]
    assert book.debts_of_rf(make_rf(999, CODE)) == []
    for debt_id in order.debt_ids:
        debt = book.get_debt(debt_id)
        assert debt.pending_rf == order.rf and debt.status == "open"
        assert debt.audit[-1]["who"] == AFM_A and debt.audit[-1]["action"] == "order-issued"
        assert debt.audit[-1]["changes"] == {"pending_rf": [None, order.rf]}
    second = issue(book, ["2026-0003"])
    assert second.sequence == order.sequence + 1 and second.rf != order.rf


def test_a_citizen_cannot_order_another_afm_s_debt_or_an_unknown_one(book):
    for ids in (["2026-0101"], ["2026-0001", "2026-0101"], ["no-such-debt"]):
        with pytest.raises(DebtNotFound) as caught:
            issue(book, ids)
        assert "Δεν βρέθηκε" in caught.value.message_el
    assert len(book.orders) == 0
    assert book.get_debt("2026-0001").pending_rf is None


def test_staff_may_order_anyone_s_but_one_debtor_per_order(book):
    order = book.issue_order(["2026-0101"], None, "revenue", CODE)
    assert order.afm == AFM_B
    with pytest.raises(OrderError) as caught:
        book.issue_order(["2026-0001", "2026-0102"], None, "revenue", CODE)
    assert caught.value.code == "several-debtors"


@pytest.mark.parametrize("ids", [[], None, "2026-0001", [""]])
def test_an_order_needs_debts(book, ids):
    with pytest.raises(OrderError) as caught:
        issue(book, ids)
    assert caught.value.code == "no-debts"


def test_only_open_debts_can_be_ordered(book):
    book.import_rows([debt_row("2026-0009", AFM_A, status="cancelled")], "clerk")
    with pytest.raises(OrderError) as caught:
        issue(book, ["2026-0001", "2026-0009"])
    assert caught.value.code == "debt-not-open"
    assert "δεν είναι ανοιχτή" in caught.value.message_el


def test_a_new_order_supersedes_the_pending_one_of_its_debts(book):
    old = issue(book, ["2026-0001", "2026-0002"])
    new = issue(book, ["2026-0001", "2026-0003"])
    assert old.status == SUPERSEDED and old.superseded_by == new.rf
    assert old.audit[-1]["action"] == SUPERSEDED and old.audit[-1]["who"] == AFM_A
    assert book.get_debt("2026-0001").pending_rf == new.rf
    assert book.get_debt("2026-0001").audit[-1]["changes"] == {"pending_rf": [old.rf, new.rf]}
    freed = book.get_debt("2026-0002")
    assert freed.pending_rf is None and freed.audit[-1]["action"] == "order-superseded"
    assert new.amount_cents == 12000 + 4000


# --- recording payments ---------------------------------------------------------------


def test_an_exact_payment_pays_the_order_and_its_debts(book):
    order = issue(book, ["2026-0001", "2026-0002"])
    outcome = pay(book, order, order.amount_cents, "T-1")
    assert outcome.code == APPLIED and outcome.applied and not outcome.needs_attention
    assert outcome.order_status == "paid" and set(outcome.debt_ids) == set(order.debt_ids)
    assert order.status == "paid" and order.paid["transaction_id"] == "T-1"
    for debt_id in order.debt_ids:
        debt = book.get_debt(debt_id)
        assert debt.status == "paid" and debt.pending_rf is None
        assert debt.paid["transaction_id"] == "T-1" and debt.paid["at"] == WHEN
        last = debt.audit[-1]
        assert last["who"] == "gateway:sandbox" and last["action"] == "paid"
        assert last["changes"]["status"] == ["open", "paid"]
        assert last["when"].tzinfo is not None
    assert list(book.attention) == []
    assert book.get_payment("T-1").code == APPLIED


def test_a_repeated_transaction_changes_nothing_and_answers_as_the_first_time(book):
    order = issue(book, ["2026-0001"])
    first = pay(book, order, order.amount_cents, "T-1")
    before = state(book)
    again = pay(book, order, order.amount_cents, "T-1")
    assert again.code == DUPLICATE and again.first_code == APPLIED
    assert (again.order_status, again.debt_ids) == (first.order_status, first.debt_ids)
    assert again.differs == ()
    forged = book.record_payment(order.rf, 1, "T-1", WHEN, "bank", "bank:file")
    assert forged.code == DUPLICATE and set(forged.differs) == {"amount_cents", "channel"}
    assert state(book) == before


def test_a_wrong_amount_pays_nothing_and_waits_for_staff(book):
    order = issue(book, ["2026-0001", "2026-0003"])
    for txid, amount in (("T-less", order.amount_cents - 1), ("T-more", order.amount_cents + 1)):
        outcome = pay(book, order, amount, txid)
        assert outcome.code == WRONG_AMOUNT and outcome.needs_attention
        assert outcome.order_amount_cents == order.amount_cents
        assert "δεν εξοφλήθηκε" in outcome.message_el and "no debt was paid" in outcome.message_en
    assert order.status == PENDING
    assert all(book.get_debt(i).status == "open" for i in order.debt_ids)
    assert {r.transaction_id for r in book.payments_needing_attention()} == {"T-less", "T-more"}
    assert pay(book, order, order.amount_cents - 1, "T-less").first_code == WRONG_AMOUNT
    assert pay(book, order, order.amount_cents, "T-exact").code == APPLIED  # still payable
    assert order.payments == ("T-less", "T-more", "T-exact")


def test_an_unknown_or_malformed_rf_is_kept_for_staff(book):
    unknown = make_rf(999, CODE)
    for txid, rf in (("T-unknown", unknown), ("T-garbage", "not a code")):
        before = state(book)[:2]
        outcome = pay(book, rf, 1000, txid)
        assert outcome.code == UNKNOWN_RF and outcome.order_status is None
        assert state(book)[:2] == before
    assert {r.transaction_id for r in book.payments_needing_attention()} == {
        "T-unknown",
        "T-garbage",
    }


def test_a_second_payment_of_a_paid_order_is_an_overpayment(book):
    order = issue(book, ["2026-0001"])
    pay(book, order, order.amount_cents, "T-1")
    debts_before = state(book)[0]
    outcome = pay(book, order, order.amount_cents, "T-2")
    assert outcome.code == ALREADY_PAID and outcome.needs_attention
    assert "υπερπληρωμή" in outcome.message_el
    assert state(book)[0] == debts_before
    assert book.get_debt("2026-0001").paid["transaction_id"] == "T-1"
    assert [r.transaction_id for r in book.payments_needing_attention()] == ["T-2"]
    assert order.audit[-1]["action"] == "payment-already-paid"


def test_a_superseded_or_cancelled_code_pays_nothing(book):
    old = issue(book, ["2026-0001", "2026-0002"])
    new = issue(book, ["2026-0001"])
    outcome = pay(book, old, old.amount_cents, "T-old")
    assert outcome.code == SUPERSEDED and outcome.order_status == SUPERSEDED
    assert all(book.get_debt(i).status == "open" for i in old.debt_ids)
    assert pay(book, new, new.amount_cents, "T-new").code == APPLIED
    assert book.get_debt("2026-0002").status == "open"
    cancelled = book.cancel_order(issue(book, ["2026-0002"]).rf, "revenue")
    assert cancelled.status == CANCELLED and book.get_debt("2026-0002").pending_rf is None
    assert pay(book, cancelled, cancelled.amount_cents, "T-cancelled").code == SUPERSEDED
    assert book.get_debt("2026-0002").status == "open"
    with pytest.raises(OrderError):
        book.cancel_order(cancelled.rf, "revenue")


def test_any_order_of_callbacks_pays_once_and_records_everything():
    """Every permutation of the same deliveries ends with one payment applied, the first exact one."""
    events = [
        ("T-1", 0),  # exact
        ("T-2", 0),  # exact, a second payment (overpayment)
        ("T-3", -500),  # short
        ("T-1", 0),  # a redelivery of T-1
        ("T-4", +1),  # a cent too much
    ]
    for order_of_events in itertools.permutations(events):
        book = DebtBook()
        book.import_rows(sample_rows(), "clerk")
        order = issue(book, ["2026-0001", "2026-0004"])
        codes = [
            pay(book, order, order.amount_cents + delta, txid).code
            for txid, delta in order_of_events
        ]
        first_exact = next(txid for txid, delta in order_of_events if delta == 0)
        assert codes.count(APPLIED) == 1
        assert order.status == "paid" and order.paid["transaction_id"] == first_exact
        for debt_id in order.debt_ids:
            debt = book.get_debt(debt_id)
            assert debt.paid["transaction_id"] == first_exact
            assert [e["action"] for e in debt.audit].count("paid") == 1
        assert set(book.payments) == {"T-1", "T-2", "T-3", "T-4"}
        assert set(book.attention) == {"T-1", "T-2", "T-3", "T-4"} - {first_exact}
        assert codes.count(DUPLICATE) == 1


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"amount_cents": 12.0}, TypeError),
        ({"amount_cents": "1200"}, TypeError),
        ({"amount_cents": -1}, TypeError),
        ({"amount_cents": True}, TypeError),
        ({"transaction_id": ""}, ValueError),
        ({"transaction_id": None}, ValueError),
        ({"channel": " "}, ValueError),
        ({"actor": ""}, ValueError),
        ({"paid_at": datetime.datetime(2026, 3, 2, 10, 15)}, ValueError),
        ({"paid_at": "2026-03-02"}, TypeError),
    ],
)
def test_bad_arguments_are_refused_before_anything_is_stored(book, kwargs, error):
    order = issue(book, ["2026-0001"])
    call = {
        "rf": order.rf,
        "amount_cents": order.amount_cents,
        "transaction_id": "T-1",
        "paid_at": WHEN,
        "channel": "gateway",
        "actor": "gateway:sandbox",
    }
    call.update(kwargs)
    with pytest.raises(error):
        book.record_payment(**call)
    assert len(book.payments) == 0 and order.status == PENDING


def test_a_bank_date_is_accepted_as_paid_at(book):
    order = issue(book, ["2026-0001"])
    outcome = book.record_payment(
        order.rf, 12000, "BANK-1", datetime.date(2026, 3, 2), "bank", "bank"
    )
    assert outcome.code == APPLIED
    assert book.get_debt("2026-0001").paid["at"] == datetime.date(2026, 3, 2)


# --- concurrent commits on a real ZODB -----------------------------------------------------


@pytest.fixture
def two_connections(tmp_path):
    """Two connections to one database (a FileStorage: it resolves conflicts as ZEO does)."""
    db = ZODB.DB(FileStorage(str(tmp_path / "Data.fs")))
    managers = [transaction.TransactionManager() for _ in range(2)]
    first = db.open(managers[0])
    book = first.root()["book"] = DebtBook()
    book.import_rows(sample_rows(), "clerk")
    order = issue(book, ["2026-0001", "2026-0002"])
    managers[0].commit()
    second = db.open(managers[1])
    yield managers, first.root()["book"], second.root()["book"], order.rf
    for manager in managers:
        manager.abort()
    db.close()


def test_two_concurrent_payments_of_one_order_cannot_both_commit(two_connections):
    (tm1, tm2), book1, book2, rf = two_connections
    amount = book1.get_order(rf).amount_cents
    assert pay(book1, rf, amount, "T-A").code == APPLIED
    assert pay(book2, rf, amount, "T-B").code == APPLIED  # each sees a pending order
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()
    tm2.abort()  # Zope retries the request: the retry sees T-A's payment
    assert pay(book2, rf, amount, "T-B").code == ALREADY_PAID
    tm2.commit()
    tm1.begin()
    assert book1.get_debt("2026-0001").paid["transaction_id"] == "T-A"
    assert [r.transaction_id for r in book1.payments_needing_attention()] == ["T-B"]


def test_the_same_transaction_delivered_twice_at_once_is_recorded_once(two_connections):
    (tm1, tm2), book1, book2, rf = two_connections
    amount = book1.get_order(rf).amount_cents
    assert pay(book1, rf, amount, "T-A").code == APPLIED
    assert pay(book2, rf, amount, "T-A").code == APPLIED
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()
    tm2.abort()
    again = pay(book2, rf, amount, "T-A")
    assert again.code == DUPLICATE and again.first_code == APPLIED
    tm2.commit()
    tm1.begin()
    assert len(book1.payments) == 1


def test_payments_of_different_orders_commit_side_by_side(two_connections):
    (tm1, tm2), book1, book2, rf = two_connections
    other = issue(book1, ["2026-0003"])
    tm1.commit()
    tm2.begin()
    assert pay(book1, rf, book1.get_order(rf).amount_cents, "T-A").code == APPLIED
    assert pay(book2, other.rf, other.amount_cents, "T-B").code == APPLIED
    tm1.commit()
    tm2.commit()  # different orders and debts; the payments BTree merges the two inserts
    tm1.begin()
    assert set(book1.payments) == {"T-A", "T-B"}
    assert book1.get_debt("2026-0003").status == "paid"


def test_two_orders_issued_at_once_never_share_an_rf(two_connections):
    (tm1, tm2), book1, book2, _rf = two_connections
    first = issue(book1, ["2026-0003"])
    second = issue(book2, ["2026-0004"])
    assert first.rf == second.rf  # the same next number, seen by both
    tm1.commit()
    with pytest.raises(ConflictError):
        tm2.commit()
    tm2.abort()
    retried = issue(book2, ["2026-0004"])
    tm2.commit()
    assert retried.sequence == first.sequence + 1 and retried.rf != first.rf


# --- the public API on a site ----------------------------------------------------------------


def test_the_site_ledger_uses_the_registry_beneficiary_code(portal):
    assert api.portal.get_registry_record("dimos.payments.beneficiary_code") == "9912"
    ledger.import_debts(sample_rows(), "clerk")
    order = ledger.issue_order(["2026-0001"], afm=AFM_A, actor=AFM_A)
    assert parse_rf(order.rf, "9912") == order.sequence
    api.portal.set_registry_record("dimos.payments.beneficiary_code", "123456")
    other = ledger.issue_order(["2026-0003"], afm=AFM_A, actor=AFM_A)
    assert other.rf[4:].startswith("123456") and iso11649.is_valid(other.rf)
    assert ledger.get_order(format_rf(other.rf)) is other
    assert ledger.get_order(order.rf) is order  # older codes keep working


def test_the_public_api_records_payments_and_who_acted(portal):
    ledger.import_debts(sample_rows(), "clerk")
    assert [d.id for d in ledger.debts_of(AFM_B)] == ["2026-0101", "2026-0102"]
    order = ledger.issue_order(["2026-0101", "2026-0102"], afm=AFM_B, actor=AFM_B)
    outcome = ledger.record_payment(
        order.rf, order.amount_cents, "GW-1", WHEN, "gateway", "gateway:sandbox"
    )
    assert outcome.code == APPLIED
    assert (
        ledger.record_payment(order.rf, order.amount_cents, "GW-1", WHEN, "gateway", "gw").code
        == DUPLICATE
    )
    assert ledger.get_payment("GW-1").actor == "gateway:sandbox"
    assert [d.status for d in ledger.debts_of(AFM_B)] == ["paid", "paid"]
    assert ledger.debts_of(AFM_B, status="open") == []
    assert ledger.get_debt("2026-0101").audit[-1]["who"] == "gateway:sandbox"
    assert ledger.payments_needing_attention() == []
    with pytest.raises(ValueError):
        ledger.issue_order(["2026-0001"], afm=AFM_A)  # no actor: no audit, no order
    with pytest.raises(ValueError):
        ledger.record_payment(order.rf, 1, "GW-2", WHEN, "gateway", None)


def test_a_debt_born_here_is_stored_audited_and_payable_without_an_afm(portal):
    values = {
        "afm": None,
        "name": "",
        "category": "traffic-fine",
        "description": "Κλήση ΚΟΚ 123456, ΙΚΑ-1234",
        "amount_cents": 8000,
        "surcharge_cents": 0,
        "due_date": datetime.date(2026, 4, 1),
        "status": "open",
    }
    debt = ledger.add_debt("KOK-123456", "traffic-fine", values, "anonymous:fine-form")
    assert ledger.get_debt("KOK-123456") is debt and debt.source == "traffic-fine"
    assert debt.audit[0]["who"] == "anonymous:fine-form"
    assert debt.audit[0]["changes"]["amount_cents"] == [None, 8000]
    order = ledger.issue_order(["KOK-123456"], actor="anonymous:fine-form")
    assert order.amount_cents == 8000 and iso11649.is_valid(order.rf)
    with pytest.raises(KeyError):
        ledger.add_debt("KOK-123456", "traffic-fine", values, "anonymous:fine-form")
    with pytest.raises(ValueError):
        ledger.add_debt("KOK-9", "no-such-source", values, "anonymous:fine-form")


def test_an_applied_payment_and_only_that_notifies_payment_applied(portal):
    from dimos.payments.events import IPaymentApplied
    from zope.component import getGlobalSiteManager

    seen = []

    def subscriber(event):
        seen.append((event.order.rf, event.payment.transaction_id, [d.id for d in event.debts]))

    gsm = getGlobalSiteManager()
    gsm.registerHandler(subscriber, (IPaymentApplied,))
    try:
        ledger.import_debts(sample_rows(), "clerk")
        order = ledger.issue_order(["2026-0101", "2026-0102"], afm=AFM_B, actor=AFM_B)
        ledger.record_payment(order.rf, 1, "GW-0", WHEN, "gateway", "gw")  # wrong amount
        ledger.record_payment(order.rf, order.amount_cents, "GW-1", WHEN, "gateway", "gw")
        ledger.record_payment(order.rf, order.amount_cents, "GW-1", WHEN, "gateway", "gw")
        ledger.record_payment(order.rf, order.amount_cents, "GW-2", WHEN, "gateway", "gw")
    finally:
        gsm.unregisterHandler(subscriber, (IPaymentApplied,))
    assert seen == [(order.rf, "GW-1", ["2026-0101", "2026-0102"])]
