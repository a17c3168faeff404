"""The sandbox bank over real sockets, without Plone: its page, its checks, its callbacks.

The municipality's side is played by a small HTTP server that checks each
callback with ``protocol.verify_callback``, as the site does.
"""

from dimos.payments.gateway import protocol
from dimos.payments.testing_gateway import SandboxGateway
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import json
import pytest
import re
import requests
import threading


RF = "RF18539007547034"
CARD = "4111111111111111"


class Receiver:
    """A callback endpoint on 127.0.0.1 that verifies what it gets and keeps it."""

    def __init__(self, secret, merchant_id):
        self.received = []  # (body, code) with code "ok" or the refusal's

        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                try:
                    protocol.verify_callback(body, secret.encode(), merchant_id)
                    status, code = 200, "ok"
                except protocol.ProtocolError as error:
                    status, code = error.status, error.code
                receiver.received.append((body, code))
                answer = json.dumps({"code": code}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/@payment-callback"


@pytest.fixture(scope="module")
def sandbox():
    with SandboxGateway(merchant_id="DIMOS-0042") as gateway:
        yield gateway


@pytest.fixture
def receiver(sandbox):
    sandbox.reset()
    receiver = Receiver(sandbox.secret, sandbox.merchant_id)
    yield receiver
    receiver.server.shutdown()
    receiver.server.server_close()


def payment_link(sandbox, receiver, amount_cents=1250, secret=None, **changes):
    fields = protocol.request_fields(
        (secret or sandbox.secret).encode(),
        sandbox.merchant_id,
        RF,
        amount_cents,
        f"https://dimos.example/@@payment-return?rf={RF}",
        receiver.url,
    )
    fields.update(changes)
    return f"{sandbox.payment_url}?{urlencode(fields)}"


def pay(sandbox, receiver, decision="approve", **kw):
    """Open the payment page, type a card number, decide; the redirect back to the site."""
    shown = requests.get(payment_link(sandbox, receiver, **kw), timeout=30)
    assert shown.status_code == 200, shown.text
    action = re.search(r'<form method="post" action="([^"]+)"', shown.text).group(1)
    done = requests.post(
        sandbox.url + action,
        data={"card_number": CARD, "decision": decision},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 303
    return shown, parse_qs(urlsplit(done.headers["Location"]).query)


def test_payment_page_shows_the_order_and_drops_the_card(sandbox, receiver):
    dropped = sandbox.cards_dropped
    shown, back = pay(sandbox, receiver, amount_cents=123456)
    assert "1.234,56 €" in shown.text and RF in shown.text
    assert "Έγκριση" in shown.text and "Approve" in shown.text
    assert back["rf"] == [RF] and back["status"] == ["approved"]
    [(body, code)] = receiver.received
    assert code == "ok"
    assert (body["rf"], body["amount"], body["status"], body["txid"]) == (
        RF,
        "123456",
        "approved",
        back["txid"][0],
    )
    assert CARD not in json.dumps(body) and sandbox.cards_dropped == dropped + 1
    assert set(body) == {*protocol.CALLBACK_FIELDS, "signature"}


def test_declined_and_cancelled(sandbox, receiver):
    assert pay(sandbox, receiver, "decline")[1]["status"] == ["declined"]
    assert pay(sandbox, receiver, "cancel")[1]["status"] == ["cancelled"]
    assert [body["status"] for body, _ in receiver.received] == ["declined", "cancelled"]


def test_the_sandbox_refuses_a_changed_amount_a_foreign_secret_and_a_reused_link(sandbox, receiver):
    link = payment_link(sandbox, receiver)
    changed = requests.get(link.replace("amount=1250", "amount=1"), timeout=30)
    assert changed.status_code == 400 and 'data-code="bad-signature"' in changed.text
    foreign = requests.get(
        payment_link(sandbox, receiver, secret="not-the-shared-secret"), timeout=30
    )
    assert foreign.status_code == 400
    assert requests.get(link, timeout=30).status_code == 200
    again = requests.get(link, timeout=30)
    assert again.status_code == 400 and 'data-code="replayed"' in again.text
    assert receiver.received == []


def test_misbehaviours(sandbox, receiver):
    sandbox.behaviour = "twice"
    pay(sandbox, receiver)
    first, second = receiver.received
    assert first == second
    receiver.received.clear()

    sandbox.behaviour = "wrong-amount"
    pay(sandbox, receiver, amount_cents=1250)
    [(body, code)] = receiver.received
    assert (body["amount"], code) == ("1350", "ok")  # authentic, yet not what was asked
    receiver.received.clear()

    sandbox.behaviour = "bad-signature"
    pay(sandbox, receiver)
    assert [code for _, code in receiver.received] == ["bad-signature"]
    assert sandbox.sent[-1].status == 403
    receiver.received.clear()

    sandbox.behaviour = "reordered"
    pay(sandbox, receiver)
    (approved, _), (declined, _) = receiver.received
    assert (approved["status"], declined["status"]) == ("approved", "declined")
    assert approved["txid"] != declined["txid"] and approved["rf"] == declined["rf"]


def test_late_callbacks_wait_until_released(sandbox, receiver):
    sandbox.behaviour = "late"
    back = pay(sandbox, receiver)[1]
    assert receiver.received == []
    [sent] = sandbox.release()
    assert sent.status == 200 and sent.body["txid"] == back["txid"][0]
    assert len(receiver.received) == 1
