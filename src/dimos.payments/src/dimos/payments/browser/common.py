"""What the payments' pages share: who is asking, the CSRF check, uploads, and how debts read.

Pages show money as ``1.234,56 €`` (``money.format_amount``), dates as
``31/03/2026`` and moments in the municipality's time zone. Every message is
a ``BilingualError`` (or has ``message_el`` and ``message_en``): the
templates show the Greek, with the English beside it.
"""

from dimos.payments import ledger
from dimos.payments.audit import jsonable
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import get_category
from dimos.payments.debts import is_afm
from dimos.payments.money import format_amount
from dimos.payments.rf import format_rf
from plone import api
from zoneinfo import ZoneInfo
from zope.annotation.interfaces import IAnnotations
from zope.component import getMultiAdapter

import datetime


MANAGE_DEBTS = "Dimos: Manage debts"
VIEW_OWN_DEBTS = "Dimos: View own debts"
TIME_ZONE = ZoneInfo("Europe/Athens")
MAX_UPLOAD = 20 * 1024 * 1024  # bytes: a year of debts or bank lines is far less


class PageError(BilingualError):
    """Something the visitor must fix or know; ``status`` is the page's HTTP status."""

    def __init__(self, message_el, message_en, code, status=400, **details):
        super().__init__(message_el, message_en, code=code, **details)
        self.status = status


def expired_form():
    return PageError(
        "Η φόρμα έληξε ή δεν στάλθηκε από αυτόν τον ιστότοπο· δεν έγινε καμία αλλαγή. "
        "Ανανεώστε τη σελίδα και δοκιμάστε ξανά.",
        "The form has expired or was not sent from this site; nothing was changed. "
        "Reload the page and try again.",
        code="csrf",
        status=403,
    )


def check_form(view):
    """PageError unless ``view``'s request is a POST carrying a valid plone.protect token."""
    request = view.request
    if request.get("REQUEST_METHOD", "GET").upper() != "POST":
        raise PageError(
            "Η ενέργεια γίνεται μόνο με την υποβολή της φόρμας.",
            "This action is only taken by submitting the form.",
            code="not-post",
            status=405,
        )
    authenticator = getMultiAdapter((view.context, request), name="authenticator")
    if not authenticator.verify():
        raise expired_form()


# --- who is asking -----------------------------------------------------------------


def current_user_id():
    """The logged-in user's id, or None for anonymous visitors."""
    if api.user.is_anonymous():
        return None
    return api.user.get_current().getId()


def citizen_afm():
    """The ΑΦΜ of the logged-in citizen (their user id, from Taxisnet), or None."""
    userid = current_user_id()
    return userid if is_afm(userid) else None


def may(permission, context):
    return bool(api.user.has_permission(permission, obj=context))


def full_name():
    user = api.user.get_current()
    return (user.getProperty("fullname", "") or "") if user is not None else ""


# --- the ledger, read without writing ---------------------------------------------


def ledger_exists():
    """Whether the site has a ledger yet: pages only read, so they never make it on a GET."""
    return ledger.LEDGER_KEY in IAnnotations(api.portal.get())


def debts_of(afm, status=None):
    return ledger.debts_of(afm, status) if ledger_exists() else []


def get_order(rf):
    return ledger.get_order(rf) if ledger_exists() else None


# --- uploads --------------------------------------------------------------------------


def uploaded(request, name):
    """(bytes, file name, content type) of the file field ``name``; PageError if none."""
    upload = request.form.get(name)
    filename = getattr(upload, "filename", "") or ""
    if upload is None or not hasattr(upload, "read") or not filename:
        raise PageError(
            "Επιλέξτε το αρχείο που θα ανεβάσετε.",
            "Choose the file to upload.",
            code="no-file",
        )
    data = upload.read(MAX_UPLOAD + 1)
    if len(data) > MAX_UPLOAD:
        raise PageError(
            f"Το αρχείο «{filename}» ξεπερνά τα {MAX_UPLOAD // 1024 // 1024} MB.",
            f"The file “{filename}” is larger than {MAX_UPLOAD // 1024 // 1024} MB.",
            code="too-large",
            status=413,
        )
    headers = getattr(upload, "headers", None)
    content_type = headers.get("Content-Type", "") if headers is not None else ""
    return data, filename, content_type


# --- how things read ------------------------------------------------------------------


def format_date(value):
    """``31/03/2026`` of a date, a datetime (in Athens' time) or its ISO text; "" if none."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        value = value.astimezone(TIME_ZONE) if value.utcoffset() is not None else value
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return ""


def format_moment(value):
    """``02/03/2026 12:15`` in Athens' time, of an aware datetime or its ISO text."""
    if isinstance(value, str):
        try:
            value = datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, datetime.datetime):
        if value.utcoffset() is not None:
            value = value.astimezone(TIME_ZONE)
        return value.strftime("%d/%m/%Y %H:%M")
    return format_date(value)


def category_titles(token):
    category = get_category(token)
    if category is None:
        return token, token
    return category.title_el, category.title_en


def debt_view(debt):
    """What the pages show of a Debt, every amount formatted, every date written out."""
    title_el, title_en = category_titles(debt.category)
    paid = debt.paid or {}
    return {
        "id": debt.id,
        "category_el": title_el,
        "category_en": title_en,
        "description": debt.description or "",
        "due_date": format_date(debt.due_date),
        "due_iso": jsonable(debt.due_date),
        "amount": format_amount(debt.amount_cents),
        "surcharge": format_amount(debt.surcharge_cents),
        "has_surcharge": bool(debt.surcharge_cents),
        "total_cents": debt.total_cents,
        "total": format_amount(debt.total_cents),
        "status": debt.status,
        "pending_rf": debt.pending_rf,
        "pending_rf_printed": format_rf(debt.pending_rf) if debt.pending_rf else "",
        "paid_on": format_date(paid.get("at")),
        "paid_rf": format_rf(paid["rf"]) if paid.get("rf") else "",
    }
