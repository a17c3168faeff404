"""POST /@payments-reconcile over HTTP: the bank's file against the orders and the callbacks."""

from dimos.payments import ledger
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import make_afm
from dimos.payments.testing_debts import PASSWORD
from dimos.payments.testing_gateway import issue_test_order
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox

import base64
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
OFFICER = ("revenue-officer", PASSWORD)
UNKNOWN_RF = "RF18539007547034"  # valid ISO 11649, no order of ours


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        yield gateway


@pytest.fixture
def site(functional_portal, sandbox):
    sandbox.reset()
    use_sandbox(sandbox)
    create_revenue_officer()
    orders = {
        name: issue_test_order([cents], afm=make_afm(seed))
        for name, cents, seed in (
            ("card", 1250, 1),  # paid by card: the callback comes first
            ("branch", 123456, 2),  # paid at a branch: only in the file
            ("short", 5000, 3),  # paid 1 cent short
            ("twice", 2000, 4),  # paid by card, then again at a branch
        )
    }
    transaction.commit()
    return functional_portal.absolute_url(), {name: order.rf for name, order in orders.items()}


def reconcile(url, body, auth=OFFICER, **headers):
    return requests.post(
        f"{url}/@payments-reconcile", json=body, headers={**JSON, **headers}, auth=auth, timeout=60
    )


def test_the_file_is_matched_against_orders_and_callbacks(site, sandbox):
    url, rf = site
    callback_url = f"{url}/@payment-callback"
    assert (
        sandbox.send_callback(callback_url, rf["card"], 1250, txid="SBX-CARD1").answer["outcome"]
        == "applied"
    )
    assert (
        sandbox.send_callback(callback_url, rf["twice"], 2000, txid="SBX-TWICE").answer["outcome"]
        == "applied"
    )
    content = "\n".join(
        [
            "ημερομηνία;αναφορά;κωδικός RF;ποσό;κανάλι",
            f"02/03/2026;SBX-CARD1;{rf['card']};12,50;card",  # 2: the callback's payment
            f"02/03/2026;BR-000001;{rf['branch']};1.234,56;branch",  # 3
            f"02/03/2026;BR-000002;{rf['short']};49,99;branch",  # 4
            f"02/03/2026;BR-000003;{UNKNOWN_RF};10,00;e-banking",  # 5
            "02/03/2026;BR-000004;RF00 1234;10,00;e-banking",  # 6
            f"02/03/2026;BR-000005;{rf['twice']};20,00;branch",  # 7: paid already by card
            f"02/03/2026;SBX-TWICE;{rf['twice']};25,00;card",  # 8: the bank disagrees
        ]
    )
    answer = reconcile(url, {"filename": "bank-20260302.csv", "content": content})
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert [(line["line"], line["category"]) for line in report["lines"]] == [
        (2, "already-recorded"),
        (3, "matched"),
        (4, "wrong-amount"),
        (5, "unknown-rf"),
        (6, "malformed"),
        (7, "paid-twice"),
        (8, "conflict"),
    ]
    assert report["counts"]["matched"] == 1 and report["matched_cents"] == 123456
    assert report["summary"].startswith("7 γραμμές: 1 αντιστοιχίστηκαν (1.234,56 €)")
    assert report["summaries"]["en"].startswith("7 lines: 1 matched")
    malformed = report["lines"][4]
    assert malformed["message"].startswith("Γραμμή 6: ") and malformed["messages"]["en"].startswith(
        "Line 6: "
    )

    transaction.begin()
    card = ledger.get_order(rf["card"])
    assert (card.status, card.payments) == ("paid", ("SBX-CARD1",))  # not paid twice
    assert card.paid["channel"] == "gateway"
    branch = ledger.get_order(rf["branch"])
    assert branch.status == "paid" and branch.paid["channel"] == "bank-file"
    assert branch.paid["by"] == "revenue-officer"
    assert ledger.get_debt(branch.debt_ids[0]).status == "paid"
    assert ledger.get_order(rf["short"]).status == "pending"
    assert ledger.get_debt(ledger.get_order(rf["short"]).debt_ids[0]).status == "open"
    assert ledger.get_payment("BR-000005").code == "already-paid"
    assert ledger.get_payment("SBX-TWICE").amount_cents == 2000  # the callback's, kept
    assert ledger.get_payment("BR-000004") is None

    again = reconcile(url, {"data": base64.b64encode(content.encode("cp1253")).decode()})
    assert again.status_code == 200
    categories = [line["category"] for line in again.json()["lines"]]
    assert categories[:2] == ["already-recorded", "already-recorded"]  # idempotent
    assert again.json()["counts"]["matched"] == 0


def test_only_revenue_staff_may_reconcile(site):
    url, rf = site
    content = f"date;bank_reference;rf;amount\n02/03/2026;BR-1;{rf['branch']};1.234,56\n"
    create_citizen(make_afm(9))
    transaction.commit()
    assert reconcile(url, {"content": content}, auth=None).status_code == 401
    assert reconcile(url, {"content": content}, auth=(make_afm(9), PASSWORD)).status_code == 401
    transaction.begin()
    assert ledger.get_order(rf["branch"]).status == "pending"


def test_a_bad_file_is_refused_as_a_whole_in_the_callers_language(site):
    url, rf = site
    content = "date;bank_reference;amount\n02/03/2026;BR-1;1.234,56\n"
    refused = reconcile(url, {"content": content}, **{"Accept-Language": "en"})
    assert refused.status_code == 400
    error = refused.json()["error"]
    assert error["code"] == "bad-header"
    assert error["message"] == error["messages"]["en"] and "missing columns rf" in error["message"]
    assert "λείπουν οι στήλες rf" in error["messages"]["el"]
    for body, code in (({}, "missing-file"), ({"data": "***"}, "bad-base64")):
        answer = reconcile(url, body)
        assert (answer.status_code, answer.json()["error"]["code"]) == (400, code)
    form = requests.post(
        f"{url}/@payments-reconcile",
        data={"content": content},
        headers={"Accept": "application/json"},
        auth=OFFICER,
        timeout=30,
    )
    assert form.status_code == 415
