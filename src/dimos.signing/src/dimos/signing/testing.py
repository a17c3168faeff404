"""Test layers for dimos.signing, and helpers that set a site up to sign with the test PKI."""

from dimos.content.testing import DIMOS_CONTENT_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.signing


class DimosSigningLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_CONTENT_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.signing)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.signing:default")


DIMOS_SIGNING_FIXTURE = DimosSigningLayer()

DIMOS_SIGNING_INTEGRATION_TESTING, DIMOS_SIGNING_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_SIGNING_FIXTURE, "DimosSigningLayer"
)

# Passwords of the test signers' PKCS#12 files.
PASSWORD = "correct horse"


def use_pki(pki):
    """Point the site's signing settings at the test PKI: its TSA, and its root as trusted."""
    from dimos.signing.settings import store_settings

    store_settings(tsa_url=pki.tsa_url, trust_roots=pki.root_pem().decode("ascii"))


def employee(userid, fullname, roles=("Member",)):
    """A site user (the password is the userid twice)."""
    from plone import api

    user = api.user.get(userid=userid)
    if user is None:
        user = api.user.create(
            email=f"{userid}@example.org",
            username=userid,
            password=userid * 2,
            roles=list(roles),
            properties={"fullname": fullname},
        )
    return user


def register_signer(pki, userid, identity, role, fullname=None, password=PASSWORD, now=None):
    """``userid`` (made if missing) with ``pki``'s ``identity`` as a PKCS#12 credential.

    ``now``: the registration's time, e.g. a day when an expired certificate was valid.
    """
    from dimos.signing.signers import register_pkcs12

    employee(userid, fullname or userid)
    data = pki.identities[identity].pkcs12(password.encode(), pki.chain())
    return register_pkcs12(userid, data, password, role=role, actor="admin", now=now)


def register_token_signer(pki, folder, userid, identity, role, label, pin="1234", now=None):
    """``userid`` (made if missing) with ``identity``'s key on a new SoftHSM token ``label``.

    Returns the testing_hsm Token. Make every token of a test before signing
    (a new token closes the PKCS#11 sessions open at the time).
    """
    from dimos.signing.core.credentials import TokenRef
    from dimos.signing.signers import register_pkcs11
    from dimos.signing.testing_hsm import make_token

    employee(userid, userid)
    token = make_token(folder, pki.identities[identity], label=label, pin=pin)
    ref = TokenRef(module=token.module, token_label=token.label, key_label=token.key_label)
    register_pkcs11(userid, ref, pin, role=role, actor="admin", chain=pki.chain(), now=now)
    return token


def secretary_and_mayor(pki):
    """The two signers of most tests: the secretary general, then the mayor."""
    register_signer(pki, "secretary", "secretary", "Γενική Γραμματέας", "Μαρία Παπαδοπούλου")
    register_signer(pki, "mayor", "mayor", "Δήμαρχος", "Γιώργος Νικολάου")


def permit(portal, id="permit"):
    """A common-space permit to be signed."""
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal,
            type="Permit",
            id=id,
            title="Άδεια κατάληψης κοινόχρηστου χώρου",
            permit_kind="common-space",
            holder_name="Καφενείο Η Πλατεία",
        )
