"""``@@portal`` on a Hotspot: the light HTML page a phone sees after joining the municipal WiFi.

A standalone HTML5 page (no main_template, no JavaScript, inline CSS, no
fonts or images): alerts first in a box coloured by severity, then news,
the events of the coming days and the e-services, all from
``builder.build_portal``. Cached like the JSON reply (``caching``).
"""

from dimos.hotspots.portal import caching
from dimos.hotspots.portal.rest import BadLanguage
from dimos.hotspots.portal.rest import current_portal
from dimos.hotspots.portal.rest import requested_language
from dimos.hotspots.portal.texts import format_date
from dimos.hotspots.portal.texts import format_moment
from dimos.hotspots.portal.texts import format_when
from dimos.hotspots.portal.texts import LABELS
from dimos.hotspots.portal.texts import SEVERITY_TITLES
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import html


SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor")


class PortalPage(BrowserView):
    template = ViewPageTemplateFile("templates/splash.pt")

    def __call__(self):
        response = self.request.response
        response.setHeader("Content-Type", "text/html; charset=utf-8")
        response.setHeader("X-Theme-Disabled", "1")  # our own small page, never themed
        try:
            self.lang = requested_language(self.request)
        except BadLanguage as error:
            response.setStatus(400)
            return error_page(error)
        self.portal, now = current_portal(self.context, self.lang)
        self.labels = LABELS[self.lang]
        body = self.template()
        if caching.answer(self.request, body, self.portal["valid_until"], now):
            return ""
        return body

    def other_language_url(self):
        return f"{self.context.absolute_url()}/@@portal?lang={self.labels['other_code']}"

    def alerts(self):
        for alert in self.portal["alerts"]:
            severity = alert.get("severity") if alert.get("severity") in SEVERITIES else "Unknown"
            yield {
                **alert,
                "css": f"alert {severity.lower()}",
                "severity_title": SEVERITY_TITLES[self.lang][severity],
                "until": format_moment(alert.get("expires"), self.lang),
            }

    def news(self):
        for item in self.portal["news"]:
            yield {**item, "day": format_date(item.get("date"), self.lang)}

    def events(self):
        for event in self.portal["events"]:
            place = ", ".join(
                part for part in (event.get("location"), event.get("area_title")) if part
            )
            when = format_when(
                event.get("start"), event.get("end"), event.get("whole_day"), self.lang
            )
            yield {**event, "when": when, "place": place}

    def status_note(self):
        status = self.portal["hotspot"]["status"]
        return self.labels.get(status) if status != "in_service" else None

    def updated(self):
        return format_moment(self.portal["generated"], self.lang)


def error_page(error):
    """A small bilingual page for a bad request (a ``lang`` other than el/en)."""
    el, en = html.escape(error.message_el), html.escape(error.message_en)
    return (
        '<!DOCTYPE html><html lang="el"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>Λάθος αίτημα / Bad request</title></head><body>"
        f'<h1>Λάθος αίτημα</h1><p>{el}</p><p lang="en">{en}</p>'
        '<p><a href="?lang=el">Ελληνικά</a> · <a href="?lang=en" lang="en">English</a></p>'
        "</body></html>"
    )
