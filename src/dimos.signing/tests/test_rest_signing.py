"""Signing over HTTP: a clerk asks, the secretary then the mayor sign, anyone verifies.

Each signed PDF is checked by pyHanko against the test root and by poppler's
pdfsig; the requests and responses are saved as the API documentation's examples.
"""

from dimos.signing.core.verify import verify_pdf
from dimos.signing.plan import plan_of
from dimos.signing.testing import PASSWORD
from dimos.signing.verification import find_document

import base64
import transaction


CLERK = ("clerk", "clerkclerk")
SECRETARY = ("secretary", "secretarysecretary")
MAYOR = ("mayor", "mayormayor")
JSON_ACCEPT = {"Accept": "application/json"}


def to_sign(call, url, who, example=None):
    response = call("GET", f"{url}/@sign", who, example)
    assert response.status_code == 200, response.text
    return [item["UID"] for item in response.json()["items"]]


def sign(call, document_url, who, example=None, password=PASSWORD):
    body = {"password": password}
    return call("POST", f"{document_url}/@sign", who, example, [password], json=body)


def upload(data, filename="apofasi.pdf"):
    return {"file": {"data": base64.b64encode(data).decode(), "filename": filename}}


def flip_one_signed_byte(data):
    """One byte changed inside the page's content, which every signature covers."""
    where = data.find(b"stream") + 10
    return data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1 :]


def test_secretary_then_mayor_sign_the_decision_and_both_signatures_hold(
    signing_site, call, pki, pdfsig_says
):
    url, decision_url = signing_site.url, signing_site.decision.absolute_url()
    body = {"signers": [{"userid": "secretary"}, {"userid": "mayor", "role": "Δήμαρχος"}]}
    requested = call(
        "POST", f"{decision_url}/@signature-request", CLERK, "signing-request-post", json=body
    )
    assert requested.status_code == 201, requested.text
    document = requested.json()
    uid, document_url = document["UID"], document["@id"]
    assert requested.headers["Location"] == document_url
    assert document["title"] == "Έγκριση προϋπολογισμού 2026"
    assert document["record"]["@id"] == decision_url
    assert document["plan"]["status"] == "pending"
    assert document["plan"]["requested_by"] == "clerk"
    assert [s["role"] for s in document["plan"]["steps"]] == ["Γενική Γραμματέας", "Δήμαρχος"]
    assert document["verify_url"].endswith(f"/verify/{uid}")

    assert to_sign(call, url, SECRETARY, "signing-sign-get") == [uid]
    assert to_sign(call, url, MAYOR) == []
    early = sign(call, document_url, MAYOR, "signing-sign-post-not-your-turn")
    assert (early.status_code, early.json()["type"]) == (409, "not-your-turn")

    first = sign(call, document_url, SECRETARY, "signing-sign-post")
    assert first.status_code == 200, first.text
    signature = first.json()["signature"]
    assert signature["field"] == "Signature1"
    assert signature["level"] == "PAdES-B-LT"
    assert signature["signer"] == "Μαρία Παπαδοπούλου"
    assert first.json()["plan"]["awaiting"] == "mayor"
    assert PASSWORD not in first.text
    assert to_sign(call, url, SECRETARY) == []
    assert to_sign(call, url, MAYOR) == [uid]

    second = sign(call, document_url, MAYOR)
    assert second.status_code == 200, second.text
    assert second.json()["signature"]["field"] == "Signature2"
    assert second.json()["plan"]["status"] == "signed"
    assert to_sign(call, url, MAYOR) == []
    again = sign(call, document_url, SECRETARY)
    assert (again.status_code, again.json()["type"]) == (409, "already-signed")

    transaction.begin()
    signed = find_document(uid).file.data
    assert signing_site.decision.signed_pdf.data == signed
    report = verify_pdf(signed, [pki.root.cert])
    assert report.status == "intact"
    assert [s.signer for s in report.signatures] == ["Μαρία Παπαδοπούλου", "Γιώργος Νικολάου"]
    assert all(s.intact and s.valid and s.chain == "trusted" for s in report.signatures)
    assert all(s.timestamp is not None for s in report.signatures)
    said = pdfsig_says(signed)
    assert said.count("Signature Validation: Signature is Valid.") == 2
    assert said.count("Certificate Validation: Certificate is Trusted.") == 2

    check_verification(signing_site, call, uid, signed, pdfsig_says)


def check_verification(signing_site, call, uid, signed, pdfsig_says):
    """Anyone verifies the archive's copy and an uploaded one; one changed byte shows."""
    url = signing_site.url
    archived = call("GET", f"{url}/@verify/{uid}", None, "signing-verify-get")
    assert archived.status_code == 200, archived.text
    report = archived.json()
    assert report["status"] == "intact"
    assert [s["signer"] for s in report["signatures"]] == [
        "Μαρία Παπαδοπούλου",
        "Γιώργος Νικολάου",
    ]
    assert all(s["chain"] == "trusted" for s in report["signatures"])
    assert report["archive"]["matches"] is True
    entry = report["archive"]["document"]
    assert entry["id"] == uid and entry["signing"] == "signed"
    assert [s["role"] for s in entry["signers"]] == ["Γενική Γραμματέας", "Δήμαρχος"]
    assert entry["record"] is None and "download" not in entry  # private: not named to the public

    copy = call("POST", f"{url}/@verify", None, "signing-verify-post", json=upload(signed))
    assert copy.status_code == 200, copy.text
    assert copy.json()["status"] == "intact"
    assert copy.json()["archive"]["matches"] is True
    assert copy.json()["archive"]["document"]["id"] == uid

    changed = flip_one_signed_byte(signed)
    said = pdfsig_says(changed)
    assert "Signature is Valid." not in said
    assert "Digest Mismatch" in said or "Signature is Invalid" in said
    response = call(
        "POST",
        f"{url}/@verify",
        None,
        "signing-verify-post-modified",
        headers=JSON_ACCEPT,
        files={"file": ("apofasi.pdf", changed, "application/pdf")},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["status"] == "modified"
    assert report["messages"]["en"].startswith("Modified")
    assert not report["signatures"][0]["intact"]
    assert report["archive"]["matches"] is False


def test_a_standalone_certificate_for_a_citizen(signing_site, call, pki):
    body = {
        "title": "Βεβαίωση μόνιμης κατοικίας",
        **upload(signing_site.pdf, "vevaiosi-katoikias.pdf"),
        "signers": [{"userid": "mayor"}],
    }
    requested = call(
        "POST",
        f"{signing_site.url}/@signature-request",
        CLERK,
        "signing-request-post-standalone",
        json=body,
    )
    assert requested.status_code == 201, requested.text
    document = requested.json()
    assert document["record"] is None
    assert document["filename"] == "vevaiosi-katoikias.pdf"
    assert document["plan"]["steps"][0]["role"] == "Δήμαρχος"  # the credential's role
    signed = sign(call, document["@id"], MAYOR)
    assert signed.status_code == 200, signed.text
    transaction.begin()
    stored = find_document(document["UID"])
    assert plan_of(stored).status == "signed"
    assert verify_pdf(stored.file.data, [pki.root.cert]).status == "intact"
