"""The programme as iCalendar (RFC 5545): one VEVENT per occurrence.

A recurring event's occurrences are separate VEVENTs with UIDs of their own
(the event's UID and the occurrence's date), so a calendar that subscribes
to a week's programme neither merges nor loses them. Every VEVENT has UID,
DTSTAMP, DTSTART, DTEND, SUMMARY, LOCATION and URL; times carry the
Europe/Athens VTIMEZONE, whole-day events are dates (DTEND the next day).
"""

from dimos.hotspots.programme.period import TIME_ZONE
from dimos.hotspots.programme.query import event_of
from dimos.hotspots.programme.query import event_summary
from plone.event.interfaces import IEvent
from plone.event.interfaces import IEventAccessor

import datetime
import icalendar


PRODID = "-//Dimos//dimos.hotspots events programme//EL"


def occurrence_uid(occurrence, domain):
    """The event's UID for an Event, the event's UID and date for a later occurrence."""
    event = event_of(occurrence)
    uid = getattr(event, "sync_uid", None) or event.UID()
    if IEvent.providedBy(occurrence) and not getattr(event, "recurrence", None):
        return f"{uid}@{domain}"
    start = IEventAccessor(occurrence).start
    return f"{uid}-{start.astimezone(TIME_ZONE):%Y%m%dT%H%M%S}@{domain}"


def _vevent(occurrence, domain, stamp):
    summary = event_summary(occurrence, "el")
    start = datetime.datetime.fromisoformat(summary["start"]).astimezone(TIME_ZONE)
    end = datetime.datetime.fromisoformat(summary["end"]).astimezone(TIME_ZONE)
    vevent = icalendar.Event()
    vevent.add("uid", occurrence_uid(occurrence, domain))
    vevent.add("dtstamp", stamp)
    if summary["whole_day"]:
        vevent.add("dtstart", start.date())
        vevent.add("dtend", end.date() + datetime.timedelta(days=1))
    else:
        vevent.add("dtstart", start)
        vevent.add("dtend", max(end, start))
    vevent.add("summary", summary["title"])
    where = [summary["location"], summary["area_title"]]
    vevent.add("location", ", ".join(part for part in where if part) or "Δήμος / Municipality")
    vevent.add("url", summary["url"])
    description = getattr(event_of(occurrence), "description", "") or ""
    if description:
        vevent.add("description", description)
    if summary["latitude"] is not None:
        vevent.add("geo", (summary["latitude"], summary["longitude"]))
    return vevent


def build_calendar(occurrences, period, name, domain, now=None):
    """The iCalendar bytes of ``occurrences`` (of ``period``), called ``name``."""
    stamp = (now or datetime.datetime.now(datetime.UTC)).astimezone(datetime.UTC)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Athens")
    for occurrence in occurrences:
        calendar.add_component(_vevent(occurrence, domain, stamp))
    calendar.add_missing_timezones(
        first_date=period.start - datetime.timedelta(days=366),
        last_date=period.end + datetime.timedelta(days=366),
    )
    return calendar.to_ical()
