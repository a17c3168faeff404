"""GET /@events-programme: the events of a period, as JSON or iCalendar.

Query: ``area`` (a token of ``dimos.hotspots.areas``), ``start`` and ``end``
(ISO dates; the period is [start, end), by default today and the next six
days; at most 92 days), ``hotspot`` (an id in ``/hotspots``: the events near
it), ``format=ics`` (or ``Accept: text/calendar``) for iCalendar. Bad input
is a 400 (an unknown hotspot a 404) with the reason in Greek and English.
"""

from dimos.hotspots.programme.ical import build_calendar
from dimos.hotspots.programme.query import event_summary
from dimos.hotspots.programme.selection import mark_cacheable
from dimos.hotspots.programme.selection import ProgrammeError
from dimos.hotspots.programme.selection import select
from dimos.policy.bilingual import error_reply
from dimos.policy.bilingual import language
from plone.restapi.services import Service
from urllib.parse import urlsplit

import json


def wants_ics(request):
    accept = (request.getHeader("Accept") or "").lower()
    return request.form.get("format") == "ics" or accept.startswith("text/calendar")


def programme_json(site, selection, lang):
    items = [event_summary(occ, lang) for occ in selection.occurrences(site)]
    return {
        "@id": f"{site.absolute_url()}/@events-programme",
        "area": selection.area,
        "area_title": selection.area_title(lang),
        "hotspot": selection.hotspot.getId() if selection.hotspot is not None else None,
        "start": selection.period.start.isoformat(),
        "end": selection.period.end.isoformat(),
        "items": items,
        "items_total": len(items),
    }


def ics_name(selection):
    parts = ["programma", selection.period.start.isoformat(), selection.period.end.isoformat()]
    if selection.area:
        parts.insert(1, selection.area)
    if selection.hotspot is not None:
        parts.insert(1, selection.hotspot.getId())
    return "-".join(parts) + ".ics"


def programme_ics(site, selection):
    title = "Πρόγραμμα εκδηλώσεων / Events programme"
    if selection.area:
        title += f" — {selection.area_title('el')}"
    domain = urlsplit(site.absolute_url()).hostname or "localhost"
    return build_calendar(selection.occurrences(site), selection.period, title, domain)


class EventsProgrammeGet(Service):
    def reply(self):
        try:
            selection = select(self.context, self.request.form)
        except ProgrammeError as error:
            kind = "NotFound" if error.status == 404 else "BadRequest"
            return error_reply(self.request, error, error.status, kind)
        mark_cacheable(self.request)
        if wants_ics(self.request):
            response = self.request.response
            body = programme_ics(self.context, selection)
            response.setHeader("Content-Type", "text/calendar; charset=utf-8")
            response.setHeader(
                "Content-Disposition", f'attachment; filename="{ics_name(selection)}"'
            )
            return body
        return programme_json(self.context, selection, language(self.request))

    def render(self):
        self.check_permission()
        content = self.reply()
        if isinstance(content, bytes):
            return content
        self.request.response.setHeader("Content-Type", self.content_type)
        return json.dumps(content, indent=2, sort_keys=True, separators=(", ", ": "))
