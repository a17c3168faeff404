"""A SoftHSM2 token holding a signer's key and certificate, for tests of PKCS#11 signing.

SoftHSM reads its configuration file (``SOFTHSM2_CONF``) once, when the
PKCS#11 module is first loaded in the process; python-pkcs11 also keeps that
module loaded for good. So the first ``make_token()`` fixes the configuration
(and token folder) for the whole process and sets ``os.environ["SOFTHSM2_CONF"]``,
and it must run before anything else loads ``MODULE``. Later calls put further
tokens in the same folder, each under its own label.
"""

from dataclasses import dataclass
from pathlib import Path
from pkcs11 import Attribute
from pkcs11 import CertificateType
from pkcs11 import KeyType
from pkcs11 import ObjectClass

import hashlib
import os
import pkcs11
import subprocess


MODULE = "/usr/lib/softhsm/libsofthsm2.so"

_conf = None  # the SOFTHSM2_CONF of this process, once made


@dataclass(frozen=True)
class Token:
    """What a signer needs to find and open the token: module, label, PINs, key label."""

    module: str
    label: str
    pin: str
    so_pin: str
    key_label: str
    conf: Path


def softhsm_conf(folder: Path) -> Path:
    """The process's SoftHSM configuration: written in ``folder`` on first use, reused after."""
    global _conf
    if _conf is None:
        tokens = Path(folder) / "tokens"
        tokens.mkdir(parents=True, exist_ok=True)
        conf = Path(folder) / "softhsm2.conf"
        conf.write_text(
            f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
        )
        _conf = conf
    os.environ["SOFTHSM2_CONF"] = str(_conf)
    return _conf


def init_token(label, pin, so_pin):
    """Initialise a fresh token in the first free slot (softhsm2-util reads SOFTHSM2_CONF)."""
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            pin,
            "--so-pin",
            so_pin,
        ],
        check=True,
        capture_output=True,
        env=os.environ,
    )


def import_identity(session, identity, key_label):
    """Store the identity's RSA private key and certificate, sharing one ID and label.

    The key is SENSITIVE (not extractable), as on a real card; pyHanko finds
    the certificate by label and the key by label or ID.
    """
    numbers = identity.key.private_numbers()
    public = numbers.public_numbers
    object_id = hashlib.sha1(identity.cert_der()).digest()[:8]
    subject = identity.cert.subject.public_bytes()

    def integer(value):
        return value.to_bytes((value.bit_length() + 7) // 8, "big")

    session.create_object(
        {
            Attribute.CLASS: ObjectClass.PRIVATE_KEY,
            Attribute.KEY_TYPE: KeyType.RSA,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: True,
            Attribute.SENSITIVE: True,
            Attribute.EXTRACTABLE: False,
            Attribute.SIGN: True,
            Attribute.LABEL: key_label,
            Attribute.ID: object_id,
            Attribute.SUBJECT: subject,
            Attribute.MODULUS: integer(public.n),
            Attribute.PUBLIC_EXPONENT: integer(public.e),
            Attribute.PRIVATE_EXPONENT: integer(numbers.d),
            Attribute.PRIME_1: integer(numbers.p),
            Attribute.PRIME_2: integer(numbers.q),
            Attribute.EXPONENT_1: integer(numbers.dmp1),
            Attribute.EXPONENT_2: integer(numbers.dmq1),
            Attribute.COEFFICIENT: integer(numbers.iqmp),
        }
    )
    session.create_object(
        {
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.PRIVATE: False,
            Attribute.LABEL: key_label,
            Attribute.ID: object_id,
            Attribute.SUBJECT: subject,
            Attribute.VALUE: identity.cert_der(),
        }
    )


def find_token(label):
    """The token ``label``, even if softhsm2-util made it after SoftHSM was loaded here.

    SoftHSM only scans its token folder in C_Initialize, so a token made by
    another process stays invisible until the library is re-initialised,
    which closes every PKCS#11 session open in this process.
    """
    library = pkcs11.lib(MODULE)
    try:
        return library.get_token(token_label=label)
    except pkcs11.NoSuchToken:
        library.reinitialize()
        return library.get_token(token_label=label)


def make_token(folder: Path, identity, label="dimos-test", pin="1234", key_label=None) -> Token:
    """A new SoftHSM token ``label`` holding ``identity``'s key and certificate under ``key_label``.

    ``folder`` only matters on the first call in a process (see the module
    docstring); each call needs a label not used before in this process.
    A second call closes PKCS#11 sessions that are open at the time (see
    ``find_token``), so make the tokens before opening sessions.
    """
    key_label = key_label or identity.name
    so_pin = pin + "-so"
    conf = softhsm_conf(folder)
    init_token(label, pin, so_pin)
    token = find_token(label)
    with token.open(rw=True, user_pin=pin) as session:
        import_identity(session, identity, key_label)
    return Token(module=MODULE, label=label, pin=pin, so_pin=so_pin, key_label=key_label, conf=conf)
