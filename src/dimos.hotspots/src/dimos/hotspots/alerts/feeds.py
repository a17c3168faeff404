"""Public views: ``<alert>/@@cap.xml``, ``<site>/@@alerts.cap`` (CAP feed), ``<site>/@@alerts.atom``.

The feeds are small and change only when an alert is published, edited,
withdrawn, takes effect or expires: they may be cached for a minute, and the
micro-cache in front of Zope may keep them until the next such moment
(``X-Dimos-Microcache``), at most 60 s.
"""

from dimos.hotspots.alerts import atom
from dimos.hotspots.alerts import cap
from dimos.hotspots.alerts import current
from dimos.hotspots.alerts import times
from dimos.policy.bilingual import language
from email.utils import format_datetime
from plone import api
from Products.Five.browser import BrowserView

import datetime
import hashlib


CANCELS_FOR = datetime.timedelta(hours=24)
MAX_AGE = 60
EPOCH = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)


def cap_sender():
    return api.portal.get_registry_record("dimos.hotspots.cap_sender", default=None) or "dimos"


def withdraw_comment(alert):
    """The comment given when the alert was withdrawn (its last workflow step), if any."""
    history = (getattr(alert, "workflow_history", None) or {}).get("dimos_alert_workflow") or ()
    if history and history[-1].get("action") == "withdraw":
        return (history[-1].get("comments") or "").strip() or None
    return None


class CapAlertView(BrowserView):
    """One alert's latest CAP message (Alert, Update or Cancel)."""

    def __call__(self):
        alert = self.context
        site = api.portal.get()
        element = cap.cap_alert(
            alert, cap_sender(), site.Title(), alert.absolute_url(), withdraw_comment(alert)
        )
        body = cap.to_bytes(element)
        response = self.request.response
        response.setHeader("Content-Type", f"{cap.CAP_MIME}; charset=utf-8")
        response.setHeader("Cache-Control", f"public, max-age={MAX_AGE}")
        response.setHeader("ETag", _etag(body))
        return body


def _etag(body):
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


class FeedView(BrowserView):
    """What both feeds share: the site's description, the caching headers, 304s."""

    name = None

    def site(self):
        portal = api.portal.get()
        url = portal.absolute_url()
        return atom.Site(portal.Title(), url, cap_sender(), f"{url}/@@{self.name}")

    def feed(self, now):
        raise NotImplementedError

    def __call__(self):
        now = times.now()
        element, updated = self.feed(now)
        body = atom.to_bytes(element)
        etag = _etag(body)
        response = self.request.response
        response.setHeader("Content-Type", f"{self.content_type}; charset=utf-8")
        response.setHeader("Cache-Control", f"public, max-age={MAX_AGE}")
        response.setHeader("Last-Modified", format_datetime(updated.astimezone(datetime.UTC), True))
        response.setHeader("ETag", etag)
        response.setHeader("X-Dimos-Microcache", str(current.seconds_until_next_change(now)))
        response.setHeader("Vary", "Accept-Language")
        if etag in (self.request.getHeader("If-None-Match") or ""):
            response.setStatus(304)
            return b""
        return body


class CapFeedView(FeedView):
    """The alerts in force and those withdrawn in the last 24 hours (as Cancels)."""

    name = "alerts.cap"
    content_type = atom.ATOM_MIME

    def feed(self, now):
        alerts = current.current_alerts(now) + current.withdrawn_alerts(now - CANCELS_FOR, now)
        updated = atom.feed_updated(alerts, EPOCH)
        comments = {alert.identifier: withdraw_comment(alert) for alert in alerts}
        return atom.cap_feed(self.site(), alerts, updated, comments), updated


class AtomFeedView(FeedView):
    """The alerts in force, for people: in Greek, or English with ``?lang=en``."""

    name = "alerts.atom"
    content_type = atom.ATOM_MIME

    def feed(self, now):
        lang = self.request.form.get("lang")
        lang = lang if lang in ("el", "en") else language(self.request)
        alerts = current.current_alerts(now)
        updated = atom.feed_updated(alerts, EPOCH)
        return atom.people_feed(self.site(), alerts, updated, lang), updated
