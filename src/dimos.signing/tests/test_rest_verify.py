"""/@verify over HTTP for anyone: real Diavgeia decisions, files that are not PDFs, unknown codes.

The 33 decisions carry Diavgeia's seal, whose certificate expired in 2019, after
they were signed: intact, the certificate reported expired, never called forged.
"""

from dimos.signing.testing import use_pki
from io import BytesIO
from pathlib import Path
from PIL import Image

import base64
import pytest
import transaction


FIXTURES = Path(__file__).resolve().parents[3].parent / "shared" / "eval" / "decisions"
DECISIONS = sorted((FIXTURES / "diavgeia-samples").glob("*/*.pdf"))
ACCEPT = {"Accept": "application/json"}


@pytest.fixture
def site(functional_portal, pki):
    use_pki(pki)
    transaction.commit()
    return functional_portal.absolute_url()


def json_upload(data, filename):
    return {"file": {"data": base64.b64encode(data).decode(), "filename": filename}}


def problems_with(pdf, report):
    """What is wrong with the report on one Diavgeia decision ([] when all is right)."""
    problems = []
    signatures = report["signatures"]
    if report["status"] != "intact" or not report["messages"]["en"].startswith("Intact"):
        problems.append(f"status {report['status']}")
    if len(signatures) != 1:
        return [*problems, f"{len(signatures)} signatures"]
    (signature,) = signatures
    if not (signature["intact"] and signature["valid"]) or signature["modified_after"]:
        problems.append("signature not intact")
    if signature["signer"] != "INFORMATICS DEVELOPMENT AGENCY":
        problems.append(f"signer {signature['signer']}")
    if not signature["certificate_expired"]:
        problems.append("certificate not reported expired")
    if (
        "expired" not in signature["messages"]["en"]
        or "not forged" not in signature["messages"]["en"]
    ):
        problems.append(f"en: {signature['messages']['en']}")
    if "δεν είναι πλαστή" not in signature["messages"]["el"]:
        problems.append(f"el: {signature['messages']['el']}")
    if report["archive"]["matches"]:
        problems.append("matched our archive")
    return [f"{pdf.parent.name}/{pdf.name}: {problem}" for problem in problems]


def test_the_33_diavgeia_decisions_are_intact_and_not_called_forged(site, call):
    assert len(DECISIONS) == 33
    problems = []
    for pdf in DECISIONS:
        response = call(
            "POST",
            f"{site}/@verify",
            None,
            headers=ACCEPT,
            files={"file": (pdf.name, pdf.read_bytes(), "application/pdf")},
        )
        assert response.status_code == 200, response.text
        problems += problems_with(pdf, response.json())
    assert problems == []


def test_a_pdf_sent_as_json_is_verified_the_same(site, call):
    pdf = DECISIONS[0]
    response = call("POST", f"{site}/@verify", None, json=json_upload(pdf.read_bytes(), "a.pdf"))
    assert response.status_code == 200
    assert problems_with(pdf, response.json()) == []


def test_a_file_that_is_not_a_pdf_gets_a_report_saying_so(site, call):
    response = call(
        "POST",
        f"{site}/@verify",
        None,
        "signing-verify-post-not-pdf",
        json=json_upload(b"GIF89a\x01\x00\x01\x00", "scan.gif"),
    )
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "not-pdf"
    assert report["messages"] == {"el": "Το αρχείο δεν είναι PDF.", "en": "The file is not a PDF."}
    assert report["signatures"] == [] and report["archive"]["matches"] is False

    out = BytesIO()
    Image.new("L", (100, 100), 255).save(out, "PDF")
    unsigned = call("POST", f"{site}/@verify", None, json=json_upload(out.getvalue(), "u.pdf"))
    assert unsigned.json()["status"] == "unsigned"


def test_requests_without_a_file_or_with_an_unknown_code(site, call):
    for kw in ({"json": {}}, {"headers": ACCEPT, "files": {"other": ("a.pdf", b"%PDF-")}}):
        response = call("POST", f"{site}/@verify", None, **kw)
        assert (response.status_code, response.json()["type"]) == (400, "no-file"), kw
    bad = call("POST", f"{site}/@verify", None, json={"file": {"data": "***"}})
    assert (bad.status_code, bad.json()["type"]) == (400, "bad-base64")
    unknown = call("GET", f"{site}/@verify/{'0' * 32}", None, "signing-verify-get-unknown")
    assert unknown.status_code == 404
    assert (
        unknown.json()["messages"]["en"]
        == "There is no signed document with this verification code."
    )
    assert call("GET", f"{site}/@verify", None).status_code == 404
