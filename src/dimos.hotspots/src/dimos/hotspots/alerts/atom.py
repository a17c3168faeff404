"""Atom 1.0 feeds (RFC 4287) of alerts: the CAP feed for systems and the feed for people.

Plain Python: the views (feeds.py) give the alerts and what they need of the site.
The CAP feed follows the national CAP feeds' habit: one entry per alert with
a ``rel="alternate"`` link to its CAP message and the ``<alert>`` itself in
``<content type="application/cap+xml">``.
"""

from dataclasses import dataclass
from dimos.hotspots.alerts import cap
from dimos.hotspots.alerts import current
from dimos.hotspots.alerts import times
from dimos.hotspots.vocabularies import CAP_SEVERITIES
from lxml import etree

import html


ATOM_NS = "http://www.w3.org/2005/Atom"
ATOM_MIME = "application/atom+xml"

LABELS = {
    "el": {"severity": "Σοβαρότητα", "area": "Περιοχή", "until": "Έως"},
    "en": {"severity": "Severity", "area": "Area", "until": "Until"},
}


@dataclass(frozen=True)
class Site:
    """What a feed says of the site: its title, address, CAP sender; the feed's own address."""

    title: str
    url: str
    sender: str
    feed_url: str


def _q(name):
    return f"{{{ATOM_NS}}}{name}"


def _add(parent, name, text=None, **attributes):
    element = etree.SubElement(parent, _q(name), **attributes)
    if text is not None:
        element.text = str(text)
    return element


def feed_updated(alerts, fallback):
    """The latest CAP message sent among ``alerts``, else ``fallback``."""
    sent = [times.aware(alert.sent) for alert in alerts if alert.sent]
    return max(sent, default=times.aware(fallback))


def _feed(site, title, updated):
    feed = etree.Element(_q("feed"), nsmap={None: ATOM_NS})
    _add(feed, "id", site.feed_url)
    _add(feed, "title", title)
    _add(feed, "updated", times.cap_datetime(updated))
    author = _add(feed, "author")
    _add(author, "name", site.title)
    _add(author, "uri", site.url)
    _add(feed, "link", rel="self", href=site.feed_url)
    _add(feed, "link", rel="alternate", type="text/html", href=site.url)
    return feed


def _entry(feed, alert, title):
    entry = _add(feed, "entry")
    _add(entry, "id", alert.identifier)
    _add(entry, "title", title)
    _add(entry, "updated", times.cap_datetime(alert.sent or alert.cap_effective))
    return entry


def cap_feed(site, alerts, updated, comments=None):
    """The CAP feed: ``alerts`` (in force, and recently withdrawn) with their CAP messages."""
    feed = _feed(site, f"{site.title}: ειδοποιήσεις CAP / CAP alerts", updated)
    comments = comments or {}
    for alert in alerts:
        url = alert.absolute_url()
        entry = _entry(feed, alert, alert.title)
        _add(entry, "link", rel="alternate", type=cap.CAP_MIME, href=f"{url}/@@cap.xml")
        _add(entry, "summary", f"{cap.msg_type(alert)}: {alert.event} ({alert.severity})")
        content = _add(entry, "content", type=cap.CAP_MIME)
        comment = comments.get(alert.identifier)
        content.append(cap.cap_alert(alert, site.sender, site.title, url, comment))
    return feed


def severity_title(severity, lang):
    for token, title in CAP_SEVERITIES:
        if token == severity:
            greek, _, english = title.partition(" / ")
            return english if lang == "en" else greek
    return severity or ""


def summary_html(alert, lang="el"):
    """What a feed reader shows of an alert: severity, area, until when, instruction."""
    labels = LABELS[lang]
    until = times.aware(alert.cap_expires).strftime("%d/%m/%Y %H:%M")
    parts = [
        f"<p><strong>{labels['severity']}: {html.escape(severity_title(alert.severity, lang))}"
        "</strong></p>",
        f"<p>{labels['area']}: {html.escape(alert.area_desc or '')}</p>",
        f"<p>{labels['until']}: {until}</p>",
    ]
    instruction = current.text(alert, "instruction", lang)
    if instruction:
        parts.append(f"<p>{html.escape(instruction)}</p>")
    return "".join(parts)


def people_feed(site, alerts, updated, lang="el"):
    """The feed for people and feed readers: the alerts in force, in ``lang``."""
    title = "Έκτακτες ειδοποιήσεις" if lang == "el" else "Emergency alerts"
    feed = _feed(site, f"{site.title}: {title}", updated)
    for alert in alerts:
        entry = _entry(feed, alert, current.text(alert, "headline", lang))
        _add(entry, "link", rel="alternate", type="text/html", href=alert.absolute_url())
        _add(entry, "summary", summary_html(alert, lang), type="html")
    return feed


def to_bytes(element):
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)
