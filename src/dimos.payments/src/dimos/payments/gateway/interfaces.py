"""The payment gateway's interface, and its settings in the registry."""

from dimos.payments import _
from zope import schema
from zope.interface import Attribute
from zope.interface import Interface


class IPaymentGateway(Interface):
    """A card payment gateway: where the citizen pays, and how it tells us the result.

    The site never sees card data: it sends the citizen to the gateway and
    learns the result only from the gateway's signed callback.
    """

    name = Attribute("Short machine name, e.g. 'hmac-redirect'.")
    title_el = Attribute("The gateway's name, in Greek, as citizens see it.")
    title_en = Attribute("The gateway's name, in English.")

    def payment_url(rf, amount_cents):
        """The signed URL the citizen's browser is sent to, to pay order ``rf``.

        Raises ``protocol.ProtocolError`` ("not-configured") when the gateway
        has no address, merchant id or secret.
        """

    def verify_callback(body, now=None):
        """The ``protocol.Callback`` of a callback's body, or ``protocol.ProtocolError``.

        Refuses unknown or missing fields, a bad signature, another merchant,
        a timestamp outside the window; nothing is recorded here.
        """


class IGatewaySettings(Interface):
    """Registry records ``dimos.payments.gateway.*`` (profiles/default/registry/gateway.xml)."""

    title = schema.TextLine(
        title=_("Name of the gateway shown to citizens"),
        required=False,
        default="Πληρωμή με κάρτα / Card payment",
    )
    payment_url = schema.TextLine(
        title=_("Gateway payment page URL"),
        description=_("Where the citizen's browser is sent with the signed payment request."),
        required=False,
        default="",
    )
    merchant_id = schema.TextLine(
        title=_("Merchant id"),
        description=_("The municipality's merchant id at the bank."),
        required=False,
        default="",
    )
    hmac_secret = schema.TextLine(
        title=_("Shared HMAC secret"),
        description=_(
            "Better left empty, with the secret in the environment variable named below, "
            "so that it is not kept in the database."
        ),
        required=False,
        default="",
    )
    hmac_secret_env = schema.TextLine(
        title=_("Environment variable holding the HMAC secret"),
        required=False,
        default="DIMOS_PAYMENTS_GATEWAY_SECRET",
    )
    callback_url = schema.TextLine(
        title=_("Callback URL"),
        description=_("Where the gateway posts the result. Empty: the site's /@payment-callback."),
        required=False,
        default="",
    )
    return_url = schema.TextLine(
        title=_("Return URL"),
        description=_(
            "Where the gateway sends the citizen back. Empty: the site's @@payment-return."
        ),
        required=False,
        default="",
    )
    window_seconds = schema.Int(
        title=_("Accepted clock difference of callbacks (seconds)"),
        required=False,
        default=300,
        min=10,
        max=3600,
    )
