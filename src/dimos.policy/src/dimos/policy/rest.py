"""What the Dimos REST services share."""

from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class PathParams:
    """Mixin for services taking path parts after their name (``/@verify/{uid}``).

    List it before ``Service``: ``class VerifyGet(PathParams, Service)``.
    """

    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def param(self):
        """The one path part, or None (none, or more than one)."""
        return self.params[0] if len(self.params) == 1 else None
