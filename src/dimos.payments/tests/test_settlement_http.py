"""Receipts over HTTP (functional layer, real sockets): paid, sealed, emailed, downloaded, retried.

The sandbox bank posts its signed callback to the site's WSGI server; the
seal is a certificate of dimos.signing's test PKI; emails are delivered to a
local SMTP server (aiosmtpd). Everything runs on 127.0.0.1. The receipt is
drawn and sealed after the payment's commit, on the worker thread: tests
wait for it with ``background.drain()``.
"""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from datetime import UTC
from dimos.payments import ledger
from dimos.payments.receipts import ATHENS
from dimos.payments.rf import make_rf
from dimos.payments.settlement import background
from dimos.payments.settlement.issuing import receipt_of_rf
from dimos.payments.settlement.testing import assert_sealed
from dimos.payments.settlement.testing import drop_seal
from dimos.payments.settlement.testing import pdf_text
from dimos.payments.settlement.testing import seal_identity
from dimos.payments.settlement.testing import use_seal
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import AFM_C
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import sample_site
from dimos.payments.testing_gateway import issue_test_order
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from dimos.signing.testing_pki import start_pki
from plone import api
from stdnum import iso11649
from types import SimpleNamespace

import pytest
import requests
import transaction


JSON = {"Accept": "application/json"}
PDF = {"Accept": "application/pdf"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PAID_AT = datetime(2026, 3, 2, 8, 15, tzinfo=UTC)


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        pki.identities["seal"] = seal_identity(pki)
        yield pki


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        yield gateway


@pytest.fixture(autouse=True)
def worker():
    """The worker thread has done its work at the end of each test, and is gone."""
    yield background.WORKER
    assert background.drain(), "the worker did not finish"
    assert background.stop(), "the worker thread did not end"


@pytest.fixture
def site(functional_portal, pki, smtp, sandbox, tmp_path):
    """Citizens A and B, a member without ΑΦΜ, a revenue officer; seal, mail and bank set up."""
    people = sample_site()
    use_seal(pki, tmp_path)
    use_smtp(functional_portal, smtp)
    use_sandbox(sandbox)
    api.portal.set_registry_record("dimos.payments.settlement.municipality", "Δήμος Ελαιώνα")
    transaction.commit()
    smtp.clear()
    sandbox.reset()
    return SimpleNamespace(url=functional_portal.absolute_url(), **people)


def order_of_a():
    """A's property fee and rent (120,00 + 350,00 €) in one RF code, committed; the code."""
    order = ledger.issue_order(["2026-0001", "2026-0004"], afm=AFM_A, actor=AFM_A)
    transaction.commit()
    return order.rf


def pay(rf, txid, cents=47000):
    outcome = ledger.record_payment(rf, cents, txid, PAID_AT, "bank-file", actor="test:bank")
    transaction.commit()
    assert outcome.applied, outcome
    assert background.drain()  # the receipt is issued after the commit
    transaction.begin()
    return receipt_of_rf(rf)


def get(site, path, auth=None, **params):
    return requests.get(f"{site.url}/{path}", auth=auth, headers=JSON, params=params, timeout=60)


def retry(site, auth, language="el"):
    headers = {**JSON, "Accept-Language": language}
    url = f"{site.url}/@receipts-retry"
    return requests.post(url, auth=auth, headers=headers, json={}, timeout=120)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["messages"]["el"] != error["messages"]["en"]
    return error


def test_the_bank_s_callback_brings_the_payer_a_sealed_receipt(site, sandbox, smtp, pki):
    rf = order_of_a()
    sent = sandbox.send_callback(f"{site.url}/@payment-callback", rf, 47000)
    assert sent.status == 200 and sent.answer["outcome"] == "applied", sent.answer
    assert background.drain()  # the receipt is drawn and sealed after the commit
    transaction.begin()  # see what the server's and the worker's threads committed
    receipt = receipt_of_rf(rf)
    year = datetime.now(ATHENS).year
    assert receipt.number == f"{year}-000001" and receipt.status == "issued"
    assert receipt.transaction_id == sent.body["txid"] and receipt.channel == "gateway"

    (mail,) = smtp.wait_for(1)
    assert mail.rcpt_tos == (f"{AFM_A}@example.org",)
    assert receipt.number in mail.message["Subject"]
    assert "Λάβαμε την πληρωμή σας" in mail.text() and "We received your payment" in mail.text()
    ((filename, content_type, pdf),) = mail.attachments()
    assert (filename, content_type) == (f"apodeixi-{receipt.number}.pdf", "application/pdf")
    assert pdf == receipt.pdf_bytes()
    assert_sealed(pki, pdf)
    text = pdf_text(pdf)
    for shown in (receipt.number, iso11649.format(rf), "120,00 €", "350,00 €", "470,00 €"):
        assert shown in text, shown

    shown = get(site, f"@receipts/{receipt.number}", auth=site.a)
    assert shown.status_code == 200, shown.text
    data = shown.json()
    assert (data["number"], data["rf"], data["status"]) == (receipt.number, rf, "issued")
    assert (data["total_cents"], data["total"], data["payer_afm"]) == (47000, "470,00 €", AFM_A)
    assert [line["amount_cents"] for line in data["lines"]] == [12000, 35000]
    assert data["pdf"] == f"{site.url}/@receipts/{receipt.number}/pdf" and "audit" not in data
    for link, headers in ((data["pdf"], PDF), (data["pdf"], JSON), (data["download"], BROWSER)):
        download = requests.get(link, auth=site.a, headers=headers, timeout=60)
        assert download.status_code == 200, (link, download.text)
        assert download.headers["Content-Type"] == "application/pdf"
        disposition = download.headers["Content-Disposition"]
        assert f'filename="apodeixi-{receipt.number}.pdf"' in disposition
        assert download.content == pdf


def test_who_may_see_a_receipt(site):
    rf = order_of_a()
    number = pay(rf, "BANK-0001").number
    json_path, pdf_path = f"@receipts/{number}", f"@receipts/{number}/pdf"

    for auth in (site.a, site.staff):
        assert get(site, json_path, auth=auth).status_code == 200
        assert get(site, pdf_path, auth=auth).content.startswith(b"%PDF")
    assert [e["action"] for e in get(site, json_path, auth=site.staff).json()["audit"]] == [
        "numbered",
        "issued",
        "emailed",
    ]
    for auth in (site.b, site.member, None):  # another citizen, a member without ΑΦΜ, anonymous
        error_of(get(site, json_path, auth=auth), 404, "receipt-not-found")
        error_of(get(site, pdf_path, auth=auth), 404, "receipt-not-found")

    holder = get(site, json_path, rf=iso11649.format(rf).lower())  # the RF code is the proof
    assert holder.status_code == 200, holder.text
    data = holder.json()
    assert data["payer_name"] == "Π***** Γ*****" and data["payer_afm"] == "******" + AFM_A[-3:]
    assert data["pdf"] == f"{site.url}/{pdf_path}?rf={rf}"
    assert data["download"] == f"{site.url}/@@receipt-pdf/{number}?rf={rf}"
    for link, headers in ((data["pdf"], PDF), (data["download"], BROWSER)):
        assert requests.get(link, headers=headers, timeout=60).content.startswith(b"%PDF")
    page_link = f"{site.url}/@@receipt-pdf/{number}"
    for auth, rf_given, status in ((site.b, None, 404), (None, make_rf(999999, "9912"), 404)):
        refused = requests.get(
            page_link, auth=auth, params={"rf": rf_given}, headers=BROWSER, timeout=60
        )
        assert refused.status_code == status
        assert "Δεν βρέθηκε η απόδειξη" in refused.text and "was not found" in refused.text

    wrong = make_rf(999999, "9912")  # a valid RF code, but not the one this receipt paid
    error_of(get(site, json_path, rf=wrong), 404, "receipt-not-found")
    error_of(get(site, pdf_path, rf=wrong), 404, "receipt-not-found")
    error_of(get(site, pdf_path, auth=site.b, rf="RF00"), 404, "receipt-not-found")
    missing = get(site, "@receipts/2026-999999", auth=site.staff)
    assert error_of(missing, 404, "receipt-not-found")["message"].startswith("Δεν βρέθηκε")
    error_of(get(site, "@receipts/not-a-number", auth=site.staff), 404, "receipt-not-found")
    error_of(get(site, f"{json_path}/xml", auth=site.staff), 404, "receipt-not-found")


def test_lists_of_receipts(site):
    drop_seal()  # pending receipts are listed too
    transaction.commit()
    number = pay(order_of_a(), "BANK-0002").number
    other = pay(ledger.issue_order(["2026-0101"], afm=AFM_B, actor=AFM_B).rf, "BANK-0003", 8730)

    mine = get(site, "@receipts", auth=site.a).json()
    assert mine["afm"] == AFM_A and [item["number"] for item in mine["items"]] == [number]
    assert mine["items"][0]["status"] == "pending" and mine["items"][0]["pdf"] is None
    assert [item["number"] for item in get(site, "@receipts", auth=site.b).json()["items"]] == [
        other.number
    ]
    error_of(get(site, "@receipts", auth=site.a, afm=AFM_B), 403, "not-yours")
    error_of(get(site, "@receipts"), 401, "login-required")

    staff = get(site, "@receipts", auth=site.staff).json()
    assert [item["number"] for item in staff["items"]] == [other.number, number]
    assert get(site, "@receipts", auth=site.staff, afm=AFM_A).json()["items_total"] == 1
    assert get(site, "@receipts", auth=site.staff, status="issued").json()["items_total"] == 0
    error_of(get(site, "@receipts", auth=site.staff, status="lost"), 400, "bad-status")
    error_of(get(site, "@receipts", auth=site.staff, afm="123456789"), 400, "bad-afm")

    by_code = get(site, "@receipts", rf=other.rf).json()  # what the RF page links to
    assert [item["number"] for item in by_code["items"]] == [other.number]
    assert by_code["items"][0]["payer_name"] == "Ι***** Μ*****"  # Ιωάννου Μαρία
    assert get(site, "@receipts", rf=make_rf(999999, "9912")).json()["items"] == []


def test_a_receipt_waits_for_the_seal_and_is_issued_by_a_retry(site, pki, tmp_path, smtp):
    drop_seal()
    transaction.commit()
    receipt = pay(order_of_a(), "BANK-0004")
    number = receipt.number
    assert receipt.status == "pending"
    (first,) = smtp.wait_for(1)  # the payment is confirmed at once, the receipt to follow
    assert first.attachments() == []
    assert "θα σας σταλεί μόλις εκδοθεί" in first.text()

    waiting = error_of(get(site, f"@receipts/{number}/pdf", auth=site.a), 409, "receipt-pending")
    assert "σφραγίδα" in waiting["messages"]["el"] and "seal" in waiting["messages"]["en"]
    link = f"{site.url}/@@receipt-pdf/{number}"
    page = requests.get(link, params={"rf": receipt.rf}, headers=BROWSER, timeout=60)
    assert page.status_code == 409 and "δεν έχει εκδοθεί ακόμη" in page.text
    assert retry(site, site.a).status_code in (401, 403)  # revenue staff only
    assert ledger.get_order(receipt.rf).status == "paid"

    form = requests.post(
        f"{site.url}/@receipts-retry", auth=site.staff, headers=JSON, data={"x": "1"}, timeout=60
    )
    error_of(form, 415, "not-json")  # a form post (what a forged page could send) is refused
    still = retry(site, site.staff, language="en").json()
    assert (still["issued_total"], still["pending_total"]) == (0, 1)
    (pending,) = still["pending"]
    assert (pending["number"], pending["code"]) == (number, "seal-not-configured")
    assert pending["message"] == pending["messages"]["en"] and pending["messages"]["el"]
    assert still["message"] == "0 receipts issued; 1 still pending."

    use_seal(pki, tmp_path)
    transaction.commit()
    done = retry(site, site.staff).json()
    assert done["pending"] == [] and done["message"] == "Εκδόθηκαν 1 αποδείξεις· εκκρεμούν ακόμη 0."
    (issued,) = done["issued"]
    assert (issued["number"], issued["emailed"]) == (number, True)
    (_first, second) = smtp.wait_for(2)
    ((filename, _type, pdf),) = second.attachments()
    assert filename == f"apodeixi-{number}.pdf"
    assert_sealed(pki, pdf)
    assert requests.get(issued["pdf"], auth=site.a, headers=PDF, timeout=60).content == pdf
    assert retry(site, site.staff).json()["messages"]["en"] == "No receipt is pending."


def test_no_email_without_an_address_or_an_account(site, smtp):
    drop_seal()
    api.user.get(userid=AFM_B).setMemberProperties({"email": ""})
    ledger.import_debts([debt_row("C-0001", AFM_C)], actor="test:import")
    transaction.commit()
    pay(ledger.issue_order(["2026-0101"], afm=AFM_B, actor=AFM_B).rf, "BANK-0005", 8730)
    pay(ledger.issue_order(["C-0001"], actor="anonymous").rf, "BANK-0006", 1250)
    assert smtp.messages == []  # sent at commit, synchronously: nothing was
    transaction.begin()
    assert receipt_of_rf(ledger.get_debt("C-0001").paid["rf"]).payer_afm == AFM_C
    pay(order_of_a(), "BANK-0007")
    assert [mail.rcpt_tos for mail in smtp.wait_for(1)] == [(f"{AFM_A}@example.org",)]


def test_concurrent_payments_get_consecutive_numbers(site, sandbox):
    drop_seal()
    orders = [issue_test_order([100 * number]) for number in range(1, 7)]
    transaction.commit()
    callback = f"{site.url}/@payment-callback"

    def pay_one(order):
        return sandbox.send_callback(callback, order.rf, order.amount_cents)

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(pay_one, orders))
    assert [answer.answer["outcome"] for answer in answers] == ["applied"] * 6
    transaction.begin()
    year = datetime.now(ATHENS).year
    numbers = sorted(receipt_of_rf(order.rf).number for order in orders)
    assert numbers == [f"{year}-{sequence:06d}" for sequence in range(1, 7)]


def test_the_bank_is_answered_before_the_receipt_is_sealed(site, sandbox, smtp, pki):
    """While the PKI answers no revocation request, sealing cannot finish: the bank is answered."""
    rf = order_of_a()
    with pki.lock:  # the test PKI's OCSP and CRL answers wait for this lock
        sent = sandbox.send_callback(f"{site.url}/@payment-callback", rf, 47000)
        assert sent.status == 200 and sent.answer["outcome"] == "applied", sent.answer
        transaction.begin()
        receipt = receipt_of_rf(rf)
        number = receipt.number
        assert receipt.status == "pending" and receipt.reason["code"] == "receipt-issuing"
        assert ledger.get_order(rf).status == "paid"

        waiting = error_of(
            get(site, f"@receipts/{number}/pdf", auth=site.a), 409, "receipt-pending"
        )
        assert "εκδίδεται" in waiting["messages"]["el"]
        assert "being issued" in waiting["messages"]["en"]
        busy = retry(site, site.staff).json()  # left to the worker: not sealed twice
        assert (busy["issued_total"], busy["pending_total"]) == (0, 1)
        assert busy["pending"][0]["code"] == "receipt-issuing"
        assert smtp.messages == []  # the email waits for the receipt
    assert background.drain()

    transaction.begin()
    receipt = receipt_of_rf(rf)
    assert receipt.number == number and receipt.status == "issued"
    assert [entry["action"] for entry in receipt.audit] == ["numbered", "issued", "emailed"]
    (mail,) = smtp.wait_for(1)
    ((_filename, _type, pdf),) = mail.attachments()
    assert pdf == receipt.pdf_bytes()
    assert_sealed(pki, pdf)
