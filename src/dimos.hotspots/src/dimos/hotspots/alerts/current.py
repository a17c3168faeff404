"""Which alerts are in force, where, and until when (the contract the portal and feeds use).

One catalog query (portal type, workflow state, the Dublin Core
effective/expires dates the subscribers keep equal to the CAP times), then
exact filtering in Python: the catalog's date indexes round to the minute,
the alert's CAP times do not. Unrestricted: published alerts are public.
"""

from DateTime import DateTime
from dimos.hotspots import geo
from dimos.hotspots import logger
from dimos.hotspots.alerts import times
from plone import api

import datetime
import functools


SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


def _now(now):
    return times.aware(now) if now is not None else times.now()


def _alerts(**query):
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(portal_type="Alert", **query)
    return [brain._unrestrictedGetObject() for brain in brains]


def in_force(alert, now=None):
    """Actual (not an exercise or test), and ``cap_effective <= now < cap_expires``."""
    now = _now(now)
    effective = times.aware(alert.cap_effective)
    expires = times.aware(alert.cap_expires)
    return (
        alert.cap_status == "Actual"
        and effective is not None
        and expires is not None
        and effective <= now < expires
    )


def _order(alert):
    sent = times.aware(alert.sent)
    return (_SEVERITY_RANK.get(alert.severity, len(SEVERITIES)), -(sent.timestamp() if sent else 0))


def current_alerts(now=None):
    """Published Actual alerts in force ``now``: most severe first, then the newest sent."""
    now = _now(now)
    moment = DateTime(now)
    found = _alerts(
        review_state="published",
        effective={"query": moment, "range": "max"},
        expires={"query": moment, "range": "min"},
    )
    return sorted((alert for alert in found if in_force(alert, now)), key=_order)


def withdrawn_alerts(since, now=None):
    """Alerts withdrawn between ``since`` and ``now``, the last withdrawn first (CAP Cancels)."""
    now = _now(now)
    since = times.aware(since)
    found = _alerts(review_state="withdrawn", modified={"query": DateTime(since), "range": "min"})
    recent = [a for a in found if a.withdrawn and since <= times.aware(a.withdrawn) <= now]
    return sorted(recent, key=lambda a: times.aware(a.withdrawn), reverse=True)


@functools.lru_cache(maxsize=512)
def _shapes(polygons, circles):
    """Parsed polygons and circles; lines that do not parse are left out (logged)."""
    shapes = []
    for parse, lines in ((geo.parse_cap_polygon, polygons), (geo.parse_cap_circle, circles)):
        for line in lines:
            try:
                shapes.append(parse(line))
            except geo.CoordinatesError as error:
                logger.warning("Alert area %r left out: %s", line, error.en)
    return tuple(shapes)


def covers(alert, point):
    """Does the alert's area cover ``point``? No usable polygon or circle: the whole municipality.

    An area whose every line is broken also counts as the whole municipality:
    showing an emergency alert too widely is better than hiding it.
    """
    shapes = _shapes(tuple(alert.polygons or ()), tuple(alert.circles or ()))
    return not shapes or any(shape.contains(point) for shape in shapes)


def alerts_for(hotspot, now=None):
    """The alerts in force whose area covers the hotspot."""
    point = hotspot.point()
    return [alert for alert in current_alerts(now) if covers(alert, point)]


# The Greek field and its English twin (the headline is the title).
TEXTS = {
    "headline": ("title", "headline_en"),
    "description": ("description", "description_en"),
    "instruction": ("instruction", "instruction_en"),
}


def text(alert, name, lang="el"):
    """The alert's ``name`` text in ``lang``: English falls back to Greek when empty."""
    greek, english = TEXTS[name]
    value = getattr(alert, english, None) if lang == "en" else None
    return value or getattr(alert, greek, None) or ""


def alert_summary(alert, lang="el"):
    url = alert.absolute_url()
    return {
        "id": alert.getId(),
        "identifier": alert.identifier,
        "url": url,
        "cap_url": f"{url}/@@cap.xml",
        "event": alert.event,
        "headline": text(alert, "headline", lang),
        "description": text(alert, "description", lang),
        "instruction": text(alert, "instruction", lang),
        "severity": alert.severity,
        "urgency": alert.urgency,
        "certainty": alert.certainty,
        "response_type": alert.response_type,
        "categories": list(alert.categories or ()),
        "area": alert.area_desc,
        "effective": times.cap_datetime(alert.cap_effective),
        "expires": times.cap_datetime(alert.cap_expires),
        "sent": times.cap_datetime(alert.sent),
    }


def next_change(now=None):
    """The earliest time after ``now`` at which an Actual published alert starts or ends, or None."""
    now = _now(now)
    found = _alerts(review_state="published", expires={"query": DateTime(now), "range": "min"})
    moments = [
        moment
        for alert in found
        if alert.cap_status == "Actual"
        for moment in (times.aware(alert.cap_effective), times.aware(alert.cap_expires))
        if moment is not None and moment > now
    ]
    return min(moments, default=None)


def seconds_until_next_change(now=None, limit=60):
    """Whole seconds until next_change(), at most ``limit`` (how long a cache may keep a reply)."""
    now = _now(now)
    change = next_change(now)
    if change is None:
        return limit
    seconds = (change - now) / datetime.timedelta(seconds=1)
    return max(0, min(limit, int(seconds)))
