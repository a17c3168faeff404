"""POST /@hotspots/{id}/usage (a hotspot's report, with its key) and /{id}/key (IT issues a new key)."""

from dimos.hotspots.services.hotspots.base import HotspotsService
from dimos.hotspots.usage import rest as usage


class HotspotsPost(HotspotsService):
    routes = {
        ("{id}", "usage"): usage.usage_post,
        ("{id}", "key"): usage.key_post,
    }
