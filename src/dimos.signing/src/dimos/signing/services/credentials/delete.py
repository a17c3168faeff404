"""DELETE /@signing-credentials/{userid}: the employee no longer signs with it."""

from dimos.policy.rest import PathParams
from dimos.signing.core.errors import SigningError
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.signers import remove_credential
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class CredentialsDelete(PathParams, Service):
    def reply(self):
        # DELETE is never sent cross-site without a CORS preflight: no token needed.
        alsoProvides(self.request, IDisableCSRFProtection)
        userid = self.param()
        try:
            if not userid:
                raise RequestError(
                    "bad-request",
                    "Ορίστε τον χρήστη: DELETE /@signing-credentials/{userid}.",
                    "Name the user: DELETE /@signing-credentials/{userid}.",
                )
            remove_credential(userid)
        except SigningError as error:
            return refusal(self.request, error, {"no-credential": 404})
        return self.reply_no_content()
