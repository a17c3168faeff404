"""What the hotspot pages share: who may manage the network, how one spot reads."""

from dimos.hotspots.browser import formatting
from dimos.hotspots.vocabularies import area_title
from plone import api


MANAGE_HOTSPOTS = "Dimos: Manage hotspots"


def may_manage(context):
    """Whether the current user is IT (permission «Dimos: Manage hotspots») on ``context``."""
    if api.user.is_anonymous():
        return False
    return bool(api.user.has_permission(MANAGE_HOTSPOTS, obj=context))


def stale(hotspot):
    """Whether the usage reports of ``hotspot`` stopped (None while that helper is missing)."""
    try:
        from dimos.hotspots.usage.stale import is_stale
    except ImportError:  # the usage module is not installed: nothing to say
        return None
    return bool(is_stale(hotspot))


def marker_state(hotspot, is_stale):
    """The colour class of a spot on IT's map: stale beats the status."""
    if hotspot.status in ("maintenance", "out_of_service"):
        return hotspot.status
    return "stale" if is_stale else "ok"


STATE_TITLES = {
    "ok": ("Σε λειτουργία, αναφέρει", "In service, reporting"),
    "stale": ("Δεν αναφέρει", "Not reporting"),
    "maintenance": ("Σε συντήρηση", "Under maintenance"),
    "out_of_service": ("Εκτός λειτουργίας", "Out of service"),
}


def describe(hotspot):
    """What anyone may read about ``hotspot``: a dict for the templates and the map."""
    lat, lon = hotspot.latitude, hotspot.longitude
    status_el, status_en = formatting.status_titles(hotspot.status)
    return {
        "id": hotspot.getId(),
        "url": hotspot.absolute_url(),
        "name": hotspot.Title(),
        "address": hotspot.address or "",
        "area": hotspot.area or "",
        "area_el": area_title(hotspot.area, "el") if hotspot.area else "",
        "area_en": area_title(hotspot.area, "en") if hotspot.area else "",
        "status": hotspot.status,
        "status_el": status_el,
        "status_en": status_en,
        "lat": lat,
        "lon": lon,
        "coordinates": formatting.coordinates(lat, lon)
        if lat is not None and lon is not None
        else "",
        "osm_url": formatting.osm_link(lat, lon) if lat is not None and lon is not None else "",
    }
