"""Errors that carry their message in Greek and English, and how a REST reply shows them.

Every message a citizen or a clerk sees is in Greek first, with English
beside it. Code raises a ``BilingualError`` (or a subclass); the REST
services answer it as ``{"error": {"type", "code", "message", "messages":
{"el", "en"}, ...}}`` with ``message`` in the caller's language, as the
archive's services do. Shared by the REST add-ons (payments, hotspots).
"""

LANGUAGES = ("el", "en")


class BilingualError(ValueError):
    """Something a person must fix, said in Greek and English.

    ``code`` is a stable, ASCII identifier for programs (e.g. ``"bad-afm"``);
    ``details`` (JSON-friendly) tells which row, field or value.
    """

    code = "invalid"

    def __init__(self, message_el, message_en, code=None, **details):
        super().__init__(message_en)
        self.message_el = message_el
        self.message_en = message_en
        if code is not None:
            self.code = code
        self.details = details

    def message(self, language="el"):
        return self.message_en if language == "en" else self.message_el

    def to_json(self, language="el"):
        return {
            "code": self.code,
            "message": self.message(language),
            "message_el": self.message_el,
            "message_en": self.message_en,
            "messages": {"el": self.message_el, "en": self.message_en},
            **self.details,
        }


def language(request):
    """The language of a reply: the visitor's choice, else the client's, else the site's (Greek)."""
    chosen = (request.cookies.get("I18N_LANGUAGE") or "")[:2]
    if chosen in LANGUAGES:
        return chosen
    accepted = (request.getHeader("Accept-Language") or "").split(",")[0].strip()[:2].lower()
    if accepted in LANGUAGES:
        return accepted
    from plone import api

    return "en" if (api.portal.get_current_language() or "el")[:2] == "en" else "el"


def error_reply(request, error, status=400, error_type="BadRequest"):
    """Set ``status`` on the response and return the JSON body for ``error``."""
    request.response.setStatus(status)
    return {"error": {"type": error_type, **error.to_json(language(request))}}
