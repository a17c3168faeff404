"""Test helpers for the usage statistics: a hotspot, IT and other staff, a report and its call."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from plone import api

import json
import requests


PASSWORD = "Wifi-Reports-2026"
IT = "it-officer"
CLERK = "clerk"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


def create_hotspot(portal, hotspot_id="plateia", title="Κεντρική Πλατεία", **fields):
    values = {
        "latitude": 40.6322,
        "longitude": 22.942,
        "address": "Πλατεία Δημαρχείου 1",
        "ssid": "Elaionas-Free-WiFi",
        "controller_id": f"ap-{hotspot_id}",
        **fields,
    }
    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal["hotspots"], type="Hotspot", id=hotspot_id, title=title, **values
        )


def create_staff():
    """An IT officer (group pliroforiki) and a clerk (a plain member), both with PASSWORD."""
    with api.env.adopt_roles(["Manager"]):
        api.user.create(email="it@example.org", username=IT, password=PASSWORD)
        api.group.add_user(groupname="pliroforiki", username=IT)
        api.user.create(email="clerk@example.org", username=CLERK, password=PASSWORD)
    return (IT, PASSWORD), (CLERK, PASSWORD)


def report(report_id="r-1", end=None, minutes=5, **fields):
    """A valid report's dict: ``minutes`` up to ``end`` (default: a minute ago)."""
    end = end or datetime.now(UTC) - timedelta(minutes=1)
    data = {
        "report_id": report_id,
        "start": (end - timedelta(minutes=minutes)).isoformat(),
        "end": end.isoformat(),
        "sessions": 12,
        "users": 7,
        "bytes_down": 5_000_000,
        "bytes_up": 400_000,
        "status": "ok",
    }
    data.update(fields)
    return data


def post_report(url, hotspot_id, key, data, headers=None, raw=None):
    """POST a report (``data`` as JSON, or the bytes ``raw``) with ``key`` (None: no header)."""
    sent = {**JSON, **(headers or {})}
    if key is not None:
        sent["X-Hotspot-Key"] = key
    body = raw if raw is not None else json.dumps(data).encode("utf-8")
    return requests.post(f"{url}/@hotspots/{hotspot_id}/usage", data=body, headers=sent, timeout=30)
