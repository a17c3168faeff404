"""The municipality's electronic seal on payment receipts: PAdES, server-side, unattended.

``issue_receipt(data)`` draws the receipt (``receipts.render_receipt``) and
seals it with ``dimos.signing.core.sign.sign_pdf``: a PAdES signature with the
TSA's timestamp and a visible stamp on the last page. No one types a secret:
the seal is a PKCS#12 file whose password is read from a file or an
environment variable, or a key on a PKCS#11 token (HSM) whose PIN is read the
same way. Secrets never go into the registry.

Settings (registry, prefix ``dimos.payments.seal``, ``ISealSettings``): where
the seal is and where its secret is. The TSA, the trusted certificates and the
public address for the stamp's verification link are dimos.signing's settings.

Issuing a receipt stores nothing and changes nothing, so it can be retried:
when the seal is missing, expired or the TSA is down, ``SealError`` says why
in Greek and English; the payment stays recorded by the ledger, which calls
``issue_receipt`` again with the same data (same receipt number) later.

Nothing is drawn for a seal that cannot seal: ``ready_config()`` (the site's
settings, checked without reading a file: a seal and a TSA are set) is what
the payment's transaction asks, and ``issue_receipt`` opens the seal (its
file, its secret, its dates) before it draws the receipt.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from dimos.payments import _
from dimos.payments import logger
from dimos.payments.receipts import ATHENS
from dimos.payments.receipts import ReceiptError
from dimos.payments.receipts import render_receipt
from dimos.signing.core.certificates import describe
from dimos.signing.core.certificates import utcnow
from dimos.signing.core.credentials import inspect_pkcs12
from dimos.signing.core.credentials import open_pkcs11
from dimos.signing.core.credentials import open_pkcs12
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.errors import SigningError
from dimos.signing.core.sign import sign_pdf
from dimos.signing.core.sign import Stamp
from pathlib import Path
from zope import schema
from zope.interface import Interface

import os


PREFIX = "dimos.payments.seal"
PASSWORD_ENV = "DIMOS_SEAL_PASSWORD"
SEAL_ROLE = "Ηλεκτρονική σφραγίδα / Electronic seal"
WARN_BEFORE = timedelta(days=30)
LATER_EL = "Η πληρωμή έχει καταχωριστεί· η απόδειξη θα εκδοθεί μόλις διορθωθεί αυτό."
LATER_EN = "The payment is recorded; the receipt will be issued once this is fixed."


class ISealSettings(Interface):
    """Where the municipality's electronic seal is (registry prefix ``dimos.payments.seal``)."""

    pkcs12_path = schema.TextLine(
        title=_("Seal: PKCS#12 file (.p12 / .pfx) on the server"),
        required=False,
        default="",
    )
    password_file = schema.TextLine(
        title=_("Seal: file holding the PKCS#12 password or the token PIN"),
        description=_("Readable only by the Zope user. Empty: the environment variable below."),
        required=False,
        default="",
    )
    password_env = schema.ASCIILine(
        title=_("Seal: environment variable holding the password or PIN"),
        required=False,
        default=PASSWORD_ENV,
    )
    pkcs11_module = schema.TextLine(
        title=_("Seal on a token: PKCS#11 library"),
        description=_("Set to use a token (HSM) instead of the PKCS#12 file."),
        required=False,
        default="",
    )
    pkcs11_token_label = schema.TextLine(title=_("Seal on a token: token label"), required=False)
    pkcs11_key_label = schema.TextLine(title=_("Seal on a token: key label"), required=False)
    stamp_name = schema.TextLine(
        title=_("Name on the seal's stamp"),
        description=_("Empty: the organisation named in the seal's certificate."),
        required=False,
        default="",
    )


class SealError(ReceiptError):
    """The receipt could not be sealed now; the payment stands and the receipt can follow."""

    code = "seal"
    retryable = True


@dataclass(frozen=True)
class SealConfig:
    """Where the seal and its secret are, and the signing settings it signs with."""

    tsa_url: str
    trust_roots: tuple  # cryptography certificates: the chain is validated against them
    verify_url: str  # printed in the stamp's QR code
    pkcs12_path: str = ""
    password_file: str = ""
    password_env: str = PASSWORD_ENV
    token: TokenRef | None = None
    stamp_name: str = ""
    lta: bool = False


def _fail(code, message_el, message_en):
    raise SealError(f"{message_el} {LATER_EL}", f"{message_en} {LATER_EN}", code=code)


def seal_config():
    """The SealConfig of the current site: its registry and dimos.signing's settings."""
    from dimos.signing.settings import signing_settings
    from plone.registry.interfaces import IRegistry
    from zope.component import getUtility

    record = getUtility(IRegistry).forInterface(ISealSettings, prefix=PREFIX, check=False)
    try:
        settings = signing_settings()
    except SigningError as error:
        _fail("seal-settings", error.message_el, error.message_en)
    token = None
    if (record.pkcs11_module or "").strip():
        token = TokenRef(
            module=record.pkcs11_module.strip(),
            token_label=record.pkcs11_token_label or "",
            key_label=record.pkcs11_key_label or "",
        )
    return SealConfig(
        tsa_url=settings.tsa_url,
        trust_roots=settings.trust_roots,
        verify_url=f"{settings.public_url}/verify",
        pkcs12_path=(record.pkcs12_path or "").strip(),
        password_file=(record.password_file or "").strip(),
        password_env=(record.password_env or PASSWORD_ENV).strip(),
        token=token,
        stamp_name=record.stamp_name or "",
        lta=settings.lta,
    )


def _secret(config):
    """The password or PIN, from the file or the environment; SealError when neither has it."""
    if config.password_file:
        try:
            secret = Path(config.password_file).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as error:
            _fail(
                "seal-no-password",
                f"Δεν διαβάζεται το αρχείο κωδικού της σφραγίδας {config.password_file} "
                f"({error.strerror}).",
                f"The seal's password file {config.password_file} cannot be read "
                f"({error.strerror}).",
            )
    else:
        secret = os.environ.get(config.password_env or PASSWORD_ENV, "")
    if not secret:
        _fail(
            "seal-no-password",
            "Δεν έχει οριστεί ο κωδικός της ηλεκτρονικής σφραγίδας (αρχείο ή μεταβλητή "
            f"περιβάλλοντος {config.password_env}).",
            "The electronic seal's password is not set (a file, or the environment "
            f"variable {config.password_env}).",
        )
    return secret


def _not_configured():
    _fail(
        "seal-not-configured",
        "Δεν έχει οριστεί η ηλεκτρονική σφραγίδα του Δήμου για τις αποδείξεις.",
        "The municipality's electronic seal for receipts is not set up.",
    )


def _pkcs12_bytes(config):
    if not config.pkcs12_path:
        _not_configured()
    try:
        return Path(config.pkcs12_path).read_bytes()
    except OSError as error:
        _fail(
            "seal-missing",
            f"Λείπει η ηλεκτρονική σφραγίδα του Δήμου: το αρχείο {config.pkcs12_path} "
            f"δεν διαβάζεται ({error.strerror}).",
            f"The municipality's electronic seal is missing: the file {config.pkcs12_path} "
            f"cannot be read ({error.strerror}).",
        )


def _check_dates(info, now):
    now = now or utcnow()
    if info.expired(now):
        _fail(
            "seal-expired",
            f"Η ηλεκτρονική σφραγίδα του Δήμου ({info.common_name}) έληξε στις "
            f"{info.not_after:%d/%m/%Y}· χρειάζεται ανανέωση.",
            f"The municipality's electronic seal ({info.common_name}) expired on "
            f"{info.not_after:%Y-%m-%d}; it must be renewed.",
        )
    if info.not_after - now < WARN_BEFORE:
        logger.warning(
            "The electronic seal %s expires on %s: renew it.", info.common_name, info.not_after
        )


def _from_signing(error):
    """Our SealError for a refusal of dimos.signing's core."""
    names = {
        "wrong-password": "seal-wrong-password",
        "wrong-pin": "seal-wrong-password",
        "certificate-expired": "seal-expired",
    }
    code = names.get(error.code, f"seal-{error.code}")
    return SealError(
        f"Η ηλεκτρονική σφραγίδα του Δήμου δεν σφράγισε την απόδειξη: {error.message_el} "
        f"{LATER_EL}",
        f"The municipality's electronic seal did not seal the receipt: {error.message_en} "
        f"{LATER_EN}",
        code=code,
    )


@contextmanager
def opened_seal(config, now=None):
    """The seal opened for signing (dimos.signing's Opened), for a ``with`` block."""
    data = _pkcs12_bytes(config) if config.token is None else None
    secret = _secret(config)
    try:
        if config.token is not None:
            with open_pkcs11(config.token, secret, config.trust_roots, now) as opened:
                _check_dates(opened.info, now)
                yield opened
            return
        yield _open_pkcs12(data, secret, config, now)
    except SigningError as error:
        raise _from_signing(error) from None


def _open_pkcs12(data, secret, config, now):
    """The seal's PKCS#12 file opened: decrypted once (it is slow by design), dates checked."""
    try:
        opened = open_pkcs12(data, secret, config.trust_roots, now)
    except SigningError as error:
        if error.code == "certificate-expired":  # said as the seal's expiry, with what to do
            _check_dates(describe(inspect_pkcs12(data, secret)[1]), now)
        raise
    _check_dates(opened.info, now)  # warns when it expires soon
    return opened


def check_seal(config=None, now=None):
    """The seal's CertificateInfo when it can seal now; SealError saying why not."""
    with opened_seal(config or seal_config(), now) as opened:
        return opened.info


def check_config(config):
    """SealError unless ``config`` names a seal and a TSA; reads no file, asks no server."""
    if not config.pkcs12_path and config.token is None:
        _not_configured()
    if not config.tsa_url:
        _fail(
            "seal-no-tsa",
            "Δεν έχει οριστεί υπηρεσία χρονοσήμανσης (TSA) στις ρυθμίσεις υπογραφών.",
            "No timestamp authority (TSA) is set in the signing settings.",
        )
    return config


def ready_config():
    """The site's SealConfig when a seal and a TSA are set up; SealError saying what is missing.

    Cheap (the registry only): the payment's transaction asks it, so that a
    receipt that cannot be sealed is not drawn.
    """
    return check_config(seal_config())


def _sign(pdf, opened, config, now):
    info = opened.info
    stamp = Stamp(
        name=config.stamp_name or info.organization or info.common_name,
        role=SEAL_ROLE,
        url=config.verify_url,
    )
    try:
        when = (now or utcnow()).astimezone(ATHENS)  # the stamp shows Athens time
        return sign_pdf(
            pdf, opened, stamp, config.tsa_url, config.trust_roots, when=when, lta=config.lta
        )
    except SigningError as error:
        raise _from_signing(error) from None


def seal_pdf(pdf, config=None, now=None):
    """``pdf`` sealed (dimos.signing's Signed); SealError when it cannot be, nothing kept."""
    config = check_config(config or seal_config())
    with opened_seal(config, now) as opened:
        return _sign(pdf, opened, config, now)


def issue_receipt(data, config=None, now=None):
    """The receipt ``data`` (a receipts.ReceiptData) as a sealed PDF's bytes.

    The seal is checked and opened first: a receipt is drawn only when it can
    be sealed. Raises ReceiptError for wrong data, SealError (a ReceiptError)
    when the seal cannot seal now: the caller keeps the payment and retries later.
    """
    config = check_config(config or seal_config())
    with opened_seal(config, now) as opened:
        signed = _sign(render_receipt(data), opened, config, now)
    logger.info("Receipt %s sealed (%s)", data.number, signed.level)
    return signed.pdf
