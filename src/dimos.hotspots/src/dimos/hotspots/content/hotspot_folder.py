"""Δίκτυο σημείων WiFi: the folder of the Hotspots; its default view is the map."""

from plone.dexterity.content import Container
from plone.supermodel import model
from zope.interface import implementer


class IHotspotFolder(model.Schema):
    """The hotspot network: holds the Hotspots (``/hotspots`` on the site)."""


@implementer(IHotspotFolder)
class HotspotFolder(Container):
    pass
