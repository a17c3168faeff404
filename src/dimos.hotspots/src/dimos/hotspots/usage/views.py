"""IT's pages: ``@@usage`` and ``@@usage-chart.svg`` on a Hotspot, ``@@hotspots-status`` on the network.

``@@usage`` shows the chart (an ``<img>`` of the SVG), the days as a table,
the CSV link and the key: issuing or revoking is a POSTed form with
plone.protect's token; a new key is shown once, on the page that answers the
POST (never in a status message: those travel in a cookie).
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.usage import chart
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import stale
from dimos.hotspots.usage import store
from dimos.policy.bilingual import BilingualError
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.component import getMultiAdapter


MAX_CHART_DAYS = 365


def chart_days(request, default=30):
    try:
        days = int(request.form.get("days", default))
    except (TypeError, ValueError):
        days = default
    return min(max(days, 1), MAX_CHART_DAYS)


def today():
    return store.local_date(datetime.now(UTC))


class UsageChart(BrowserView):
    """``@@usage-chart.svg[?days=N]``: the last N days (30, at most 365), sessions and peak users."""

    def __call__(self):
        days = chart_days(self.request)
        end = today()
        start = end - timedelta(days=days - 1)
        usage = store.daily_usage(self.context, start, end)
        response = self.request.response
        response.setHeader("Content-Type", "image/svg+xml; charset=utf-8")
        response.setHeader("Cache-Control", "private, no-store")
        return chart.usage_svg(self.context.Title(), start, end, usage).encode("utf-8")


def _form_error():
    return BilingualError(
        "Η φόρμα έληξε ή δεν στάλθηκε από αυτόν τον ιστότοπο· δεν έγινε καμία αλλαγή. "
        "Ανανεώστε τη σελίδα και δοκιμάστε ξανά.",
        "The form has expired or was not sent from this site; nothing was changed. "
        "Reload the page and try again.",
        code="csrf",
    )


class UsagePage(BrowserView):
    """``@@usage``: see the module's docstring."""

    template = ViewPageTemplateFile("templates/usage.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        self.new_key = self.error = None
        self.revoked = False
        if self.request.get("REQUEST_METHOD", "GET").upper() == "POST":
            self.handle_post()
        self.days = chart_days(self.request)
        return self.template()

    def handle_post(self):
        authenticator = getMultiAdapter((self.context, self.request), name="authenticator")
        if not authenticator.verify():
            self.request.response.setStatus(403)
            self.error = _form_error()
            return
        actor = api.user.get_current().getId()
        action = self.request.form.get("action")
        if action == "issue":
            self.new_key, _issued = keys.issue_key(self.context, actor)
        elif action == "revoke":
            self.revoked = keys.revoke_key(self.context, actor)

    def rows(self):
        end = today()
        usage = store.daily_usage(self.context, end - timedelta(days=self.days - 1), end)
        return [
            {**day.to_json(), "shown": day.date.strftime("%d/%m/%Y")} for day in reversed(usage)
        ]

    def totals(self):
        end = today()
        return store.totals(
            store.daily_usage(self.context, end - timedelta(days=self.days - 1), end)
        )

    def key_info(self):
        issued, by = keys.key_issued(self.context)
        return {
            "has_key": issued is not None,
            "issued": stale.format_moment(issued) if issued else "",
            "by": by or "",
            "audit": [
                {**entry, "at": stale.format_moment(entry["at"])}
                for entry in reversed(keys.key_audit(self.context))
            ],
        }

    def last_seen(self):
        return stale.format_moment(self.context.last_seen)

    def is_stale(self):
        return stale.is_stale(self.context)

    def csv_url(self):
        site = api.portal.get().absolute_url()
        end = today()
        start = end - timedelta(days=self.days - 1)
        return (
            f"{site}/@hotspots/{self.context.getId()}/usage?format=csv"
            f"&start={start.isoformat()}&end={end.isoformat()}"
        )


class HotspotsStatus(BrowserView):
    """``@@hotspots-status`` on the network: each hotspot, its last report, whether it is silent."""

    template = ViewPageTemplateFile("templates/status.pt")

    def __call__(self):
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.template()

    def minutes(self):
        return int(stale.stale_after().total_seconds() // 60)

    def rows(self):
        now = datetime.now(UTC)
        after = stale.stale_after()
        return [
            {
                "id": spot.getId(),
                "title": spot.Title(),
                "address": spot.address or "",
                "url": spot.absolute_url(),
                "status": spot.status,
                "last_seen": stale.format_moment(spot.last_seen),
                "stale": stale.is_stale(spot, now, after),
                "has_key": keys.has_key(spot),
                "flagged": stale.format_moment(stale.flagged(spot)) if stale.flagged(spot) else "",
            }
            for spot in stale.hotspots(api.portal.get())
        ]
