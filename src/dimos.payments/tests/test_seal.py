"""The municipality's electronic seal on receipts, against a real test PKI on 127.0.0.1.

dimos.signing's test PKI (CAs, OCSP, CRL, RFC 3161 TSA) issues the seal's
certificate; every sealed receipt is validated with pyHanko: intact, trusted,
timestamped, and covering the whole file.
"""

from datetime import datetime
from datetime import UTC
from dimos.payments.receipts import ReceiptData
from dimos.payments.receipts import ReceiptError
from dimos.payments.receipts import ReceiptLine
from dimos.payments.seal import check_config
from dimos.payments.seal import check_seal
from dimos.payments.seal import issue_receipt
from dimos.payments.seal import ready_config
from dimos.payments.seal import SealConfig
from dimos.payments.seal import SealError
from dimos.payments.settlement.testing import seal_identity
from dimos.payments.settlement.testing import SEAL_NAME
from dimos.signing.core.credentials import TokenRef
from dimos.signing.core.verify import verify_pdf
from dimos.signing.testing import use_pki
from dimos.signing.testing_hsm import make_token
from dimos.signing.testing_pki import start_pki
from dimos.signing.testing_pki import trust
from io import BytesIO
from plone import api
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel

import dataclasses
import pytest
import subprocess


PASSWORD = "Σφραγίδα-2026"


@pytest.fixture(scope="module")
def pki():
    with start_pki() as pki:
        pki.identities["seal"] = seal_identity(pki)  # so its OCSP answers "good"
        yield pki


def write_seal(pki, folder, identity="seal", password=PASSWORD):
    """The identity's PKCS#12 file and a password file beside it, as on the server."""
    p12 = folder / f"{identity}.p12"
    p12.write_bytes(pki.identities[identity].pkcs12(password.encode(), pki.chain()))
    secret = folder / f"{identity}.password"
    secret.write_text(password + "\n", encoding="utf-8")
    return p12, secret


def config_for(pki, tmp_path, identity="seal", **changes):
    p12, secret = write_seal(pki, tmp_path, identity)
    config = SealConfig(
        tsa_url=pki.tsa_url,
        trust_roots=(pki.root.cert,),
        verify_url="https://www.dimos.example.gr/verify",
        pkcs12_path=str(p12),
        password_file=str(secret),
    )
    return dataclasses.replace(config, **changes)


def data():
    return ReceiptData(
        municipality="Δήμος Ελαιώνα",
        number="2026/000124",
        rf_code="RF18539007547034",
        paid_at=datetime(2026, 3, 2, 8, 15, tzinfo=UTC),
        channel="gateway",
        transaction_id="SBX-0043",
        payer_name="Ελένη Γεωργίου",
        payer_afm="094259216",
        debts=(ReceiptLine("Τέλη κοινόχρηστων χώρων", "Τραπεζοκαθίσματα 2026", 35000),),
        total_cents=35000,
    )


def assert_sealed_whole(pki, pdf):
    """pyHanko: one intact, valid, trusted, timestamped signature over the whole document.

    The signature covers its entire revision: the whole receipt. The one update
    after it (PAdES-B-LT) adds only validation data (the DSS: OCSP answers, CRLs).
    """
    report = verify_pdf(pdf, [pki.root.cert])
    assert report.status == "intact"
    (signature,) = report.signatures
    assert signature.signer == SEAL_NAME
    assert signature.chain == "trusted"
    assert not signature.modified_after
    assert signature.timestamp is not None  # the TSA's: PAdES-B-T at least
    reader = PdfFileReader(BytesIO(pdf))
    (embedded,) = reader.embedded_signatures
    assert embedded.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    status = validate_pdf_signature(embedded, trust(pki))
    assert status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
    assert status.modification_level == ModificationLevel.LTA_UPDATES
    assert embedded.signed_revision == reader.xrefs.total_revisions - 2
    assert "/DSS" in reader.root


def test_a_receipt_is_sealed_and_validates(pki, tmp_path):
    pdf = issue_receipt(data(), config_for(pki, tmp_path))
    assert_sealed_whole(pki, pdf)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "ΑΠΟΔΕΙΞΗ ΠΛΗΡΩΜΗΣ" in text
    assert "350,00 €" in text
    assert "Ηλεκτρονική σφραγίδα / Electronic seal" in text  # the visible stamp


def test_changing_a_sealed_receipt_shows(pki, tmp_path):
    pdf = issue_receipt(data(), config_for(pki, tmp_path))
    where = pdf.find(b"stream") + 10
    changed = pdf[:where] + bytes([pdf[where] ^ 0x01]) + pdf[where + 1 :]
    assert verify_pdf(changed, [pki.root.cert]).status == "modified"


def test_check_seal_names_the_certificate(pki, tmp_path):
    info = check_seal(config_for(pki, tmp_path))
    assert info.common_name == SEAL_NAME
    assert info.organization == "Δήμος Ελαιώνα"


def test_an_expired_seal_is_refused_clearly(pki, tmp_path):
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), config_for(pki, tmp_path, identity="expired"))
    error = raised.value
    assert error.code == "seal-expired"
    assert "έληξε" in error.message_el and "καταχωριστεί" in error.message_el
    assert "expired" in error.message_en and "payment is recorded" in error.message_en
    assert error.retryable
    assert isinstance(error, ReceiptError)


def test_a_missing_seal_file_is_refused_clearly(pki, tmp_path):
    config = config_for(pki, tmp_path, pkcs12_path=str(tmp_path / "nowhere.p12"))
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), config)
    assert raised.value.code == "seal-missing"
    assert "Λείπει η ηλεκτρονική σφραγίδα" in raised.value.message_el
    assert "nowhere.p12" in raised.value.message_en


def test_no_seal_set_up_is_refused_clearly(pki, tmp_path):
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), config_for(pki, tmp_path, pkcs12_path=""))
    assert raised.value.code == "seal-not-configured"


def test_a_wrong_or_missing_password_is_refused(pki, tmp_path, monkeypatch):
    config = config_for(pki, tmp_path)
    (tmp_path / "wrong.password").write_text("λάθος", encoding="utf-8")
    with pytest.raises(SealError) as raised:
        issue_receipt(
            data(), dataclasses.replace(config, password_file=str(tmp_path / "wrong.password"))
        )
    assert raised.value.code == "seal-wrong-password"
    monkeypatch.delenv("DIMOS_SEAL_PASSWORD", raising=False)
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), dataclasses.replace(config, password_file=""))
    assert raised.value.code == "seal-no-password"
    assert "DIMOS_SEAL_PASSWORD" in raised.value.message_en


def test_the_password_can_come_from_the_environment(pki, tmp_path, monkeypatch):
    monkeypatch.setenv("DIMOS_RECEIPT_SEAL", PASSWORD)
    config = config_for(pki, tmp_path, password_file="", password_env="DIMOS_RECEIPT_SEAL")
    assert_sealed_whole(pki, issue_receipt(data(), config))


def test_no_timestamp_authority_is_refused(pki, tmp_path):
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), config_for(pki, tmp_path, tsa_url=""))
    assert raised.value.code == "seal-no-tsa"


def test_a_receipt_can_be_issued_later_when_the_seal_is_back(pki, tmp_path):
    """The TSA down: refused, nothing kept; the same data sealed once it is back."""
    config = config_for(pki, tmp_path)
    down = dataclasses.replace(config, tsa_url="http://127.0.0.1:9/tsa")  # discard port: nothing
    with pytest.raises(SealError) as raised:
        issue_receipt(data(), down)
    assert raised.value.code.startswith("seal-")
    assert "καταχωριστεί" in raised.value.message_el
    assert_sealed_whole(pki, issue_receipt(data(), config))


def test_a_seal_on_a_pkcs11_token(pki, tmp_path):
    token = make_token(tmp_path / "hsm", pki.identities["seal"], label="dimos-seal", pin="4321")
    (tmp_path / "pin").write_text("4321", encoding="utf-8")
    config = config_for(
        pki,
        tmp_path,
        pkcs12_path="",
        password_file=str(tmp_path / "pin"),
        token=TokenRef(module=token.module, token_label=token.label, key_label=token.key_label),
    )
    assert_sealed_whole(pki, issue_receipt(data(), config))


def test_the_settings_are_checked_before_any_file_is_read(pki, tmp_path):
    config = config_for(pki, tmp_path, pkcs12_path=str(tmp_path / "nowhere.p12"))
    assert check_config(config) is config  # a seal and a TSA are named: files are read later
    missing = (({"pkcs12_path": ""}, "seal-not-configured"), ({"tsa_url": ""}, "seal-no-tsa"))
    for changes, code in missing:
        with pytest.raises(SealError) as raised:
            check_config(dataclasses.replace(config, **changes))
        assert raised.value.code == code
        assert "καταχωριστεί" in raised.value.message_el
    with pytest.raises(SealError) as raised:  # the file itself: when the seal is opened
        issue_receipt(data(), config)
    assert raised.value.code == "seal-missing"


# --- the site's settings: registry (receipts.xml) and dimos.signing's --------


def test_the_settings_are_in_the_registry(portal):
    assert api.portal.get_registry_record("dimos.payments.seal.pkcs12_path") == ""
    assert (
        api.portal.get_registry_record("dimos.payments.seal.password_env") == "DIMOS_SEAL_PASSWORD"
    )


def test_issue_receipt_reads_the_site_settings(portal, pki, tmp_path, monkeypatch):
    use_pki(pki)  # dimos.signing: the TSA and the trusted root
    p12, _secret = write_seal(pki, tmp_path)
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(p12))
    monkeypatch.setenv("DIMOS_SEAL_PASSWORD", PASSWORD)
    pdf = issue_receipt(data())
    assert_sealed_whole(pki, pdf)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert f"{portal.absolute_url()}/verify" in text  # the stamp's verification link


def test_a_site_without_a_seal_says_so(portal, pki):
    use_pki(pki)
    with pytest.raises(SealError) as raised:
        issue_receipt(data())
    assert raised.value.code == "seal-not-configured"
    with pytest.raises(SealError) as raised:
        ready_config()
    assert raised.value.code == "seal-not-configured"


def test_ready_config_is_the_site_s_seal_and_tsa(portal, pki, tmp_path):
    use_pki(pki)
    p12, _secret = write_seal(pki, tmp_path)
    api.portal.set_registry_record("dimos.payments.seal.pkcs12_path", str(p12))
    config = ready_config()
    assert (config.pkcs12_path, config.tsa_url) == (str(p12), pki.tsa_url)
    assert config.verify_url == f"{portal.absolute_url()}/verify"
