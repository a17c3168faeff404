"""Signing for real: a test PKI with OCSP, CRL and a TSA on 127.0.0.1, PKCS#12 and SoftHSM2.

Every signed PDF is checked twice: by our verifier (pyHanko against the test
root) and by poppler's pdfsig against an NSS database that trusts the root.
"""

from dimos.signing.core.credentials import open_pkcs11
from dimos.signing.core.credentials import open_pkcs12
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.errors import SigningError
from dimos.signing.core.sign import sign_pdf
from dimos.signing.core.sign import Stamp
from dimos.signing.core.verify import verify_pdf
from dimos.signing.testing_hsm import make_token
from io import BytesIO
from PIL import Image

import pytest
import subprocess


PASSWORD = "Κωδικός-2026"
URL = "https://dimos.example.gr/@@verify/abc123"


def pdfsig(nssdir, path):
    done = subprocess.run(
        ["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)], capture_output=True, text=True
    )
    return done.stdout


def a_pdf(pages=1):
    images = [Image.new("L", (595, 842), 255) for _ in range(pages)]
    out = BytesIO()
    images[0].save(out, "PDF", resolution=72, save_all=True, append_images=images[1:])
    return out.getvalue()


def credential(pki, name, password=PASSWORD):
    identity = pki.identities[name]
    return open_pkcs12(identity.pkcs12(PASSWORD.encode(), chain=pki.chain()), password)


def stamp_for(opened):
    return Stamp(name=opened.info.common_name, role=opened.info.title, url=URL)


def sign(pki, data, name="secretary"):
    opened = credential(pki, name)
    return sign_pdf(data, opened, stamp_for(opened), pki.tsa_url, [pki.root.cert])


def test_signed_pdf_is_valid_for_pyhanko_and_pdfsig(pki, nssdir, tmp_path):
    signed = sign(pki, a_pdf())
    assert signed.level == "PAdES-B-LT"  # OCSP answered: the revocation data is embedded
    report = verify_pdf(signed.pdf, [pki.root.cert])
    assert report.status == "intact"
    (signature,) = report.signatures
    assert signature.signer == "Μαρία Παπαδοπούλου"
    assert signature.title == "Γενική Γραμματέας"
    assert signature.chain == "trusted"
    assert signature.timestamp is not None  # the TSA's time: PAdES-B-T
    assert not signature.certificate_expired
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed.pdf)
    said = pdfsig(nssdir, path)
    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate is Trusted." in said


def test_one_changed_byte_is_modified_for_both(pki, nssdir, tmp_path):
    signed = sign(pki, a_pdf()).pdf
    where = signed.find(b"stream") + 10  # inside the page's content, which is signed
    changed = signed[:where] + bytes([signed[where] ^ 0x01]) + signed[where + 1 :]
    report = verify_pdf(changed, [pki.root.cert])
    assert report.status == "modified"
    assert not report.signatures[0].intact
    path = tmp_path / "changed.pdf"
    path.write_bytes(changed)
    said = pdfsig(nssdir, path)
    assert "Signature is Valid." not in said
    assert "Digest Mismatch" in said or "Signature is Invalid" in said


def test_two_signers_in_order_both_stay_valid(pki, nssdir, tmp_path):
    first = sign(pki, a_pdf(2), "secretary")
    second = sign(pki, first.pdf, "mayor")
    assert (first.field_name, second.field_name) == ("Signature1", "Signature2")
    assert second.pdf.startswith(first.pdf)  # an incremental update: nothing rewritten
    report = verify_pdf(second.pdf, [pki.root.cert])
    assert report.status == "intact"
    assert [s.signer for s in report.signatures] == ["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου"]
    assert all(s.intact and s.valid and s.chain == "trusted" for s in report.signatures)
    path = tmp_path / "both.pdf"
    path.write_bytes(second.pdf)
    assert pdfsig(nssdir, path).count("Signature is Valid.") == 2


@pytest.mark.parametrize(
    "name, code",
    [
        ("expired", "certificate-expired"),
        ("not-yet-valid", "certificate-not-yet-valid"),
        ("wrong-usage", "certificate-wrong-usage"),
    ],
)
def test_unusable_certificates_are_refused_when_opened(pki, name, code):
    with pytest.raises(SigningError) as refused:
        credential(pki, name)
    assert refused.value.code == code
    assert refused.value.message_el and refused.value.message_en


def test_revoked_certificate_is_refused_and_nothing_is_signed(pki):
    data = a_pdf()
    opened = credential(pki, "revoked")  # its dates are fine: only the CA knows
    with pytest.raises(SigningError) as refused:
        sign_pdf(data, opened, stamp_for(opened), pki.tsa_url, [pki.root.cert])
    assert refused.value.code == "certificate-revoked"
    assert "ανακληθεί" in refused.value.message_el


def test_wrong_password_and_not_a_certificate(pki):
    with pytest.raises(SigningError) as wrong:
        credential(pki, "secretary", password="λάθος")
    assert wrong.value.code == "wrong-password"
    with pytest.raises(SigningError) as garbage:
        open_pkcs12(b"not a certificate at all", PASSWORD)
    assert garbage.value.code == "not-pkcs12"


def test_not_a_pdf_is_refused(pki):
    opened = credential(pki, "secretary")
    for data, code in ((b"GIF89a", "not-pdf"), (b"%PDF-1.7\nbroken", "broken-pdf")):
        with pytest.raises(SigningError) as refused:
            sign_pdf(data, opened, stamp_for(opened), pki.tsa_url, [pki.root.cert])
        assert refused.value.code == code


def test_softhsm_token_signs_and_a_wrong_pin_is_refused(pki, nssdir, tmp_path):
    token = make_token(tmp_path / "hsm", pki.identities["mayor"], label="mayor-token")
    ref = TokenRef(module=token.module, token_label=token.label, key_label=token.key_label)
    with open_pkcs11(ref, token.pin, extra_certs=pki.chain()) as opened:
        signed = sign_pdf(a_pdf(), opened, stamp_for(opened), pki.tsa_url, [pki.root.cert])
    report = verify_pdf(signed.pdf, [pki.root.cert])
    assert report.status == "intact"
    assert report.signatures[0].signer == "Γιώργος Νικολάου"
    path = tmp_path / "token.pdf"
    path.write_bytes(signed.pdf)
    assert "Signature is Valid." in pdfsig(nssdir, path)
    with pytest.raises(SigningError) as wrong:
        with open_pkcs11(ref, "0000"):
            pass
    assert wrong.value.code == "wrong-pin"
