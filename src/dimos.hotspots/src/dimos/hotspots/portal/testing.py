"""For the portal's tests: a hotspot, alerts, news and events made as a clerk would make them.

Real content through plone.api (Alerts published through their workflow,
News Items and Events through the site's), as Manager.
"""

from DateTime import DateTime
from datetime import datetime
from datetime import timedelta
from plone import api

import pytz


ATHENS = pytz.timezone("Europe/Athens")  # pytz: what ZODB and plone.app.event store

# Πλατεία Ελευθερίας (the centre) and a spot 5 km east of it (the Elaionas community).
CENTRE = (40.6322, 22.9420)
FAR = (40.6322, 23.0015)
AROUND_CENTRE = "40.62,22.93 40.62,22.95 40.64,22.95 40.64,22.93 40.62,22.93"


def now():
    return datetime.now(ATHENS)


def create_hotspot(portal, spot_id="plateia", title="Πλατεία Ελευθερίας", point=CENTRE, **fields):
    values = {
        "latitude": point[0],
        "longitude": point[1],
        "address": "Πλατεία Ελευθερίας 1",
        "area": "kentro",
        "ssid": "Dimos-Free-WiFi",
        "controller_id": f"ctrl-{spot_id}",
        **fields,
    }
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal["hotspots"], type="Hotspot", id=spot_id, title=title, **values
        )


def create_alert(portal, title, severity="Severe", effective=None, expires=None, **fields):
    """A published Actual alert (whole municipality unless ``polygons``/``circles`` say)."""
    moment = now()
    values = {
        "event": "Πλημμύρα",
        "categories": ["Met"],
        "cap_status": "Actual",
        "urgency": "Immediate",
        "severity": severity,
        "certainty": "Observed",
        "cap_effective": effective or moment - timedelta(hours=1),
        "cap_expires": expires or moment + timedelta(hours=6),
        "area_desc": "Όλος ο δήμος",
        "description": "Έντονη βροχόπτωση.",
        "instruction": "Μείνετε σε ψηλά σημεία.",
        **fields,
    }
    with api.env.adopt_roles(["Manager"]):
        alert = api.content.create(container=portal["alerts"], type="Alert", title=title, **values)
        api.content.transition(alert, "publish")
    return alert


def create_news(portal, title, effective, description=""):
    """A published News Item whose publication date is ``effective``."""
    with api.env.adopt_roles(["Manager"]):
        item = api.content.create(
            container=portal, type="News Item", title=title, description=description
        )
        api.content.transition(item, "publish")
        item.setEffectiveDate(DateTime(effective))
        item.reindexObject()
    return item


def create_event(portal, title, start, hours=2, location="", point=None, area=None, **fields):
    """A published Event; ``point`` (lat, lon) and ``area`` are its place (none: municipality-wide)."""
    with api.env.adopt_roles(["Manager"]):
        event = api.content.create(
            container=portal,
            type="Event",
            title=title,
            start=start,
            end=start + timedelta(hours=hours),
            location=location,
            **fields,
        )
        event.area = area
        event.latitude = point[0] if point else None
        event.longitude = point[1] if point else None
        api.content.transition(event, "publish")
        event.reindexObject()
    return event
