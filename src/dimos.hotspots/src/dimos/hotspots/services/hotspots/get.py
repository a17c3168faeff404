"""GET /@hotspots (the spots), /@hotspots/{id}, /{id}/portal (the captive portal), /{id}/usage."""

from dimos.hotspots.portal import rest as portal
from dimos.hotspots.services.hotspots.base import HotspotsService
from dimos.hotspots.usage import rest as usage


class HotspotsGet(HotspotsService):
    routes = {
        (): portal.list_hotspots,
        ("{id}",): portal.hotspot_info,
        ("{id}", "portal"): portal.portal_reply,
        ("{id}", "usage"): usage.usage_get,
    }
