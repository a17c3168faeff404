"""Alerts and hotspots for tests (and the demo): built through the real content API and workflow."""

from dimos.hotspots.alerts import times
from plone import api

import datetime
import itertools


# A square around the demo town's centre (40.00–40.02 N, 22.00–22.02 E), and a circle beside it.
CENTRE_SQUARE = "40.0,22.0 40.0,22.02 40.02,22.02 40.02,22.0 40.0,22.0"
EAST_CIRCLE = "40.01,22.1 1.5"

_numbers = itertools.count(1)


def make_alert(site, publish=True, alert_id=None, **fields):
    """An Alert in ``/alerts`` (in force from an hour ago for a day unless told), published."""
    now = times.now()
    values = {
        "title": "Πλημμύρα στο κέντρο",
        "description": "Ισχυρή βροχόπτωση· πλημμύρισαν δρόμοι του κέντρου.",
        "event": "Πλημμύρα",
        "categories": ["Met"],
        "cap_status": "Actual",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "response_type": "Avoid",
        "cap_effective": now - datetime.timedelta(hours=1),
        "cap_expires": now + datetime.timedelta(days=1),
        "instruction": "Αποφύγετε τις μετακινήσεις.",
        "area_desc": "Κέντρο",
        "polygons": [],
        "circles": [],
        "contact": "210 0000000",
    }
    values.update(fields)
    alert = api.content.create(
        container=site["alerts"], type="Alert", id=alert_id or f"alert-{next(_numbers)}", **values
    )
    if publish:
        api.content.transition(alert, transition="publish")
    return alert


def rest_payload(title, expires_in, **fields):
    """The JSON body of ``POST /alerts`` for a flood alert over the whole municipality, in force
    from a minute ago for ``expires_in`` (a timedelta): the end-to-end tests' and the benchmark's."""
    now = times.now()
    return {
        "@type": "Alert",
        "title": title,
        "description": "Ισχυρές βροχοπτώσεις και κίνδυνος πλημμύρας σε χαμηλά σημεία.",
        "event": "Πλημμύρα",
        "categories": ["Met"],
        "cap_status": "Actual",
        "urgency": "Immediate",
        "severity": "Severe",
        "certainty": "Observed",
        "cap_effective": (now - datetime.timedelta(minutes=1)).isoformat(timespec="seconds"),
        "cap_expires": (now + expires_in).isoformat(timespec="seconds"),
        "instruction": "Αποφύγετε τις μετακινήσεις κοντά σε ρέματα.",
        "area_desc": "Όλος ο δήμος",
        **fields,
    }


def make_hotspot(site, hotspot_id, latitude, longitude, **fields):
    values = {
        "title": f"Σημείο {hotspot_id}",
        "latitude": latitude,
        "longitude": longitude,
        "address": "Πλατεία Δημαρχείου",
        "ssid": "Dimos-WiFi",
        "controller_id": f"ap-{hotspot_id}",
    }
    values.update(fields)
    return api.content.create(container=site["hotspots"], type="Hotspot", id=hotspot_id, **values)
