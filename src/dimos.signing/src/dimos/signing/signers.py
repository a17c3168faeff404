"""Registered signers: each employee's signing credential, kept on the site.

A PKCS#12 file is kept as a blob exactly as uploaded: its key stays encrypted
under the password only the employee knows, which is asked again at each
signature and never stored. A PKCS#11 token (USB token, HSM slot) is kept as a
reference (library, token, key labels) and its certificate; the PIN is typed
to sign. Registration opens the credential once, with that password or PIN,
and refuses a certificate that could not sign (expired, not yet valid, wrong
key usage).
"""

from BTrees.OOBTree import OOBTree
from contextlib import contextmanager
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from datetime import datetime
from dimos.signing.core.certificates import check_can_sign
from dimos.signing.core.certificates import describe
from dimos.signing.core.credentials import inspect_pkcs12
from dimos.signing.core.credentials import open_pkcs11
from dimos.signing.core.credentials import open_pkcs12
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.errors import SigningError
from persistent import Persistent
from plone import api
from ZODB.blob import Blob
from zope.annotation.interfaces import IAnnotations


KEY = "dimos.signing.signers"
KINDS = ("pkcs12", "pkcs11")


class Credential(Persistent):
    """One employee's credential: a PKCS#12 blob or a token reference, and the certificate."""

    def __init__(self, userid, kind, certificate, chain=(), role="", actor=""):
        self.userid = userid
        self.kind = kind
        self.certificate_der = certificate.public_bytes(Encoding.DER)
        self.chain_der = tuple(c.public_bytes(Encoding.DER) for c in chain)
        self.role = role
        self.registered_by = actor
        self.registered_at = datetime.now().astimezone()
        self.pkcs12 = None
        self.token = None

    @property
    def certificate(self):
        return x509.load_der_x509_certificate(self.certificate_der)

    @property
    def chain(self):
        return [x509.load_der_x509_certificate(der) for der in self.chain_der]

    @property
    def info(self):
        return describe(self.certificate)

    def pkcs12_bytes(self):
        with self.pkcs12.open("r") as f:
            return f.read()

    def token_ref(self):
        return TokenRef(**self.token) if self.token else None

    def as_dict(self, now=None):
        info = self.info
        return {
            "userid": self.userid,
            "kind": self.kind,
            "role": self.role,
            "certificate": info.as_dict(),
            "expired": info.expired(now),
            "token": dict(self.token) if self.token else None,
            "registered_by": self.registered_by,
            "registered_at": self.registered_at.isoformat(),
        }


def _store(create=False):
    annotations = IAnnotations(api.portal.get())
    store = annotations.get(KEY)
    if store is None and create:
        store = annotations[KEY] = OOBTree()
    return store


def _check_user(userid):
    if not userid or api.user.get(userid=userid) is None:
        raise SigningError(
            "unknown-user",
            f"Δεν υπάρχει χρήστης «{userid}».",
            f"There is no user “{userid}”.",
        )


def register_pkcs12(userid, data, password, role="", actor="", now=None):
    """Keep a PKCS#12 file for ``userid`` after opening it with ``password`` (not kept)."""
    _check_user(userid)
    _key, certificate, chain = inspect_pkcs12(data, password)
    check_can_sign(describe(certificate), now)
    credential = Credential(userid, "pkcs12", certificate, chain, role, actor)
    credential.pkcs12 = Blob()
    with credential.pkcs12.open("w") as f:
        f.write(bytes(data))
    _store(create=True)[userid] = credential
    return credential


def register_pkcs11(userid, ref, pin, role="", actor="", chain=(), now=None):
    """Keep a token reference for ``userid`` after logging in once with ``pin`` (not kept)."""
    _check_user(userid)
    with open_pkcs11(ref, pin, now=now) as opened:
        certificate = opened.certificate
    credential = Credential(userid, "pkcs11", certificate, chain, role, actor)
    credential.token = {
        "module": ref.module,
        "token_label": ref.token_label,
        "key_label": ref.key_label,
        "cert_label": ref.cert_label,
    }
    _store(create=True)[userid] = credential
    return credential


def credential_for(userid):
    store = _store()
    return store.get(userid) if store is not None and userid else None


def all_credentials():
    store = _store()
    return list(store.values()) if store is not None else []


def remove_credential(userid):
    store = _store()
    if store is None or userid not in store:
        raise SigningError(
            "no-credential",
            f"Ο χρήστης «{userid}» δεν έχει καταχωρισμένο πιστοποιητικό υπογραφής.",
            f"User “{userid}” has no signing certificate registered.",
        )
    del store[userid]


@contextmanager
def open_credential(credential, secret, extra_certs=(), now=None):
    """The credential opened with the password or PIN the signer typed, for a ``with`` block."""
    extra = [*credential.chain, *extra_certs]
    if not secret:
        raise SigningError(
            "no-secret",
            "Πληκτρολογήστε τον κωδικό του πιστοποιητικού ή το PIN του διακριτικού.",
            "Type the certificate's password or the token's PIN.",
        )
    if credential.kind == "pkcs12":
        yield open_pkcs12(credential.pkcs12_bytes(), secret, extra, now)
    else:
        with open_pkcs11(credential.token_ref(), secret, extra, now) as opened:
            yield opened
