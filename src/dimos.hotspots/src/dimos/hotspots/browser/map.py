"""The hotspot network's map (``hotspots-map``, the default view of ``/hotspots``).

The page is a table of all spots; a small script (``static/hotspots-map.js``)
turns the JSON in the map's ``data-hotspots`` attribute into a Leaflet map
above it. No inline script and no extra request: a strict CSP works, and
without JavaScript (or with a screen reader) the table says it all.
"""

from dimos.hotspots.browser import common
from dimos.hotspots.content.hotspot import service_area
from plone import api
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile

import json


TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
TILE_ATTRIBUTION = (
    '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap contributors</a>'
)
TILE_MAX_ZOOM = 19


def hotspots(folder):
    """The Hotspots in ``folder`` that the current user may see, by title."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog(
        portal_type="Hotspot",
        path={"query": "/".join(folder.getPhysicalPath()), "depth": 1},
        sort_on="sortable_title",
    )
    return [brain.getObject() for brain in brains]


def map_entry(hotspot, it):
    """One marker: what anyone may read, and for IT the state that colours it."""
    spot = common.describe(hotspot)
    entry = {
        key: spot[key]
        for key in ("id", "url", "name", "address", "area_el", "status", "status_el", "status_en")
    }
    entry["lat"], entry["lon"] = spot["lat"], spot["lon"]
    if it:
        state = common.marker_state(hotspot, common.stale(hotspot))
        entry["state"] = state
        entry["state_el"], entry["state_en"] = common.STATE_TITLES[state]
    return entry


class HotspotsMap(BrowserView):
    index = ViewPageTemplateFile("templates/hotspots_map.pt")

    def __call__(self):
        self.it = common.may_manage(self.context)
        self.spots = hotspots(self.context)
        self.rows = [common.describe(spot) for spot in self.spots]
        return self.index()

    def resource(self, name):
        return f"{api.portal.get().absolute_url()}/++resource++dimos.hotspots/{name}"

    def map_data(self):
        """The ``data-hotspots`` JSON: every spot that has coordinates."""
        entries = [
            map_entry(spot, self.it)
            for spot in self.spots
            if spot.latitude is not None and spot.longitude is not None
        ]
        return json.dumps(entries, ensure_ascii=False, separators=(",", ":"))

    tile_url = TILE_URL
    tile_attribution = TILE_ATTRIBUTION
    tile_max_zoom = TILE_MAX_ZOOM

    def map_bounds(self):
        """The service area (min lat, min lon, max lat, max lon), for a map without spots."""
        return json.dumps(list(service_area()))

    def legend(self):
        """IT's colour legend: the map's states in their order."""
        return [
            {"state": state, "el": el, "en": en} for state, (el, en) in common.STATE_TITLES.items()
        ]
