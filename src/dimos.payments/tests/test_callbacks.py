"""POST /@payment-callback over HTTP: forged, replayed, reordered and wrong callbacks never pay twice.

The sandbox bank posts to the functional layer's real HTTP server; after
each exchange the test reads what the server committed.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.payments import ledger
from dimos.payments.gateway import protocol
from dimos.payments.gateway.callbacks import journaled
from dimos.payments.testing_gateway import issue_test_order
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import tampered
from dimos.payments.testing_gateway import use_sandbox

import logging
import pytest
import requests
import transaction


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        yield gateway


@pytest.fixture
def site(functional_portal, sandbox):
    sandbox.reset()
    use_sandbox(sandbox)
    order = issue_test_order([1250, 3000])
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@payment-callback", order.rf


def snapshot(rf):
    """Everything a callback could change about order ``rf``, its debts and the journal."""
    transaction.begin()
    order = ledger.get_order(rf)
    debts = [ledger.get_debt(debt_id) for debt_id in order.debt_ids]
    return {
        "order": (order.status, order.payments, order.paid, len(order.audit)),
        "debts": [(debt.status, debt.pending_rf, len(debt.audit)) for debt in debts],
        "journal": len(journaled(rf)),
        "attention": len(ledger.payments_needing_attention()),
    }


def signed(sandbox, rf, amount_cents, status="approved", txid="TX-1", **kw):
    return protocol.callback_fields(
        sandbox.secret.encode(), sandbox.merchant_id, txid, rf, amount_cents, status, **kw
    )


def test_forged_callbacks_are_refused_logged_and_change_nothing(site, sandbox, caplog):
    url, rf = site
    before = snapshot(rf)
    forged = [
        tampered(signed(sandbox, rf, 4250)),  # altered signature
        protocol.callback_fields(
            b"guessed-secret-0123", sandbox.merchant_id, "TX-1", rf, 4250, "approved"
        ),
        {**signed(sandbox, rf, 4250), "amount": "1"},  # amount changed after signing
        signed(sandbox, rf, 4250, now=datetime.now(UTC) - timedelta(minutes=10)),  # stale
    ]
    with caplog.at_level(logging.WARNING, logger="dimos.payments"):
        answers = [sandbox.post(url, body) for body in forged]
    assert [answer.status for answer in answers] == [403, 403, 403, 403]
    assert [answer.answer["error"]["code"] for answer in answers] == [
        "bad-signature",
        "bad-signature",
        "bad-signature",
        "stale",
    ]
    error = answers[0].answer["error"]
    assert error["message"] == "Η υπογραφή του μηνύματος δεν είναι έγκυρη."
    assert error["messages"]["en"] == "The message's signature is not valid."
    assert snapshot(rf) == before
    assert ledger.get_payment("TX-1") is None
    refused = [r.getMessage() for r in caplog.records if "callback refused" in r.getMessage()]
    assert len(refused) == 4 and all("TX-1" in message for message in refused)


def test_malformed_bodies_are_refused(site, sandbox):
    url, rf = site
    before = snapshot(rf)
    extra = sandbox.post(url, {**signed(sandbox, rf, 4250), "card_number": "4111111111111111"})
    assert (extra.status, extra.answer["error"]["code"]) == (400, "unknown-fields")
    body = signed(sandbox, rf, 4250)
    del body["status"]
    missing = sandbox.post(url, body)
    assert (missing.status, missing.answer["error"]["code"]) == (400, "missing-fields")
    form = requests.post(
        url, data=signed(sandbox, rf, 4250), headers={"Accept": "application/json"}, timeout=30
    )
    assert form.status_code == 415
    assert snapshot(rf) == before


def test_a_replayed_callback_gets_the_same_answer_and_pays_once(site, sandbox):
    url, rf = site
    body = signed(sandbox, rf, 4250, txid="TX-REPLAY")
    first = sandbox.post(url, body)
    assert first.status == 200 and first.answer["outcome"] == "applied"
    paid = snapshot(rf)
    assert paid["order"][0] == "paid" and {debt[0] for debt in paid["debts"]} == {"paid"}
    replays = [sandbox.post(url, body) for _ in range(2)]
    retry = sandbox.send_callback(url, rf, 4250, txid="TX-REPLAY")  # the bank retrying, new time
    assert [sent.answer for sent in (*replays, retry)] == [first.answer] * 3
    assert snapshot(rf) == paid
    assert ledger.get_order(rf).payments == ("TX-REPLAY",)


def test_the_sandbox_sending_twice(site, sandbox):
    url, rf = site
    sandbox.behaviour = "twice"
    sandbox.notify(url, rf, 4250, txid="TX-TWICE")
    first, second = sandbox.sent
    assert first.body == second.body
    assert first.answer == second.answer and first.answer["outcome"] == "applied"
    assert snapshot(rf)["order"][1] == ("TX-TWICE",)


def test_same_transaction_with_other_content_is_refused(site, sandbox):
    url, rf = site
    declined = sandbox.send_callback(url, rf, 4250, status="declined", txid="TX-SAME")
    assert declined.answer["outcome"] == "declined"
    before = snapshot(rf)
    approved = sandbox.send_callback(url, rf, 4250, status="approved", txid="TX-SAME")
    assert approved.status == 409 and approved.answer["error"]["code"] == "conflicting-callback"
    assert snapshot(rf) == before and before["order"][0] == "pending"


def test_declined_after_approved_leaves_it_paid(site, sandbox):
    url, rf = site
    assert sandbox.send_callback(url, rf, 4250, txid="TX-A").answer["outcome"] == "applied"
    paid = snapshot(rf)
    late = sandbox.send_callback(url, rf, 4250, status="declined", txid="TX-EARLIER")
    assert late.status == 200
    assert (late.answer["outcome"], late.answer["order_status"]) == ("declined", "paid")
    after = snapshot(rf)
    assert after["order"] == paid["order"] and after["debts"] == paid["debts"]
    assert ledger.get_payment("TX-EARLIER") is None  # a declined payment records no money


def test_approved_twice_with_two_transactions_the_second_is_kept_for_staff(site, sandbox):
    url, rf = site
    assert sandbox.send_callback(url, rf, 4250, txid="TX-FIRST").answer["outcome"] == "applied"
    paid = snapshot(rf)
    second = sandbox.send_callback(url, rf, 4250, txid="TX-SECOND")
    assert second.status == 200
    assert second.answer["outcome"] == "already-paid"
    assert "υπερπληρωμή" in second.answer["messages"]["el"]
    after = snapshot(rf)
    assert after["debts"] == paid["debts"]  # untouched: not even an audit entry
    order = ledger.get_order(rf)
    assert order.paid["transaction_id"] == "TX-FIRST"
    assert order.payments == ("TX-FIRST", "TX-SECOND")
    assert ledger.get_payment("TX-SECOND").code == "already-paid"
    assert after["attention"] == paid["attention"] + 1


def test_the_sandbox_reordering(site, sandbox):
    url, rf = site
    sandbox.behaviour = "reordered"
    sandbox.notify(url, rf, 4250, txid="TX-R")
    assert [sent.answer["outcome"] for sent in sandbox.sent] == ["applied", "declined"]
    assert snapshot(rf)["order"][0] == "paid"


def test_a_wrong_amount_pays_nothing(site, sandbox):
    url, rf = site
    before = snapshot(rf)
    wrong = sandbox.send_callback(url, rf, 4249, txid="TX-WRONG")
    assert wrong.status == 200
    assert (wrong.answer["outcome"], wrong.answer["order_status"]) == ("wrong-amount", "pending")
    after = snapshot(rf)
    assert after["order"][0] == "pending" and after["debts"] == before["debts"]
    assert ledger.get_payment("TX-WRONG").amount_cents == 4249
    # the right amount afterwards still pays
    assert sandbox.send_callback(url, rf, 4250, txid="TX-RIGHT").answer["outcome"] == "applied"
    assert snapshot(rf)["order"][0] == "paid"


def test_an_unknown_code_is_kept_for_staff(site, sandbox):
    url, _rf = site
    sent = sandbox.send_callback(url, "RF18539007547034", 1000, txid="TX-NOWHERE")
    assert (sent.status, sent.answer["outcome"]) == (200, "unknown-rf")
    transaction.begin()
    assert ledger.get_payment("TX-NOWHERE").code == "unknown-rf"
