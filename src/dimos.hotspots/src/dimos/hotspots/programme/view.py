"""``@@events-programme`` («Πρόγραμμα εκδηλώσεων»): the programme as a page, for anyone.

A form without JavaScript (area; from and to, both days included) and the
events grouped by day, each day's in starting order. The iCalendar link
asks ``@events-programme?format=ics`` (through ``++api++``, so a browser
reaches the REST service) for the same area and days. Bad input shows its
reason in Greek and English, with status 400.
"""

from dimos.hotspots.programme.period import day_label
from dimos.hotspots.programme.period import parse_day
from dimos.hotspots.programme.period import PeriodError
from dimos.hotspots.programme.period import time_label
from dimos.hotspots.programme.query import event_summary
from dimos.hotspots.programme.selection import mark_cacheable
from dimos.hotspots.programme.selection import ProgrammeError
from dimos.hotspots.programme.selection import select
from dimos.hotspots.vocabularies import areas
from plone import api
from plone.event.interfaces import IEventAccessor
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from urllib.parse import urlencode

import datetime


def _field(form, name):
    value = form.get(name, "")
    return value.strip()[:40] if isinstance(value, str) else ""


def query_of(form):
    """The REST query (``area``, ``start``, ``end`` exclusive) of the page's form (``to`` included)."""
    query = {"area": _field(form, "area"), "start": _field(form, "from")}
    last = _field(form, "to")
    if last:
        try:
            day = parse_day(last, "ημερομηνία «έως»", "“to” date")
        except PeriodError as error:
            raise ProgrammeError(error.el, error.en, code=error.code) from None
        query["end"] = (day + datetime.timedelta(days=1)).isoformat()
    return query


def group_by_day(occurrences, period):
    """``[{"day", "label_el", "label_en", "events"}]``: each occurrence under the day it starts
    (an event going on since before the period under its first day)."""
    days = {}
    for occurrence in occurrences:
        start = IEventAccessor(occurrence).start
        day = max(start.astimezone(period.bounds()[0].tzinfo).date(), period.start)
        item = event_summary(occurrence, "el")
        item["time"] = "" if item["whole_day"] else time_label(start)
        days.setdefault(day, []).append(item)
    return [
        {
            "day": day.isoformat(),
            "label_el": day_label(day, "el"),
            "label_en": day_label(day, "en"),
            "events": items,
        }
        for day, items in sorted(days.items())
    ]


class EventsProgramme(BrowserView):
    """See the module's docstring."""

    template = ViewPageTemplateFile("templates/events_programme.pt")
    error = None
    selection = None
    days = ()

    def __call__(self):
        form = self.request.form
        self.area = _field(form, "area")
        self.first = _field(form, "from")
        self.last = _field(form, "to")
        try:
            self.selection = select(self.context, query_of(form))
        except ProgrammeError as error:
            if error.code == "bad-period" and self.last:
                error = ProgrammeError(
                    "Η ημερομηνία «έως» πρέπει να είναι η ίδια ή μετά την ημερομηνία «από».",
                    "The “to” date must be the same as or after the “from” date.",
                    code=error.code,
                )
            self.error = error
            self.request.response.setStatus(error.status)
            return self.template()
        period = self.selection.period
        self.first = period.start.isoformat()
        self.last = (period.end - datetime.timedelta(days=1)).isoformat()
        self.days = group_by_day(self.selection.occurrences(self.context), period)
        mark_cacheable(self.request)
        return self.template()

    @property
    def site_url(self):
        return api.portal.get().absolute_url()

    def area_options(self):
        return [
            {"token": token, "title": f"{el} / {en}" if en else el, "selected": token == self.area}
            for token, el, en in areas()
        ]

    def ics_url(self):
        if self.selection is None:
            return None
        period = self.selection.period
        query = {"start": period.start.isoformat(), "end": period.end.isoformat()}
        if self.selection.area:
            query["area"] = self.selection.area
        query["format"] = "ics"
        return f"{self.site_url}/++api++/@events-programme?{urlencode(query)}"

    def period_label(self, lang="el"):
        period = self.selection.period
        last = period.end - datetime.timedelta(days=1)
        return f"{day_label(period.start, lang)} – {day_label(last, lang)}"
