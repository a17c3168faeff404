"""Refusals over HTTP: each says why in Greek and English, and changes nothing.

Certificates that cannot sign (expired since registration, revoked), a wrong
password or token PIN, a file that is not a PDF, a signer out of turn, and
people who may not sign, ask or list at all.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.content.testing import add_decision
from dimos.signing.core.verify import verify_pdf
from dimos.signing.plan import cancel
from dimos.signing.plan import plan_of
from dimos.signing.plan import request_signatures
from dimos.signing.testing import PASSWORD
from dimos.signing.testing import register_signer
from dimos.signing.testing import register_token_signer
from plone import api

import base64
import hashlib
import pytest
import transaction


CLERK = ("clerk", "clerkclerk")
DEPUTY = ("deputy", "deputydeputy")
MAYOR = ("mayor", "mayormayor")
MEMBER = ("member", "membermember")
PIN = "Pin-4711"
# A day when the test PKI's "expired" certificate (valid 730 to 365 days ago) was valid.
WHEN_IT_WAS_VALID = datetime.now(UTC) - timedelta(days=500)


def waiting_for(signing_site, userid):
    """A SignedDocument of the decision waiting for ``userid``, committed."""
    document = request_signatures(
        "Απόφαση 12/2026",
        signing_site.pdf,
        "apofasi-12-2026.pdf",
        [(userid, None)],
        record=signing_site.decision,
        actor="clerk",
    )
    transaction.commit()
    return document


def state(document, decision):
    """What a refusal must leave as it was: the stored PDF, signers, plan, the record's PDF."""
    transaction.begin()  # see what the server committed
    plan = plan_of(document)
    return (
        hashlib.sha256(document.file.data).hexdigest(),
        list(document.signers or []),
        plan.awaiting(),
        plan.status,
        decision.signed_pdf,
    )


def sign(call, document, who, secret, example=None, key="password"):
    url = f"{document.absolute_url()}/@sign"
    return call("POST", url, who, example, [secret], json={key: secret})


def assert_refused(response, status, code, greek, english):
    assert response.status_code == status, response.text
    error = response.json()
    assert error["type"] == code
    assert error["message"] == error["messages"]["el"]
    assert greek in error["messages"]["el"]
    assert english in error["messages"]["en"]


@pytest.mark.parametrize(
    "identity, registered_at, password, code, greek, english, example",
    [
        (
            "expired",
            WHEN_IT_WAS_VALID,
            PASSWORD,
            "certificate-expired",
            "έληξε",
            "expired",
            "signing-sign-post-expired",
        ),
        ("revoked", None, PASSWORD, "certificate-revoked", "ανακληθεί", "revoked", None),
        (
            "secretary",
            None,
            "λάθος κωδικός",
            "wrong-password",
            "Λάθος κωδικός",
            "Wrong password",
            "signing-sign-post-wrong-password",
        ),
    ],
    ids=["expired", "revoked", "wrong-password"],
)
def test_a_refused_signature_changes_nothing(
    signing_site, call, pki, identity, registered_at, password, code, greek, english, example
):
    register_signer(pki, "deputy", identity, "Αντιδήμαρχος", "Αναπληρωτής", now=registered_at)
    document = waiting_for(signing_site, "deputy")
    before = state(document, signing_site.decision)
    response = sign(call, document, DEPUTY, password, example)
    assert_refused(response, 400, code, greek, english)
    assert password not in response.text
    assert state(document, signing_site.decision) == before
    assert before[1:] == ([], "deputy", "pending", None)


def test_a_wrong_token_pin_is_refused_and_the_right_one_signs(signing_site, call, pki, tmp_path):
    register_token_signer(pki, tmp_path, "deputy", "mayor", "Αντιδήμαρχος", "rest-sign", PIN)
    document = waiting_for(signing_site, "deputy")
    before = state(document, signing_site.decision)
    wrong = sign(call, document, DEPUTY, "0000-0", key="pin")
    assert_refused(wrong, 400, "wrong-pin", "Λάθος PIN", "Wrong PIN")
    assert state(document, signing_site.decision) == before

    right = sign(call, document, DEPUTY, PIN, key="pin")
    assert right.status_code == 200, right.text
    assert right.json()["signature"]["signer"] == "Γιώργος Νικολάου"
    transaction.begin()
    assert verify_pdf(document.file.data, [pki.root.cert]).status == "intact"
    assert signing_site.decision.signed_pdf.data == document.file.data


def test_out_of_turn_signed_and_cancelled_are_conflicts(signing_site, call):
    document = request_signatures(
        "Απόφαση",
        signing_site.pdf,
        "a.pdf",
        [("secretary", None), ("mayor", None)],
        record=signing_site.decision,
    )
    transaction.commit()
    before = state(document, signing_site.decision)
    early = sign(call, document, MAYOR, PASSWORD)
    assert_refused(early, 409, "not-your-turn", "Μαρία Παπαδοπούλου", "signs before you")
    cancel(document)
    transaction.commit()
    cancelled = sign(call, document, ("secretary", "secretarysecretary"), PASSWORD)
    assert_refused(cancelled, 409, "cancelled", "ακυρώθηκε", "cancelled")
    # Given the local role by hand, but not on the plan: the model still refuses.
    document.manage_setLocalRoles("member", ["Signer"])
    document.reindexObjectSecurity()
    plan_of(document).status = "pending"
    transaction.commit()
    stranger = sign(call, document, MEMBER, "whatever")
    assert_refused(stranger, 403, "not-a-signer", "Δεν είστε", "not one of")
    assert state(document, signing_site.decision)[:3] == before[:3]


def pdf_upload(data, filename):
    return {"data": base64.b64encode(data).decode(), "filename": filename}


def signed_documents():
    transaction.begin()
    return api.content.find(portal_type="SignedDocument", unrestricted=True)


def test_a_file_that_is_not_a_pdf_and_other_bad_requests(signing_site, call):
    url, decision_url = signing_site.url, signing_site.decision.absolute_url()
    gif = {
        "title": "Βεβαίωση μόνιμης κατοικίας",
        "file": pdf_upload(b"GIF89a\x01\x00\x01\x00", "vevaiosi.pdf"),
        "signers": [{"userid": "mayor"}],
    }
    response = call(
        "POST", f"{url}/@signature-request", CLERK, "signing-request-post-not-pdf", json=gif
    )
    assert_refused(response, 400, "not-pdf", "δεν είναι PDF", "not a PDF")
    response = call("POST", f"{decision_url}/@signature-request", CLERK, json=gif)
    assert_refused(response, 400, "not-pdf", "δεν είναι PDF", "not a PDF")

    with api.env.adopt_roles(["Manager"]):
        bare = add_decision(signing_site.decision.aq_parent, "Χωρίς PDF")
    transaction.commit()
    signers = {"signers": [{"userid": "mayor"}]}
    response = call("POST", f"{bare.absolute_url()}/@signature-request", CLERK, json=signers)
    assert_refused(response, 400, "no-file", "δεν έχει δικό της PDF", "no PDF of its own")
    cases = [
        ({"signers": [{"userid": "nobody"}]}, "no-credential"),
        ({"signers": [{"userid": "mayor"}, {"userid": "mayor"}]}, "signer-twice"),
        ({"signers": []}, "no-signers"),
        ({"signers": "mayor"}, "bad-request"),
        ({**signers, "file": {"data": "not base64!"}}, "bad-base64"),
    ]
    for body, code in cases:
        response = call("POST", f"{decision_url}/@signature-request", CLERK, json=body)
        assert (response.status_code, response.json()["type"]) == (400, code), body
    for untitled in (signers, {**signers, "title": "  "}):
        response = call("POST", f"{url}/@signature-request", CLERK, json=untitled)
        assert_refused(response, 400, "missing-field", "«title»", "“title”")
    assert len(signed_documents()) == 0
    assert signing_site.decision.signed_pdf is None


def test_the_public_verifies_but_cannot_sign_ask_or_list(signing_site, call):
    document = waiting_for(signing_site, "secretary")
    before = state(document, signing_site.decision)
    url, uid = signing_site.url, document.UID()
    request_body = {"title": "x", "signers": [{"userid": "mayor"}]}
    for who in (None, MEMBER, MAYOR):  # MAYOR signs other documents, not this one
        response = sign(call, document, who, PASSWORD)
        assert response.status_code in (401, 403), (who, response.text)
    for who in (None, MEMBER):
        for target in (url, signing_site.decision.absolute_url()):
            response = call("POST", f"{target}/@signature-request", who, json=request_body)
            assert response.status_code in (401, 403), (who, target, response.text)
    assert call("GET", f"{url}/@sign", None).status_code == 401
    assert call("GET", f"{url}/@sign", MEMBER).json()["items"] == []
    assert call("GET", f"{url}/@verify/{uid}", None).json()["status"] == "unsigned"
    assert state(document, signing_site.decision) == before
    assert len(signed_documents()) == 1
