"""/@signing-credentials over HTTP: an administrator registers, lists and removes signers.

The password or PIN opens the credential once and is neither kept nor answered
back. The requests and responses are saved as the API documentation's examples.
"""

from dimos.signing.signers import credential_for
from dimos.signing.testing import employee
from dimos.signing.testing import use_pki
from dimos.signing.testing_hsm import make_token
from plone.app.testing import setRoles

import base64
import pytest
import transaction


PASSWORD = "Σωστός κωδικός 2026"
PIN = "Pin-4711"
ADMIN = ("itadmin", "itadminitadmin")  # Site Administrator
MEMBER = ("member", "membermember")


@pytest.fixture
def site(functional_portal, pki):
    use_pki(pki)
    employee("itadmin", "Τμήμα Πληροφορικής")
    setRoles(functional_portal, "itadmin", ["Member", "Site Administrator"])
    employee("member", "Απλός Χρήστης")
    employee("secretary", "Μαρία Παπαδοπούλου")
    employee("mayor", "Γιώργος Νικολάου")
    transaction.commit()
    return f"{functional_portal.absolute_url()}/@signing-credentials"


def pkcs12_body(pki, identity, password=PASSWORD, sent_password=None, role="Γενική Γραμματέας"):
    data = pki.identities[identity].pkcs12(password.encode(), pki.chain())
    return {
        "kind": "pkcs12",
        "file": {"data": base64.b64encode(data).decode(), "filename": f"{identity}.p12"},
        "password": password if sent_password is None else sent_password,
        "role": role,
    }


def stored(userid):
    transaction.begin()  # see what the server committed
    return credential_for(userid)


def test_register_list_show_and_remove(site, call, pki):
    body = pkcs12_body(pki, "secretary")
    created = call(
        "POST", f"{site}/secretary", ADMIN, "signing-credentials-post", [PASSWORD], json=body
    )
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{site}/secretary"
    result = created.json()
    assert PASSWORD not in created.text
    assert result["userid"] == "secretary" and result["kind"] == "pkcs12"
    assert result["role"] == "Γενική Γραμματέας"
    certificate = result["certificate"]
    assert certificate["common_name"] == "Μαρία Παπαδοπούλου"
    assert "Μαρία Παπαδοπούλου" in certificate["subject"]
    assert certificate["issuer"] == "Dimos Test Issuing CA"
    assert certificate["not_before"] < certificate["not_after"]
    assert "digital_signature" in certificate["key_usage"]
    assert result["expired"] is False and result["registered_by"] == "itadmin"
    credential = stored("secretary")
    assert PASSWORD not in repr(vars(credential))  # the password is not kept
    assert credential.pkcs12_bytes() == base64.b64decode(body["file"]["data"])

    listed = call("GET", site, ADMIN, "signing-credentials-get")
    assert listed.status_code == 200
    assert [item["userid"] for item in listed.json()["items"]] == ["secretary"]
    assert listed.json()["items"][0]["@id"] == f"{site}/secretary"
    one = call("GET", f"{site}/secretary", ADMIN)
    assert one.status_code == 200 and one.json()["certificate"] == certificate

    again = call("POST", site, ADMIN, json={**pkcs12_body(pki, "secretary"), "userid": "secretary"})
    assert again.status_code == 200  # registered again: replaced

    removed = call("DELETE", f"{site}/secretary", ADMIN, "signing-credentials-delete")
    assert removed.status_code == 204
    assert stored("secretary") is None
    unknown = call("GET", f"{site}/secretary", ADMIN, "signing-credentials-get-unknown")
    assert unknown.status_code == 404
    assert unknown.json()["type"] == "not-found"
    assert call("DELETE", f"{site}/secretary", ADMIN).status_code == 404


@pytest.mark.parametrize(
    "identity, password, sent, code, example",
    [
        ("expired", PASSWORD, None, "certificate-expired", "signing-credentials-post-expired"),
        ("not-yet-valid", PASSWORD, None, "certificate-not-yet-valid", None),
        ("wrong-usage", PASSWORD, None, "certificate-wrong-usage", None),
        (
            "secretary",
            PASSWORD,
            "λάθος",
            "wrong-password",
            "signing-credentials-post-wrong-password",
        ),
        ("secretary", PASSWORD, "", "missing-field", None),
    ],
)
def test_a_certificate_that_cannot_sign_is_refused(
    site, call, pki, identity, password, sent, code, example
):
    body = pkcs12_body(pki, identity, password, sent)
    response = call("POST", f"{site}/secretary", ADMIN, example, [PASSWORD, "λάθος"], json=body)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["type"] == code
    assert error["message"] == error["messages"]["el"]
    assert error["messages"]["el"] and error["messages"]["en"]
    assert PASSWORD not in response.text
    assert stored("secretary") is None


def test_a_file_that_is_not_pkcs12_and_bad_requests_are_refused(site, call):
    garbage = {"data": base64.b64encode(b"not a certificate").decode(), "filename": "x.p12"}
    cases = [
        ({"kind": "pkcs12", "file": garbage, "password": "x"}, 400, "not-pkcs12"),
        ({"kind": "pkcs12", "file": {"data": "%%%"}, "password": "x"}, 400, "bad-base64"),
        ({"kind": "pgp", "password": "x"}, 400, "bad-kind"),
    ]
    for body, status, code in cases:
        response = call("POST", f"{site}/secretary", ADMIN, json=body)
        assert (response.status_code, response.json()["type"]) == (status, code)
    response = call("POST", f"{site}/nobody", ADMIN, json=cases[0][0])
    assert response.json()["type"] == "unknown-user"
    # What another site's page can make a browser send without asking (Accept is
    # CORS-safelisted, the body a form): refused before anything is read.
    form = call(
        "POST",
        f"{site}/secretary",
        ADMIN,
        headers={"Accept": "application/json"},
        data={"kind": "pkcs12"},
    )
    assert (form.status_code, form.json()["type"]) == (415, "not-json")
    assert stored("secretary") is None


def test_register_a_token_by_its_labels(site, call, pki, tmp_path):
    token = make_token(tmp_path, pki.identities["mayor"], label="rest-credentials", pin=PIN)
    body = {
        "kind": "pkcs11",
        "module": token.module,
        "token_label": token.label,
        "key_label": token.key_label,
        "pin": PIN,
        "role": "Δήμαρχος",
        "chain": pki.intermediate.cert_pem().decode(),
    }
    wrong = call("POST", f"{site}/mayor", ADMIN, json={**body, "pin": "0000-0"})
    assert (wrong.status_code, wrong.json()["type"]) == (400, "wrong-pin")
    assert stored("mayor") is None
    created = call(
        "POST", f"{site}/mayor", ADMIN, "signing-credentials-post-pkcs11", [PIN], json=body
    )
    assert created.status_code == 201, created.text
    result = created.json()
    assert PIN not in created.text
    assert result["kind"] == "pkcs11"
    assert result["token"] == {
        "module": token.module,
        "token_label": "rest-credentials",
        "key_label": token.key_label,
        "cert_label": "",
    }
    assert result["certificate"]["common_name"] == "Γιώργος Νικολάου"
    credential = stored("mayor")
    assert PIN not in repr(vars(credential)) and len(credential.chain) == 1


@pytest.mark.parametrize("auth", [None, MEMBER], ids=["anonymous", "member"])
def test_only_administrators_manage_credentials(site, call, pki, auth):
    body = pkcs12_body(pki, "secretary")
    for method, url, kw in (
        ("GET", site, {}),
        ("GET", f"{site}/secretary", {}),
        ("POST", f"{site}/secretary", {"json": body}),
        ("DELETE", f"{site}/secretary", {}),
    ):
        response = call(method, url, auth, **kw)
        assert response.status_code in (401, 403), (method, url, response.text)
    assert stored("secretary") is None
