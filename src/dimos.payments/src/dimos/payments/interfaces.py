"""The payments' browser layer."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDimosPaymentsLayer(IDefaultBrowserLayer):
    """Installed with dimos.payments:default."""
