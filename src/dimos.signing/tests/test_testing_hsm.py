"""A SoftHSM token made by testing_hsm signs PDFs through pyHanko's PKCS#11 signer."""

from asn1crypto import x509 as asn1_x509
from dimos.signing.testing_hsm import make_token
from dimos.signing.testing_pki import sign_blank
from dimos.signing.testing_pki import validate_first
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.sign.pkcs11 import open_pkcs11_session
from pyhanko.sign.pkcs11 import PKCS11Signer

import os
import pytest


@pytest.fixture(scope="module")
def token(pki, tmp_path_factory):
    return make_token(tmp_path_factory.mktemp("softhsm"), pki.identities["mayor"])


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
        signed = sign_blank(pki, signer)
    finally:
        session.close()
    status = validate_first(pki, signed)
    assert status.intact
    assert status.valid
    assert status.trusted
