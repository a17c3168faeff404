"""GET /@sign: the current user's "to sign" list, oldest request first."""

from dimos.signing.plan import documents_to_sign
from dimos.signing.services.summary import to_sign_item
from plone import api
from plone.restapi.services import Service
from zExceptions import Unauthorized


class SignGet(Service):
    def reply(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to see the documents waiting for your signature.")
        userid = api.user.get_current().getId()
        items = [to_sign_item(brain.getObject(), userid) for brain in documents_to_sign(userid)]
        return {
            "@id": f"{self.context.absolute_url()}/@sign",
            "items": items,
            "items_total": len(items),
        }
