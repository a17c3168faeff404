"""The one shape of a refused request: a code, and the reason in Greek and English."""

from dimos.signing.core.errors import SigningError

import transaction


class RequestError(SigningError):
    """A request a service refuses before the model sees it, with its HTTP status."""

    def __init__(self, code, message_el, message_en, status=400):
        super().__init__(code, message_el, message_en)
        self.status = status


def refusal(request, error, statuses=None):
    """Undo whatever the request changed, set the status, return the JSON error body.

    ``error`` is a SigningError: a RequestError carries its status, the
    model's codes get theirs from ``statuses`` (400 if not listed). The body
    is ``{"type", "message", "messages"}`` with ``message`` in Greek, as in
    the other Dimos services.
    """
    status = getattr(error, "status", None) or (statuses or {}).get(error.code, 400)
    transaction.abort()  # a refused request leaves the site as it was
    request.response.setStatus(status)
    return {"type": error.code, "message": error.message_el, "messages": error.messages()}
