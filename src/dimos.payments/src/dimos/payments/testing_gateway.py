"""A sandbox card gateway on 127.0.0.1 that speaks ``gateway.protocol``, for tests and developers.

It plays the bank: ``GET /pay?<signed request>`` checks the request's
signature, window, merchant and nonce, and shows a payment page (card number,
approve / decline / cancel). The card number is read and dropped: it is
never stored nor sent anywhere. On a decision the sandbox posts the signed
callback to the request's ``callback_url`` and sends the browser back to its
``return_url`` (with ``txid`` and ``status`` added, unsigned, as banks do).

Tests can make it misbehave for the next payments (``behaviour``):

- ``normal``: one callback, then the browser goes back;
- ``twice``: the same callback sent twice;
- ``reordered``: after the approval, a late "declined" for an earlier attempt
  (another transaction id) of the same order;
- ``late``: the browser goes back first; callbacks wait for ``release()``;
- ``wrong-amount``: the callback reports one euro more than was asked;
- ``bad-signature``: the callback's signature is altered.

``send_callback()`` posts any callback directly (server to server).

By hand, for developers (``--`` ends zopepy's own options)::

    DIMOS_PAYMENTS_GATEWAY_SECRET=some-long-secret \
        bin/zopepy -m dimos.payments.testing_gateway -- --port 8089 [--behaviour twice]

prints the settings to put in the registry (``dimos.payments.gateway.*``:
``payment_url``, ``merchant_id``; the site reads the secret from the same
environment variable when ``hmac_secret`` is empty) and serves until Ctrl-C.
Start the site with that variable too, open ``http://localhost:8080/Plone/@@pay``
and type an RF code of a pending order. The site's callback address is sent
in each signed request, so the sandbox posts to wherever the site runs.
"""

from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from dimos.payments.gateway import protocol
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import argparse
import html
import json
import os
import secrets
import threading
import urllib.error
import urllib.request


BEHAVIOURS = ("normal", "twice", "reordered", "late", "wrong-amount", "bad-signature")
CARD_FIELDS = ("card_number", "card_holder", "card_expiry", "card_cvv")
DECISIONS = {"approve": "approved", "decline": "declined", "cancel": "cancelled"}


@dataclass(frozen=True)
class SentCallback:
    """A callback the sandbox posted, and what the site answered."""

    body: dict
    status: int
    answer: object  # the decoded JSON answer, or its text


def euros(cents):
    return f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d} €"


def page(title, body, status=200):
    text = (
        '<!DOCTYPE html><html lang="el"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>"
    )
    return status, text.encode("utf-8")


class SandboxGateway:
    """The sandbox bank, served from a daemon thread; use as a context manager or start/stop."""

    def __init__(self, merchant_id="SANDBOX-0001", secret=None, host="127.0.0.1", port=0):
        self.merchant_id = merchant_id
        self.secret = secret or secrets.token_hex(32)
        self.behaviour = "normal"
        self.sent = []  # SentCallback, in order
        self.held = []  # (url, body) waiting for release(), behaviour "late"
        self.cards_dropped = 0
        self._sessions = {}
        self._nonces = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer((host, port), _handler(self))
        self._server.daemon_threads = True
        self._thread = None

    # --- life -----------------------------------------------------------------

    @property
    def url(self):
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def payment_url(self):
        return f"{self.url}/pay"

    def settings(self):
        """The registry values (``store_gateway_settings(**...)``) that point a site here."""
        return {
            "payment_url": self.payment_url,
            "merchant_id": self.merchant_id,
            "hmac_secret": self.secret,
        }

    def start(self):
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def reset(self):
        with self._lock:
            self.behaviour = "normal"
            self.sent.clear()
            self.held.clear()

    # --- the bank's side --------------------------------------------------------

    def open_session(self, query):
        """Check a payment request; the token of its payment page."""
        fields = dict(parse_qsl(query, keep_blank_values=True))
        request = protocol.verify_request(fields, self.secret.encode(), self.merchant_id)
        with self._lock:
            if request.nonce in self._nonces:
                raise protocol.ProtocolError(
                    "replayed",
                    "Το αίτημα πληρωμής έχει ήδη χρησιμοποιηθεί.",
                    "The payment request was already used.",
                )
            self._nonces.add(request.nonce)
            token = secrets.token_urlsafe(16)
            self._sessions[token] = request
        return token, request

    def decide(self, token, form):
        """The citizen's decision on the payment page; the browser's next address."""
        for name in CARD_FIELDS:  # read and dropped: the card never leaves the bank
            if form.pop(name, None):
                self.cards_dropped += 1
        with self._lock:
            request = self._sessions.pop(token, None)
        if request is None:
            return None
        status = DECISIONS.get(form.get("decision", ""), "cancelled")
        txid = self.notify(
            request.callback_url, request.rf, request.amount_cents, status, new_txid()
        )
        return (
            request.return_url
            + ("&" if "?" in request.return_url else "?")
            + urlencode({"txid": txid, "status": status})
        )

    def notify(self, callback_url, rf, amount_cents, status="approved", txid=None):
        """Send the callbacks of one decision, as ``behaviour`` says; the transaction id."""
        txid = txid or new_txid()

        def body(txid=txid, **changes):
            values = dict(rf=rf, amount_cents=amount_cents, status=status)
            values.update(changes)
            return protocol.callback_fields(self.secret.encode(), self.merchant_id, txid, **values)

        behaviour = self.behaviour
        if behaviour == "wrong-amount":
            bodies = [body(amount_cents=amount_cents + 100)]
        elif behaviour == "bad-signature":
            bodies = [tampered(body())]
        elif behaviour == "twice":
            bodies = [body()] * 2
        elif behaviour == "reordered" and status == "approved":
            bodies = [body(), body(txid=new_txid(), status="declined")]
        else:
            bodies = [body()]
        for each in bodies:
            if behaviour == "late":
                self.held.append((callback_url, each))
            else:
                self.post(callback_url, each)
        return txid

    def release(self):
        """Send the callbacks held back (behaviour ``late``); what the site answered."""
        held, self.held = self.held, []
        return [self.post(url, body) for url, body in held]

    def send_callback(self, callback_url, rf, amount_cents, status="approved", txid=None, now=None):
        """Post a signed callback directly; the SentCallback."""
        body = protocol.callback_fields(
            self.secret.encode(),
            self.merchant_id,
            txid or new_txid(),
            rf,
            amount_cents,
            status,
            now=now,
        )
        return self.post(callback_url, body)

    def post(self, url, body):
        """POST ``body`` as JSON to ``url``, as the bank's server does; the SentCallback."""
        request = urllib.request.Request(
            url,
            data=json.dumps(body).encode("utf-8"),
            method="POST",
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        try:
            answer = json.loads(text)
        except ValueError:
            answer = text
        sent = SentCallback(body=dict(body), status=status, answer=answer)
        with self._lock:
            self.sent.append(sent)
        return sent


def new_txid():
    return f"SBX-{secrets.token_hex(6).upper()}"


def tampered(body):
    """``body`` with a signature that is one hex digit off."""
    signature = body["signature"]
    return {**body, "signature": ("0" if signature[0] != "0" else "1") + signature[1:]}


# --- HTTP ------------------------------------------------------------------------


def payment_page(token, request):
    rf, amount = html.escape(request.rf), html.escape(euros(request.amount_cents))
    return page(
        "Sandbox τράπεζα / Sandbox bank",
        f"""<h1>Δοκιμαστική τράπεζα · Sandbox bank</h1>
<p>Δεν χρεώνεται καμία κάρτα · No card is charged.</p>
<dl><dt>Κωδικός πληρωμής · Payment code (RF)</dt><dd id="rf">{rf}</dd>
<dt>Ποσό · Amount</dt><dd id="amount">{amount}</dd>
<dt>Έμπορος · Merchant</dt><dd>{html.escape(request.mid)}</dd></dl>
<form method="post" action="/pay/{html.escape(token)}">
<label>Αριθμός κάρτας · Card number
<input name="card_number" autocomplete="off" inputmode="numeric"></label>
<button name="decision" value="approve">Έγκριση · Approve</button>
<button name="decision" value="decline">Απόρριψη · Decline</button>
<button name="decision" value="cancel">Ακύρωση · Cancel</button>
</form>""",
    )


def refused_page(error):
    return page(
        "Σφάλμα / Error",
        f"<h1>Το αίτημα πληρωμής απορρίφθηκε · The payment request was refused</h1>"
        f'<p id="error" data-code="{html.escape(error.code)}">{html.escape(error.message_el)}'
        f" · {html.escape(error.message_en)}</p>",
        status=400,
    )


def _handler(sandbox):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet in tests
            pass

        def _send(self, status, body=b"", location=None):
            self.send_response(status)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            parts = urlsplit(self.path)
            if parts.path != "/pay":
                self._send(*page("Sandbox", "<p>GET /pay?&lt;signed request&gt;</p>"))
                return
            try:
                token, request = sandbox.open_session(parts.query)
            except protocol.ProtocolError as error:
                self._send(*refused_page(error))
                return
            self._send(*payment_page(token, request))

        def do_POST(self):
            token = urlsplit(self.path).path.removeprefix("/pay/")
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(parse_qsl(self.rfile.read(length).decode("utf-8")))
            location = sandbox.decide(token, form)
            if location is None:
                self._send(*page("Σφάλμα / Error", "<p>Άγνωστη πληρωμή · Unknown payment</p>", 404))
                return
            self._send(303, location=location)

    return Handler


# --- for the site's tests -----------------------------------------------------------


def use_sandbox(sandbox, **overrides):
    """Point the current site's gateway settings at ``sandbox`` (commit afterwards for HTTP)."""
    from dimos.payments.gateway.hmac_redirect import store_gateway_settings

    store_gateway_settings(**{**sandbox.settings(), **overrides})


def issue_test_order(amounts_cents, afm="094019245", name="Νίκος Αντωνίου", prefix="T"):
    """Import one open debt per amount (cents) for ``afm`` and order them all; the PaymentOrder."""
    from dimos.payments import ledger

    prefix = f"{prefix}{secrets.token_hex(3).upper()}"
    rows = [
        {
            "id": f"{prefix}-{number}",
            "afm": afm,
            "name": name,
            "category": "common-space",
            "amount": f"{cents // 100},{cents % 100:02d}",
            "due_date": "31/12/2026",
        }
        for number, cents in enumerate(amounts_cents, 1)
    ]
    report = ledger.import_debts(rows, actor="test:import")
    if report.errors:
        raise ValueError(report.errors)
    return ledger.issue_order([row["id"] for row in rows], actor="test:citizen")


def main(argv=None):
    parser = argparse.ArgumentParser(description="Sandbox card gateway (dimos.payments)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument("--merchant-id", default="SANDBOX-0001")
    parser.add_argument(
        "--secret",
        default=os.environ.get("DIMOS_PAYMENTS_GATEWAY_SECRET"),
        help="shared HMAC secret (default: $DIMOS_PAYMENTS_GATEWAY_SECRET, else a new one)",
    )
    parser.add_argument("--behaviour", choices=BEHAVIOURS, default="normal")
    args = parser.parse_args(argv)
    sandbox = SandboxGateway(args.merchant_id, args.secret, args.host, args.port)
    sandbox.behaviour = args.behaviour
    print("Sandbox gateway on", sandbox.url, datetime.now(UTC).isoformat(timespec="seconds"))
    print("Registry: dimos.payments.gateway.payment_url =", sandbox.payment_url)
    print("Registry: dimos.payments.gateway.merchant_id =", sandbox.merchant_id)
    print("Environment: DIMOS_PAYMENTS_GATEWAY_SECRET =", sandbox.secret)
    try:
        sandbox._server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        sandbox._server.server_close()


if __name__ == "__main__":
    main()
