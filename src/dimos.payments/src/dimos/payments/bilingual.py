"""Bilingual errors for the payments (``dimos.policy.bilingual``), and the guard of their REST POSTs.

Code below raises a ``BilingualError`` (or a subclass); the REST services
answer it with ``error_reply``. Both live in dimos.policy, shared by the
REST add-ons; they are imported here under their old names.
"""

from dimos.policy.bilingual import BilingualError  # noqa: F401
from dimos.policy.bilingual import error_reply
from dimos.policy.bilingual import language  # noqa: F401
from dimos.policy.bilingual import LANGUAGES  # noqa: F401


# What an HTML form (or a no-cors fetch) on another site can send; a REST client never needs to.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "")


def form_post_refusal(request):
    """A BilingualError when a POST that changes data comes as a form could send it, else None.

    The services that turn plone.protect's token check off (REST clients send
    no token) accept only content types a page on another site cannot make a
    browser send with the user's cookies: this is their CSRF protection.
    """
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type not in FORM_TYPES:
        return None
    return BilingualError(
        "Στείλτε το αίτημα ως JSON (Content-Type: application/json) ή, για αρχείο οφειλών, "
        "ως CSV (Content-Type: text/csv).",
        "Send the request as JSON (Content-Type: application/json) or, for a debts file, "
        "as CSV (Content-Type: text/csv).",
        code="unsupported-content-type",
    )


def rest_post(request):
    """Switch plone.protect's token check off for a REST POST, unless a form could have sent it.

    None when the request may go on; else the 415 reply to return (see
    ``form_post_refusal``). Services that change data call it first.
    """
    from plone.protect.interfaces import IDisableCSRFProtection
    from zope.interface import alsoProvides

    refusal = form_post_refusal(request)
    if refusal is not None:
        return error_reply(request, refusal, 415, "UnsupportedMediaType")
    alsoProvides(request, IDisableCSRFProtection)
    return None
