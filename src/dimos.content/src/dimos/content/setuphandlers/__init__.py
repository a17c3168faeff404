"""Install handler of dimos.content."""

from dimos.content import _
from plone import api
from zope.i18n import translate


REGISTRY_ID = "protokollo"


def ensure_protocol_registry(portal):
    """The general protocol's folder at the site root; kept if it exists."""
    if REGISTRY_ID in portal.objectIds():
        return portal[REGISTRY_ID]
    registry = api.content.create(
        container=portal,
        type="ProtocolRegistry",
        id=REGISTRY_ID,
        title=translate(_("General protocol"), target_language="el"),
        exclude_from_nav=True,
    )
    # Tens of thousands of records a year: no ordering list rewritten on every add.
    registry.setOrdering("unordered")
    return registry


def post_install(context):
    portal = api.portal.get()
    with api.env.adopt_roles(["Manager"]):
        ensure_protocol_registry(portal)
