"""The payments' REST API over HTTP, as docs/rest-api.md shows it: each call saved as an example.

Everything runs for real on 127.0.0.1: the functional layer's WSGI server, the
sandbox bank (``testing_gateway``), dimos.signing's test PKI for the receipts'
seal and an SMTP server. The saved requests and responses are what the tests
sent and received, with the values that change on every run (ports, time
stamps, signatures, the sandbox's transaction ids, a sealed PDF's size) set to
fixed ones, so an example only changes when the API does. The ΑΦΜs and names
are the synthetic ones of ``testing_debts``; no secret is ever saved.
"""

from dimos.payments import ledger
from dimos.payments.rf import make_rf
from dimos.payments.settlement import background
from dimos.payments.settlement.issuing import receipt_of_rf
from dimos.payments.settlement.testing import seal_identity
from dimos.payments.settlement.testing import SEAL_PASSWORD
from dimos.payments.settlement.testing import use_seal
from dimos.payments.testing_debts import AFM_A
from dimos.payments.testing_debts import AFM_B
from dimos.payments.testing_debts import create_citizen
from dimos.payments.testing_debts import create_revenue_officer
from dimos.payments.testing_debts import debt_row
from dimos.payments.testing_debts import import_sample
from dimos.payments.testing_debts import PASSWORD
from dimos.payments.testing_debts import REVENUE_OFFICER
from dimos.payments.testing_debts import sample_rows
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox
from dimos.payments.testing_smtp import start_smtp
from dimos.payments.testing_smtp import use_smtp
from dimos.policy.testing import HTTP_EXAMPLES
from dimos.policy.testing import save_http_example
from dimos.signing.testing_pki import start_pki
from plone import api
from stdnum import iso11649
from urllib.parse import urlsplit

import copy
import csv
import io
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ACCEPT = {"Accept": "application/json"}
CITIZEN_A = (AFM_A, PASSWORD)
CITIZEN_B = (AFM_B, PASSWORD)
STAFF = (REVENUE_OFFICER, PASSWORD)
CARD = "4111111111111111"  # the usual test card number; the sandbox drops it
SANDBOX_SHOWN = "http://127.0.0.1:8089"  # where the sandbox runs by hand (its --port default)
UNKNOWN_RF = make_rf(999999, "9912")  # well formed, of our beneficiary code, no order has it
SECRETS = {PASSWORD, SEAL_PASSWORD, CARD}  # and the sandbox's HMAC secret: never in an example

# What changes on every run, as the examples show it (dimos.policy then fixes
# ports of the site, ISO time stamps and 32-hex nonces).
_RUN_VALUES = (
    (re.compile(r"\b[0-9a-f]{64}\b"), "0123456789abcdef" * 4),  # HMAC-SHA256 signatures
    (re.compile(r"\bSBX-[0-9A-F]{12}\b"), "SBX-4F2A01B3C9D8"),  # the sandbox's transaction ids
    (re.compile(r"(localhost|127\.0\.0\.1)%3A\d+%2Fplone"), "localhost%3A8080%2Fdimos"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d%3A\d\d%3A\d\dZ"), "2026-03-02T08%3A15%3A00Z"),
    (re.compile(r'"pdf_size": \d+'), '"pdf_size": 61234'),
)


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        SECRETS.add(gateway.secret)
        yield gateway


@pytest.fixture(scope="module")
def smtp():
    with start_smtp() as server:
        yield server


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        pki.identities["seal"] = seal_identity(pki)
        yield pki


@pytest.fixture
def site(functional_portal, sandbox, smtp):
    """Citizens A and B (user id = ΑΦΜ), a revenue officer, mail and the sandbox bank; no debts."""
    create_citizen(AFM_A)
    create_citizen(AFM_B)
    create_revenue_officer(REVENUE_OFFICER)
    use_smtp(functional_portal, smtp)
    use_sandbox(sandbox)
    api.portal.set_registry_record("dimos.payments.settlement.municipality", "Δήμος Ελαιώνα")
    transaction.commit()
    smtp.clear()
    sandbox.reset()
    yield functional_portal.absolute_url()
    assert background.stop()  # receipts are sealed on a worker thread: none outlives the test


def for_docs(response, *replacements):
    """A copy of ``response`` (and its request) with the run's values fixed (see _RUN_VALUES)."""

    def fixed(text):
        for pattern, replacement in (*replacements, *_RUN_VALUES):
            text = pattern.sub(replacement, text)
        return text

    request = response.request.copy()
    if request.body:
        body = request.body
        request.body = fixed(body.decode("utf-8") if isinstance(body, bytes) else body)
    shown = copy.copy(response)
    shown.request = request
    shown._content = fixed(response.content.decode("utf-8")).encode("utf-8")
    return shown


def call(method, url, example=None, headers=JSON, replacements=(), **kw):
    """``requests.request`` with JSON headers; with ``example``, saved for the docs."""
    response = requests.request(method, url, headers=headers, timeout=120, **kw)
    if example:
        save_http_example(example, for_docs(response, *replacements))
        for suffix in (".req", ".resp"):
            text = (HTTP_EXAMPLES / f"{example}{suffix}").read_text(encoding="utf-8")
            assert not [secret for secret in SECRETS if secret in text], f"{example}{suffix}"
    return response


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code, error
    assert error["message"] == error["messages"]["el"] != error["messages"]["en"]
    return error


def csv_file(rows):
    """The rows as the financial system's CSV export: ``;`` between cells, one line per debt."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row.get(name, "") for name in columns] for row in rows)
    return out.getvalue().encode("utf-8")


def fresh_order(rf):
    transaction.begin()  # see what the server's threads committed
    return ledger.get_order(rf)


def test_staff_import_the_financial_system_s_debts(site):
    rows = [*sample_rows(), debt_row("2026-0199", "123456789", amount="15,00")]
    data = csv_file(rows)
    imported = call(
        "POST",
        f"{site}/@debts-import",
        "payments-debts-import",
        headers={**ACCEPT, "Content-Type": "text/csv; charset=utf-8"},
        auth=STAFF,
        data=data,
    )
    assert imported.status_code == 200, imported.text
    report = imported.json()
    assert report["counts"] == {
        "created": 6,
        "updated": 0,
        "unchanged": 0,
        "conflicts": 0,
        "errors": 1,
    }
    (bad,) = report["errors"]  # row 8: the header is row 1
    assert (bad["row"], bad["code"], bad["field"], bad["id"]) == (8, "bad-afm", "afm", "2026-0199")
    transaction.begin()
    assert ledger.get_debt("2026-0002").total_cents == 123456 + 6173
    assert ledger.get_debt("2026-0199") is None

    def post(auth):
        headers = {**ACCEPT, "Content-Type": "text/csv"}
        return requests.post(
            f"{site}/@debts-import", data=data, auth=auth, headers=headers, timeout=60
        )

    assert post(STAFF).json()["counts"]["unchanged"] == 6  # idempotent: nothing changes
    assert post(CITIZEN_A).status_code in (401, 403)


def test_a_citizen_s_debts_one_rf_code_and_what_it_pays(site):
    import_sample()
    transaction.commit()
    mine = call("GET", f"{site}/@debts", "payments-debts-get", headers=ACCEPT, auth=CITIZEN_A)
    assert mine.status_code == 200, mine.text
    listed = mine.json()
    assert listed["afm"] == AFM_A and {item["afm"] for item in listed["items"]} == {AFM_A}
    ids = ["2026-0003", "2026-0002", "2026-0001", "2026-0004"]  # by due date
    assert [item["id"] for item in listed["items"]] == ids
    assert listed["open_total_cents"] == 4000 + 123456 + 6173 + 12000 + 35000

    chosen = {"debts": ["2026-0001", "2026-0004"]}
    ordered = call(
        "POST", f"{site}/@payment-orders", "payments-orders-post", auth=CITIZEN_A, json=chosen
    )
    assert ordered.status_code == 201, ordered.text
    order = ordered.json()
    rf = order["rf"]
    assert iso11649.is_valid(rf) and rf[4:8] == "9912"
    assert (order["amount_cents"], order["status"]) == (47000, "pending")
    assert ordered.headers["Location"] == f"{site}/@rf/{rf}"
    others = {"debts": ["2026-0101"]}  # B's debt: not found, as a missing one
    other = requests.post(
        f"{site}/@payment-orders", json=others, auth=CITIZEN_A, headers=JSON, timeout=60
    )
    error_of(other, 404, "debt-not-found")

    public = call("GET", f"{site}/@rf/{rf}", "payments-rf-get", headers=ACCEPT)
    assert public.status_code == 200, public.text
    shown = public.json()
    assert (shown["rf"], shown["amount_cents"], shown["payable"]) == (rf, 47000, True)
    assert shown["debtor"] == "Π***** Γ*****" and AFM_A not in public.text
    assert [line["amount_cents"] for line in shown["debts"]] == [12000, 35000]

    unknown = call("GET", f"{site}/@rf/{UNKNOWN_RF}", "payments-rf-get-unknown", headers=ACCEPT)
    error = error_of(unknown, 404, "unknown-rf")
    assert error["messages"]["el"].startswith("Δεν υπάρχει εντολή πληρωμής")
    assert error["messages"]["en"].startswith("No payment order has the code")


def pay_at_bank(location):
    """The citizen's browser at the sandbox bank: its page, a card number, "approve"."""
    page = requests.get(location, timeout=60)
    assert page.status_code == 200, page.text
    action = re.search(r'<form method="post" action="([^"]+)"', page.text).group(1)
    bank = "{0.scheme}://{0.netloc}".format(urlsplit(location))
    done = requests.post(
        bank + action,
        data={"card_number": CARD, "decision": "approve"},
        allow_redirects=False,
        timeout=60,
    )
    assert done.status_code == 303, done.text
    return done.headers["Location"]


def start_and_approve(site, sandbox, rf):
    """``POST /@rf/{rf}/pay``, then approve at the bank; the callback the bank holds back."""
    sandbox.behaviour = "late"  # the bank's callback waits, so that the test posts it itself
    started = call(
        "POST",
        f"{site}/@rf/{rf}/pay",
        "payments-rf-pay",
        headers=ACCEPT,
        replacements=[(re.compile(re.escape(sandbox.url)), SANDBOX_SHOWN)],
    )
    assert started.status_code == 200, started.text
    redirect = started.json()["redirect_url"]
    assert redirect.startswith(f"{sandbox.payment_url}?") and CARD not in redirect
    back = pay_at_bank(redirect)
    assert back.startswith(f"{site}/@@payment-return?rf={rf}")
    ((callback_url, body),) = sandbox.held
    assert callback_url == f"{site}/@payment-callback"
    assert (body["rf"], body["amount"], body["status"]) == (rf, "47000", "approved")
    assert CARD not in str(body)
    sandbox.held.clear()
    return body


def test_pay_by_card_then_the_receipt(site, sandbox, pki, tmp_path):
    import_sample()
    use_seal(pki, tmp_path)
    rf = ledger.issue_order(["2026-0001", "2026-0004"], afm=AFM_A, actor=AFM_A).rf
    transaction.commit()
    body = start_and_approve(site, sandbox, rf)
    url = f"{site}/@payment-callback"

    forged = call("POST", url, "payments-callback-forged", json={**body, "amount": "100"})
    error_of(forged, 403, "bad-signature")
    assert fresh_order(rf).status == "pending" and fresh_order(rf).payments == ()

    paid = call("POST", url, "payments-callback", json=body)
    assert paid.status_code == 200, paid.text
    answer = paid.json()
    assert (answer["outcome"], answer["order_status"]) == ("applied", "paid")
    replayed = requests.post(url, json=body, headers=JSON, timeout=60)
    assert replayed.json() == answer  # the bank retrying: the same answer, nothing changes
    order = fresh_order(rf)
    assert order.status == "paid" and order.payments == (body["txid"],)

    assert background.drain()  # the receipt is drawn and sealed after the callback's commit
    transaction.begin()
    number = receipt_of_rf(rf).number
    path = f"{site}/@receipts/{number}"
    receipt = call("GET", path, "payments-receipts-get", headers=ACCEPT, auth=CITIZEN_A)
    assert receipt.status_code == 200, receipt.text
    shown = receipt.json()
    assert (shown["status"], shown["transaction_id"], shown["total_cents"]) == (
        "issued",
        body["txid"],
        47000,
    )
    assert shown["pdf"] == f"{path}/pdf" and shown["reason"] is None
    error_of(
        requests.get(path, auth=CITIZEN_B, headers=ACCEPT, timeout=60), 404, "receipt-not-found"
    )


def test_the_bank_s_file_against_the_card_payments(site, sandbox):
    import_sample()
    rf = ledger.issue_order(["2026-0001", "2026-0004"], afm=AFM_A, actor=AFM_A).rf
    rf_b = ledger.issue_order(["2026-0101"], afm=AFM_B, actor=AFM_B).rf
    transaction.commit()
    txid = "SBX-4F2A01B3C9D8"  # the card payment, as the bank's callback reported it
    sent = sandbox.send_callback(f"{site}/@payment-callback", rf, 47000, txid=txid)
    assert sent.answer["outcome"] == "applied", sent.answer

    bank_file = "\n".join(
        (
            "ημερομηνία;αναφορά;κωδικός RF;ποσό;κανάλι",
            f"02/03/2026;{txid};{iso11649.format(rf)};470,00;card",
            f"02/03/2026;EB20260302-000731;{iso11649.format(rf_b)};87,30;e-banking",
            f"02/03/2026;EB20260302-000732;{UNKNOWN_RF};10,00;e-banking",
            "02/03/2026;EB20260302-000733;RF00 1234;5,00;branch",
        )
    )
    reconciled = call(
        "POST",
        f"{site}/@payments-reconcile",
        "payments-reconcile",
        auth=STAFF,
        json={"filename": "eispraxeis-20260302.csv", "content": bank_file},
    )
    assert reconciled.status_code == 200, reconciled.text
    lines = reconciled.json()["lines"]
    assert [line["category"] for line in lines] == [
        "already-recorded",
        "matched",
        "unknown-rf",
        "malformed",
    ]
    assert fresh_order(rf_b).status == "paid" and fresh_order(rf).payments == (txid,)
    assert [record.rf for record in ledger.payments_needing_attention()] == [UNKNOWN_RF]
    assert background.drain()


def test_a_traffic_fine_by_ticket_and_plate(site):
    ticket = {
        "ticket": "Α123456",
        "plate": "ΙΚΑ-1234",
        "date": "02/03/2026",
        "time": "10:15",
        "place": "Οδός Ερμού 5",
        "offence": "parking",
    }
    registered = requests.post(
        f"{site}/@traffic-fines-register", json=ticket, auth=STAFF, headers=JSON, timeout=60
    )
    assert registered.status_code == 201, registered.text

    found = call(
        "POST",
        f"{site}/@traffic-fines/lookup",
        "payments-traffic-fines-lookup",
        json={"ticket": "α 123-456", "plate": "ika1234"},  # as typed on a Latin keyboard
    )
    assert found.status_code == 200, found.text
    fine = found.json()
    assert (fine["fine"]["ticket"], fine["fine"]["plate"]) == ("Α123456", "ΙΚΑ-1234")
    assert (fine["amount_cents"], fine["due_date"], fine["payable"]) == (4000, "2026-05-01", True)
    assert iso11649.is_valid(fine["rf"]) and fine["pay_url"].endswith(f"@@pay?rf={fine['rf']}")
    assert fresh_order(fine["rf"]).amount_cents == 4000
    wrong = requests.post(
        f"{site}/@traffic-fines/lookup",
        json={"ticket": "Α123456", "plate": "ΙΚΑ-1235"},
        headers=JSON,
        timeout=60,
    )
    error_of(wrong, 404, "fine-not-found")


def test_an_assessment_note_for_a_citizen(site, smtp):
    note = {
        "afm": AFM_A,
        "category": "rent",
        "description": "Μίσθωμα περιπτέρου πλατείας, Μάρτιος 2026",
        "amount": "350,50",
        "due_date": "30/04/2026",
        "reference": "ΒΣ-2026/0017",
    }
    created = call(
        "POST", f"{site}/@assessment-notes", "payments-assessment-notes-post", auth=STAFF, json=note
    )
    assert created.status_code == 201, created.text
    data = created.json()
    assert (data["debt"]["source"], data["debt"]["amount_cents"], data["notified"]) == (
        "assessment",
        35050,
        True,
    )
    assert data["debt"]["audit"][0]["who"] == REVENUE_OFFICER
    assert created.headers["Location"] == f"{site}/@debts/{data['debt']['id']}"
    (mail,) = smtp.wait_for(1)
    assert mail.rcpt_tos == (f"{AFM_A}@example.org",)
    assert iso11649.format(data["rf"]) in mail.text()
    again = requests.post(
        f"{site}/@assessment-notes", json=note, auth=STAFF, headers=JSON, timeout=60
    )
    error_of(again, 409, "note-exists")  # the same note sent twice is stored once
