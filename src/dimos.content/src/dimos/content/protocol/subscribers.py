"""Event handlers: protocol numbers on add, routing on every save."""

from dimos.content import _
from dimos.content.protocol.registry import register_application
from dimos.content.protocol.routing import sync_routing
from plone import api
from zope.globalrequest import getRequest


TOKEN_ATTR = "_v_tracking_token"  # the plain token, for this request only


def application_added(record, event):
    token = register_application(record)
    if token is not None:
        setattr(record, TOKEN_ATTR, token)
        request = getRequest()
        if request is not None and "form.buttons.save" in request.form:
            api.portal.show_message(
                _(
                    "Registered under protocol number ${number}. Tracking code for the "
                    "citizen: ${token} (it is shown only now).",
                    mapping={"number": record.protocol_number, "token": token},
                ),
                request=request,
                type="warning",
            )
    if sync_routing(record):
        record.reindexObjectSecurity()


def application_modified(record, event):
    if sync_routing(record):
        record.reindexObjectSecurity()
