"""POST /@protocol: file an application with the general protocol."""

from dimos.content.protocol.errors import ProtocolError
from dimos.content.protocol.intake import file_application
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
