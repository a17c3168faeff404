"""Which events happen when and where: the programme's queries.

``events_in(site, start, end, area=None)`` gives the occurrences (a recurring
event's dates each on their own) of the published Events that take place in
``[start, end)``: those starting in it, and those that started before and are
still going on. The catalog finds the events of the period with
plone.app.event's own ``start``/``end`` indexes; the few it finds are then
sorted by place in Python, so no index of our own is needed.

An event's place (behavior ``dimos.hotspots.place``): an area, coordinates,
both, or neither — "municipality-wide", shown everywhere.
"""

from Acquisition import aq_parent
from dimos.hotspots import geo
from dimos.hotspots.behaviors.place import place_of
from dimos.hotspots.programme import snapshot
from dimos.hotspots.programme.period import TIME_ZONE
from dimos.hotspots.vocabularies import area_title
from plone import api
from plone.app.event.base import get_events
from plone.app.event.base import RET_MODE_OBJECTS
from plone.event.interfaces import IEvent
from plone.event.interfaces import IEventAccessor


def event_of(occurrence):
    """The Event an occurrence belongs to (an Event is its own first occurrence)."""
    return occurrence if IEvent.providedBy(occurrence) else aq_parent(occurrence)


def _in_period(accessor, start, end):
    """Does the occurrence take place in ``[start, end)`` (starts in it, or is going on at ``start``)?"""
    if accessor.start >= end:
        return False
    return accessor.start >= start or accessor.end > start


def occurrences_in(site, start, end, area=None, keep=None):
    """The occurrences of published Events in ``[start, end)``, soonest first.

    ``area``: None for all, else a token: the events placed in that area and
    the municipality-wide ones. ``keep(event)`` may filter further.
    """
    found = get_events(
        site,
        start=start,
        end=end,
        ret_mode=RET_MODE_OBJECTS,
        expand=True,
        sort="start",
        review_state="published",
    )
    chosen = []
    for occurrence in found:
        accessor = IEventAccessor(occurrence)
        if not _in_period(accessor, start, end):
            continue
        event = event_of(occurrence)
        event_area, point = place_of(event)
        if area is not None and event_area != area and (event_area or point):
            continue
        if keep is not None and not keep(event):
            continue
        chosen.append((accessor.start, accessor.title or "", occurrence))
    chosen.sort(key=lambda row: (row[0], row[1]))
    return [occurrence for _start, _title, occurrence in chosen]


events_in = occurrences_in


def radius_km():
    value = api.portal.get_registry_record("dimos.hotspots.events_radius_km", default=1.5)
    return float(value if value is not None else 1.5)


def place_is_near(hotspot, radius, event_area, point):
    """Is an event placed at ``event_area``/``point`` near ``hotspot`` (in its area, within
    ``radius`` km, or municipality-wide)?"""
    if not event_area and point is None:
        return True
    hotspot_area = getattr(hotspot, "area", None) or None
    if hotspot_area and event_area == hotspot_area:
        return True
    return point is not None and geo.distance_km(hotspot.point(), point) <= radius


def near(hotspot, radius=None):
    """A test ``keep(event)``: the event is near ``hotspot``, in its area or municipality-wide."""
    radius = radius_km() if radius is None else radius

    def keep(event):
        return place_is_near(hotspot, radius, *place_of(event))

    return keep


def occurrences_near(hotspot, start, end):
    """The occurrences near ``hotspot`` (see ``near``) in ``[start, end)``, soonest first."""
    return occurrences_in(api.portal.get(), start, end, keep=near(hotspot))


def events_near(hotspot, start, end, lang="el"):
    """``event_summary`` of each occurrence near ``hotspot`` in ``[start, end)``, soonest first.

    Twenty portals ask for the same period: the period's occurrences are read
    once per catalog state (``snapshot``) and each hotspot picks its own.
    """
    radius = radius_km()
    return [
        dict(summary)
        for summary, area, point in snapshot.occurrences(api.portal.get(), start, end, lang)
        if place_is_near(hotspot, radius, area, point)
    ]


def summaries_in(site, start, end, lang):
    """``(event_summary, area, point)`` of every occurrence in ``[start, end)``, soonest first."""
    rows = []
    for occurrence in occurrences_in(site, start, end):
        area, point = place_of(event_of(occurrence))
        rows.append((event_summary(occurrence, lang), area, point))
    return rows


def _iso(moment):
    return moment.astimezone(TIME_ZONE).isoformat() if moment is not None else None


def event_summary(occurrence, lang="el"):
    """What the programme and the portal show of an occurrence (ISO datetimes, Athens time)."""
    accessor = IEventAccessor(occurrence)
    event = event_of(occurrence)
    area, point = place_of(event)
    return {
        "title": accessor.title or "",
        "start": _iso(accessor.start),
        "end": _iso(accessor.end),
        "whole_day": bool(accessor.whole_day),
        "location": accessor.location or "",
        "area": area,
        "area_title": area_title(area, lang) if area else None,
        "url": accessor.url,
        "latitude": point.lat if point else None,
        "longitude": point.lon if point else None,
    }
