"""``@@signing-credentials``: the employees' signing certificates, registered and removed.

The administrator registers a PKCS#12 file (the employee types its password
once, it is not kept) or a PKCS#11 token (library, labels, PIN typed once).
A refused credential (expired, not yet valid, not for signatures, wrong
password or PIN, not PKCS#12, unknown user) is shown with the reason and
nothing is kept.
"""

from dimos.signing import _
from dimos.signing.browser.common import local_date
from dimos.signing.browser.common import refusal
from dimos.signing.browser.common import say
from dimos.signing.browser.common import typed
from dimos.signing.browser.common import uploaded
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.errors import SigningError
from dimos.signing.plan import full_name
from dimos.signing.signers import all_credentials
from dimos.signing.signers import credential_for
from dimos.signing.signers import register_pkcs11
from dimos.signing.signers import register_pkcs12
from dimos.signing.signers import remove_credential
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from urllib.parse import urlencode
from zope.i18n import translate

import transaction


DEFAULT_MODULE = "/usr/lib/softhsm/libsofthsm2.so"

KINDS = {"pkcs12": _("PKCS#12 file"), "pkcs11": _("PKCS#11 token")}

USAGES = {
    "digital_signature": _("digital signature"),
    "content_commitment": _("non-repudiation"),
    "key_encipherment": _("key encipherment"),
    "data_encipherment": _("data encipherment"),
    "key_agreement": _("key agreement"),
    "key_cert_sign": _("certificate signing"),
    "crl_sign": _("CRL signing"),
}

# name of the submit button -> method
ACTIONS = {
    "form.buttons.pkcs12": "register_file",
    "form.buttons.pkcs11": "register_token",
    "form.buttons.remove": "remove",
}


def describe_credential(credential, request):
    """What the table and the details show of one credential, translated."""
    data = credential.as_dict()
    info = data["certificate"]
    return {
        "userid": credential.userid,
        "name": full_name(credential.userid),
        "role": credential.role,
        "kind": translate(KINDS[credential.kind], context=request),
        "subject": info["subject"],
        "issuer": info["issuer"],
        "serial": info["serial"],
        "fingerprint": info["fingerprint_sha256"],
        "not_before": local_date(info["not_before"]),
        "not_after": local_date(info["not_after"]),
        "key_usage": ", ".join(
            translate(USAGES.get(usage, usage), context=request) for usage in info["key_usage"]
        ),
        "expired": data["expired"],
        "token": data["token"],
    }


class SigningCredentials(BrowserView):
    refused = None  # the message of a refused registration or removal
    refused_form = None  # "pkcs12", "pkcs11" or "remove": where to show it

    def __call__(self):
        if self.request.method == "POST":
            for button, method in ACTIONS.items():
                if button in self.request.form:
                    CheckAuthenticator(self.request)
                    if getattr(self, method)():
                        return ""
                    break
        return self.index()

    @property
    def url(self):
        return f"{api.portal.get().absolute_url()}/@@signing-credentials"

    def _done(self, message, userid=None):
        say(message, self.request)
        query = f"?{urlencode({'registered': userid})}" if userid else ""
        self.request.response.redirect(self.url + query)
        return True

    def _refuse(self, form, message):
        transaction.doom()  # whatever happened, nothing of it is kept
        self.refused_form = form
        self.refused = translate(message, context=self.request)  # a plain str stays as it is
        return False

    def register_file(self):
        userid = typed(self.request, "pkcs12-userid")
        data, _filename = uploaded(self.request, "pkcs12-file")
        if data is None:
            return self._refuse("pkcs12", _("Choose the certificate file (.p12 or .pfx)."))
        password = self.request.form.get("pkcs12-password", "")
        try:
            credential = register_pkcs12(
                userid, data, password, role=typed(self.request, "pkcs12-role"), actor=self.actor()
            )
        except SigningError as error:
            return self._refuse("pkcs12", refusal(error))
        return self._registered(credential)

    def register_token(self):
        userid = typed(self.request, "pkcs11-userid")
        ref = TokenRef(
            module=typed(self.request, "pkcs11-module") or DEFAULT_MODULE,
            token_label=typed(self.request, "pkcs11-token"),
            key_label=typed(self.request, "pkcs11-key"),
            cert_label=typed(self.request, "pkcs11-cert"),
        )
        if not ref.token_label or not ref.key_label:
            return self._refuse("pkcs11", _("Enter the token's label and the key's label."))
        pin = self.request.form.get("pkcs11-pin", "")
        try:
            credential = register_pkcs11(
                userid, ref, pin, role=typed(self.request, "pkcs11-role"), actor=self.actor()
            )
        except SigningError as error:
            return self._refuse("pkcs11", refusal(error))
        return self._registered(credential)

    def _registered(self, credential):
        if not credential.role:  # the stamp says what the certificate says
            credential.role = credential.info.title
        message = _(
            "The signing certificate of ${name} is registered.",
            mapping={"name": full_name(credential.userid)},
        )
        return self._done(message, credential.userid)

    def remove(self):
        userid = typed(self.request, "userid")
        try:
            remove_credential(userid)
        except SigningError as error:
            return self._refuse("remove", refusal(error))
        message = _(
            "The signing certificate of ${name} is removed.", mapping={"name": full_name(userid)}
        )
        return self._done(message)

    def actor(self):
        return api.user.get_current().getId()

    def rows(self):
        rows = [describe_credential(c, self.request) for c in all_credentials()]
        return sorted(rows, key=lambda row: (row["name"].lower(), row["userid"]))

    def registered(self):
        """The details of the credential just registered (``?registered=<userid>``), or None."""
        userid = typed(self.request, "registered")
        credential = credential_for(userid) if userid else None
        return describe_credential(credential, self.request) if credential else None

    def remove_label(self, row):
        message = _("Remove the certificate of ${name}", mapping={"name": row["name"]})
        return translate(message, context=self.request)

    def value(self, name, default=""):
        """What was typed in a refused form (never a password or PIN)."""
        if self.refused is None:
            return default
        return typed(self.request, name) or default

    def default_module(self):
        return self.value("pkcs11-module", DEFAULT_MODULE)
