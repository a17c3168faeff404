"""The browser layer and the registry settings of dimos.signing."""

from dimos.signing import _
from zope import schema
from zope.interface import Interface
from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDimosSigningLayer(IDefaultBrowserLayer):
    """Marks requests to a site with dimos.signing installed."""


class ISigningSettings(Interface):
    """Edited in the control panel ``@@signing-controlpanel`` (registry prefix ``dimos.signing``)."""

    tsa_url = schema.URI(
        title=_("Timestamp authority (TSA) URL"),
        description=_("RFC 3161 service that timestamps every signature (PAdES-B-T)."),
        required=False,
    )
    trust_roots = schema.Text(
        title=_("Trusted certificates (PEM)"),
        description=_(
            "Root and intermediate CA certificates the municipality trusts, in PEM. "
            "Signer certificates are checked against them before signing and when verifying."
        ),
        required=False,
        default="",
    )
    public_url = schema.URI(
        title=_("Public address of the site"),
        description=_(
            "Start of the verification link printed in each stamp's QR code, "
            "e.g. https://www.dimos.gr. Empty: the site's own address."
        ),
        required=False,
    )
    fetch_revocation = schema.Bool(
        title=_("Check revocation online when verifying"),
        description=_(
            "Ask the CAs' OCSP/CRL services about signatures that carry no revocation "
            "information of their own. Signing always checks it."
        ),
        required=False,
        default=False,
    )
    lta = schema.Bool(
        title=_("Add a document timestamp (PAdES-B-LTA)"),
        description=_("For documents kept for many years: the archive timestamp protects them."),
        required=False,
        default=False,
    )
