"""What the archive's pages share: the page language, dates, permalinks."""

from datetime import date
from dimos.archive.search import default_body
from dimos.content.content.council_body import ICouncilBody
from plone import api
from urllib.parse import quote
from urllib.parse import urlencode
from zope.i18n import translate


DIAVGEIA_URL = "https://diavgeia.gov.gr/decision/view/{ada}"
LANGUAGES = {"el": "Ελληνικά", "en": "English"}


def language(request=None):
    """The page's language: the site's is Greek; a visitor may have chosen English."""
    return "en" if (api.portal.get_current_language() or "el")[:2] == "en" else "el"


def t(message, request):
    return translate(message, context=request)


def switch_language_url(request, url=None):
    """The current page (with its query) in the other language (Plone's cookie negotiation)."""
    other = "el" if language(request) == "en" else "en"
    base = url or request.get("ACTUAL_URL") or request.URL
    form = [(k, v) for k, v in _query_pairs(request) if k != "set_language"]
    form.append(("set_language", other))
    return f"{base}?{urlencode(form)}", other, LANGUAGES[other]


def _query_pairs(request):
    for key, value in request.form.items():
        if key.startswith("-C") or not isinstance(value, (str, list, tuple)):
            continue
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str):
                yield key, item


def local_date(value):
    """``12/03/2024`` from a date, datetime or ISO text; "" when empty."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value[:10])
        except ValueError:
            return value
    return value.strftime("%d/%m/%Y")


def body_of(decision):
    body = decision.body() if hasattr(decision, "body") else None
    return body if ICouncilBody.providedBy(body) else None


def permalinks(decision):
    """The decision's permanent addresses: by number (and body) and by ΑΔΑ."""
    portal_url = api.portal.get().absolute_url()
    links = []
    body = body_of(decision)
    if decision.decision_number and decision.decision_year and body is not None:
        path = f"{decision.decision_year}/{decision.decision_number}"
        if body.getId() != default_body():
            path = f"{body.getId()}/{path}"
        links.append(f"{portal_url}/decisions/{path}")
    if decision.ada:
        links.append(f"{portal_url}/decisions/ada/{quote(decision.ada)}")
    return links
