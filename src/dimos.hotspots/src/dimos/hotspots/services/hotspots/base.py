"""What the three ``@hotspots`` services share: the path, the hotspot it names, the errors."""

from dimos.hotspots.setuphandlers import hotspot_folder
from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply
from dimos.policy.rest import PathParams
from plone.restapi.services import Service


class NotFound(BilingualError):
    code = "not-found"


class HotspotsService(PathParams, Service):
    """``self.params`` are the path parts after ``@hotspots``; ``routes`` maps their shape to a handler.

    A route's key is the tuple of parts with the hotspot id replaced by
    ``"{id}"``; its handler is called as ``handler(hotspot, request)`` (or
    ``handler(site, request)`` for the empty path) and returns the reply.
    """

    routes = {}

    def reply(self):
        params = tuple(self.params)
        if not params:
            handler = self.routes.get(())
            if handler is None:
                return self._not_found()
            return handler(self.context, self.request)
        handler = self.routes.get(("{id}", *params[1:]))
        if handler is None:
            return self._not_found()
        folder = hotspot_folder(self.context)
        hotspot = folder.get(params[0]) if folder is not None else None
        if hotspot is None or getattr(hotspot, "portal_type", None) != "Hotspot":
            return error_reply(
                self.request,
                NotFound(
                    f"Δεν υπάρχει σημείο WiFi «{params[0]}».",
                    f"There is no hotspot “{params[0]}”.",
                ),
                404,
                "NotFound",
            )
        return handler(hotspot, self.request)

    def _not_found(self):
        return error_reply(
            self.request,
            NotFound("Δεν υπάρχει τέτοια διεύθυνση.", "There is no such address."),
            404,
            "NotFound",
        )
