"""The hotspots' browser layer."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDimosHotspotsLayer(IDefaultBrowserLayer):
    """Installed with dimos.hotspots:default."""
