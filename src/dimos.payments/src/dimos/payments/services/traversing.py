"""The base of the REST services whose address goes on after their name (``/@rf/{code}/pay``)."""

from plone.restapi.services import Service
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class TraversingService(Service):
    """A Service that keeps the path segments after its name in ``params``."""

    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self
