"""REST: the gateway's callback, starting a payment by RF code, the bank's reconciliation file.

``POST /@payment-callback`` (public: the bank's server is anonymous) takes
the signed JSON body of ``gateway.protocol``; only a verified one does
anything (see callbacks.py). ``POST /@rf/{code}/pay`` (public: anyone who
holds the code) answers where to send the citizen. ``POST
/@payments-reconcile`` (dimos.payments.ManageDebts) imports a bank file
(see reconciliation.py). Errors are ``{"error": {"type", "code", "message",
"messages": {"el", "en"}}}``, ``message`` in the caller's language.
"""

from dimos.payments import reconciliation
from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import language
from dimos.payments.gateway.callbacks import receive_callback
from dimos.payments.gateway.protocol import ProtocolError
from dimos.payments.gateway.start import PaymentRefused
from dimos.payments.gateway.start import start_payment
from dimos.payments.services.traversing import TraversingService
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides

import base64
import binascii
import transaction


ERROR_TYPES = {400: "BadRequest", 403: "Forbidden", 404: "NotFound", 409: "Conflict"}


class RequestError(BilingualError):
    def __init__(self, message_el, message_en, code, status=400):
        super().__init__(message_el, message_en, code=code)
        self.status = status


def refuse(request, error):
    """Undo whatever the request changed, and answer ``error`` with its status."""
    transaction.abort()
    status = getattr(error, "status", 400)
    return error_reply(request, error, status, ERROR_TYPES.get(status, "Error"))


def json_object(request):
    """The JSON object of the body; RequestError unless sent as ``application/json``.

    A browser posts forms anywhere unasked, but JSON only after a CORS
    preflight the site does not grant: that is what guards these services,
    which do without plone.protect's token.
    """
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise RequestError(
            "Στείλτε το αίτημα ως JSON (Content-Type: application/json).",
            "Send the request as JSON (Content-Type: application/json).",
            code="not-json",
            status=415,
        )
    try:
        body = json_body(request)
    except Exception:  # DeserializationError, or a body that is not text
        body = None
    if not isinstance(body, dict):
        raise RequestError(
            "Το σώμα του αιτήματος δεν είναι αντικείμενο JSON.",
            "The request body is not a JSON object.",
            code="not-an-object",
        )
    return body


class PaymentCallbackPost(Service):
    """The bank's server-to-server callback: signed, or refused (403) with nothing changed."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only, and signed
        try:
            return dict(receive_callback(json_object(self.request)))
        except (ProtocolError, RequestError) as error:
            return refuse(self.request, error)


class RFPayPost(TraversingService):
    """``POST /@rf/{code}/pay``: the signed address of the gateway's page for a pending order."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # changes nothing
        if len(self.params) != 2 or self.params[1] != "pay":
            return refuse(
                self.request,
                RequestError(
                    "Η διεύθυνση είναι POST /@rf/{κωδικός}/pay.",
                    "The address is POST /@rf/{code}/pay.",
                    code="not-found",
                    status=404,
                ),
            )
        try:
            return start_payment(self.params[0]).to_json()
        except (PaymentRefused, ProtocolError) as error:
            return refuse(self.request, error)


class ReconcilePost(Service):
    """``POST /@payments-reconcile``: match a bank file's payments by RF code, and report."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see json_object
        try:
            data = file_data(json_object(self.request))
            report = reconciliation.reconcile(data, actor=api.user.get_current().getId())
        except (RequestError, reconciliation.FileRefused) as error:
            return refuse(self.request, error)
        return report.to_json(language(self.request))


def file_data(body):
    """The file's bytes: ``{"content": <text>}`` or ``{"data": <base64>}`` (``filename`` optional)."""
    if isinstance(body.get("content"), str) and body["content"]:
        return body["content"].encode("utf-8")
    if isinstance(body.get("data"), str) and body["data"]:
        try:
            return base64.b64decode(body["data"], validate=True)
        except (binascii.Error, ValueError):
            raise RequestError(
                "Το πεδίο «data» δεν είναι έγκυρο base64.",
                "The field “data” is not valid base64.",
                code="bad-base64",
            ) from None
    raise RequestError(
        "Στείλτε το αρχείο της τράπεζας στο πεδίο «content» (κείμενο) ή «data» (base64).",
        "Send the bank's file in the field “content” (text) or “data” (base64).",
        code="missing-file",
    )
