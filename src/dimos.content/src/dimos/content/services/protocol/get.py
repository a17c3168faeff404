"""GET /@protocol/{year}/{number}?token=...: a citizen tracks an application.

Staff who may view the record need no token. Nobody else learns anything
beyond "no such number" or "wrong tracking code".
"""

from dimos.content import _
from dimos.content.content.citizen_application import ICitizenApplication
from dimos.content.protocol.errors import ProtocolError
from dimos.content.protocol.registry import find_registered
from dimos.content.protocol.registry import token_matches
from dimos.content.protocol.tracking import tracking_info
from dimos.policy.rest import PathParams
from plone import api
from plone.restapi.services import Service


class ProtocolGet(PathParams, Service):
    def reply(self):
        try:
            return self.track()
        except ProtocolError as error:
            self.request.response.setStatus(error.status)
            return error.payload(self.request)

    def track(self):
        if len(self.params) != 2 or not all(p.isdigit() for p in self.params):
            raise ProtocolError(
                400, "BadRequest", _("Use /@protocol/{year}/{number}, both numbers.")
            )
        year, number = (int(p) for p in self.params)
        record = find_registered(year, number)
        if record is None or not ICitizenApplication.providedBy(record):
            raise ProtocolError(
                404,
                "NotFound",
                _(
                    "There is no application with protocol number ${number}/${year}.",
                    mapping={"number": number, "year": year},
                ),
            )
        token = self.request.form.get("token", "")
        if not (token_matches(record, token) or api.user.has_permission("View", obj=record)):
            raise ProtocolError(
                403,
                "WrongToken",
                _(
                    "The tracking code does not match protocol number ${number}/${year}.",
                    mapping={"number": number, "year": year},
                ),
                "token",
            )
        return tracking_info(record, self.request)
