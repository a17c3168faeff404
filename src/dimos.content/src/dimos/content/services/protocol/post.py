"""POST /@protocol: file an application with the general protocol."""

from dimos.content.protocol.errors import ProtocolError
from dimos.content.protocol.intake import file_application
from dimos.content.protocol.intake import file_outgoing
from dimos.content.protocol.registry import format_number
from dimos.content.protocol.tracking import tracking_info
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides


class ProtocolPost(Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            body = json_body(self.request)
        except Exception:
            body = None
        try:
            if isinstance(body, dict) and body.get("direction") == "outgoing":
                return self.outgoing(body)
            record, token = file_application(body)
        except ProtocolError as error:
            self.request.response.setStatus(error.status)
            return error.payload(self.request)
        info = tracking_info(record, self.request)
        info["token"] = token
        info["tracking_url"] = (
            f"{self.context.absolute_url()}/@protocol/{record.protocol_year}/"
            f"{record.protocol_seq}?token={token}"
        )
        self.request.response.setStatus(201)
        return info

    def outgoing(self, body):
        record, year, number, when = file_outgoing(body)
        self.request.response.setStatus(201)
        return {
            "direction": "outgoing",
            "protocol_number": format_number(number, year),
            "year": year,
            "number": number,
            "registered": when.isoformat(),
            "record": record.absolute_url(),
            "recipient": body["recipient"].strip(),
        }
