"""The bank's card gateway, configured in the registry: signed redirect, signed callback.

The same class talks to the real bank and to the sandbox of
``dimos.payments.testing_gateway``: only the settings differ.
"""

from dataclasses import dataclass
from dataclasses import field
from dimos.payments.gateway import protocol
from dimos.payments.gateway.interfaces import IGatewaySettings
from dimos.payments.gateway.interfaces import IPaymentGateway
from plone import api
from plone.registry.interfaces import IRegistry
from urllib.parse import urlencode
from zope.component import getUtility
from zope.component import queryUtility
from zope.interface import implementer

import os


PREFIX = "dimos.payments.gateway"
MIN_SECRET_LENGTH = 16


@dataclass(frozen=True)
class GatewaySettings:
    """The gateway's settings as plain values; the secret as bytes, never shown."""

    payment_url: str
    merchant_id: str
    secret: bytes = field(repr=False)
    callback_url: str
    return_url: str
    window_seconds: int = protocol.DEFAULT_WINDOW
    title: str = ""


def not_configured(what_el, what_en):
    return protocol.ProtocolError(
        "not-configured",
        f"Οι πληρωμές με κάρτα δεν είναι διαθέσιμες: λείπει {what_el} της τράπεζας.",
        f"Card payments are not available: the bank's {what_en} is not set.",
        status=503,
    )


def add_query(url, **params):
    """``url`` with ``params`` added to its query string."""
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


@implementer(IPaymentGateway)
class HmacRedirectGateway:
    """Signed redirect to the bank's payment page, signed server-to-server callback."""

    name = "hmac-redirect"

    def __init__(self, settings):
        self.settings = settings
        titles = (settings.title or "Πληρωμή με κάρτα / Card payment").split(" / ", 1)
        self.title_el = titles[0]
        self.title_en = titles[-1]

    def _secret(self):
        if len(self.settings.secret) < MIN_SECRET_LENGTH:
            raise not_configured("το κοινό μυστικό (HMAC)", "shared HMAC secret")
        return self.settings.secret

    def _merchant(self):
        if not self.settings.merchant_id:
            raise not_configured("ο κωδικός εμπόρου", "merchant id")
        return self.settings.merchant_id

    def payment_url(self, rf, amount_cents):
        if not self.settings.payment_url:
            raise not_configured("η διεύθυνση πληρωμής", "payment page address")
        fields = protocol.request_fields(
            self._secret(),
            self._merchant(),
            rf,
            amount_cents,
            return_url=add_query(self.settings.return_url, rf=rf),
            callback_url=self.settings.callback_url,
        )
        return add_query(self.settings.payment_url, **fields)

    def verify_callback(self, body, now=None):
        return protocol.verify_callback(
            body, self._secret(), self._merchant(), now=now, window=self.settings.window_seconds
        )


def gateway_settings():
    """The settings in the registry; the secret from the environment when the record is empty."""
    record = getUtility(IRegistry).forInterface(IGatewaySettings, prefix=PREFIX, check=False)
    portal_url = api.portal.get().absolute_url()
    secret = record.hmac_secret or os.environ.get(record.hmac_secret_env or "", "")
    return GatewaySettings(
        payment_url=(record.payment_url or "").strip(),
        merchant_id=(record.merchant_id or "").strip(),
        secret=secret.encode("utf-8"),
        callback_url=(record.callback_url or "").strip() or f"{portal_url}/@payment-callback",
        return_url=(record.return_url or "").strip() or f"{portal_url}/@@payment-return",
        window_seconds=record.window_seconds or protocol.DEFAULT_WINDOW,
        title=record.title or "",
    )


def store_gateway_settings(**values):
    """Change the settings (set-up scripts, tests)."""
    record = getUtility(IRegistry).forInterface(IGatewaySettings, prefix=PREFIX, check=False)
    for name, value in values.items():
        setattr(record, name, value)


def get_gateway():
    """The site's gateway: a registered IPaymentGateway utility, else the configured bank."""
    return queryUtility(IPaymentGateway) or HmacRedirectGateway(gateway_settings())
