"""The signers' pages: ``@@to-sign`` (what waits for me) and ``@@sign`` on a document.

``@@sign`` shows the document, the plan (who has signed and when, who is
next) and, to the signer whose turn it is, the field for the certificate's
password or the token's PIN. A refused signature (wrong password, expired or
revoked certificate, timestamp service down) shows the reason and changes
nothing.
"""

from AccessControl import Unauthorized
from dimos.signing import _
from dimos.signing.browser.common import local_time
from dimos.signing.browser.common import refusal
from dimos.signing.browser.common import say
from dimos.signing.core.errors import SigningError
from dimos.signing.plan import documents_to_sign
from dimos.signing.plan import full_name
from dimos.signing.plan import plan_of
from dimos.signing.plan import related_record
from dimos.signing.plan import sign_document
from dimos.signing.plan import verify_url
from dimos.signing.signers import credential_for
from plone import api
from plone.protect import CheckAuthenticator
from Products.Five.browser import BrowserView
from zope.i18n import translate

import transaction


SECRET_LABELS = {
    "pkcs12": _("Password of your certificate (PKCS#12 file)"),
    "pkcs11": _("PIN of your signing token"),
    None: _("Password of your certificate or PIN of your token"),
}


def visible_record(document):
    """The document's record as {title, url}, if the current user may see it; else None."""
    record = related_record(document)
    if record is None or not api.user.has_permission("View", obj=record):
        return None
    return {"title": record.Title(), "url": record.absolute_url()}


def current_userid():
    return api.user.get_current().getId()


class ToSign(BrowserView):
    """The documents waiting for the current user's signature, oldest first."""

    def __call__(self):
        if api.user.is_anonymous():
            raise Unauthorized("Log in to see the documents waiting for your signature.")
        return self.index()

    def rows(self):
        rows = []
        for brain in documents_to_sign(current_userid()):
            document = brain.getObject()
            plan = plan_of(document)
            rows.append(
                {
                    "title": document.Title(),
                    "url": f"{document.absolute_url()}/@@sign",
                    "record": visible_record(document),
                    "requested_by": full_name(plan.requested_by) if plan else "",
                    "requested_at": local_time(plan.requested_at) if plan else "",
                }
            )
        return rows


class Sign(BrowserView):
    error = None  # the message of a refused signature

    def __call__(self):
        if self.request.method == "POST" and "form.buttons.sign" in self.request.form:
            CheckAuthenticator(self.request)
            secret = self.request.form.get("secret", "")
            try:
                sign_document(self.context, current_userid(), secret)
            except SigningError as error:
                transaction.doom()  # whatever happened, nothing of it is kept
                self.error = refusal(error)
                return self.index()
            say(_("Your signature has been added to the document."), self.request)
            self.request.response.redirect(f"{self.context.absolute_url()}/@@sign")
            return ""
        return self.index()

    def plan(self):
        return plan_of(self.context)

    def record(self):
        return visible_record(self.context)

    def download_url(self):
        return f"{self.context.absolute_url()}/@@download/file"

    def verify_url(self):
        return verify_url(self.context)

    def requested(self):
        plan = self.plan()
        if plan is None:
            return None
        return {"by": full_name(plan.requested_by), "at": local_time(plan.requested_at)}

    def steps(self):
        """The plan's steps: number, name, role, when signed and a state in words."""
        plan = self.plan()
        if plan is None:
            return []
        current = plan.current()
        steps = []
        for number, step in enumerate(plan.steps, 1):
            if step["signed_at"]:
                state, label = "signed", _("Signed")
            elif step is current:
                state, label = "next", _("Next to sign")
            elif plan.status == "cancelled":
                state, label = "cancelled", _("Cancelled")
            else:
                state, label = "waiting", _("Waits for the previous signers")
            steps.append(
                {
                    "number": number,
                    "name": full_name(step["userid"]),
                    "role": step["role"],
                    "signed_at": local_time(step["signed_at"]),
                    "state": state,
                    "label": translate(label, context=self.request),
                }
            )
        return steps

    def status(self):
        """The plan's state in a sentence."""
        plan = self.plan()
        if plan is None:
            message = _("No signature has been requested for this document.")
        elif plan.status == "signed":
            message = _("Signed by all its signers.")
        elif plan.status == "cancelled":
            message = _("The signature request was cancelled.")
        else:
            message = _(
                "Waiting for the signature of ${name}.",
                mapping={"name": full_name(plan.awaiting())},
            )
        return translate(message, context=self.request)

    def my_turn(self):
        plan = self.plan()
        return plan is not None and plan.awaiting() == current_userid()

    def not_yet(self):
        """To a signer whose turn has not come: who signs before them; else None."""
        plan = self.plan()
        userid = current_userid()
        if plan is None or plan.status != "pending" or plan.awaiting() == userid:
            return None
        if not any(s["userid"] == userid and not s["signed_at"] for s in plan.steps):
            return None
        message = _(
            "${name} signs before you; the document will then wait in your list.",
            mapping={"name": full_name(plan.awaiting())},
        )
        return translate(message, context=self.request)

    def secret_label(self):
        credential = credential_for(current_userid())
        kind = credential.kind if credential is not None else None
        return translate(SECRET_LABELS[kind], context=self.request)
