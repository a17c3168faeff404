"""Test helpers for receipts: the municipality's seal from dimos.signing's test PKI.

* ``seal_identity(pki)``: an organisation's seal certificate issued by the
  test PKI (add it to ``pki.identities["seal"]`` so its OCSP answers "good");
* ``use_seal(pki, folder)``: the site's settings pointed at it, as an
  administrator sets them: dimos.signing's TSA and trusted root, the PKCS#12
  file and a password file beside it (registry ``dimos.payments.seal.*``);
* ``drop_seal()``: the seal's setting emptied (receipts then stay pending);
* ``pdf_text(pdf)``: what pdftotext reads in a PDF;
* ``assert_sealed(pki, pdf)``: pyHanko finds one intact, trusted,
  timestamped PAdES seal of the municipality covering the receipt.

Nothing here commits: functional tests call ``transaction.commit()`` themselves.
"""

from cryptography import x509
from cryptography.x509.oid import NameOID
from datetime import datetime
from datetime import timedelta
from datetime import UTC

import subprocess
import tempfile


SEAL_PASSWORD = "Σφραγίδα-2026"
SEAL_NAME = "Δήμος Ελαιώνα — Σφραγίδα"  # CN: at most 64 bytes of UTF-8


def seal_identity(pki):
    """The municipality's seal certificate (an organisation, no person) from ``pki``'s CA."""
    from dimos.signing.testing_pki import issue
    from dimos.signing.testing_pki import key_usage
    from dimos.signing.testing_pki import new_key

    now = datetime.now(UTC)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Δήμος Ελαιώνα"),
            x509.NameAttribute(NameOID.COMMON_NAME, SEAL_NAME),
        ]
    )
    return issue(
        "seal",
        subject,
        new_key(),
        pki.intermediate,
        pki.base_url,
        key_usage(digital_signature=True, content_commitment=True),
        now - timedelta(days=10),
        now + timedelta(days=700),
    )


def use_seal(pki, folder, identity="seal"):
    """Point the current site's seal at ``pki.identities[identity]``; the PKCS#12 file's path."""
    from dimos.signing.testing import use_pki
    from plone import api

    use_pki(pki)
    p12 = folder / f"{identity}.p12"
    p12.write_bytes(pki.identities[identity].pkcs12(SEAL_PASSWORD.encode(), pki.chain()))
    secret = folder / f"{identity}.password"
    secret.write_text(SEAL_PASSWORD + "\n", encoding="utf-8")
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(p12))
    api.portal.set_registry_record("dimos.payments.seal.password_file", str(secret))
    return p12


def drop_seal():
    """No seal set up on the current site: receipts can be numbered, not sealed."""
    from plone import api

    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", "")


def pdf_text(pdf):
    """The text of ``pdf`` (bytes) as poppler's pdftotext reads it."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        done = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", file.name, "-"], capture_output=True, check=True
        )
    return done.stdout.decode("utf-8")


def assert_sealed(pki, pdf):
    """Fail unless ``pdf`` carries one intact, trusted, timestamped seal over its whole revision."""
    from dimos.signing.core.verify import verify_pdf
    from dimos.signing.testing_pki import trust
    from io import BytesIO
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    report = verify_pdf(pdf, [pki.root.cert])
    assert report.status == "intact", report.status
    (signature,) = report.signatures
    assert signature.signer == SEAL_NAME and signature.chain == "trusted", signature
    assert signature.timestamp is not None, "no timestamp"
    (embedded,) = PdfFileReader(BytesIO(pdf)).embedded_signatures
    status = validate_pdf_signature(embedded, trust(pki))
    assert status.intact and status.valid and status.trusted, status
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION, status.coverage
