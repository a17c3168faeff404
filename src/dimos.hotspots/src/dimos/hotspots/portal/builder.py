"""What a hotspot's captive portal shows: the alerts in force there, news, events near it, e-services.

``build_portal`` gathers it into one JSON-friendly dict, the same for the
REST reply (``GET /@hotspots/{id}/portal``) and the light HTML page
(``@@portal``). The alerts always come first: the portal is the
municipality's voice in an emergency.
"""

from DateTime import DateTime
from datetime import datetime
from datetime import timedelta
from dimos.hotspots.vocabularies import area_title
from plone import api
from zoneinfo import ZoneInfo


ATHENS = ZoneInfo("Europe/Athens")
LANGUAGES = ("el", "en")
FRESH_SECONDS = 60  # the longest a portal may be kept, alerts or not
SAFE_SCHEMES = ("https://", "http://")


def now_in_athens():
    return datetime.now(ATHENS)


def _registry(name, default):
    value = api.portal.get_registry_record(f"dimos.hotspots.{name}", default=None)
    return default if value is None else value


def hotspot_facts(hotspot, lang="el"):
    """What anyone may know of a spot (never its key, controller or usage)."""
    return {
        "id": hotspot.getId(),
        "title": hotspot.Title(),
        "ssid": hotspot.ssid,
        "address": hotspot.address,
        "area": hotspot.area,
        "area_title": area_title(hotspot.area, lang) if hotspot.area else None,
        "latitude": hotspot.latitude,
        "longitude": hotspot.longitude,
        "status": hotspot.status or "in_service",
    }


def _iso(value):
    if value is None:
        return None
    if isinstance(value, DateTime):
        value = value.asdatetime()
    return value.astimezone(ATHENS).isoformat()


def latest_news(count, now):
    """The ``count`` newest published News Items of the whole site, in force at ``now``: one query."""
    if count <= 0:
        return []
    catalog = api.portal.get_tool("portal_catalog")
    moment = DateTime(now)
    brains = catalog.unrestrictedSearchResults(
        portal_type="News Item",
        review_state="published",
        effective={"query": moment, "range": "max"},
        expires={"query": moment, "range": "min"},
        sort_on="effective",
        sort_order="descending",
        sort_limit=count,
    )
    news = []
    for brain in brains[:count]:
        date = brain.effective if brain.effective and brain.effective.year() > 1970 else None
        news.append(
            {
                "title": brain.Title,
                "description": brain.Description or "",
                "url": brain.getURL(),
                "date": _iso(date or brain.created),
            }
        )
    return news


def parse_eservice(line, site_url, lang="el"):
    """``Ελληνικά|English|address`` -> ``{"title", "url"}``, or None for a line that is no link.

    Relative addresses are joined to the site's URL; ``https://`` (or
    ``http://``) ones are kept; any other scheme (``javascript:``…) is dropped.
    """
    parts = [part.strip() for part in (line or "").split("|")]
    if len(parts) != 3 or not parts[2] or not (parts[0] or parts[1]):
        return None
    title_el, title_en, address = parts
    title = (title_en if lang == "en" else title_el) or title_el or title_en
    if address.lower().startswith(SAFE_SCHEMES):
        url = address
    elif ":" in address.split("/")[0] or address.startswith("//"):
        return None
    else:
        url = f"{site_url.rstrip('/')}/{address.lstrip('/')}"
    return {"title": title, "url": url}


def eservices(lang="el"):
    site_url = api.portal.get().absolute_url()
    links = (parse_eservice(line, site_url, lang) for line in _registry("eservices", ()))
    return [link for link in links if link is not None]


def _events(hotspot, now, lang):
    from dimos.hotspots.programme.query import events_near

    days = _registry("events_days", 7)
    return events_near(hotspot, now, now + timedelta(days=days), lang)


def _alerts(hotspot, now, lang):
    from dimos.hotspots.alerts.current import alert_summary
    from dimos.hotspots.alerts.current import alerts_for
    from dimos.hotspots.alerts.current import next_change

    alerts = [alert_summary(alert, lang=lang) for alert in alerts_for(hotspot, now)]
    return alerts, next_change(now)


def valid_until(now, change):
    """A minute from ``now``, or sooner when the alerts in force change."""
    limit = now + timedelta(seconds=FRESH_SECONDS)
    return min(limit, change) if change is not None and change > now else limit


def build_portal(hotspot, lang="el", now=None):
    """The portal of ``hotspot`` at ``now`` (aware datetime; default: now) in ``lang`` (el/en)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    now = now or now_in_athens()
    alerts, change = _alerts(hotspot, now, lang)
    return {
        "alerts": alerts,
        "hotspot": hotspot_facts(hotspot, lang),
        "news": latest_news(_registry("news_count", 5), now),
        "events": _events(hotspot, now, lang),
        "eservices": eservices(lang),
        "generated": now.isoformat(),
        "valid_until": valid_until(now, change).isoformat(),
    }
