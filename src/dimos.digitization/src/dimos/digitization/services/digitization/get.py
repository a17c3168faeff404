"""GET /@digitization/<sha256>: what became of a scanned file."""

from dimos.digitization.incoming import StoreError
from dimos.digitization.store import get_by_sha256
from dimos.digitization.store import summary
from plone.restapi.services import Service
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


@implementer(IPublishTraverse)
class DigitizationGet(Service):
    def __init__(self, context, request):
        super().__init__(context, request)
        self.params = []

    def publishTraverse(self, request, name):
        self.params.append(name)
        return self

    def reply(self):
        sha256 = self.params[0].lower() if len(self.params) == 1 else ""
        record = get_by_sha256(sha256) if sha256 else None
        if record is None:
            error = StoreError(
                "not-found",
                "Δεν έχει αποθηκευτεί αποτέλεσμα για αυτό το αρχείο.",
                "No result is stored for this file.",
                status=404,
            )
            self.request.response.setStatus(error.status)
            return error.payload()
        return summary(record)
