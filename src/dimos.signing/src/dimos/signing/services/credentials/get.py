"""GET /@signing-credentials[/{userid}]: the registered signers and their certificates."""

from dimos.policy.rest import PathParams
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.signers import all_credentials
from dimos.signing.signers import credential_for
from plone.restapi.services import Service


def credentials_url(portal, userid=None):
    url = f"{portal.absolute_url()}/@signing-credentials"
    return f"{url}/{userid}" if userid else url


def serialize(portal, credential):
    return {"@id": credentials_url(portal, credential.userid), **credential.as_dict()}


def unknown(userid):
    return RequestError(
        "not-found",
        f"Ο χρήστης «{userid}» δεν έχει καταχωρισμένο πιστοποιητικό υπογραφής.",
        f"User “{userid}” has no signing certificate registered.",
        status=404,
    )


class CredentialsGet(PathParams, Service):
    def reply(self):
        if not self.params:
            items = sorted(all_credentials(), key=lambda c: c.userid)
            return {
                "@id": credentials_url(self.context),
                "items": [serialize(self.context, c) for c in items],
                "items_total": len(items),
            }
        userid = self.param()
        credential = credential_for(userid) if userid else None
        if credential is None:
            return refusal(self.request, unknown("/".join(self.params)))
        return serialize(self.context, credential)
