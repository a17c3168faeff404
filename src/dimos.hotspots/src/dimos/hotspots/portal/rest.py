"""The captive portal's REST handlers, called by services/hotspots/get.py.

``GET /@hotspots`` lists the spots, ``GET /@hotspots/{id}`` tells one spot's
public facts and ``GET /@hotspots/{id}/portal`` is what its captive portal
shows (``builder.build_portal``), cached as ``caching`` says. All public:
never a key, a controller id or usage figures.
"""

from dimos.hotspots.portal import caching
from dimos.hotspots.portal.builder import build_portal
from dimos.hotspots.portal.builder import hotspot_facts
from dimos.hotspots.portal.builder import LANGUAGES
from dimos.hotspots.portal.builder import now_in_athens
from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply
from dimos.policy.bilingual import language
from plone import api
from plone.restapi.services import _no_content_marker

import json
import unicodedata


class BadLanguage(BilingualError):
    code = "bad-language"


class NotFound(BilingualError):
    code = "not-found"


def requested_language(request):
    """``?lang=`` (el or en), else the visitor's language; BadLanguage for any other ``lang``."""
    chosen = request.form.get("lang")
    if chosen is None:
        return language(request)
    if chosen not in LANGUAGES:
        raise BadLanguage(
            "Η γλώσσα (lang) είναι «el» (Ελληνικά) ή «en» (English).",
            "The language (lang) is “el” (Greek) or “en” (English).",
            value=str(chosen)[:20],
        )
    return chosen


def current_portal(hotspot, lang):
    """``(portal, now)``: the portal of ``hotspot`` for the window ``now`` is in."""
    from dimos.hotspots.alerts.current import next_change

    now = now_in_athens()
    return build_portal(hotspot, lang, caching.window_start(now, next_change)), now


def api_url(hotspot=None):
    url = f"{api.portal.get().absolute_url()}/@hotspots"
    return url if hotspot is None else f"{url}/{hotspot.getId()}"


def _links(hotspot):
    return {
        "@id": api_url(hotspot),
        "portal": f"{api_url(hotspot)}/portal",
        "splash": f"{hotspot.absolute_url()}/@@portal",
    }


def _visible(hotspot, request):
    if api.user.has_permission("View", obj=hotspot):
        return None
    error = NotFound(
        f"Δεν υπάρχει σημείο WiFi «{hotspot.getId()}».",
        f"There is no hotspot “{hotspot.getId()}”.",
    )
    return error_reply(request, error, 404, "NotFound")


def _by_title(spot):
    """Greek titles in alphabetical order: accents and case do not count."""
    letters = unicodedata.normalize("NFD", spot.Title().casefold())
    return "".join(c for c in letters if not unicodedata.combining(c)), spot.getId()


def list_hotspots(site, request):
    """``GET /@hotspots``: every spot the caller may see, by title (a score of them: no catalog)."""
    folder = hotspot_folder(site)
    spots = [
        spot
        for spot in (folder.objectValues() if folder is not None else ())
        if spot.portal_type == "Hotspot" and api.user.has_permission("View", obj=spot)
    ]
    items = []
    for hotspot in sorted(spots, key=_by_title):
        items.append(
            {
                "id": hotspot.getId(),
                "title": hotspot.Title(),
                "latitude": hotspot.latitude,
                "longitude": hotspot.longitude,
                "address": hotspot.address,
                "area": hotspot.area,
                "status": hotspot.status or "in_service",
                **_links(hotspot),
            }
        )
    return {"@id": api_url(), "items": items, "items_total": len(items)}


def hotspot_info(hotspot, request):
    """``GET /@hotspots/{id}``: the spot's public facts, area title in the caller's language."""
    hidden = _visible(hotspot, request)
    if hidden is not None:
        return hidden
    try:
        lang = requested_language(request)
    except BadLanguage as error:
        return error_reply(request, error, 400)
    return {**hotspot_facts(hotspot, lang), **_links(hotspot)}


def portal_reply(hotspot, request):
    """``GET /@hotspots/{id}/portal[?lang=el|en]``: the portal's JSON; 304 when the client has it."""
    hidden = _visible(hotspot, request)
    if hidden is not None:
        return hidden
    try:
        lang = requested_language(request)
    except BadLanguage as error:
        return error_reply(request, error, 400)
    portal, now = current_portal(hotspot, lang)
    # As plone.restapi's Service.render writes it, so the ETag is that of the body sent.
    body = json.dumps(portal, indent=2, sort_keys=True, separators=(", ", ": "))
    if caching.answer(request, body, portal["valid_until"], now):
        return _no_content_marker
    return portal
