"""Taxisnet login end to end: a citizen's browser (requests), the site's WSGI server, the local GSIS.

The browser follows the redirects from @@taxisnet-login to the local
Taxisnet's login page, fills it in, and is sent back through
@@taxisnet-callback, which talks to the local Taxisnet over its socket.
"""

from dimos.payments.taxisnet.plugin import taxisnet_plugin
from dimos.payments.taxisnet.settings import SECRET_VARIABLE
from dimos.payments.taxisnet.settings import store_settings
from dimos.payments.taxisnet.state import COOKIE
from dimos.payments.testing_taxisnet import GsisUser
from dimos.payments.testing_taxisnet import sign_in
from dimos.payments.testing_taxisnet import TaxisnetStandIn
from plone import api
from types import SimpleNamespace

import pytest
import requests
import transaction
import urllib.parse


VAVOULA = GsisUser(
    "vavoula", "kodikos1", "068933130", "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ", "ΕΜΜΑΝΟΥΗΛ", "ΑΝΝΑ", "1950"
)
ANTONIOU = GsisUser("antoniou", "kodikos2", "094019245", "ΝΙΚΟΛΑΟΣ", "ΑΝΤΩΝΙΟΥ", "ΓΕΩΡΓΙΟΣ")
BAD_AFM = GsisUser("lathos", "kodikos3", "123456789", "ΛΑΘΟΣ", "ΑΦΜ")
JSON = {"Accept": "application/json"}


def standin(url):
    return TaxisnetStandIn(
        [VAVOULA, ANTONIOU, BAD_AFM], redirect_uris=[f"{url}/@@taxisnet-callback"]
    ).start()


def configure(gsis, **changes):
    values = dict(
        base_url=gsis.base_url, client_id=gsis.client_id, client_secret=gsis.client_secret
    )
    values.update(changes)
    store_settings(**values)
    transaction.commit()


@pytest.fixture
def site(functional_portal, monkeypatch):
    """The site, logging in with a local Taxisnet."""
    monkeypatch.delenv(SECRET_VARIABLE, raising=False)
    url = functional_portal.absolute_url()
    gsis = standin(url)
    configure(gsis)
    yield SimpleNamespace(portal=functional_portal, url=url, gsis=gsis)
    gsis.close()


def start(site, session, came_from=None):
    """The citizen clicks "Login with Taxisnet": they land on (the local) GSIS's login page."""
    params = {"came_from": came_from} if came_from else {}
    page = session.get(f"{site.url}/@@taxisnet-login", params=params, timeout=30)
    assert page.status_code == 200, page.text
    return page


def log_in(site, user=VAVOULA, came_from=None, session=None):
    """The whole login in one browser; the last response and the browser."""
    session = session or requests.Session()
    page = start(site, session, came_from)
    return sign_in(session, page, user.username, user.password), session


def authorized_callback(site, session, user=VAVOULA, came_from=None):
    """Log in at GSIS but stop before the site's callback; its URL."""
    page = start(site, session, came_from)
    answer = sign_in(session, page, user.username, user.password, allow_redirects=False)
    assert answer.status_code == 302
    return answer.headers["Location"]


def whoami(site, session, afm):
    return session.get(f"{site.url}/@users/{afm}", headers=JSON, timeout=30)


def refusal(response, code, status):
    """The error page: its status, its code, Greek and English; no traceback."""
    assert response.status_code == status, response.text[:500]
    assert f'data-error="{code}"' in response.text
    assert 'lang="el"' in response.text and 'lang="en"' in response.text
    assert "Traceback" not in response.text
    return response.text


def citizen_ids(site):
    transaction.begin()  # see what the server committed
    return set(taxisnet_plugin(site.portal).getUserIds())


def test_citizen_logs_in_as_their_afm(site):
    landed, session = log_in(site, came_from=f"{site.url}/contact-info")
    assert landed.url == f"{site.url}/contact-info"
    assert COOKIE not in session.cookies  # the state served once
    me = whoami(site, session, "068933130")
    assert me.status_code == 200, me.text
    body = me.json()
    assert body["id"] == body["username"] == "068933130"
    assert body["fullname"] == "ΕΥΤΥΧΙΑ ΒΑΒΟΥΛΑ"
    assert body["roles"] == ["Member"]
    assert body["email"] is None
    transaction.begin()
    user = site.portal.acl_users.getUserById("068933130")
    assert user.getProperty("fathername") == "ΕΜΜΑΝΟΥΗΛ"
    assert ("POST", "/oauth2server/oauth/token", 200) in site.gsis.log


def test_citizen_sees_only_their_own_user(site):
    _, session = log_in(site)
    _, other = log_in(site, ANTONIOU)
    assert whoami(site, other, "094019245").status_code == 200
    assert whoami(site, session, "094019245").status_code == 401


def test_state_from_another_browser_is_refused(site):
    callback = authorized_callback(site, requests.Session())
    stranger = requests.Session()  # never started a login: no state cookie
    text = refusal(stranger.get(callback, timeout=30), "bad-state", 400)
    assert "δεν ξεκίνησε από αυτόν τον φυλλομετρητή" in text
    assert not any(path.endswith("/token") for _, path, _ in site.gsis.log)
    assert "068933130" not in citizen_ids(site)


def test_tampered_state_is_refused(site):
    session = requests.Session()
    callback = authorized_callback(site, session)
    forged = callback.replace("state=", "state=x")
    refusal(session.get(forged, timeout=30), "bad-state", 400)
    assert whoami(site, session, "068933130").status_code == 401


def test_reused_code_is_refused(site):
    first = requests.Session()
    callback = authorized_callback(site, first)
    assert first.get(callback, timeout=30).status_code == 200
    code = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback).query))["code"]

    # a second browser starts its own login and sends the captured code with its own state
    thief = requests.Session()
    own = authorized_callback(site, thief)
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(own).query))["state"]
    replay = (
        f"{site.url}/@@taxisnet-callback?{urllib.parse.urlencode({'code': code, 'state': state})}"
    )
    text = refusal(thief.get(replay, timeout=30), "bad-code", 400)
    assert "έχει ήδη χρησιμοποιηθεί ή έληξε" in text
    assert whoami(site, thief, "068933130").status_code == 401
    # replaying the whole callback in the first browser: its state is spent
    refusal(first.get(callback, timeout=30), "bad-state", 400)


def test_wrong_client_secret_is_refused_clearly(site):
    configure(site.gsis, client_secret="not-the-secret")
    landed, session = log_in(site)
    text = refusal(landed, "bad-client", 502)
    assert "client secret" in text
    assert "application credentials (client id / client secret)" in text
    assert ("POST", "/oauth2server/oauth/token", 401) in site.gsis.log
    assert whoami(site, session, "068933130").status_code == 401


def test_secret_from_the_environment_wins(site, monkeypatch):
    configure(site.gsis, client_secret="stale-registry-secret")
    monkeypatch.setenv(SECRET_VARIABLE, site.gsis.client_secret)
    landed, session = log_in(site)
    assert landed.status_code == 200
    assert whoami(site, session, "068933130").status_code == 200


def test_invalid_afm_is_refused(site):
    landed, session = log_in(site, BAD_AFM)
    text = refusal(landed, "invalid-afm", 403)
    assert "123456789" in text
    assert "δεν είναι έγκυρος ελληνικός ΑΦΜ" in text
    assert "not a valid Greek AFM" in text
    assert not citizen_ids(site)
    assert "__ac" not in session.cookies


def test_citizen_cancels_at_gsis(site):
    session = requests.Session()
    page = start(site, session)
    landed = sign_in(session, page, "", "", approve=False)
    text = refusal(landed, "cancelled", 400)
    assert "ακυρώθηκε" in text
    assert not citizen_ids(site)


def test_gsis_down_gives_a_clear_message(site):
    session = requests.Session()
    callback = authorized_callback(site, session)
    site.gsis.close()  # GSIS goes away between the login page and the token exchange
    text = refusal(session.get(callback, timeout=60), "unreachable", 502)
    assert "δεν είναι διαθέσιμη" in text
    assert "cannot be reached" in text


def test_not_configured_says_so(site):
    configure(site.gsis, client_id="")
    page = requests.get(f"{site.url}/@@taxisnet-login", timeout=30)
    refusal(page, "not-configured", 503)


def test_logout_ends_both_sessions(site):
    _, session = log_in(site)
    assert whoami(site, session, "068933130").status_code == 200
    out = session.get(f"{site.url}/@@taxisnet-logout", timeout=30)
    assert out.status_code == 200
    assert site.gsis.logouts == [(site.gsis.client_id, f"{site.url}/logged-out")]
    assert out.url.startswith(site.url)
    assert "__ac" not in session.cookies
    assert whoami(site, session, "068933130").status_code == 401


@pytest.mark.parametrize(
    "came_from",
    [
        "https://evil.example/steal",
        "//evil.example/steal",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://127.0.0.1:1/elsewhere",
    ],
)
def test_came_from_elsewhere_is_dropped(site, came_from):
    session = requests.Session()
    callback = authorized_callback(site, session, came_from=came_from)
    landed = session.get(callback, allow_redirects=False, timeout=30)
    assert landed.status_code == 302
    assert landed.headers["Location"] == site.url
    assert whoami(site, session, "068933130").status_code == 200


def test_came_from_as_a_path_is_kept(site):
    path = urllib.parse.urlsplit(site.url).path + "/contact-info"
    landed, _ = log_in(site, came_from=path)
    assert landed.url == f"{site.url}/contact-info"


def test_the_flow_follows_the_registry(site):
    """Another GSIS (base URL and client in the registry): the browser and the site go there."""
    other = TaxisnetStandIn(
        [ANTONIOU],
        client_id="other-client",
        client_secret="other-secret",
        redirect_uris=[f"{site.url}/@@taxisnet-callback"],
    ).start()
    try:
        configure(other)
        redirect = requests.get(f"{site.url}/@@taxisnet-login", allow_redirects=False, timeout=30)
        assert redirect.status_code == 302
        location = redirect.headers["Location"]
        assert location.startswith(f"{other.base_url}/oauth2server/oauth/authorize?")
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        assert query["client_id"] == "other-client"
        assert query["redirect_uri"] == f"{site.url}/@@taxisnet-callback"
        assert query["response_type"] == "code" and query["scope"] == "read"

        landed, session = log_in(site, ANTONIOU)
        assert landed.url.rstrip("/") == site.url
        assert whoami(site, session, "094019245").status_code == 200
        assert ("POST", "/oauth2server/oauth/token", 200) in other.log
        assert not site.gsis.log
    finally:
        other.close()


def test_password_login_with_an_afm_fails(site):
    log_in(site)
    for password in ("", "068933130", "kodikos1"):
        response = requests.get(
            f"{site.url}/@users/068933130",
            headers=JSON,
            auth=("068933130", password),
            timeout=30,
        )
        assert response.status_code == 401


def test_afm_already_a_user_name_here_is_refused(site):
    """A clerk's account named like the AFM is never taken over by a Taxisnet login."""
    api.user.create(email="clerk@dimos.example", username="068933130", password="a-Long-pass-1")
    transaction.commit()
    landed, session = log_in(site)
    text = refusal(landed, "id-taken", 409)
    assert "Υπάρχει ήδη λογαριασμός" in text
    assert not citizen_ids(site)
    assert "__ac" not in session.cookies
