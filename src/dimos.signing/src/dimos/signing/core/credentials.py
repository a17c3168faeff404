"""Signing credentials: a PKCS#12 file or a key on a PKCS#11 token (USB token, HSM).

A credential is opened only to sign, with the secret the signer types at that
moment (the PKCS#12 password or the token PIN); the secret is never kept.
Opening checks the certificate (``certificates.check_can_sign``), so an
expired, not yet valid or wrongly restricted certificate is refused before
anything is signed.
"""

from asn1crypto import keys as asn1_keys
from asn1crypto import pkcs12 as asn1_pkcs12
from asn1crypto import x509 as asn1_x509
from contextlib import contextmanager
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.hazmat.primitives.serialization import NoEncryption
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.hazmat.primitives.serialization import PrivateFormat
from dataclasses import dataclass
from dimos.signing.core.certificates import check_can_sign
from dimos.signing.core.certificates import describe
from dimos.signing.core.errors import SigningError
from pyhanko.sign.signers import SimpleSigner
from pyhanko_certvalidator.registry import SimpleCertificateStore


@dataclass(frozen=True)
class Opened:
    """A credential ready to sign: pyHanko's signer and what its certificate says."""

    signer: object
    info: object  # CertificateInfo
    certificate: object  # cryptography x509.Certificate


def asn1_certificate(cert):
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def _secret(value):
    if value is None:
        return None
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def inspect_pkcs12(data, password):
    """(certificate, chain) of a PKCS#12 file; SigningError for a bad file or password."""
    data = bytes(data or b"")
    try:
        asn1_pkcs12.Pfx.load(data).native  # noqa: B018 - parses the whole structure
    except Exception:  # asn1crypto raises ValueError, TypeError, ... on garbage
        raise SigningError(
            "not-pkcs12",
            "Το αρχείο δεν είναι πιστοποιητικό PKCS#12 (.p12 / .pfx).",
            "The file is not a PKCS#12 certificate (.p12 / .pfx).",
        ) from None
    try:
        key, cert, chain = pkcs12.load_key_and_certificates(data, _secret(password))
    except ValueError:
        raise SigningError(
            "wrong-password",
            "Λάθος κωδικός για το πιστοποιητικό PKCS#12.",
            "Wrong password for the PKCS#12 certificate.",
        ) from None
    if key is None or cert is None:
        raise SigningError(
            "no-private-key",
            "Το αρχείο PKCS#12 δεν περιέχει ιδιωτικό κλειδί και πιστοποιητικό.",
            "The PKCS#12 file holds no private key with its certificate.",
        )
    return key, cert, list(chain or ())


def open_pkcs12(data, password, extra_certs=(), now=None):
    """An Opened credential from PKCS#12 bytes and their password."""
    key, cert, chain = inspect_pkcs12(data, password)
    info = describe(cert)
    check_can_sign(info, now)
    store = SimpleCertificateStore()
    store.register_multiple([asn1_certificate(c) for c in [*chain, *extra_certs]])
    signer = SimpleSigner(
        signing_key=asn1_keys.PrivateKeyInfo.load(
            key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        ),
        signing_cert=asn1_certificate(cert),
        cert_registry=store,
    )
    return Opened(signer=signer, info=info, certificate=cert)


@dataclass(frozen=True)
class TokenRef:
    """Where a signer's key lives on a PKCS#11 token (no PIN: it is typed to sign)."""

    module: str  # path of the PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
    token_label: str
    key_label: str
    cert_label: str = ""


@contextmanager
def open_pkcs11(ref, pin, extra_certs=(), now=None):
    """An Opened credential on a PKCS#11 token, for the ``with`` block's duration."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    import pkcs11

    try:
        lib = pkcs11.lib(ref.module)
    except (RuntimeError, OSError, pkcs11.PKCS11Error) as error:
        raise SigningError(
            "token-module",
            f"Δεν φορτώθηκε η βιβλιοθήκη PKCS#11 {ref.module}: {error}",
            f"The PKCS#11 library {ref.module} could not be loaded: {error}",
        ) from None
    try:
        token = lib.get_token(token_label=ref.token_label)
    except (pkcs11.NoSuchToken, pkcs11.MultipleTokensReturned):
        raise SigningError(
            "token-not-found",
            f"Δεν βρέθηκε το διακριτικό (token) «{ref.token_label}». Είναι συνδεδεμένο;",
            f"Token “{ref.token_label}” not found. Is it plugged in?",
        ) from None
    try:
        session = token.open(user_pin=pin or "")
    except (pkcs11.PinIncorrect, pkcs11.PinLenRange, pkcs11.ArgumentsBad):
        raise SigningError(
            "wrong-pin",
            "Λάθος PIN για το διακριτικό υπογραφής.",
            "Wrong PIN for the signing token.",
        ) from None
    except pkcs11.PinLocked:
        raise SigningError(
            "pin-locked",
            "Το PIN του διακριτικού έχει κλειδώσει· απευθυνθείτε στο τμήμα πληροφορικής.",
            "The token's PIN is locked; ask the IT department.",
        ) from None
    try:
        cert = _token_certificate(session, ref)
        info = describe(cert)
        check_can_sign(info, now)
        signer = PKCS11Signer(
            session,
            signing_cert=asn1_certificate(cert),
            ca_chain=[asn1_certificate(c) for c in extra_certs],
            key_label=ref.key_label,
            other_certs_to_pull=(),
            bulk_fetch=False,
        )
        yield Opened(signer=signer, info=info, certificate=cert)
    finally:
        session.close()


def _token_certificate(session, ref):
    from pkcs11 import Attribute
    from pkcs11 import ObjectClass

    import pkcs11

    label = ref.cert_label or ref.key_label
    found = list(
        session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label})
    )
    if not found:
        raise SigningError(
            "key-not-found",
            f"Το διακριτικό δεν έχει πιστοποιητικό με ετικέτα «{label}».",
            f"The token holds no certificate labelled “{label}”.",
        )
    try:
        return x509.load_der_x509_certificate(bytes(found[0][Attribute.VALUE]))
    except (ValueError, pkcs11.PKCS11Error):
        raise SigningError(
            "key-not-found",
            f"Το πιστοποιητικό «{label}» του διακριτικού δεν διαβάζεται.",
            f"The token's certificate “{label}” cannot be read.",
        ) from None
