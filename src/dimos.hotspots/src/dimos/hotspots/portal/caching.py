"""How the portal (JSON and HTML) is cached: one body per minute, revalidated by its ETag.

A portal is built for the start of its *window*: the current minute, or the
moment within it at which the alerts in force last changed. Within a window
the body is byte for byte the same, so its ETag is a strong one and a
client's ``If-None-Match`` is answered with 304. ``X-Dimos-Microcache``
tells the micro-cache in front of Zope how many seconds the body stays
valid: never past the next change of the alerts, never more than a minute.
"""

from datetime import datetime
from datetime import timedelta

import hashlib
import math


CACHE_CONTROL = "public, max-age=0, must-revalidate"
MICROCACHE_HEADER = "X-Dimos-Microcache"
STALE_MICROCACHE_HEADER = "X-Dimos-Microcache-Stale"
MAX_MICROCACHE = 60


def window_start(now, next_change):
    """The start of the window ``now`` is in: the minute, or the last alert change since.

    ``next_change(moment)`` is the first change of the alerts in force after
    ``moment`` (or None); the alerts in force at the start are those at ``now``.
    """
    start = now.replace(second=0, microsecond=0)
    change = next_change(start)
    while change is not None and start < change <= now:
        start = change
        change = next_change(start)
    return start


def etag(body):
    """A strong entity tag of ``body`` (bytes or str)."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def matches(if_none_match, tag):
    """Does an ``If-None-Match`` header name ``tag``? (Weak comparison, as RFC 9110 asks for GET.)"""
    if not if_none_match:
        return False
    if if_none_match.strip() == "*":
        return True
    candidates = (part.strip() for part in if_none_match.split(","))
    bare = tag.removeprefix("W/")
    return any(candidate.removeprefix("W/") == bare for candidate in candidates)


def microcache_seconds(valid_until, now):
    """Seconds from ``now`` to ``valid_until`` (datetime or ISO text), within 0 to 60, rounded
    down to the millisecond. Not to whole seconds: in the last second of every minute all
    portals would be "0", kept nowhere, and every phone would wait on Zope."""
    if isinstance(valid_until, str):
        valid_until = datetime.fromisoformat(valid_until)
    seconds = math.floor((valid_until - now) / timedelta(milliseconds=1)) / 1000
    return max(0.0, min(float(MAX_MICROCACHE), seconds))


STALE_SECONDS = 30


def _parse(moment):
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment


def stale_seconds(valid_until, change):
    """How long past ``valid_until`` the micro-cache may still hand the portal out: at most 30 s,
    never up to the next change of the alerts in force (``change``, or None)."""
    if change is None:
        return STALE_SECONDS
    seconds = math.floor((change - _parse(valid_until)) / timedelta(seconds=1))
    return max(0, min(STALE_SECONDS, seconds))


def answer(request, body, valid_until, now):
    """Set the caching headers for ``body``; True when the client's copy is current (304 sent).

    The micro-cache may hand the portal out a little past ``valid_until``
    while one request rebuilds it (``stale_seconds``): news and events may
    lag up to 30 s, the alerts never, since it stops before the next change.
    """
    from dimos.hotspots.alerts.current import next_change

    response = request.response
    tag = etag(body)
    response.setHeader("Cache-Control", CACHE_CONTROL)
    response.setHeader("ETag", tag)
    response.setHeader("Vary", "Accept-Language")
    response.setHeader(MICROCACHE_HEADER, f"{microcache_seconds(valid_until, now):.3f}")
    stale = stale_seconds(valid_until, next_change(now))
    if stale:
        response.setHeader(STALE_MICROCACHE_HEADER, str(stale))
    if matches(request.getHeader("If-None-Match"), tag):
        response.setStatus(304)
        return True
    return False
