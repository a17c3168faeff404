"""DELETE /@hotspots/{id}/key: IT revokes a hotspot's key."""

from dimos.hotspots.services.hotspots.base import HotspotsService
from dimos.hotspots.usage import rest as usage


class HotspotsDelete(HotspotsService):
    routes = {("{id}", "key"): usage.key_delete}
