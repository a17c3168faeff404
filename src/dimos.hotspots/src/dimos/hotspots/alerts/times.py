"""Alert times: stored timezone-aware (Europe/Athens) and written the CAP 1.2 way.

Plain Python. A naive datetime (what Plone's date widget gives) is taken as
the municipality's local time. pytz, not zoneinfo: plone.restapi's datetime
deserializer reads ``tzinfo.zone`` of the stored value when an alert is
edited over REST.
"""

import datetime
import pytz


ATHENS = pytz.timezone("Europe/Athens")


def aware(value):
    """``value`` (a datetime, naive = Athens time) in Athens time; None stays None."""
    if value is None:
        return None
    if value.tzinfo is None:
        return ATHENS.localize(value)
    return ATHENS.normalize(value.astimezone(ATHENS))


def now():
    return datetime.datetime.now(ATHENS)


def cap_datetime(value):
    """CAP's form of a time: ``2026-11-22T10:15:00+02:00`` (no fractions, no "Z")."""
    if value is None:
        return None
    return aware(value).replace(microsecond=0).isoformat()
