"""GET /@digitization/<sha256>: what became of a scanned file."""

from dimos.digitization.incoming import StoreError
from dimos.digitization.store import get_by_sha256
from dimos.digitization.store import summary
from dimos.policy.rest import PathParams
from plone.restapi.services import Service


class DigitizationGet(PathParams, Service):
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
