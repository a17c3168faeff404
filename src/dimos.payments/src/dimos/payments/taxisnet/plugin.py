"""The Taxisnet PAS plugin: citizens whose Plone user id is their AFM.

A citizen comes into being at their first Taxisnet login
(``TaxisnetPlugin.remember``) and has no password: no login form, HTTP
Basic or other credentials can authenticate them. The plugin:

- enumerates citizens (by AFM, by name) so that revenue staff find them in
  the users control panel and ``@users`` (IUserEnumerationPlugin,
  IUserIntrospection);
- gives their properties as Taxisnet vouched for them (IPropertiesPlugin,
  moved first so they win over the empty defaults of ``mutable_properties``):
  ``fullname``, ``firstname``, ``lastname``, ``fathername``,
  ``mothername``, ``birthyear``, ``afm``;
- gives them the Member role (IRolesPlugin);
- lets administrators remove them (IUserManagement, IDeleteCapability).

E-mail: Taxisnet gives none, and this plugin's property sheet has no
``email`` on purpose. A citizen's e-mail lives in Plone's standard member
data (``mutable_properties``), where the citizen may add it later, e.g. in
@@personal-information or ``PATCH @users/<afm>``; ``user.getProperty("email")``
then finds it. Names are not editable: each login refreshes them from GSIS.

``log_in(portal, request, citizen)`` is the end of the callback: it
remembers the citizen and opens a plone.session session (the ``__ac`` cookie)
exactly as Plone's login form does.
"""

from AccessControl.class_init import InitializeClass
from AccessControl.SecurityInfo import ClassSecurityInfo
from AccessControl.SecurityManagement import newSecurityManager
from Acquisition import aq_base
from BTrees.OOBTree import OOBTree
from datetime import datetime
from datetime import UTC
from dimos.payments import logger
from dimos.payments.taxisnet.client import TaxisnetError
from persistent import Persistent
from plone.session.interfaces import ISessionPlugin
from Products.CMFCore.utils import getToolByName
from Products.PlonePAS.interfaces.capabilities import IDeleteCapability
from Products.PlonePAS.interfaces.capabilities import IPasswordSetCapability
from Products.PlonePAS.interfaces.plugins import IUserIntrospection
from Products.PlonePAS.interfaces.plugins import IUserManagement
from Products.PluggableAuthService.interfaces.plugins import IAuthenticationPlugin
from Products.PluggableAuthService.interfaces.plugins import IPropertiesPlugin
from Products.PluggableAuthService.interfaces.plugins import IRolesPlugin
from Products.PluggableAuthService.interfaces.plugins import IUserEnumerationPlugin
from Products.PluggableAuthService.plugins.BasePlugin import BasePlugin
from zope.interface import implementer

import unicodedata


PLUGIN_ID = "taxisnet"
ROLES = ("Member",)
ACTIVE_INTERFACES = (
    IAuthenticationPlugin,
    IUserEnumerationPlugin,
    IPropertiesPlugin,
    IRolesPlugin,
    IUserManagement,
    IUserIntrospection,
)
NAME_FIELDS = ("firstname", "lastname", "fathername", "mothername", "birthyear")


class CitizenRecord(Persistent):
    """What the site keeps of a citizen: Taxisnet's details and when they logged in."""

    def __init__(self, afm):
        self.afm = afm
        self.firstname = self.lastname = self.fathername = self.mothername = ""
        self.birthyear = ""
        self.first_login = self.last_login = None

    @property
    def fullname(self):
        return " ".join(part for part in (self.firstname, self.lastname) if part)

    def properties(self):
        values = {name: getattr(self, name) for name in NAME_FIELDS}
        return dict(values, fullname=self.fullname, afm=self.afm)


def _folded(text):
    """Lower case without accents: "Βαβουλα" finds "ΒΑΒΟΥΛΑ" and "Βαβούλα"."""
    decomposed = unicodedata.normalize("NFD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@implementer(
    IAuthenticationPlugin,
    IUserEnumerationPlugin,
    IPropertiesPlugin,
    IRolesPlugin,
    IUserManagement,
    IUserIntrospection,
    IDeleteCapability,
    IPasswordSetCapability,
)
class TaxisnetPlugin(BasePlugin):
    """Citizens logged in with Taxisnet; user id and login are the AFM."""

    meta_type = "Dimos Taxisnet Plugin"
    security = ClassSecurityInfo()

    def __init__(self, id=PLUGIN_ID, title="Taxisnet (ΓΓΠΣ) citizens"):
        self._setId(id)
        self.title = title
        self._citizens = OOBTree()

    # --- the site's API -----------------------------------------------------

    @security.private
    def remember(self, citizen, now=None):
        """Create or refresh the citizen's record from a Taxisnet Citizen; the record."""
        now = now or datetime.now(UTC)
        record = self._citizens.get(citizen.afm)
        if record is None:
            record = CitizenRecord(citizen.afm)
            record.first_login = now
            self._citizens[citizen.afm] = record
        for name in NAME_FIELDS:
            if getattr(record, name) != getattr(citizen, name):
                setattr(record, name, getattr(citizen, name))
        record.last_login = now
        return record

    @security.private
    def citizen(self, afm):
        """The CitizenRecord of ``afm``, or None."""
        return self._citizens.get(afm) if isinstance(afm, str) else None

    @security.private
    def is_citizen(self, userid):
        return self.citizen(userid) is not None

    # --- IAuthenticationPlugin ------------------------------------------------

    @security.private
    def authenticateCredentials(self, credentials):
        """Never from a request: citizens have no password.

        Only the Taxisnet callback authenticates them, after GSIS vouched for
        them (``log_in``), and from then on plone.session's cookie does.
        Refusing here explicitly keeps a password login with an AFM failing
        even if another plugin were to extract one.
        """
        return None

    # --- IUserEnumerationPlugin -----------------------------------------------

    def _info(self, record):
        return {
            "id": record.afm,
            "login": record.afm,
            "pluginid": self.getId(),
            "title": record.fullname,
            "fullname": record.fullname,
            "description": record.fullname,
        }

    def _matches(self, record, ids, logins, exact_match, kw):
        for wanted, value in ((ids, record.afm), (logins, record.afm)):
            if wanted is not None and not any(
                value == key if exact_match else key in value for key in wanted
            ):
                return False
        for key, wanted in kw.items():
            if key in ("fullname", "title"):
                name, wanted = _folded(record.fullname), _folded(str(wanted))
                if not (name == wanted if exact_match else wanted in name):
                    return False
            elif wanted:
                return False  # e-mail and other properties are not kept here
        return True

    @security.private
    def enumerateUsers(
        self, id=None, login=None, exact_match=False, sort_by=None, max_results=None, **kw
    ):
        ids = [id] if isinstance(id, str) else (list(id) if id else None)
        logins = [login] if isinstance(login, str) else (list(login) if login else None)
        if exact_match and ids and len(ids) == 1 and logins is None and not kw:
            record = self.citizen(ids[0])  # the one lookup on every request
            return (self._info(record),) if record is not None else ()
        found = [
            self._info(record)
            for record in self._citizens.values()
            if self._matches(record, ids, logins, exact_match, kw)
        ]
        if sort_by in ("login", "id", "fullname", "title"):
            found.sort(key=lambda info: _folded(info[sort_by]))
        return tuple(found[:max_results] if max_results else found)

    @security.private
    def updateUser(self, user_id, login_name):
        """The login is the AFM: it never changes."""
        return False

    @security.private
    def updateEveryLoginName(self, quit_on_first_error=True):
        """Nothing to do: the login is the AFM."""

    # --- IUserIntrospection ------------------------------------------------------

    @security.private
    def getUserIds(self):
        return list(self._citizens.keys())

    @security.private
    def getUserNames(self):
        return list(self._citizens.keys())

    @security.private
    def getUsers(self):
        pas = self._getPAS()
        return [pas.getUserById(afm) for afm in self._citizens.keys()]

    # --- IPropertiesPlugin / IRolesPlugin ---------------------------------------

    @security.private
    def getPropertiesForUser(self, user, request=None):
        record = self.citizen(user.getId())
        return record.properties() if record is not None else {}

    @security.private
    def getRolesForPrincipal(self, principal, request=None):
        return ROLES if self.is_citizen(principal.getId()) else ()

    # --- IUserManagement and the Plone UI's capabilities -------------------

    @security.private
    def doAddUser(self, login, password):
        """Citizens are added by their Taxisnet login only."""
        return False

    @security.private
    def doChangeUser(self, login, password, **kw):
        """Citizens have no password (RuntimeError, as PAS expects from others' users)."""
        raise RuntimeError(f"{login} has no password here: citizens log in with Taxisnet")

    @security.private
    def doDeleteUser(self, login):
        if login not in self._citizens:
            raise KeyError(login)
        del self._citizens[login]
        return True

    @security.private
    def allowDeletePrincipal(self, principal_id):
        return self.is_citizen(principal_id)

    @security.private
    def allowPasswordSet(self, principal_id):
        return False


InitializeClass(TaxisnetPlugin)


def install_plugin(pas):
    """Add the plugin to ``acl_users`` (once) and activate it; its properties come first."""
    if PLUGIN_ID not in pas.objectIds():
        pas._setObject(PLUGIN_ID, TaxisnetPlugin(PLUGIN_ID))
    registry = pas.plugins
    for interface in ACTIVE_INTERFACES:
        if PLUGIN_ID not in registry.listPluginIds(interface):
            registry.activatePlugin(interface, PLUGIN_ID)
    registry.movePluginsTop(IPropertiesPlugin, [PLUGIN_ID])
    return pas[PLUGIN_ID]


def taxisnet_plugin(portal):
    """The site's TaxisnetPlugin, or None when dimos.payments is not installed."""
    pas = getToolByName(portal, "acl_users")
    plugin = getattr(aq_base(pas), PLUGIN_ID, None)
    return pas[PLUGIN_ID] if isinstance(plugin, TaxisnetPlugin) else None


def _taken_elsewhere(pas, afm):
    """Whether another user source already has a user with this id (a clerk, say)."""
    for plugin_id, plugin in pas.plugins.listPlugins(IUserEnumerationPlugin):
        if plugin_id != PLUGIN_ID and plugin.enumerateUsers(id=afm, exact_match=True):
            return True
    return False


def log_in(portal, request, citizen):
    """Remember ``citizen``, open their session (the ``__ac`` cookie), do Plone's login work.

    The login work is portal_membership's (login times, the logged-in
    events), as after Plone's own login form.
    """
    pas = getToolByName(portal, "acl_users")
    plugin = taxisnet_plugin(portal)
    session = getattr(aq_base(pas), "session", None)
    if plugin is None or not ISessionPlugin.providedBy(session):
        raise RuntimeError("dimos.payments:default is not installed (no taxisnet/session plugin)")
    if _taken_elsewhere(pas, citizen.afm):
        raise TaxisnetError(
            "id-taken",
            "Υπάρχει ήδη λογαριασμός του Δήμου με αυτόν τον ΑΦΜ ως όνομα χρήστη. "
            "Δεν έγινε σύνδεση· επικοινωνήστε με τον Δήμο.",
            "The municipality already has an account whose user name is this AFM. "
            "You are not logged in; please contact the municipality.",
            status=409,
        )
    plugin.remember(citizen)
    pas.session._setupSession(citizen.afm, request.response)
    user = pas.getUserById(citizen.afm)
    newSecurityManager(request, user)
    getToolByName(portal, "portal_membership").loginUser(request)
    logger.info("Taxisnet login of citizen %s…%s", citizen.afm[:2], citizen.afm[-2:])
    return user
