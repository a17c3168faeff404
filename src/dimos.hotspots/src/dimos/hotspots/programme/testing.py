"""Events and hotspots for the programme's tests (and for a demo site): real content, published."""

from dimos.hotspots.setuphandlers import hotspot_folder
from plone import api

import datetime
import pytz


# Stored datetimes use pytz, as Plone's event forms store them (ZODB cannot pickle ZoneInfo).
ATHENS = pytz.timezone("Europe/Athens")
# Πλατεία Ελευθερίας, Thessaloniki: the hotspot the tests measure from
CENTRE = (40.6322, 22.9420)
KM_NORTH = 1 / 111.195  # degrees of latitude in one kilometre


def at(day, hour=0, minute=0):
    """``day`` (a date or ISO text) at ``hour:minute``, Athens time."""
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return ATHENS.localize(datetime.datetime.combine(day, datetime.time(hour, minute)))


def add_event(container, title, start, end=None, publish=True, **fields):
    """A published (or private) Event in ``container``; ``fields`` may set area, latitude, ...

    Its place goes through the behavior's fields; the catalog learns its dates.
    """
    end = end or start + datetime.timedelta(hours=2)
    with api.env.adopt_roles(["Manager"]):
        event = api.content.create(
            container=container, type="Event", title=title, start=start, end=end, **fields
        )
        if publish:
            api.content.transition(event, "publish")
    event.reindexObject()
    return event


def add_hotspot(site, title="Πλατεία Ελευθερίας", point=CENTRE, area="kentro", **fields):
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=hotspot_folder(site),
            type="Hotspot",
            title=title,
            latitude=point[0],
            longitude=point[1],
            address=fields.pop("address", "Πλατεία Ελευθερίας 1"),
            ssid=fields.pop("ssid", "Dimos-Free-WiFi"),
            controller_id=fields.pop("controller_id", "00:11:22:33:44:55"),
            area=area,
            **fields,
        )


def north_of(point, km):
    return (point[0] + km * KM_NORTH, point[1])
