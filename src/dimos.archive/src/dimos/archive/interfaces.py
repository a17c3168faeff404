"""The archive's browser layer."""

from zope.publisher.interfaces.browser import IDefaultBrowserLayer


class IDimosArchiveLayer(IDefaultBrowserLayer):
    """Installed with dimos.archive:default."""
