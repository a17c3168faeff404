"""The local Taxisnet and the site's GSIS client, over real sockets, without a Plone site."""

from dimos.payments.taxisnet import exchange
from dimos.payments.taxisnet.client import Citizen
from dimos.payments.taxisnet.client import parse_userinfo
from dimos.payments.taxisnet.client import TaxisnetClient
from dimos.payments.taxisnet.client import TaxisnetError
from dimos.payments.testing_taxisnet import GsisUser
from dimos.payments.testing_taxisnet import sign_in
from dimos.payments.testing_taxisnet import TaxisnetStandIn
from dimos.policy.testing_instance import free_port
from pathlib import Path

import dimos.payments.taxisnet
import os
import pytest
import requests
import subprocess
import sys
import transaction
import urllib.parse


CALLBACK = "http://localhost:8080/dimos/@@taxisnet-callback"
VAVOULA = GsisUser(
    "vavoula", "kodikos1", "068933130", "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ", "ΕΜΜΑΝΟΥΗΛ", "ΑΝΝΑ", "1950"
)
BAD_AFM = GsisUser("lathos", "kodikos2", "123456789", "ΛΑΘΟΣ", "ΑΦΜ")


@pytest.fixture
def gsis():
    with TaxisnetStandIn([VAVOULA, BAD_AFM], redirect_uris=[CALLBACK]) as standin:
        yield standin


def client_of(gsis, **changes):
    values = dict(
        base_url=gsis.base_url,
        client_id=gsis.client_id,
        client_secret=gsis.client_secret,
        redirect_uri=CALLBACK,
    )
    values.update(changes)
    return TaxisnetClient(**values)


def authorize(gsis, user=VAVOULA, state="s-1", approve=True, client=None):
    """The citizen's part: the login page, the codes; the query GSIS redirects back with."""
    session = requests.Session()
    page = session.get((client or client_of(gsis)).authorize_url(state), timeout=10)
    assert page.status_code == 200, page.text
    answer = sign_in(session, page, user.username, user.password, approve, allow_redirects=False)
    assert answer.status_code == 302, answer.text
    location = answer.headers["Location"]
    assert location.startswith(CALLBACK + "?")
    return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))


def token_request(gsis, code, **form):
    data = dict(
        grant_type="authorization_code",
        code=code,
        redirect_uri=CALLBACK,
        client_id=gsis.client_id,
        client_secret=gsis.client_secret,
    )
    data.update(form)
    return requests.post(f"{gsis.base_url}/oauth2server/oauth/token", data=data, timeout=10)


def test_the_whole_protocol_gives_the_citizen_with_a_valid_afm(gsis):
    query = authorize(gsis, state="abc")
    assert query["state"] == "abc"
    citizen = client_of(gsis).citizen_for_code(query["code"])
    assert citizen == Citizen(
        afm="068933130",
        firstname="ΕΥΤΥΧΙΑ",
        lastname="ΒΑΒΟΥΛΑ",
        fathername="ΕΜΜΑΝΟΥΗΛ",
        mothername="ΑΝΝΑ",
        birthyear="1950",
        gsis_userid="User068933130",
    )
    assert citizen.fullname == "ΕΥΤΥΧΙΑ ΒΑΒΟΥΛΑ"


def test_userinfo_is_gsis_xml_padded_with_spaces(gsis):
    token = token_request(gsis, authorize(gsis)["code"]).json()["access_token"]
    reply = requests.get(
        f"{gsis.base_url}/oauth2server/userinfo",
        params={"format": "xml"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert reply.status_code == 200
    assert reply.headers["Content-Type"].startswith("application/xml")
    assert 'taxid="068933130   "' in reply.text
    assert 'userid="User068933130   "' in reply.text
    assert "email" not in reply.text


def test_token_reply_is_bearer_json(gsis):
    reply = token_request(gsis, authorize(gsis)["code"])
    assert reply.status_code == 200
    body = reply.json()
    assert body["token_type"] == "bearer"
    assert body["expires_in"] == gsis.token_ttl
    assert len(body["access_token"]) >= 32


def test_client_credentials_by_http_basic_too(gsis):
    code = authorize(gsis)["code"]
    reply = requests.post(
        f"{gsis.base_url}/oauth2server/oauth/token",
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK},
        auth=(gsis.client_id, gsis.client_secret),
        timeout=10,
    )
    assert reply.status_code == 200, reply.text


def test_wrong_secret_is_401_invalid_client(gsis):
    code = authorize(gsis)["code"]
    reply = token_request(gsis, code, client_secret="not-the-secret")
    assert reply.status_code == 401
    assert reply.json()["error"] == "invalid_client"
    with pytest.raises(TaxisnetError) as refused:
        client_of(gsis, client_secret="not-the-secret").fetch_token(code)
    assert refused.value.code == "bad-client"
    assert "client secret" in refused.value.message_el


def test_a_code_serves_once_and_its_reuse_revokes_the_token(gsis):
    code = authorize(gsis)["code"]
    first = token_request(gsis, code)
    assert first.status_code == 200
    again = token_request(gsis, code)
    assert again.status_code == 400
    assert again.json()["error"] == "invalid_grant"
    with pytest.raises(TaxisnetError) as refused:
        client_of(gsis).fetch_userinfo(first.json()["access_token"])
    assert refused.value.code == "bad-token"
    with pytest.raises(TaxisnetError) as refused:
        client_of(gsis).fetch_token(code)
    assert refused.value.code == "bad-code"


def test_code_bound_to_the_redirect_uri(gsis):
    gsis.redirect_uris.add("http://localhost:8080/other/@@taxisnet-callback")
    code = authorize(gsis)["code"]
    reply = token_request(
        gsis, code, redirect_uri="http://localhost:8080/other/@@taxisnet-callback"
    )
    assert reply.status_code == 400
    assert reply.json()["error_description"] == "Redirect URI mismatch."


def test_unregistered_redirect_uri_gets_no_redirect(gsis):
    client = client_of(gsis, redirect_uri="https://evil.example/steal")
    page = requests.get(client.authorize_url("s"), allow_redirects=False, timeout=10)
    assert page.status_code == 400
    assert "Location" not in page.headers
    assert "not registered" in page.text


def test_unknown_client_gets_no_login_page(gsis):
    client = client_of(gsis, client_id="someone-else")
    page = requests.get(client.authorize_url("s"), allow_redirects=False, timeout=10)
    assert page.status_code == 400
    assert "j_password" not in page.text


def test_codes_and_tokens_expire(gsis):
    code = authorize(gsis)["code"]
    gsis.advance(gsis.code_ttl + 1)
    reply = token_request(gsis, code)
    assert reply.status_code == 400
    assert reply.json()["error_description"] == "Authorization code expired"

    token = client_of(gsis).fetch_token(authorize(gsis)["code"])
    assert client_of(gsis).fetch_userinfo(token).afm == "068933130"
    gsis.advance(gsis.token_ttl + 1)
    with pytest.raises(TaxisnetError) as refused:
        client_of(gsis).fetch_userinfo(token)
    assert refused.value.code == "bad-token"


def test_unknown_or_missing_token_is_401(gsis):
    url = f"{gsis.base_url}/oauth2server/userinfo?format=xml"
    unknown = requests.get(url, headers={"Authorization": "Bearer nope"}, timeout=10)
    assert unknown.status_code == 401
    assert unknown.json()["error"] == "invalid_token"
    assert requests.get(url, timeout=10).status_code == 401


def test_wrong_password_stays_on_the_login_page(gsis):
    session = requests.Session()
    page = session.get(client_of(gsis).authorize_url("s"), timeout=10)
    answer = sign_in(session, page, "vavoula", "wrong", allow_redirects=False)
    assert answer.status_code == 401
    assert "Wrong user name or password" in answer.text
    assert not gsis.grants


def test_denial_redirects_with_access_denied(gsis):
    query = authorize(gsis, state="xyz", approve=False)
    assert query == {
        "error": "access_denied",
        "error_description": "User denied access",
        "state": "xyz",
    }


def test_logout_redirects_back(gsis):
    url = client_of(gsis).logout_url("http://localhost:8080/dimos/logged-out")
    reply = requests.get(url, allow_redirects=False, timeout=10)
    assert reply.status_code == 302
    assert reply.headers["Location"] == "http://localhost:8080/dimos/logged-out"
    assert gsis.logouts == [(gsis.client_id, "http://localhost:8080/dimos/logged-out")]


def test_invalid_afm_refused_in_greek_and_english(gsis):
    code = authorize(gsis, user=BAD_AFM)["code"]
    with pytest.raises(TaxisnetError) as refused:
        client_of(gsis).citizen_for_code(code)
    assert refused.value.code == "invalid-afm"
    assert "δεν είναι έγκυρος ελληνικός ΑΦΜ" in refused.value.message_el
    assert "not a valid Greek AFM" in refused.value.message_en
    assert "123456789" in refused.value.message_el


def test_unreachable_gsis():
    client = TaxisnetClient(f"http://127.0.0.1:{free_port()}", "id", "secret", CALLBACK, 2)
    with pytest.raises(TaxisnetError) as refused:
        client.fetch_token("code")
    assert refused.value.code == "unreachable"
    assert refused.value.status == 502
    assert "δεν είναι διαθέσιμη" in refused.value.message_el


@pytest.mark.parametrize(
    "xml",
    [
        b"not xml",
        b"<root><other/></root>",
        b'<root><userinfo lastname="X"/></root>',
        b'<!DOCTYPE r [<!ENTITY e "x">]><root><userinfo taxid="&e;"/></root>',
    ],
)
def test_unreadable_userinfo(xml):
    with pytest.raises(TaxisnetError) as refused:
        parse_userinfo(xml)
    assert refused.value.code == "bad-userinfo"


def test_by_hand_from_a_json_file(tmp_path):
    """``python -m dimos.payments.testing_taxisnet users.json`` serves the file's users."""
    sample = Path(dimos.payments.taxisnet.__file__).parent / "sample_users.json"
    port = free_port()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    server = subprocess.Popen(
        [sys.executable, "-m", "dimos.payments.testing_taxisnet", str(sample)]
        + ["--port", str(port), "--redirect-uri", CALLBACK],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout.readline().strip() == f"Taxisnet stand-in on http://127.0.0.1:{port}"
        client = TaxisnetClient(
            f"http://127.0.0.1:{port}", "dimos-dev", "dimos-dev-secret", CALLBACK
        )
        session = requests.Session()
        page = session.get(client.authorize_url("s"), timeout=10)
        answer = sign_in(session, page, "antoniou", "antoniou", allow_redirects=False)
        query = dict(
            urllib.parse.parse_qsl(urllib.parse.urlsplit(answer.headers["Location"]).query)
        )
        assert client.citizen_for_code(query["code"]).fullname == "ΝΙΚΟΛΑΟΣ ΑΝΤΩΝΙΟΥ"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def test_a_retried_callback_does_not_ask_for_the_code_twice(gsis):
    """Zope runs a request again after a ConflictError: the exchange it did is reused, once."""
    client = client_of(gsis)
    code = authorize(gsis)["code"]
    transaction.begin()
    first = exchange.citizen_for_code(client, code, "state-1")
    assert exchange.citizen_for_code(client, code, "state-1") == first  # the retry
    assert [entry for entry in gsis.log if entry[1].endswith("/token")] == [
        ("POST", "/oauth2server/oauth/token", 200)
    ]
    with pytest.raises(TaxisnetError) as refused:  # another browser's state: GSIS decides
        exchange.citizen_for_code(client, code, "state-2")
    assert refused.value.code == "bad-code"
    transaction.commit()  # the login is done: the code is spent here too
    with pytest.raises(TaxisnetError) as refused:
        exchange.citizen_for_code(client, code, "state-1")
    assert refused.value.code == "bad-code"
