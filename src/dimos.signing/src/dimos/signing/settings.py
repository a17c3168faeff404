"""The signing settings as plain values: TSA, trusted certificates, public address."""

from cryptography import x509
from dataclasses import dataclass
from dimos.signing.core.errors import SigningError
from dimos.signing.interfaces import ISigningSettings
from plone import api
from plone.registry.interfaces import IRegistry
from zope.component import getUtility

import re


PREFIX = "dimos.signing"
PEM_BLOCK = re.compile(rb"-----BEGIN CERTIFICATE-----\s.+?-----END CERTIFICATE-----", re.DOTALL)


@dataclass(frozen=True)
class Settings:
    tsa_url: str
    trust_roots: tuple  # cryptography x509.Certificate
    public_url: str
    fetch_revocation: bool
    lta: bool


def parse_certificates(text):
    """The certificates of a PEM bundle; SigningError naming the block that is not one."""
    data = (text or "").encode("ascii", "replace") if isinstance(text, str) else text or b""
    blocks = PEM_BLOCK.findall(data)
    if data.strip() and not blocks:
        raise SigningError(
            "bad-pem",
            "Δεν βρέθηκε πιστοποιητικό PEM (-----BEGIN CERTIFICATE-----).",
            "No PEM certificate found (-----BEGIN CERTIFICATE-----).",
        )
    certificates = []
    for number, block in enumerate(blocks, 1):
        try:
            certificates.append(x509.load_pem_x509_certificate(block))
        except ValueError:
            raise SigningError(
                "bad-pem",
                f"Το πιστοποιητικό αρ. {number} του καταλόγου εμπιστοσύνης είναι κατεστραμμένο.",
                f"Certificate no. {number} of the trust list is damaged.",
            ) from None
    return tuple(certificates)


def signing_settings():
    record = getUtility(IRegistry).forInterface(ISigningSettings, prefix=PREFIX, check=False)
    public_url = (record.public_url or "").rstrip("/") or api.portal.get().absolute_url()
    return Settings(
        tsa_url=record.tsa_url or "",
        trust_roots=parse_certificates(record.trust_roots or ""),
        public_url=public_url,
        fetch_revocation=bool(record.fetch_revocation),
        lta=bool(record.lta),
    )


def store_settings(**values):
    """Change settings (tests, set-up scripts); the trust list is checked first."""
    if "trust_roots" in values:
        parse_certificates(values["trust_roots"])
    record = getUtility(IRegistry).forInterface(ISigningSettings, prefix=PREFIX, check=False)
    for name, value in values.items():
        setattr(record, name, value)
