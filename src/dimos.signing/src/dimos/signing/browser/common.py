"""What the signing pages share: refusals in the page's language, dates, people, uploads."""

from datetime import datetime
from plone import api
from zope.i18n import translate


def language():
    """The page's language: the site's is Greek; a visitor may have chosen English."""
    return (api.portal.get_current_language() or "el")[:2]


def refusal(error):
    """A SigningError's message in the page's language (Greek unless English was chosen)."""
    return error.message_en if language() == "en" else error.message_el


def in_language(messages):
    """Of a ``{"el": ..., "en": ...}`` pair, the one in the page's language."""
    messages = messages or {}
    return messages.get("en" if language() == "en" else "el") or messages.get("el", "")


def local_time(value):
    """``12/03/2026 10:15`` in the municipality's time zone, from a datetime or ISO text."""
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone()
    return value.strftime("%d/%m/%Y %H:%M")


def local_date(value):
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.astimezone().strftime("%d/%m/%Y") if value.tzinfo else value.strftime("%d/%m/%Y")


def uploaded(request, name):
    """(bytes, filename) of an uploaded file field, or (None, "") when nothing was sent."""
    upload = request.form.get(name)
    if upload is None or not hasattr(upload, "read"):
        return None, ""
    upload.seek(0)
    data = upload.read()
    if not data:
        return None, ""
    return data, getattr(upload, "filename", "") or ""


def typed(request, name):
    value = request.form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def say(message, request, kind="info"):
    """A status message shown on the next page (``message``: a translatable message id)."""
    api.portal.show_message(translate(message, context=request), request=request, type=kind)
