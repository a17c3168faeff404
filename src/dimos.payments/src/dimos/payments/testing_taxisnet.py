"""A local Taxisnet: GSIS's OAuth2.0 for third-party services on 127.0.0.1, for tests and by hand.

It speaks the protocol the site speaks to GSIS (``taxisnet/client.py``):

- ``GET  /oauth2server/oauth/authorize?response_type=code&client_id&redirect_uri&scope&state``
  shows a login page (Taxisnet user name and password, "approve" / "deny");
  posting it redirects to ``redirect_uri`` with ``code`` and ``state``, or with
  ``error=access_denied``. An unknown client or a redirect URI that is not
  registered gets a 400 page and no redirect.
- ``POST /oauth2server/oauth/token`` (client credentials in the form or HTTP
  Basic): one-time codes, bound to the client and the redirect URI, expiring;
  a wrong secret gets 401 ``invalid_client``, a reused, expired, foreign or
  unknown code or a different redirect URI 400 ``invalid_grant`` (a reused
  code also revokes the token it gave).
- ``GET  /oauth2server/userinfo?format=xml`` with ``Authorization: Bearer``:
  the XML of GSIS, attributes padded with spaces; 401 ``invalid_token`` for
  unknown or expired tokens.
- ``GET  /oauth2server/logout/{client_id}/?url=...``: redirects to ``url``.

In tests::

    with TaxisnetStandIn([GsisUser("vavoula", "pw", "068933130", "ΕΥΤΥΧΙΑ", "ΒΑΒΟΥΛΑ")],
                         redirect_uris=[site_url + "/@@taxisnet-callback"]) as gsis:
        gsis.base_url, gsis.client_id, gsis.client_secret
        response = sign_in(session, page, "vavoula", "pw")  # fill in its login page

By hand (a developer's Plone on port 8080)::

    bin/zopepy -m dimos.payments.testing_taxisnet \\
        src/dimos.payments/src/dimos/payments/taxisnet/sample_users.json --port 8099

then set the registry records ``dimos.payments.taxisnet.base_url`` to
``http://127.0.0.1:8099``, ``client_id`` and ``client_secret`` to those the
JSON file (or ``--client-id``/``--client-secret``) gives, and log in at
``http://localhost:8080/Plone/@@taxisnet-login`` with a user name and
password from the file. The JSON file: ``{"client_id": ..., "client_secret":
..., "redirect_uris": [...], "users": [{"username", "password", "taxid",
"firstname", "lastname", "fathername", "mothername", "birthyear"}, ...]}``.
"""

from dataclasses import dataclass
from dataclasses import field
from html import escape
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer

import argparse
import base64
import json
import secrets
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET


AUTHORIZE = "/oauth2server/oauth/authorize"
TOKEN = "/oauth2server/oauth/token"
USERINFO = "/oauth2server/userinfo"
LOGOUT = "/oauth2server/logout/"


@dataclass(frozen=True)
class GsisUser:
    """A Taxisnet account: its codes (user name, password) and what userinfo says of it."""

    username: str
    password: str
    taxid: str
    firstname: str
    lastname: str
    fathername: str = ""
    mothername: str = ""
    birthyear: str = ""

    def userinfo_xml(self):
        """GSIS's XML: attributes padded with spaces, as the real service sends them."""
        root = ET.Element("root")
        ET.SubElement(
            root,
            "userinfo",
            {
                "userid": f"User{self.taxid.strip()}".ljust(16),
                "taxid": self.taxid.ljust(12),
                "lastname": self.lastname,
                "firstname": self.firstname,
                "fathername": self.fathername,
                "mothername": self.mothername,
                "birthyear": str(self.birthyear),
            },
        )
        return ET.tostring(root, encoding="utf-8", xml_declaration=True)


@dataclass
class Grant:
    """An authorization code and what it is bound to."""

    client_id: str
    redirect_uri: str
    username: str
    expires: float
    used: bool = False
    tokens: list = field(default_factory=list)


class TaxisnetStandIn:
    """The local Taxisnet; ``start()`` (or ``with``) serves it from a daemon thread."""

    __test__ = False  # not a test class, whatever pytest thinks of the name

    def __init__(
        self,
        users=(),
        client_id="dimos-test",
        client_secret="dimos-test-secret",  # noqa: S107
        redirect_uris=(),
        code_ttl=60,
        token_ttl=600,
        host="127.0.0.1",
        port=0,
    ):
        self.users = {user.username: user for user in users}
        self.client_id = client_id
        self.client_secret = client_secret
        self.redirect_uris = set(redirect_uris)
        self.code_ttl = code_ttl
        self.token_ttl = token_ttl
        self.grants = {}  # code -> Grant
        self.tokens = {}  # access token -> (username, expires)
        self.logouts = []  # (client_id, url) of each logout
        self.log = []  # (method, path, status) of each request
        self.lock = threading.RLock()
        self._skew = 0.0
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.server.standin = self
        self._thread = None

    @property
    def base_url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def now(self):
        return time.time() + self._skew

    def advance(self, seconds):
        """Move this Taxisnet's clock forward: codes and tokens expire without waiting."""
        self._skew += seconds

    def start(self):
        self._thread = threading.Thread(
            target=self.server.serve_forever, name="dimos-taxisnet-standin", daemon=True
        )
        self._thread.start()
        return self

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start() if self._thread is None else self

    def __exit__(self, *exc_info):
        self.close()

    # --- the protocol, without HTTP ------------------------------------------

    def check_client(self, client_id, redirect_uri):
        """An error text, or None when the client may send a browser to ``redirect_uri``."""
        if client_id != self.client_id:
            return f"Unknown client id: {client_id}"
        if redirect_uri not in self.redirect_uris:
            return f"Invalid redirect: {redirect_uri} is not registered for {client_id}"
        return None

    def issue_code(self, client_id, redirect_uri, username):
        code = secrets.token_urlsafe(6)
        with self.lock:
            self.grants[code] = Grant(client_id, redirect_uri, username, self.now() + self.code_ttl)
        return code

    def exchange(self, client_id, client_secret, form):
        """(status, JSON reply) of a token request."""
        if client_id != self.client_id or not secrets.compare_digest(
            client_secret.encode(), self.client_secret.encode()
        ):
            return 401, {"error": "invalid_client", "error_description": "Bad client credentials"}
        if form.get("grant_type") != "authorization_code":
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": f"Unsupported grant type: {form.get('grant_type')}",
            }
        code = form.get("code", "")
        with self.lock:
            grant = self.grants.get(code)
            refusal = self._refusal(grant, code, client_id, form.get("redirect_uri", ""))
            if refusal:
                return 400, {"error": "invalid_grant", "error_description": refusal}
            grant.used = True
            token = secrets.token_hex(16)
            self.tokens[token] = (grant.username, self.now() + self.token_ttl)
            grant.tokens.append(token)
        return 200, {
            "access_token": token,
            "token_type": "bearer",
            "expires_in": int(self.token_ttl),
            "scope": "read",
        }

    def _refusal(self, grant, code, client_id, redirect_uri):
        if grant is None:
            return f"Invalid authorization code: {code}"
        if grant.used:
            for token in grant.tokens:  # RFC 6749 4.1.2: revoke what the code gave
                self.tokens.pop(token, None)
            return f"Invalid authorization code: {code}"
        if grant.expires < self.now():
            return "Authorization code expired"
        if grant.client_id != client_id:
            return "Authorization code was issued to another client"
        if grant.redirect_uri != redirect_uri:
            return "Redirect URI mismatch."
        return None

    def user_for_token(self, token):
        with self.lock:
            username, expires = self.tokens.get(token, (None, 0))
        if username is None or expires < self.now():
            return None
        return self.users.get(username)


class Handler(BaseHTTPRequestHandler):
    """HTTP for ``self.server.standin``."""

    protocol_version = "HTTP/1.0"

    def log_message(self, format, *args):
        """Stay quiet: the stand-in keeps its own ``log``."""

    @property
    def standin(self):
        return self.server.standin

    def reply(self, status, body=b"", content_type="text/plain; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode("utf-8")
        # Logged before the answer goes out: a client that has its answer finds it in the log.
        self.standin.log.append((self.command, urllib.parse.urlsplit(self.path).path, status))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def reply_json(self, status, data, headers=()):
        body = json.dumps(data).encode("utf-8")
        self.reply(status, body, "application/json;charset=UTF-8", headers)

    def redirect(self, url):
        self.reply(302, b"", headers=[("Location", url)])

    def refuse(self, text):
        """400 and a page: never a redirect to an address that is not registered."""
        self.reply(400, page("Σφάλμα / Error", f"<p>{escape(text)}</p>"), HTML)

    def query(self):
        parts = urllib.parse.urlsplit(self.path)
        return parts.path, dict(urllib.parse.parse_qsl(parts.query))

    def form(self):
        length = int(self.headers.get("Content-Length") or 0)
        return dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))

    def do_GET(self):
        path, query = self.query()
        if path == AUTHORIZE:
            return self.authorize_page(query)
        if path == USERINFO:
            return self.userinfo(query)
        if path.startswith(LOGOUT):
            return self.logout(path[len(LOGOUT) :].strip("/"), query)
        self.reply(404, "Not found")

    def do_POST(self):
        path, _ = self.query()
        form = self.form()
        if path == AUTHORIZE:
            return self.authorize_post(form)
        if path == TOKEN:
            return self.token(form)
        self.reply(405, "Method not allowed")

    # --- the citizen's browser -------------------------------------------------

    def authorize_page(self, query, message=""):
        refusal = self.standin.check_client(query.get("client_id"), query.get("redirect_uri"))
        if refusal:
            return self.refuse(refusal)
        if query.get("response_type") != "code":
            return self.redirect(
                with_params(query["redirect_uri"], query, "unsupported_response_type")
            )
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{escape(query.get(name, ""))}">'
            for name in ("response_type", "client_id", "redirect_uri", "scope", "state")
        )
        body = LOGIN_FORM.format(action=AUTHORIZE, hidden=hidden, message=escape(message))
        self.reply(401 if message else 200, page("Taxisnet – Σύνδεση / Login", body), HTML)

    def authorize_post(self, form):
        standin = self.standin
        redirect_uri = form.get("redirect_uri", "")
        refusal = standin.check_client(form.get("client_id"), redirect_uri)
        if refusal:
            return self.refuse(refusal)
        if form.get("user_oauth_approval") != "true":
            return self.redirect(with_params(redirect_uri, form, "access_denied"))
        user = standin.users.get(form.get("j_username", ""))
        if user is None or not secrets.compare_digest(
            user.password.encode(), form.get("j_password", "").encode()
        ):
            return self.authorize_page(
                form, "Λάθος στοιχεία σύνδεσης / Wrong user name or password"
            )
        code = standin.issue_code(form["client_id"], redirect_uri, user.username)
        self.redirect(with_params(redirect_uri, form, code=code))

    def logout(self, client_id, query):
        if client_id != self.standin.client_id:
            return self.refuse(f"Unknown client id: {client_id}")
        self.standin.logouts.append((client_id, query.get("url", "")))
        if query.get("url"):
            return self.redirect(query["url"])
        self.reply(200, page("Taxisnet", "<p>Αποσυνδεθήκατε. / You are logged out.</p>"), HTML)

    # --- server to server --------------------------------------------------------

    def token(self, form):
        client_id, client_secret = form.get("client_id", ""), form.get("client_secret", "")
        authorization = self.headers.get("Authorization", "")
        if authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
            except ValueError:
                decoded = ":"
            client_id, _, client_secret = decoded.partition(":")
        status, data = self.standin.exchange(client_id, client_secret, form)
        headers = [("WWW-Authenticate", 'Basic realm="oauth2/client"')] if status == 401 else []
        self.reply_json(status, data, headers)

    def userinfo(self, query):
        authorization = self.headers.get("Authorization", "")
        if not authorization.lower().startswith("bearer "):
            return self.reply_json(
                401,
                {
                    "error": "unauthorized",
                    "error_description": "Full authentication is required to access this resource",
                },
                [("WWW-Authenticate", 'Bearer realm="oauth2-resource"')],
            )
        token = authorization[7:].strip()
        user = self.standin.user_for_token(token)
        if user is None:
            return self.reply_json(
                401,
                {"error": "invalid_token", "error_description": f"Invalid access token: {token}"},
                [("WWW-Authenticate", 'Bearer error="invalid_token"')],
            )
        self.reply(200, user.userinfo_xml(), "application/xml;charset=UTF-8")


HTML = "text/html; charset=utf-8"

LOGIN_FORM = """
<p><strong>{message}</strong></p>
<form method="post" action="{action}" id="taxisnet-login">
  {hidden}
  <label>Όνομα χρήστη / User name <input name="j_username" autocomplete="username"></label>
  <label>Κωδικός / Password <input name="j_password" type="password"></label>
  <button type="submit" name="user_oauth_approval" value="true">Σύνδεση / Log in</button>
  <button type="submit" name="user_oauth_approval" value="false">Άρνηση / Deny</button>
</form>
"""


def page(title, body):
    return (
        f'<!DOCTYPE html><html lang="el"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1>{body}</body></html>"
    )


def with_params(url, params, error=None, code=None):
    """``url`` with ``code`` (or ``error``) and the request's ``state`` added to its query."""
    extra = {"code": code} if code else {"error": error}
    if error == "access_denied":
        extra["error_description"] = "User denied access"
    if params.get("state"):
        extra["state"] = params["state"]
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}{urllib.parse.urlencode(extra)}"


# --- playing the citizen, for tests ------------------------------------------------


class _FormReader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action = None
        self.fields = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and self.action is None:
            self.action = attrs.get("action")
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields[attrs.get("name")] = attrs.get("value") or ""


def sign_in(session, login_page, username, password, approve=True, **requests_kw):
    """Fill in the stand-in's login page (a ``requests`` response) as a citizen would.

    ``session`` is the citizen's ``requests.Session``; redirects are followed
    unless ``allow_redirects=False`` is passed. The response.
    """
    reader = _FormReader()
    reader.feed(login_page.text)
    if reader.action is None:
        raise ValueError(f"not the Taxisnet login page: {login_page.url}")
    data = dict(
        reader.fields,
        j_username=username,
        j_password=password,
        user_oauth_approval="true" if approve else "false",
    )
    url = urllib.parse.urljoin(login_page.url, reader.action)
    return session.post(url, data=data, timeout=30, **requests_kw)


# --- by hand -------------------------------------------------------------------------


def load(path):
    """(users, client settings) of a JSON file as the module's docstring describes."""
    with open(path, encoding="utf-8") as file:
        data = json.load(file)
    users = [GsisUser(**{k: str(v) for k, v in user.items()}) for user in data.get("users", ())]
    return users, {key: value for key, value in data.items() if key != "users"}


def main(argv=None):
    parser = argparse.ArgumentParser(description="A local Taxisnet (GSIS OAuth2) for development")
    parser.add_argument("users", help="JSON file of users (and optionally the client)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--client-id")
    parser.add_argument("--client-secret")
    parser.add_argument("--redirect-uri", action="append", help="registered (repeatable)")
    options = parser.parse_args(argv)
    users, client = load(options.users)
    standin = TaxisnetStandIn(
        users,
        client_id=options.client_id or client.get("client_id", "dimos-dev"),
        client_secret=options.client_secret or client.get("client_secret", "dimos-dev-secret"),
        redirect_uris=options.redirect_uri
        or client.get("redirect_uris", ["http://localhost:8080/Plone/@@taxisnet-callback"]),
        host=options.host,
        port=options.port,
    )
    print(f"Taxisnet stand-in on {standin.base_url}", flush=True)
    print(f"  client_id={standin.client_id} client_secret={standin.client_secret}")
    print(f"  redirect URIs: {', '.join(sorted(standin.redirect_uris))}")
    print(f"  users: {', '.join(sorted(standin.users))}", flush=True)
    try:
        standin.server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        standin.server.server_close()


if __name__ == "__main__":
    main()
