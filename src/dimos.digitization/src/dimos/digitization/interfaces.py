"""The browser layer of dimos.digitization, present on sites that installed it."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDimosDigitizationLayer(IDefaultBrowserLayer):
    """Marks requests to a site with dimos.digitization installed."""
