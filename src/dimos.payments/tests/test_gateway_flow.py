"""A citizen pays an RF code through the sandbox bank, over real sockets, end to end.

Site (WSGI server of the functional layer) → redirect → sandbox payment page
→ approve → the sandbox posts the signed callback to the site → the browser
comes back to the return page. Only the callback pays.
"""

from dimos.payments import ledger
from dimos.payments.gateway.hmac_redirect import store_gateway_settings
from dimos.payments.testing_gateway import issue_test_order
from dimos.payments.testing_gateway import SandboxGateway
from dimos.payments.testing_gateway import use_sandbox
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
import re
import requests
import transaction


CARD = "4111111111111111"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


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
    return functional_portal.absolute_url(), order.rf


def fresh(rf):
    transaction.begin()  # see what the server's threads committed
    return ledger.get_order(rf)


def debts_of(order):
    return [ledger.get_debt(debt_id) for debt_id in order.debt_ids]


def go_to_bank(url, rf):
    started = requests.get(f"{url}/@@pay", params={"rf": rf}, allow_redirects=False, timeout=30)
    assert started.status_code == 303, started.text
    return started.headers["Location"]


def pay_at_bank(location, decision="approve"):
    """The citizen's browser at the bank: page, card number, decision; where it is sent back."""
    shown = requests.get(location, timeout=30)
    assert shown.status_code == 200, shown.text
    action = re.search(r'<form method="post" action="([^"]+)"', shown.text).group(1)
    bank = "{0.scheme}://{0.netloc}".format(urlsplit(location))
    done = requests.post(
        bank + action,
        data={"card_number": CARD, "decision": decision},
        allow_redirects=False,
        timeout=60,
    )
    assert done.status_code == 303
    return done.headers["Location"]


def state_of(page):
    return re.search(r'id="payment-state"\s+data-state="([^"]+)"', page.text).group(1)


def test_redirect_approve_callback_paid(site, sandbox):
    url, rf = site
    location = go_to_bank(url, rf)
    query = parse_qs(urlsplit(location).query)
    assert location.startswith(sandbox.payment_url)
    assert (query["rf"], query["amount"], query["currency"]) == ([rf], ["4250"], ["EUR"])
    assert query["callback_url"] == [f"{url}/@payment-callback"]
    assert CARD not in location

    back = pay_at_bank(location)
    [sent] = sandbox.sent
    assert sent.status == 200, sent.answer
    assert sent.answer["outcome"] == "applied" and sent.answer["order_status"] == "paid"
    assert CARD not in str(sent.body)

    order = fresh(rf)
    assert order.status == "paid"
    assert order.paid["transaction_id"] == sent.body["txid"]
    assert order.paid["channel"] == "gateway"
    assert [debt.status for debt in debts_of(order)] == ["paid", "paid"]

    assert back.startswith(f"{url}/@@payment-return?rf={rf}")
    page = requests.get(back, timeout=30)
    assert page.status_code == 200
    assert state_of(page) == "paid"
    assert "Η πληρωμή ολοκληρώθηκε" in page.text and "Payment completed" in page.text
    assert "42,50 €" in page.text


def test_rest_start_answers_the_signed_address(site, sandbox):
    url, rf = site
    answer = requests.post(f"{url}/@rf/{rf}/pay", headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    started = answer.json()
    assert (started["rf"], started["amount_cents"], started["amount"]) == (rf, 4250, "42,50 €")
    assert started["redirect_url"].startswith(sandbox.payment_url + "?")
    assert requests.get(started["redirect_url"], timeout=30).status_code == 200


def test_the_return_page_alone_never_pays(site, sandbox):
    url, rf = site
    sandbox.behaviour = "late"  # the browser comes back before the bank's server calls
    back = pay_at_bank(go_to_bank(url, rf))
    assert "status=approved" in back
    page = requests.get(back, timeout=30)
    assert state_of(page) == "awaiting"
    assert "Αναμένεται η επιβεβαίωση" in page.text and "do not pay again" in page.text
    forged = requests.get(
        f"{url}/@@payment-return", params={"rf": rf, "status": "approved", "txid": "X1"}, timeout=30
    )
    assert state_of(forged) == "awaiting"
    order = fresh(rf)
    assert order.status == "pending" and order.payments == ()
    assert {debt.status for debt in debts_of(order)} == {"open"}

    [released] = sandbox.release()
    assert released.answer["outcome"] == "applied"
    assert fresh(rf).status == "paid"
    assert state_of(requests.get(back, timeout=30)) == "paid"


@pytest.mark.parametrize(
    "behaviour,status,state",
    [("wrong-amount", 200, "problem"), ("bad-signature", 403, "awaiting")],
)
def test_a_bank_that_misbehaves_pays_nothing(site, sandbox, behaviour, status, state):
    url, rf = site
    sandbox.behaviour = behaviour
    back = pay_at_bank(go_to_bank(url, rf))
    [sent] = sandbox.sent
    assert sent.status == status
    assert state_of(requests.get(back, timeout=30)) == state
    order = fresh(rf)
    assert order.status == "pending"
    assert {debt.status for debt in debts_of(order)} == {"open"}


def test_declined_leaves_the_order_payable(site, sandbox):
    url, rf = site
    back = pay_at_bank(go_to_bank(url, rf), decision="decline")
    assert sandbox.sent[0].answer["outcome"] == "declined"
    page = requests.get(back, timeout=30)
    assert state_of(page) == "declined"
    assert "Η πληρωμή απορρίφθηκε" in page.text and f"@@pay?rf={rf}" in page.text
    order = fresh(rf)
    assert order.status == "pending" and order.payments == ()
    assert go_to_bank(url, rf).startswith(sandbox.payment_url)


def test_a_paid_code_is_not_sent_to_the_bank_again(site, sandbox):
    url, rf = site
    pay_at_bank(go_to_bank(url, rf))
    again = requests.get(f"{url}/@@pay", params={"rf": rf}, allow_redirects=False, timeout=30)
    assert again.status_code == 409
    assert 'data-code="already-paid"' in again.text and "έχει ήδη εξοφληθεί" in again.text
    rest = requests.post(f"{url}/@rf/{rf}/pay", headers=JSON, timeout=30)
    assert rest.status_code == 409
    assert rest.json()["error"]["code"] == "already-paid"
    assert len(sandbox.sent) == 1


@pytest.mark.parametrize(
    "code,status,error",
    [
        ("RF00123", 400, "bad-rf"),
        ("RF18539007547034", 404, "unknown-rf"),  # valid ISO 11649, but no such order
    ],
)
def test_codes_that_cannot_be_paid(site, code, status, error):
    url, _rf = site
    page = requests.get(f"{url}/@@pay", params={"rf": code}, allow_redirects=False, timeout=30)
    assert page.status_code == status and f'data-code="{error}"' in page.text
    rest = requests.post(
        f"{url}/@rf/{code}/pay", headers={**JSON, "Accept-Language": "en"}, timeout=30
    )
    assert rest.status_code == status
    body = rest.json()["error"]
    assert body["code"] == error
    assert body["message"] == body["messages"]["en"] and body["messages"]["el"]


def test_without_a_configured_gateway_payments_are_unavailable(site):
    url, rf = site
    store_gateway_settings(hmac_secret="", hmac_secret_env="DIMOS_TEST_NO_SUCH_VARIABLE")
    transaction.commit()
    answer = requests.post(f"{url}/@rf/{rf}/pay", headers=JSON, timeout=30)
    assert answer.status_code == 503
    assert answer.json()["error"]["code"] == "not-configured"


def test_the_secret_may_come_from_the_environment(site, sandbox, monkeypatch):
    url, rf = site
    monkeypatch.setenv("DIMOS_TEST_GATEWAY_SECRET", sandbox.secret)
    store_gateway_settings(hmac_secret="", hmac_secret_env="DIMOS_TEST_GATEWAY_SECRET")
    transaction.commit()
    pay_at_bank(go_to_bank(url, rf))
    assert sandbox.sent[0].answer["outcome"] == "applied"
    assert fresh(rf).status == "paid"


def test_the_pay_page_asks_for_a_code_and_the_return_page_knows_no_stranger(site):
    url, _rf = site
    page = requests.get(f"{url}/@@pay", timeout=30)
    assert page.status_code == 200
    assert 'name="rf"' in page.text and "Κωδικός πληρωμής RF" in page.text
    unknown = requests.get(f"{url}/@@payment-return", params={"rf": "RF18539007547034"}, timeout=30)
    assert state_of(unknown) == "unknown" and "Unknown payment code" in unknown.text
