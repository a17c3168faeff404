"""How the hotspot pages say things, in plain Python: statuses, times, coordinates.

Every text is a pair (Greek, English): the templates show the Greek with
the English beside it. Times are shown in the municipality's time zone.
"""

from dimos.hotspots.vocabularies import STATUSES
from zoneinfo import ZoneInfo

import datetime


TIME_ZONE = ZoneInfo("Europe/Athens")
OSM_URL = "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=18/{lat}/{lon}"
NEVER = ("Ποτέ", "Never")


def pair(title):
    """``"Ελληνικά / English"`` as ``("Ελληνικά", "English")``."""
    el, _sep, en = str(title).partition(" / ")
    return el.strip(), (en or el).strip()


def status_titles(status):
    """The (Greek, English) title of a hotspot status token."""
    for token, title in STATUSES:
        if token == status:
            return pair(title)
    return (status or "—", status or "—")


def coordinates(lat, lon):
    """``"38.012300, 23.701200"``: six decimals is about 10 cm, more than a spot needs."""
    return f"{lat:.6f}, {lon:.6f}"


def osm_link(lat, lon):
    """The spot on openstreetmap.org, with a marker, zoomed to the street."""
    return OSM_URL.format(lat=f"{lat:.6f}", lon=f"{lon:.6f}")


def _count(number, one_el, many_el, one_en, many_en):
    if number == 1:
        return f"1 {one_el}", f"1 {one_en}"
    return f"{number} {many_el}", f"{number} {many_en}"


def ago(then, now=None):
    """How long ago ``then`` was: ``("πριν από 5 λεπτά", "5 minutes ago")``."""
    if then is None:
        return NEVER
    now = now or datetime.datetime.now(datetime.UTC)
    seconds = (now - then).total_seconds()
    if seconds < 0:
        return ("μόλις τώρα", "just now") if seconds > -120 else ("στο μέλλον", "in the future")
    minutes = int(seconds // 60)
    if minutes < 1:
        return "μόλις τώρα", "just now"
    if minutes < 60:
        el, en = _count(minutes, "λεπτό", "λεπτά", "minute", "minutes")
    elif minutes < 48 * 60:
        el, en = _count(minutes // 60, "ώρα", "ώρες", "hour", "hours")
    else:
        el, en = _count(minutes // (24 * 60), "ημέρα", "ημέρες", "day", "days")
    return f"πριν από {el}", f"{en} ago"


def local_time(moment):
    """``"31/03/2026 14:05"`` in Europe/Athens; naive datetimes are taken as UTC."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(TIME_ZONE).strftime("%d/%m/%Y %H:%M")


def iso(moment):
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.isoformat()
