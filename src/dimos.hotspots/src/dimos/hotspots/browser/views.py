"""A hotspot's page (its type's ``view``): where it is, its network, its state; IT's links."""

from dimos.hotspots.browser import common
from dimos.hotspots.browser import formatting
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile


class HotspotView(BrowserView):
    index = ViewPageTemplateFile("templates/hotspot.pt")

    def __call__(self):
        self.spot = common.describe(self.context)
        self.it = common.may_manage(self.context)
        return self.index()

    def site_url(self):
        return api.portal.get().absolute_url()

    def portal_json_url(self):
        return f"{self.site_url()}/@hotspots/{self.context.getId()}/portal"

    def last_seen(self):
        """IT's view of the reports: when last seen, relative and absolute, and whether stale."""
        then = self.context.last_seen
        ago_el, ago_en = formatting.ago(then)
        return {
            "ago_el": ago_el,
            "ago_en": ago_en,
            "at": formatting.local_time(then),
            "iso": formatting.iso(then),
            "stale": common.stale(self.context),
        }
