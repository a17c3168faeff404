"""The Taxisnet settings: registry records, and the client secret from the environment.

Registry records (``profiles/default/registry/taxisnet.xml``), prefix
``dimos.payments.taxisnet``: ``base_url``, ``client_id``, ``client_secret``,
``redirect_uri`` and ``timeout``. Edit them in Site Setup → Configuration
Registry, or in code with ``store_settings(...)``.

The client secret: when the environment variable
``DIMOS_TAXISNET_CLIENT_SECRET`` is set (and not empty) it wins over the
registry, so that production keeps its secret out of the ZODB, its backups
and GenericSetup exports (set it in the instance's ``<environment>`` or the
service unit). The registry record is for development and tests.

``redirect_uri`` empty means ``<site>/@@taxisnet-callback``; it must be
exactly the address registered with GSIS for the client id.
"""

from dataclasses import dataclass
from dimos.payments import _
from dimos.payments.taxisnet.client import TaxisnetClient
from dimos.payments.taxisnet.client import TaxisnetError
from plone.registry.interfaces import IRegistry
from zope import schema
from zope.component import getUtility
from zope.interface import Interface

import os


PREFIX = "dimos.payments.taxisnet"
SECRET_VARIABLE = "DIMOS_TAXISNET_CLIENT_SECRET"
CALLBACK_VIEW = "@@taxisnet-callback"


class ITaxisnetSettings(Interface):
    """Taxisnet (GSIS OAuth2) login; registry prefix ``dimos.payments.taxisnet``."""

    base_url = schema.URI(
        title=_("GSIS OAuth2 address"),
        description=_(
            "Start of the GSIS endpoints: https://www1.gsis.gr in production, "
            "https://test.gsis.gr for GSIS's test environment."
        ),
        default="https://www1.gsis.gr",
        required=False,
    )
    client_id = schema.TextLine(
        title=_("Client id"),
        description=_("The municipality's client id, as registered with GSIS."),
        default="",
        required=False,
    )
    client_secret = schema.TextLine(
        title=_("Client secret"),
        description=_(
            "Ignored when the environment variable DIMOS_TAXISNET_CLIENT_SECRET is set; "
            "prefer the variable in production."
        ),
        default="",
        required=False,
    )
    redirect_uri = schema.URI(
        title=_("Redirect URI"),
        description=_(
            "The callback address registered with GSIS. Empty: the site's @@taxisnet-callback."
        ),
        required=False,
    )
    timeout = schema.Int(
        title=_("Timeout (seconds)"),
        description=_("How long to wait for GSIS's token and userinfo answers."),
        default=10,
        min=1,
        required=False,
    )


@dataclass(frozen=True)
class TaxisnetSettings:
    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    timeout: int

    @property
    def configured(self):
        return bool(self.base_url and self.client_id and self.client_secret)

    def client(self):
        """The TaxisnetClient; TaxisnetError("not-configured") while a setting is missing."""
        if not self.configured:
            raise TaxisnetError(
                "not-configured",
                "Η σύνδεση μέσω Taxisnet δεν έχει ρυθμιστεί ακόμη σε αυτόν τον ιστότοπο. "
                "Επικοινωνήστε με τον Δήμο.",
                "Login with Taxisnet is not configured on this site yet. "
                "Please contact the municipality.",
                status=503,
            )
        return TaxisnetClient(
            base_url=self.base_url,
            client_id=self.client_id,
            client_secret=self.client_secret,
            redirect_uri=self.redirect_uri,
            timeout=self.timeout,
        )


def _records():
    return getUtility(IRegistry).forInterface(ITaxisnetSettings, prefix=PREFIX, check=False)


def taxisnet_settings(site_url):
    """The settings now; ``site_url`` gives the default redirect URI."""
    records = _records()
    secret = os.environ.get(SECRET_VARIABLE, "").strip() or (records.client_secret or "").strip()
    redirect_uri = (records.redirect_uri or "").strip() or f"{site_url.rstrip('/')}/{CALLBACK_VIEW}"
    return TaxisnetSettings(
        base_url=(records.base_url or "").strip().rstrip("/"),
        client_id=(records.client_id or "").strip(),
        client_secret=secret,
        redirect_uri=redirect_uri,
        timeout=records.timeout or 10,
    )


def store_settings(**values):
    """Change settings (tests, set-up scripts): ``store_settings(base_url=..., client_id=...)``."""
    records = _records()
    for name, value in values.items():
        if name not in ITaxisnetSettings:
            raise KeyError(name)
        setattr(records, name, value)
