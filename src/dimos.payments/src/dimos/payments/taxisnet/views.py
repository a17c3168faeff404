"""The Taxisnet login pages: @@taxisnet-login, @@taxisnet-callback, @@taxisnet-logout.

- ``@@taxisnet-login?came_from=<page on this site>`` sends the browser to
  GSIS's authorize page, with a new ``state`` kept in a signed cookie
  (``state.py``). A ``came_from`` on another site is dropped.
- ``@@taxisnet-callback?code=...&state=...`` (the redirect URI registered
  with GSIS) checks the state, exchanges the code for a token, reads the
  citizen's details, logs them in with their AFM and sends them on to
  ``came_from`` (else the site's front page).
- ``@@taxisnet-logout`` ends the Plone session and, for a citizen, the GSIS
  session too, then comes back to the site.

A failure never shows a traceback: it is a page saying what happened in
Greek, with English beside it, and a link to try again.
"""

from dimos.payments import logger
from dimos.payments.taxisnet import exchange
from dimos.payments.taxisnet import plugin
from dimos.payments.taxisnet import state
from dimos.payments.taxisnet.client import TaxisnetError
from dimos.payments.taxisnet.settings import taxisnet_settings
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from Products.Five.browser import BrowserView
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from ZODB.POSException import ConflictError
from zope.interface import alsoProvides

import contextlib
import transaction


def cancelled():
    return TaxisnetError(
        "cancelled",
        "Η σύνδεση μέσω Taxisnet ακυρώθηκε. Δεν έγινε σύνδεση.",
        "The Taxisnet login was cancelled. You are not logged in.",
        status=400,
    )


def gsis_refused(error):
    shown = "".join(c for c in str(error)[:40] if c.isalnum() or c in "_-")
    return TaxisnetError(
        "gsis-error",
        f"Το Taxisnet δεν ολοκλήρωσε τη σύνδεση (σφάλμα «{shown}»). Δοκιμάστε ξανά.",
        f"Taxisnet did not complete the login (error “{shown}”). Please try again.",
        status=400,
    )


def bad_state():
    return TaxisnetError(
        "bad-state",
        "Η σύνδεση δεν ξεκίνησε από αυτόν τον φυλλομετρητή ή έληξε. "
        "Δεν έγινε σύνδεση· ξεκινήστε τη σύνδεση ξανά.",
        "This login was not started from this browser, or it has expired. "
        "You are not logged in; please start the login again.",
        status=400,
    )


def no_code():
    return TaxisnetError(
        "no-code",
        "Το Taxisnet δεν έστειλε κωδικό εξουσιοδότησης. Δεν έγινε σύνδεση.",
        "Taxisnet sent no authorization code. You are not logged in.",
        status=400,
    )


def unexpected():
    return TaxisnetError(
        "unexpected",
        "Η σύνδεση μέσω Taxisnet απέτυχε από σφάλμα του ιστότοπου. Δοκιμάστε ξανά· "
        "αν επαναληφθεί, ενημερώστε τον Δήμο.",
        "The Taxisnet login failed because of an error on this site. Please try again; "
        "if it happens again, please inform the municipality.",
        status=500,
    )


def _text(request, name):
    value = request.form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


class TaxisnetView(BrowserView):
    """What the three pages share: the site's address, settings and the error page."""

    error_page = ViewPageTemplateFile("templates/taxisnet_error.pt")
    error = None

    @property
    def site_url(self):
        return api.portal.get().absolute_url()

    def settings(self):
        return taxisnet_settings(self.site_url)

    def refuse(self, error):
        """The error page for a TaxisnetError, with its HTTP status; no redirect, no cookie."""
        logger.info("Taxisnet login refused: %s", error.code)
        self.error = error
        self.request.response.setStatus(error.status)
        self.request.response.setHeader("Cache-Control", "no-store")
        return self.error_page()

    def retry_url(self):
        return f"{self.site_url}/@@taxisnet-login"


class TaxisnetLogin(TaxisnetView):
    """Start the login: a state for this browser, then off to GSIS."""

    def __call__(self):
        try:
            client = self.settings().client()
        except TaxisnetError as error:
            return self.refuse(error)
        came_from = state.same_site(_text(self.request, "came_from"), self.site_url)
        nonce, cookie = state.issue(came_from)
        state.remember(self.request, cookie)
        self.request.response.setHeader("Cache-Control", "no-store")
        self.request.response.redirect(client.authorize_url(nonce), lock=True)
        return ""


class TaxisnetCallback(TaxisnetView):
    """GSIS sends the browser back here with ``code`` and ``state`` (or ``error``)."""

    def __call__(self):
        try:
            target = self.complete()
        except ConflictError:
            raise  # Zope retries the request
        except TaxisnetError as error:
            return self.refuse(error)
        except Exception:
            logger.exception("Taxisnet callback failed")
            transaction.doom()  # nothing half-done is kept
            with contextlib.suppress(Exception):
                acl_users = api.portal.get_tool("acl_users")
                acl_users.resetCredentials(self.request, self.request.response)
            return self.refuse(unexpected())
        self.request.response.setHeader("Cache-Control", "no-store")
        self.request.response.redirect(target, lock=True)
        return ""

    def complete(self):
        """Check, exchange, log in; the address to go on to."""
        nonce = _text(self.request, "state")
        kept = state.verify(self.request.cookies.get(state.COOKIE, ""), nonce)
        state.forget(self.request)  # a state serves once, whatever happens next
        error = _text(self.request, "error")
        if error:
            raise cancelled() if error == "access_denied" else gsis_refused(error)
        if kept is None:
            raise bad_state()
        code = _text(self.request, "code")
        if not code:
            raise no_code()
        citizen = exchange.citizen_for_code(self.settings().client(), code, nonce)
        # The state check above is this request's CSRF protection.
        alsoProvides(self.request, IDisableCSRFProtection)
        plugin.log_in(api.portal.get(), self.request, citizen)
        return state.same_site(kept, self.site_url) or self.site_url


class TaxisnetLogout(TaxisnetView):
    """Log out of the site and, for a citizen, of GSIS; back to the site."""

    def __call__(self):
        portal = api.portal.get()
        userid = api.user.get_current().getId()
        taxisnet = plugin.taxisnet_plugin(portal)
        was_citizen = bool(userid and taxisnet is not None and taxisnet.is_citizen(userid))
        api.portal.get_tool("portal_membership").logoutUser(self.request)
        target = f"{self.site_url}/logged-out"
        settings = self.settings()
        if was_citizen and settings.configured:
            target = settings.client().logout_url(target)
        self.request.response.setHeader("Cache-Control", "no-store")
        self.request.response.redirect(target, lock=True)
        return ""
