"""Who is asking, for the payments' services: staff (Manage debts) or a citizen and their ΑΦΜ.

A citizen's user id IS their ΑΦΜ (the Taxisnet login makes it so). Errors
are ``BilingualError``s the services answer with 400, 403 or 404.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.debts import clean_afm
from dimos.payments.debts import DebtError
from dimos.payments.debts import is_afm
from plone import api


MANAGE_DEBTS = "Dimos: Manage debts"


class Refused(BilingualError):
    """The caller may not have this; ``status`` is the HTTP status to answer."""

    def __init__(self, status, message_el, message_en, code, **details):
        super().__init__(message_el, message_en, code=code, **details)
        self.status = status


def user_id():
    user = api.user.get_current()
    return user.getId() if user is not None else None


def is_staff(context):
    return bool(api.user.has_permission(MANAGE_DEBTS, obj=context))


def own_afm():
    """The logged-in citizen's ΑΦΜ; Refused (403) if their account has none."""
    userid = user_id()
    if not is_afm(userid):
        raise Refused(
            403,
            "Ο λογαριασμός σας δεν συνδέεται με ΑΦΜ· συνδεθείτε με τους κωδικούς Taxisnet.",
            "Your account is not linked to a tax number (AFM); log in with Taxisnet.",
            "no-afm",
        )
    return userid


def afm_asked(context, asked):
    """The ΑΦΜ whose debts the caller may see: staff any (``asked``), a citizen only their own."""
    if is_staff(context):
        if asked:
            try:
                return clean_afm(asked)
            except DebtError as error:
                raise Refused(400, error.message_el, error.message_en, error.code) from None
        if is_afm(user_id()):
            return user_id()
        raise Refused(
            400,
            "Δώστε τον ΑΦΜ του οφειλέτη: ?afm=…",
            "Give the debtor's tax number (AFM): ?afm=…",
            "afm-required",
        )
    afm = own_afm()
    if asked and str(asked).strip() != afm:
        raise Refused(
            403,
            "Μπορείτε να δείτε μόνο τις δικές σας οφειλές.",
            "You can only see your own debts.",
            "not-yours",
        )
    return afm


def refused_reply(request, error):
    kind = {400: "BadRequest", 403: "Forbidden", 404: "NotFound"}.get(error.status, "BadRequest")
    return error_reply(request, error, error.status, kind)
