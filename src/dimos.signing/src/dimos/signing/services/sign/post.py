"""POST /@sign on a SignedDocument: the current user adds their signature.

Body ``{"password": ...}`` (a PKCS#12 credential) or ``{"pin": ...}`` (a
token); neither is kept. A refusal changes nothing: the model writes only
after a signature has succeeded, and the transaction is aborted anyway.
"""

from dimos.signing.core.errors import SigningError
from dimos.signing.plan import sign_document
from dimos.signing.services.body import json_object
from dimos.signing.services.body import require_json
from dimos.signing.services.body import text
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.services.summary import document_summary
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


# The model's refusals that are not about the request itself (400).
STATUSES = {
    "not-a-signer": 403,
    "not-your-turn": 409,
    "already-signed": 409,
    "cancelled": 409,
    "no-request": 409,
    "no-tsa": 503,
}


class SignPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see require_json
        document = self.context
        try:
            require_json(self.request)
            signed = sign_document(document, api.user.get_current().getId(), secret(self.request))
        except SigningError as error:
            return refusal(self.request, error, STATUSES)
        signature = document.signers[-1]
        return {
            **document_summary(document),
            "signature": {
                "field": signed.field_name,
                "level": signed.level,
                "signer": signature["name"],
                "role": signature["role"],
                "timestamp": signed.signed_at.isoformat(),
            },
        }


def secret(request):
    body = json_object(request)
    if body.get("password") is None and body.get("pin") is None:
        raise RequestError(
            "no-secret",
            "Πληκτρολογήστε τον κωδικό του πιστοποιητικού («password») ή το PIN («pin»).",
            "Type the certificate's password (“password”) or the token's PIN (“pin”).",
        )
    return text(body, "password" if body.get("password") is not None else "pin")
