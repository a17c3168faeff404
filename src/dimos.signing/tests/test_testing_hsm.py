"""A SoftHSM token made by testing_hsm signs PDFs through pyHanko's PKCS#11 signer."""

from asn1crypto import x509 as asn1_x509
from dimos.signing.testing_hsm import make_token
from dimos.signing.testing_pki import start_pki
from io import BytesIO
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PdfFileWriter
from pyhanko.sign import fields
from pyhanko.sign import signers
from pyhanko.sign.pkcs11 import open_pkcs11_session
from pyhanko.sign.pkcs11 import PKCS11Signer
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

import os
import pytest


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        yield pki


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    return make_token(tmp_path_factory.mktemp("softhsm"), pki.identities["mayor"])


def blank_pdf() -> bytes:
    writer = PdfFileWriter()
    writer.insert_page(
        generic.DictionaryObject(
            {
                generic.pdf_name("/Type"): generic.pdf_name("/Page"),
                generic.pdf_name("/MediaBox"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (0, 0, 595, 842)]
                ),
                generic.pdf_name("/Resources"): generic.DictionaryObject(),
            }
        )
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def trust(pki, **options) -> ValidationContext:
    """Trust only the test root: without trust_roots certvalidator reaches for oscrypto."""
    root = asn1_x509.Certificate.load(pki.root.cert_der())
    return ValidationContext(trust_roots=[root], allow_fetching=True, **options)


def open_session(token):
    return open_pkcs11_session(
        token.module, token_criteria=TokenCriteria(label=token.label), user_pin=token.pin
    )


def test_token_holds_the_certificate(pki, token):
    assert os.environ["SOFTHSM2_CONF"] == str(token.conf)
    session = open_session(token)
    try:
        signer = PKCS11Signer(session, cert_label=token.key_label, key_label=token.key_label)
        assert signer.signing_cert.dump() == pki.identities["mayor"].cert_der()
    finally:
        session.close()


def test_second_token_goes_in_the_same_store(pki, token, tmp_path_factory):
    other = make_token(
        tmp_path_factory.mktemp("ignored"), pki.identities["secretary"], label="dimos-second"
    )
    assert other.conf == token.conf
    session = open_session(other)
    try:
        signer = PKCS11Signer(session, cert_label=other.key_label, key_label=other.key_label)
        assert signer.signing_cert.dump() == pki.identities["secretary"].cert_der()
    finally:
        session.close()


def test_pkcs11_signature_validates(pki, token):
    session = open_session(token)
    try:
        signer = PKCS11Signer(
            session,
            cert_label=token.key_label,
            key_label=token.key_label,
            ca_chain=[
                asn1_x509.Certificate.load(pki.intermediate.cert_der()),
                asn1_x509.Certificate.load(pki.root.cert_der()),
            ],
        )
        meta = signers.PdfSignatureMetadata(
            field_name="Sig1",
            embed_validation_info=True,
            validation_context=trust(pki, revocation_mode="hard-fail"),
            subfilter=fields.SigSeedSubFilter.PADES,
        )
        out = signers.sign_pdf(
            IncrementalPdfFileWriter(BytesIO(blank_pdf())),
            meta,
            signer=signer,
            timestamper=HTTPTimeStamper(pki.tsa_url),
        )
    finally:
        session.close()
    reader = PdfFileReader(BytesIO(out.getvalue()))
    status = validate_pdf_signature(reader.embedded_signatures[0], trust(pki))
    assert status.intact
    assert status.valid
    assert status.trusted
