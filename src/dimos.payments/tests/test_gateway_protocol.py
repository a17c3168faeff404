"""The signed gateway protocol on its own: canonical string, signatures, fields, time window."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.payments.gateway import protocol
from dimos.payments.gateway.protocol import ProtocolError
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import hashlib
import hmac
import pytest


SECRET = b"0123456789abcdef-sandbox-secret"
MID = "DIMOS-0042"
RF = "RF18539007547034"  # a valid ISO 11649 reference
NOW = datetime(2026, 3, 2, 8, 15, 0, tzinfo=UTC)


def callback(**changes):
    body = protocol.callback_fields(SECRET, MID, "TX-1001", RF, 1250, "approved", now=NOW)
    body.update(changes)
    return body


def resigned(body):
    """``body`` signed again after a change, as an authentic gateway would have sent it."""
    fields = {name: body[name] for name in protocol.CALLBACK_FIELDS}
    return {
        **fields,
        "signature": protocol.sign(
            SECRET, protocol.CALLBACK_KIND, fields, protocol.CALLBACK_FIELDS
        ),
    }


def refusal(body, **kw):
    with pytest.raises(ProtocolError) as caught:
        protocol.verify_callback(body, SECRET, MID, now=kw.pop("now", NOW), **kw)
    return caught.value


def test_signature_is_the_documented_hmac_of_the_documented_string():
    body = callback()
    text = (
        "dimos-pay-1:callback\nversion=1\nmid=DIMOS-0042\ntxid=TX-1001\nrf=RF18539007547034\n"
        "amount=1250\ncurrency=EUR\nstatus=approved\ntimestamp=2026-03-02T08:15:00Z"
    )
    assert body["signature"] == hmac.new(SECRET, text.encode(), hashlib.sha256).hexdigest()


def test_a_good_callback_is_read_in_cents_and_utc():
    got = protocol.verify_callback(callback(), SECRET, MID, now=NOW + timedelta(seconds=30))
    assert got == protocol.Callback(MID, "TX-1001", RF, 1250, "EUR", "approved", NOW)
    assert isinstance(got.amount_cents, int)


@pytest.mark.parametrize("name", protocol.CALLBACK_FIELDS)
def test_changing_any_signed_field_breaks_the_signature(name):
    body = callback()
    body[name] = {"amount": "125000", "timestamp": "2026-03-02T08:15:01Z"}.get(
        name, body[name] + "9"
    )
    error = refusal(body)
    assert (error.code, error.status) == ("bad-signature", 403)
    assert error.message_el.startswith("Η υπογραφή")


def test_another_secret_or_a_request_signature_is_refused():
    body = callback()
    body["signature"] = protocol.sign(
        b"another-secret-of-16+", protocol.CALLBACK_KIND, body, protocol.CALLBACK_FIELDS
    )
    assert refusal(body).code == "bad-signature"
    # the same fields signed as a payment request (another kind) are not a callback
    body["signature"] = protocol.sign(SECRET, protocol.REQUEST_KIND, body, protocol.CALLBACK_FIELDS)
    assert refusal(body).code == "bad-signature"


def test_unknown_and_missing_fields_are_refused_before_anything_else():
    error = refusal({**callback(), "card_number": "4111111111111111"})
    assert (error.code, error.status) == ("unknown-fields", 400)
    assert "card_number" in error.message_en
    body = callback()
    del body["amount"]
    error = refusal(body)
    assert (error.code, error.status) == ("missing-fields", 400)
    assert "amount" in error.message_el
    assert refusal(callback(signature="")).code == "missing-fields"
    assert refusal(["not", "an", "object"]).code == "not-an-object"


def test_values_must_be_text_on_one_line():
    assert refusal(callback(amount=1250)).code == "bad-value"
    assert refusal(callback(txid="TX-1\nstatus=approved")).code == "bad-value"


def test_the_time_window_both_ways():
    body = callback()
    window = 300
    protocol.verify_callback(body, SECRET, MID, now=NOW + timedelta(seconds=window), window=window)
    error = refusal(body, now=NOW + timedelta(seconds=window + 1), window=window)
    assert (error.code, error.status) == ("stale", 403)
    assert refusal(body, now=NOW - timedelta(seconds=window + 1), window=window).code == "stale"


def test_another_merchant_is_refused_even_when_signed():
    error = refusal(resigned(callback(mid="OTHER-MERCHANT")))
    assert (error.code, error.status) == ("wrong-merchant", 403)


@pytest.mark.parametrize(
    "field,value,code",
    [
        ("amount", "12.50", "bad-amount"),
        ("amount", "0", "bad-amount"),
        ("amount", "-1250", "bad-amount"),
        ("amount", "01250", "bad-amount"),
        ("currency", "USD", "bad-currency"),
        ("status", "refunded", "bad-status"),
        ("rf", "RF19539007547034", "bad-rf"),  # wrong check digits
        ("rf", "RF18 5390 0754 7034", "bad-rf"),  # the protocol carries it compact
        ("txid", "TX 1001", "bad-txid"),
        ("version", "2", "bad-version"),
        ("timestamp", "02/03/2026 08:15", "bad-timestamp"),
    ],
)
def test_signed_but_malformed_values_are_refused(field, value, code):
    error = refusal(resigned(callback(**{field: value})))
    assert (error.code, error.status) == (code, 400)
    assert error.messages()["el"] and error.messages()["en"]


def test_a_payment_request_round_trips_and_its_amount_cannot_be_changed():
    fields = protocol.request_fields(
        SECRET,
        MID,
        RF,
        123456,
        "https://dimos.example/@@payment-return?rf=" + RF,
        "https://dimos.example/@payment-callback",
        now=NOW,
    )
    assert len(fields["nonce"]) == 32
    request = protocol.verify_request(fields, SECRET, MID, now=NOW)
    assert (request.rf, request.amount_cents, request.return_url) == (
        RF,
        123456,
        "https://dimos.example/@@payment-return?rf=" + RF,
    )
    url = "https://bank.example/pay?" + urlencode(fields)
    tampered = dict(parse_qsl(urlsplit(url.replace("amount=123456", "amount=100")).query))
    with pytest.raises(ProtocolError) as caught:
        protocol.verify_request(tampered, SECRET, MID, now=NOW)
    assert caught.value.code == "bad-signature"
