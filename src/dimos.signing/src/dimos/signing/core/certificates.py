"""What a certificate says, for people, and whether it may sign now.

A signing certificate must be within its validity period and allow
digitalSignature or nonRepudiation (RFC 5280 key usage). Anything else is
refused with the reason, in Greek and English.
"""

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from dataclasses import asdict
from dataclasses import dataclass
from datetime import datetime
from datetime import UTC
from dimos.signing.core.errors import SigningError


SIGNING_USAGES = ("digital_signature", "content_commitment")
USAGE_NAMES = (
    "digital_signature",
    "content_commitment",  # nonRepudiation
    "key_encipherment",
    "data_encipherment",
    "key_agreement",
    "key_cert_sign",
    "crl_sign",
)


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    common_name: str
    organization: str
    title: str
    issuer: str
    serial: str  # hex
    not_before: datetime
    not_after: datetime
    key_usage: tuple  # names from USAGE_NAMES
    fingerprint_sha256: str

    def as_dict(self):
        data = asdict(self)
        data["not_before"] = self.not_before.isoformat()
        data["not_after"] = self.not_after.isoformat()
        data["key_usage"] = list(self.key_usage)
        return data

    def expired(self, now=None):
        return (now or utcnow()) > self.not_after


def utcnow():
    return datetime.now(UTC)


def _attribute(name, oid):
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def _usages(cert):
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return ()
    found = []
    for attr in USAGE_NAMES:
        if getattr(usage, attr):
            found.append(attr)
    return tuple(found)


# Names for the attributes RFC 4514 leaves as numbers (2.5.4.12=...), as qualified certificates use them.
NAME_LABELS = {
    NameOID.TITLE: "T",
    NameOID.SERIAL_NUMBER: "serialNumber",
    NameOID.GIVEN_NAME: "GN",
    NameOID.SURNAME: "SN",
    NameOID.ORGANIZATION_IDENTIFIER: "organizationIdentifier",
    NameOID.EMAIL_ADDRESS: "E",
}


def describe(cert):
    """CertificateInfo of a cryptography ``x509.Certificate``."""
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(NAME_LABELS),
        common_name=_attribute(cert.subject, NameOID.COMMON_NAME),
        organization=_attribute(cert.subject, NameOID.ORGANIZATION_NAME),
        title=_attribute(cert.subject, NameOID.TITLE),
        issuer=_attribute(cert.issuer, NameOID.COMMON_NAME) or cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "x"),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_usage=_usages(cert),
        fingerprint_sha256=cert.fingerprint(hashes.SHA256()).hex(),
    )


def check_can_sign(info, now=None):
    """Raise SigningError unless the certificate may sign at ``now``."""
    now = now or utcnow()
    when = now.astimezone(UTC)
    if when > info.not_after:
        raise SigningError(
            "certificate-expired",
            f"Το πιστοποιητικό του/της {info.common_name} έληξε στις "
            f"{info.not_after:%d/%m/%Y}· δεν μπορεί να υπογράψει.",
            f"The certificate of {info.common_name} expired on {info.not_after:%Y-%m-%d}; "
            "it cannot sign.",
        )
    if when < info.not_before:
        raise SigningError(
            "certificate-not-yet-valid",
            f"Το πιστοποιητικό του/της {info.common_name} ισχύει από "
            f"{info.not_before:%d/%m/%Y}· δεν μπορεί να υπογράψει ακόμη.",
            f"The certificate of {info.common_name} is valid from "
            f"{info.not_before:%Y-%m-%d}; it cannot sign yet.",
        )
    if not any(usage in info.key_usage for usage in SIGNING_USAGES):
        allowed = ", ".join(info.key_usage) or "—"
        raise SigningError(
            "certificate-wrong-usage",
            f"Το πιστοποιητικό δεν επιτρέπει ψηφιακή υπογραφή (χρήσεις κλειδιού: {allowed}).",
            f"The certificate does not allow digital signatures (key usage: {allowed}).",
        )
