"""The throw-away PKI answers like a real one: OCSP, CRLs, timestamps, and pyHanko trusts it."""

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import serialization
from cryptography.x509 import ocsp
from dimos.signing.testing_pki import sign_blank
from dimos.signing.testing_pki import validate_first
from io import BytesIO
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import DocumentSecurityStore
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator.errors import InvalidCertificateError

import asyncio
import base64
import hashlib
import pytest
import urllib.error
import urllib.request


PASSWORD = b"secret"


def http(url, body=None, content_type=None):
    """(status, body) of a GET, or of a POST when there is a body."""
    request = urllib.request.Request(url, data=body)
    if content_type:
        request.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def ocsp_status(pki, name):
    cert = pki.identities[name].cert
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(cert, pki.intermediate.cert, hashes.SHA1())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    status, body = http(pki.base_url + "/ocsp", request, "application/ocsp-request")
    assert status == 200
    response = ocsp.load_der_ocsp_response(body)
    assert response.response_status == ocsp.OCSPResponseStatus.SUCCESSFUL
    assert response.serial_number == cert.serial_number
    return response


def pkcs12_signer(pki, name):
    identity = pki.identities[name]
    return signers.SimpleSigner.load_pkcs12_data(
        identity.pkcs12(PASSWORD, chain=pki.chain()), other_certs=(), passphrase=PASSWORD
    )


def test_ocsp_says_good_for_a_valid_signer(pki):
    assert ocsp_status(pki, "secretary").certificate_status == ocsp.OCSPCertStatus.GOOD


def test_ocsp_says_revoked_for_the_revoked_signer(pki):
    response = ocsp_status(pki, "revoked")
    assert response.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert response.revocation_reason == x509.ReasonFlags.key_compromise


def test_ocsp_get_form_works_too(pki):
    request = (
        ocsp.OCSPRequestBuilder()
        .add_certificate(pki.identities["mayor"].cert, pki.intermediate.cert, hashes.SHA1())
        .build()
        .public_bytes(serialization.Encoding.DER)
    )
    status, body = http(pki.base_url + "/ocsp/" + base64.b64encode(request).decode())
    assert status == 200
    assert ocsp.load_der_ocsp_response(body).certificate_status == ocsp.OCSPCertStatus.GOOD


def test_crl_lists_the_revoked_signer_only(pki):
    status, body = http(pki.base_url + "/intermediate.crl")
    assert status == 200
    crl = x509.load_der_x509_crl(body)
    assert crl.is_signature_valid(pki.intermediate.cert.public_key())
    revoked = {entry.serial_number for entry in crl}
    assert pki.identities["revoked"].cert.serial_number in revoked
    assert pki.identities["secretary"].cert.serial_number not in revoked


def test_ca_certificates_are_served(pki):
    assert http(pki.base_url + "/root.cer") == (200, pki.root.cert_der())
    assert http(pki.base_url + "/intermediate.cer") == (200, pki.intermediate.cert_der())
    assert http(pki.base_url + "/nothing-here")[0] == 404


def test_tsa_grants_a_token_for_the_digest(pki):
    digest = hashlib.sha256(b"decision 42").digest()
    token = asyncio.run(HTTPTimeStamper(pki.tsa_url).async_timestamp(digest, "sha256"))
    tst_info = token["content"]["encap_content_info"]["content"].parsed
    assert tst_info["message_imprint"]["hashed_message"].native == digest


def test_tsa_rejects_garbage(pki):
    status, _ = http(pki.tsa_url, b"not a request", "application/timestamp-query")
    assert status == 400


def test_pkcs12_signature_validates_with_revocation_info(pki):
    status = validate_first(pki, sign_blank(pki, pkcs12_signer(pki, "secretary")))
    assert status.intact
    assert status.valid
    assert status.trusted
    assert status.timestamp_validity is not None
    assert status.timestamp_validity.trusted


def test_embedded_revocation_info_suffices_offline(pki):
    """The DSS holds the OCSP answers for signer, issuing CA and TSA: no fetching needed."""
    reader = PdfFileReader(BytesIO(sign_blank(pki, pkcs12_signer(pki, "mayor"))))
    root = asn1_x509.Certificate.load(pki.root.cert_der())
    context = DocumentSecurityStore.read_dss(reader).as_validation_context(
        {"trust_roots": [root], "allow_fetching": False, "revocation_mode": "hard-fail"}
    )
    status = validate_pdf_signature(reader.embedded_signatures[0], context)
    assert status.intact and status.valid and status.trusted


@pytest.mark.parametrize("name", ["revoked", "expired", "not-yet-valid", "wrong-usage"])
def test_bad_identities_cannot_sign(pki, name):
    with pytest.raises((SigningError, InvalidCertificateError)):
        sign_blank(pki, pkcs12_signer(pki, name))
