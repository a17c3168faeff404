"""POST /@signing-credentials[/{userid}]: register an employee's PKCS#12 file or token.

The password or PIN opens the credential once, to check that its certificate
can sign (valid today, key usage for signatures); it is neither kept nor
answered back. Registering again replaces the credential (200 instead of 201).
"""

from dimos.policy.rest import PathParams
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.errors import SigningError
from dimos.signing.services.body import base64_file
from dimos.signing.services.body import json_object
from dimos.signing.services.body import require_json
from dimos.signing.services.body import text
from dimos.signing.services.credentials.get import credentials_url
from dimos.signing.services.credentials.get import serialize
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.settings import parse_certificates
from dimos.signing.signers import credential_for
from dimos.signing.signers import register_pkcs11
from dimos.signing.signers import register_pkcs12
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


class CredentialsPost(PathParams, Service):
    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see require_json
        try:
            require_json(self.request)
            body = json_object(self.request)
            userid = self.param() or text(body, "userid")
            existed = credential_for(userid) is not None
            credential = register(userid, body, api.user.get_current().getId())
        except SigningError as error:
            return refusal(self.request, error)
        self.request.response.setStatus(200 if existed else 201)
        self.request.response.setHeader("Location", credentials_url(self.context, userid))
        return serialize(self.context, credential)


def register(userid, body, actor):
    """The new Credential of ``userid`` from the request body; SigningError if refused."""
    kind = text(body, "kind")
    role = text(body, "role", required=False)
    if kind == "pkcs12":
        _filename, data = base64_file(body.get("file"))
        return register_pkcs12(userid, data, text(body, "password"), role=role, actor=actor)
    if kind == "pkcs11":
        ref = TokenRef(
            module=text(body, "module"),
            token_label=text(body, "token_label"),
            key_label=text(body, "key_label"),
            cert_label=text(body, "cert_label", required=False),
        )
        chain = parse_certificates(text(body, "chain", required=False))
        return register_pkcs11(userid, ref, text(body, "pin"), role=role, actor=actor, chain=chain)
    raise RequestError(
        "bad-kind",
        "Το πεδίο «kind» είναι «pkcs12» (αρχείο .p12 / .pfx) ή «pkcs11» (διακριτικό).",
        "The field “kind” is “pkcs12” (a .p12 / .pfx file) or “pkcs11” (a token).",
    )
