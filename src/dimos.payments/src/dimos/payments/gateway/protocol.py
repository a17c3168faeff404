"""The signed redirect-and-callback protocol spoken with the card gateway (no Zope here).

It follows the common style of Greek banks' e-commerce gateways: the
citizen's browser is sent to the bank with a signed request, pays there, and
the bank tells the municipality the result with a signed server-to-server
callback. No card data ever reaches the municipality.

Version 1, all values are text, amounts are integer cents, times are UTC
``YYYY-MM-DDTHH:MM:SSZ``:

1. Payment request, a browser ``GET {payment_url}?<fields>`` with the fields
   ``version`` ("1"), ``mid`` (merchant id), ``rf`` (the order's RF code),
   ``amount`` (cents, e.g. "1250" for 12,50 €), ``currency`` ("EUR"),
   ``return_url`` (where the bank sends the browser back), ``callback_url``
   (where the bank posts the result), ``nonce`` (32 random hex digits),
   ``timestamp`` and ``signature``.
2. Callback, ``POST {callback_url}`` with a JSON object body
   (``Content-Type`` and ``Accept``: ``application/json``) of exactly the fields
   ``version``, ``mid``, ``txid`` (the bank's transaction id), ``rf``,
   ``amount``, ``currency``, ``status`` ("approved", "declined" or
   "cancelled"), ``timestamp`` and ``signature``. A field missing or one more
   is refused.

``signature`` is the lowercase hex HMAC-SHA256, keyed with the shared
secret, of the canonical string: the message kind (``dimos-pay-1:request``
or ``dimos-pay-1:callback``) and then ``name=value`` for each field in the
order listed above, joined by line feeds (``\\n``). Values may hold no line
breaks or other control characters, so the string is unambiguous; the kind
makes a request's signature useless as a callback's. Signatures are
compared in constant time; a callback more than the window (5 minutes by
default) away from the receiver's clock is refused.
"""

from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from dimos.payments.bilingual import BilingualError
from stdnum import iso11649

import hashlib
import hmac
import re
import secrets


VERSION = "1"
CURRENCY = "EUR"
REQUEST_KIND = "dimos-pay-1:request"
CALLBACK_KIND = "dimos-pay-1:callback"
REQUEST_FIELDS = (
    "version",
    "mid",
    "rf",
    "amount",
    "currency",
    "return_url",
    "callback_url",
    "nonce",
    "timestamp",
)
CALLBACK_FIELDS = ("version", "mid", "txid", "rf", "amount", "currency", "status", "timestamp")
STATUSES = ("approved", "declined", "cancelled")
DEFAULT_WINDOW = 300  # seconds
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%SZ"

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_AMOUNT = re.compile(r"[1-9][0-9]{0,11}")
_TXID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class ProtocolError(BilingualError):
    """A message refused: a code, the reason in Greek and English, and an HTTP status."""

    def __init__(self, code, message_el, message_en, status=400):
        super().__init__(message_el, message_en, code=code)
        self.status = status

    def messages(self):
        return {"el": self.message_el, "en": self.message_en}


@dataclass(frozen=True)
class PaymentRequest:
    """A verified payment request, as the gateway reads it."""

    mid: str
    rf: str
    amount_cents: int
    return_url: str
    callback_url: str
    nonce: str
    timestamp: datetime


@dataclass(frozen=True)
class Callback:
    """A verified callback: the bank's word on one transaction."""

    mid: str
    transaction_id: str
    rf: str
    amount_cents: int
    currency: str
    status: str
    timestamp: datetime

    def fingerprint(self):
        """What the bank said, without when it said it: a retry carries the same fingerprint."""
        return (self.mid, self.transaction_id, self.rf, self.amount_cents, self.status)


def format_timestamp(moment):
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_timestamp(text):
    try:
        return datetime.strptime(text, TIMESTAMP_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ProtocolError(
            "bad-timestamp",
            f"Μη έγκυρη χρονοσφραγίδα «{text}» (αναμένεται ΕΕΕΕ-ΜΜ-ΗΗΤωω:λλ:δδZ).",
            f"Invalid timestamp “{text}” (expected YYYY-MM-DDThh:mm:ssZ).",
        ) from None


def canonical(kind, fields, names):
    """The bytes that are signed: the kind, then ``name=value`` per field, one per line."""
    lines = [kind]
    for name in names:
        value = fields[name]
        if not isinstance(value, str) or _CONTROL.search(value):
            raise ProtocolError(
                "bad-value",
                f"Το πεδίο «{name}» πρέπει να είναι κείμενο μιας γραμμής.",
                f"The field “{name}” must be text on one line.",
            )
        lines.append(f"{name}={value}")
    return "\n".join(lines).encode("utf-8")


def sign(secret, kind, fields, names):
    """The lowercase hex HMAC-SHA256 of the canonical string."""
    return hmac.new(secret, canonical(kind, fields, names), hashlib.sha256).hexdigest()


def check_fields(body, names):
    """Refuse a body that is not an object of exactly ``names`` and ``signature``, all text."""
    if not isinstance(body, dict):
        raise ProtocolError(
            "not-an-object",
            "Το μήνυμα πρέπει να είναι αντικείμενο JSON.",
            "The message must be a JSON object.",
        )
    expected = set(names) | {"signature"}
    unknown = sorted(set(body) - expected)
    if unknown:
        listed = ", ".join(unknown)
        raise ProtocolError(
            "unknown-fields",
            f"Άγνωστα πεδία: {listed}.",
            f"Unknown fields: {listed}.",
        )
    missing = [name for name in (*names, "signature") if body.get(name) in (None, "")]
    if missing:
        listed = ", ".join(missing)
        raise ProtocolError(
            "missing-fields",
            f"Λείπουν τα πεδία: {listed}.",
            f"Missing fields: {listed}.",
        )
    for name in expected:
        canonical("", {name: body[name]}, (name,))  # text on one line, else ProtocolError


def check_signature(secret, kind, body, names):
    """Constant-time comparison of the body's signature with ours."""
    expected = sign(secret, kind, body, names)
    given = body["signature"].strip().lower().encode("ascii", "replace")
    if not hmac.compare_digest(expected.encode("ascii"), given):
        raise ProtocolError(
            "bad-signature",
            "Η υπογραφή του μηνύματος δεν είναι έγκυρη.",
            "The message's signature is not valid.",
            status=403,
        )


def check_fresh(moment, now, window):
    if abs((now - moment).total_seconds()) > window:
        raise ProtocolError(
            "stale",
            "Το μήνυμα είναι εκτός του επιτρεπτού χρονικού παραθύρου.",
            "The message is outside the allowed time window.",
            status=403,
        )


def _check_common(body, merchant_id):
    if not hmac.compare_digest(body["mid"].encode("utf-8"), merchant_id.encode("utf-8")):
        raise ProtocolError(
            "wrong-merchant",
            "Το μήνυμα αφορά άλλον έμπορο.",
            "The message is for another merchant.",
            status=403,
        )
    if body["version"] != VERSION:
        raise ProtocolError(
            "bad-version",
            f"Μη υποστηριζόμενη έκδοση πρωτοκόλλου «{body['version']}».",
            f"Unsupported protocol version “{body['version']}”.",
        )
    if body["currency"] != CURRENCY:
        raise ProtocolError(
            "bad-currency",
            f"Μη αποδεκτό νόμισμα «{body['currency']}» (μόνο EUR).",
            f"Currency “{body['currency']}” not accepted (EUR only).",
        )
    if not _AMOUNT.fullmatch(body["amount"]):
        raise ProtocolError(
            "bad-amount",
            f"Μη έγκυρο ποσό «{body['amount']}» (ακέραια λεπτά, μεγαλύτερα του μηδενός).",
            f"Invalid amount “{body['amount']}” (whole cents, more than zero).",
        )
    if iso11649.compact(body["rf"]) != body["rf"] or not iso11649.is_valid(body["rf"]):
        raise ProtocolError(
            "bad-rf",
            f"Μη έγκυρος κωδικός RF «{body['rf']}».",
            f"Invalid RF code “{body['rf']}”.",
        )


def _verified(body, names, kind, secret, merchant_id, now, window):
    check_fields(body, names)
    check_signature(secret, kind, body, names)
    moment = parse_timestamp(body["timestamp"])
    check_fresh(moment, now or datetime.now(UTC), window)
    _check_common(body, merchant_id)
    return moment


def request_fields(secret, mid, rf, amount_cents, return_url, callback_url, now=None, nonce=None):
    """The signed fields of a payment request (the query of the gateway's URL)."""
    fields = {
        "version": VERSION,
        "mid": mid,
        "rf": rf,
        "amount": str(int(amount_cents)),
        "currency": CURRENCY,
        "return_url": return_url,
        "callback_url": callback_url,
        "nonce": nonce or secrets.token_hex(16),
        "timestamp": format_timestamp(now or datetime.now(UTC)),
    }
    fields["signature"] = sign(secret, REQUEST_KIND, fields, REQUEST_FIELDS)
    return fields


def verify_request(body, secret, merchant_id, now=None, window=DEFAULT_WINDOW):
    """The PaymentRequest of signed request fields, or ProtocolError (the gateway's side)."""
    moment = _verified(body, REQUEST_FIELDS, REQUEST_KIND, secret, merchant_id, now, window)
    return PaymentRequest(
        mid=body["mid"],
        rf=body["rf"],
        amount_cents=int(body["amount"]),
        return_url=body["return_url"],
        callback_url=body["callback_url"],
        nonce=body["nonce"],
        timestamp=moment,
    )


def callback_fields(secret, mid, txid, rf, amount_cents, status, now=None):
    """The signed body of a callback (the gateway's side)."""
    fields = {
        "version": VERSION,
        "mid": mid,
        "txid": txid,
        "rf": rf,
        "amount": str(int(amount_cents)),
        "currency": CURRENCY,
        "status": status,
        "timestamp": format_timestamp(now or datetime.now(UTC)),
    }
    fields["signature"] = sign(secret, CALLBACK_KIND, fields, CALLBACK_FIELDS)
    return fields


def verify_callback(body, secret, merchant_id, now=None, window=DEFAULT_WINDOW):
    """The Callback of a signed callback body, or ProtocolError (the municipality's side)."""
    moment = _verified(body, CALLBACK_FIELDS, CALLBACK_KIND, secret, merchant_id, now, window)
    if body["status"] not in STATUSES:
        raise ProtocolError(
            "bad-status",
            f"Άγνωστη κατάσταση συναλλαγής «{body['status']}».",
            f"Unknown transaction status “{body['status']}”.",
        )
    if not _TXID.fullmatch(body["txid"]):
        raise ProtocolError(
            "bad-txid",
            f"Μη έγκυρος αριθμός συναλλαγής «{body['txid']}».",
            f"Invalid transaction id “{body['txid']}”.",
        )
    return Callback(
        mid=body["mid"],
        transaction_id=body["txid"],
        rf=body["rf"],
        amount_cents=int(body["amount"]),
        currency=body["currency"],
        status=body["status"],
        timestamp=moment,
    )
