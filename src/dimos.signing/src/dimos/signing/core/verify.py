"""Verification: is the PDF as it was signed, who signed it, when, and is the chain sound?

For each signature: intact (the signed bytes hash to what was signed) and
whether anything was changed after it beyond what later signatures and
validation data add; the signer's certificate, the signing time (the TSA's
timestamp when there is one, else the time the signer's computer claimed),
and the chain's status against the municipality's trust list: trusted,
revoked, expired (today; it may have been valid when it signed), or not
verifiable (its root is not on the list). An expired certificate does not make
a signature forged: the report says both things separately.
"""

from cryptography import x509
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import datetime
from dimos.signing.core.certificates import describe
from dimos.signing.core.certificates import utcnow
from dimos.signing.core.sign import looks_like_pdf
from dimos.signing.core.sign import trust_context
from io import BytesIO
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation import validate_pdf_timestamp
from pyhanko.sign.validation.status import SignatureCoverageLevel

import hashlib
import logging


logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko.sign.validation").setLevel(logging.CRITICAL)
logging.getLogger("pyhanko.sign.validation.generic_cms").setLevel(logging.CRITICAL)

CHAIN_MESSAGES = {
    "trusted": ("Αξιόπιστη αλυσίδα πιστοποίησης.", "Trusted certificate chain."),
    "revoked": ("Το πιστοποιητικό έχει ανακληθεί.", "The certificate has been revoked."),
    "untrusted": (
        "Η αρχή πιστοποίησης δεν είναι στον κατάλογο εμπιστοσύνης του δήμου.",
        "The certification authority is not on the municipality's trust list.",
    ),
    # pyHanko does not check the certificate of a signature that does not match the bytes.
    "unchecked": (
        "Η αλυσίδα πιστοποίησης δεν ελέγχθηκε, αφού η υπογραφή δεν αντιστοιχεί στο έγγραφο.",
        "The certificate chain was not checked: the signature does not match the document.",
    ),
}


@dataclass(frozen=True)
class SignatureReport:
    field_name: str
    signer: str
    organization: str
    title: str
    intact: bool  # the signed bytes are unchanged
    valid: bool  # and the cryptographic signature matches the certificate
    modified_after: bool  # changes after this signature beyond signatures / validation data
    coverage: str  # "entire-file", "entire-revision", "partial"
    signed_at: datetime | None  # the signer's claimed time
    timestamp: datetime | None  # the TSA's time
    chain: str  # "trusted", "revoked", "untrusted", "unchecked" (the signature does not match)
    certificate_expired: bool  # today
    certificate: dict
    messages: dict = field(default_factory=dict)

    def as_dict(self):
        return {
            "field": self.field_name,
            "signer": self.signer,
            "organization": self.organization,
            "title": self.title,
            "intact": self.intact,
            "valid": self.valid,
            "modified_after": self.modified_after,
            "coverage": self.coverage,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamp": self.timestamp.isoformat() if self.timestamp else None,
            "chain": self.chain,
            "certificate_expired": self.certificate_expired,
            "certificate": self.certificate,
            "messages": self.messages,
        }


@dataclass(frozen=True)
class Report:
    status: str  # "intact", "modified", "unsigned", "not-pdf"
    sha256: str
    signatures: tuple = ()
    messages: dict = field(default_factory=dict)
    archive_timestamps: tuple = ()  # times of the intact document timestamps (PAdES-B-LTA)

    def as_dict(self):
        return {
            "status": self.status,
            "sha256": self.sha256,
            "signatures": [s.as_dict() for s in self.signatures],
            "archive_timestamps": [t.isoformat() for t in self.archive_timestamps],
            "messages": self.messages,
        }


def verify_pdf(data, trust_roots=(), fetch=False, now=None):
    """The Report for the PDF bytes ``data``."""
    data = bytes(data or b"")
    digest = hashlib.sha256(data).hexdigest()
    if not looks_like_pdf(data):
        return Report("not-pdf", digest, messages=_overall("not-pdf"))
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, IndexError):
        return Report("not-pdf", digest, messages=_overall("not-pdf"))
    signatures = [sig for sig in embedded if sig.sig_object.get("/Type") != "/DocTimeStamp"]
    if not signatures:
        return Report("unsigned", digest, messages=_overall("unsigned"))
    now = now or utcnow()
    context = trust_context(trust_roots, fetch=fetch)
    reports = tuple(_one(sig, context, now) for sig in signatures)
    stamps = [_document_timestamp(sig, context) for sig in embedded if sig not in signatures]
    whole = all(r.intact and r.valid and not r.modified_after for r in reports)
    status = "intact" if whole and None not in stamps else "modified"
    return Report(status, digest, reports, _overall(status, reports), tuple(stamps))


def _document_timestamp(embedded, context):
    """The time of an archive (document) timestamp, or None when it does not match the file."""
    try:
        status = validate_pdf_timestamp(embedded, validation_context=context)
    except Exception:  # a timestamp pyHanko cannot parse protects nothing
        return None
    return status.timestamp if status.intact and status.valid else None


def _one(embedded, context, now):
    try:
        status = validate_pdf_signature(embedded, context)
    except Exception:  # a signature pyHanko cannot even parse is not intact
        return _broken(embedded)
    cert = x509.load_der_x509_certificate(status.signing_cert.dump())
    info = describe(cert)
    level = status.modification_level
    modified_after = status.coverage != SignatureCoverageLevel.ENTIRE_FILE and (
        level is None or level > ModificationLevel.FORM_FILLING
    )
    if status.revoked:
        chain = "revoked"
    elif not (status.intact and status.valid):
        chain = "unchecked"
    elif status.trusted:
        chain = "trusted"
    else:
        chain = "untrusted"
    stamp = status.timestamp_validity
    report = SignatureReport(
        field_name=embedded.field_name,
        signer=info.common_name or info.subject,
        organization=info.organization,
        title=info.title,
        intact=bool(status.intact),
        valid=bool(status.valid),
        modified_after=modified_after,
        coverage=_coverage(status.coverage),
        signed_at=status.signer_reported_dt,
        timestamp=stamp.timestamp if stamp is not None and stamp.intact else None,
        chain=chain,
        certificate_expired=info.expired(now),
        certificate=info.as_dict(),
    )
    return _with_messages(report)


def _coverage(level):
    if level == SignatureCoverageLevel.ENTIRE_FILE:
        return "entire-file"
    if level == SignatureCoverageLevel.ENTIRE_REVISION:
        return "entire-revision"
    return "partial"


def _broken(embedded):
    try:
        cert = x509.load_der_x509_certificate(embedded.signer_cert.dump())
        info = describe(cert)
    except Exception:
        info = None
    report = SignatureReport(
        field_name=embedded.field_name,
        signer=info.common_name if info else "",
        organization=info.organization if info else "",
        title=info.title if info else "",
        intact=False,
        valid=False,
        modified_after=True,
        coverage="partial",
        signed_at=None,
        timestamp=None,
        chain="unchecked",
        certificate_expired=bool(info and info.expired()),
        certificate=info.as_dict() if info else {},
    )
    return _with_messages(report)


def _with_messages(report):
    el, en = [], []
    if not (report.intact and report.valid):
        el.append(
            "Το έγγραφο άλλαξε μετά την υπογραφή: η υπογραφή δεν αντιστοιχεί στο περιεχόμενο."
        )
        en.append("The document was changed after signing: the signature does not match it.")
    elif report.modified_after:
        el.append("Προστέθηκαν αλλαγές στο έγγραφο μετά την υπογραφή.")
        en.append("Changes were added to the document after this signature.")
    else:
        el.append("Το έγγραφο είναι όπως υπογράφηκε.")
        en.append("The document is as it was signed.")
    chain_el, chain_en = CHAIN_MESSAGES[report.chain]
    el.append(chain_el)
    en.append(chain_en)
    if report.certificate_expired:
        until = report.certificate.get("not_after", "")[:10]
        when = report.timestamp or report.signed_at
        if when is not None and when.isoformat() <= report.certificate.get("not_after", ""):
            el.append(
                f"Το πιστοποιητικό έληξε στις {until}, μετά την υπογραφή· "
                "η υπογραφή δεν είναι πλαστή, απλώς το πιστοποιητικό δεν ισχύει πια."
            )
            en.append(
                f"The certificate expired on {until}, after the signature was made; "
                "the signature is not forged, the certificate is simply no longer current."
            )
        else:
            el.append(f"Το πιστοποιητικό έχει λήξει ({until}).")
            en.append(f"The certificate has expired ({until}).")
    return replace(report, messages={"el": " ".join(el), "en": " ".join(en)})


def _overall(status, reports=()):
    if status == "not-pdf":
        return {"el": "Το αρχείο δεν είναι PDF.", "en": "The file is not a PDF."}
    if status == "unsigned":
        return {
            "el": "Το PDF δεν έχει ψηφιακή υπογραφή.",
            "en": "The PDF has no digital signature.",
        }
    names = ", ".join(r.signer for r in reports)
    if status == "intact":
        return {
            "el": f"Ακέραιο: το έγγραφο είναι όπως το υπέγραψαν {names}.",
            "en": f"Intact: the document is as {names} signed it.",
        }
    return {
        "el": "Τροποποιημένο: το έγγραφο άλλαξε μετά την υπογραφή.",
        "en": "Modified: the document was changed after it was signed.",
    }
