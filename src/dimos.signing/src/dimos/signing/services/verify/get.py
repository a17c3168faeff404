"""GET /@verify/{uid}: the archive's copy of a signed document, verified (the QR code's link).

Public: the SignedDocument itself may be private; the answer shows only what
``verification.verify_document`` reveals to the current user.
"""

from dimos.policy.rest import PathParams
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.verification import find_document
from dimos.signing.verification import verify_document
from plone.restapi.services import Service


class VerifyGet(PathParams, Service):
    def reply(self):
        uid = self.param()
        document = find_document(uid) if uid else None
        if document is None:
            error = RequestError(
                "not-found",
                "Δεν υπάρχει υπογεγραμμένο έγγραφο με αυτόν τον κωδικό επαλήθευσης.",
                "There is no signed document with this verification code.",
                status=404,
            )
            return refusal(self.request, error)
        return verify_document(document)
