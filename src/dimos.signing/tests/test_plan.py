"""Signature requests on the site: signers in order, refusals that change nothing."""

from dimos.signing.core.errors import SigningError
from dimos.signing.core.verify import verify_pdf
from dimos.signing.plan import documents_to_sign
from dimos.signing.plan import plan_of
from dimos.signing.plan import request_signatures
from dimos.signing.plan import sign_document
from dimos.signing.testing import PASSWORD
from dimos.signing.testing import permit as make_permit
from dimos.signing.testing import register_signer
from dimos.signing.testing import secretary_and_mayor
from dimos.signing.testing import use_pki
from dimos.signing.testing_pki import blank_pdf
from plone import api

import hashlib
import pytest


@pytest.fixture
def site(integration, pki):
    portal = integration["portal"]
    use_pki(pki)
    secretary_and_mayor(pki)
    permit = make_permit(portal)
    return portal, permit


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_secretary_then_mayor_both_valid_and_the_permit_gets_the_signed_pdf(site, pki):
    portal, permit = site
    document = request_signatures(
        "Άδεια 12/2026",
        blank_pdf(),
        "adeia-12-2026.pdf",
        [("secretary", None), ("mayor", None)],
        record=permit,
        actor="clerk",
    )
    assert [b.UID for b in documents_to_sign("secretary")] == [document.UID()]
    assert list(documents_to_sign("mayor")) == []
    relations = api.relation.get(target=permit, relationship="record", unrestricted=True)
    assert [r.from_object for r in relations] == [document]
    assert api.content.find(UID=document.UID(), exclude_from_nav=True, unrestricted=True)
    with pytest.raises(SigningError) as refused:
        sign_document(document, "mayor", PASSWORD)
    assert refused.value.code == "not-your-turn"

    sign_document(document, "secretary", PASSWORD)
    assert list(documents_to_sign("secretary")) == []
    assert [b.UID for b in documents_to_sign("mayor")] == [document.UID()]
    assert permit.signed_pdf is None
    sign_document(document, "mayor", PASSWORD)

    assert plan_of(document).status == "signed"
    assert list(documents_to_sign("mayor")) == []
    report = verify_pdf(document.file.data, [pki.root.cert])
    assert report.status == "intact"
    assert [s.signer for s in report.signatures] == ["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου"]
    assert all(s.valid and s.intact and s.chain == "trusted" for s in report.signatures)
    assert [s["role"] for s in document.signers] == ["Γενική Γραμματέας", "Δήμαρχος"]
    # The time kept is the TSA's, as the signatures' timestamps say.
    assert [s["timestamp"] for s in document.signers] == [
        s.timestamp.isoformat() for s in report.signatures
    ]
    assert permit.signed_pdf.data == document.file.data


@pytest.mark.parametrize(
    "identity, password, code",
    [
        ("secretary", "wrong", "wrong-password"),
        ("revoked", PASSWORD, "certificate-revoked"),
    ],
)
def test_a_refused_signature_changes_nothing(site, pki, identity, password, code):
    portal, permit = site
    register_signer(pki, "clerk2", identity, "Προϊστάμενος")
    document = request_signatures(
        "Βεβαίωση", blank_pdf(), "b.pdf", [("clerk2", None)], record=permit
    )
    before = sha(document.file.data)
    with pytest.raises(SigningError) as refused:
        sign_document(document, "clerk2", password)
    assert refused.value.code == code
    assert sha(document.file.data) == before
    assert document.signers == []
    assert plan_of(document).awaiting() == "clerk2"
    assert permit.signed_pdf is None


def test_a_file_that_is_not_a_pdf_is_refused_before_any_request(site):
    with pytest.raises(SigningError) as refused:
        request_signatures("x", b"GIF89a", "x.pdf", [("secretary", None)])
    assert refused.value.code == "not-pdf"
    assert "signed-documents" not in site[0] or not site[0]["signed-documents"].objectIds()


def test_a_softhsm_token_signs_and_a_wrong_pin_is_refused(site, pki, tmp_path):
    portal, permit = site
    from dimos.signing.testing import register_token_signer

    register_token_signer(pki, tmp_path, "deputy", "mayor", "Αντιδήμαρχος", "plan-token")
    document = request_signatures("Άδεια", blank_pdf(), "a.pdf", [("deputy", None)])
    with pytest.raises(SigningError) as refused:
        sign_document(document, "deputy", "0000")
    assert refused.value.code == "wrong-pin"
    assert document.signers == []
    sign_document(document, "deputy", "1234")
    assert verify_pdf(document.file.data, [pki.root.cert]).status == "intact"


def test_the_certificate_subject_names_its_attributes(site):
    from dimos.signing.signers import credential_for

    subject = credential_for("secretary").as_dict()["certificate"]["subject"]
    assert "T=Γενική Γραμματέας" in subject
    assert "CN=Μαρία Παπαδοπούλου" in subject
    assert "2.5.4." not in subject


def test_a_signer_without_a_credential_is_named_in_the_refusal(site):
    from dimos.signing.testing import employee

    employee("nobody", "Κανείς Κανένας")
    with pytest.raises(SigningError) as refused:
        request_signatures("x", blank_pdf(), "x.pdf", [("secretary", None), ("nobody", None)])
    assert refused.value.code == "no-credential"
    assert "Κανείς Κανένας" in refused.value.message_el


def test_with_lta_on_the_document_gets_an_archive_timestamp(site, pki):
    from dimos.signing.settings import store_settings
    from pyhanko.pdf_utils.reader import PdfFileReader

    import io

    store_settings(lta=True)
    document = request_signatures("Απόφαση", blank_pdf(), "a.pdf", [("secretary", None)])
    signed = sign_document(document, "secretary", PASSWORD)
    assert signed.level == "PAdES-B-LTA"
    kinds = [
        s.sig_object.get("/Type")
        for s in PdfFileReader(io.BytesIO(document.file.data), strict=False).embedded_signatures
    ]
    assert kinds == ["/Sig", "/DocTimeStamp"]
    report = verify_pdf(document.file.data, [pki.root.cert])
    assert report.status == "intact"
    assert len(report.signatures) == 1  # the archive timestamp is not a signer
    assert len(report.archive_timestamps) == 1
    assert document.signers[0]["level"] == "PAdES-B-LTA"
