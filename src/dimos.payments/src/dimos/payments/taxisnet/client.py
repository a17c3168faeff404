"""Taxisnet (GSIS OAuth2.0 for third-party services) as the municipality's site speaks it.

Plain Python, no Zope: the authorize and logout addresses the citizen's
browser is sent to, the server-to-server token exchange and the userinfo
call (XML), and the citizen that comes out of it with a validated AFM.

Every failure is a ``TaxisnetError`` carrying an error code, an HTTP status
for the page that reports it and the reason in Greek and English. Nothing
here knows whether it talks to GSIS or to the local stand-in
(``dimos.payments.testing_taxisnet``): both speak the same protocol.
"""

from dataclasses import dataclass
from stdnum.exceptions import ValidationError
from stdnum.gr import vat

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET


AUTHORIZE_PATH = "/oauth2server/oauth/authorize"
TOKEN_PATH = "/oauth2server/oauth/token"
USERINFO_PATH = "/oauth2server/userinfo"
LOGOUT_PATH = "/oauth2server/logout/{client_id}/"
MAX_REPLY = 1024 * 1024  # GSIS answers are a few hundred bytes


class TaxisnetError(Exception):
    """The Taxisnet login failed; ``code`` names why, the messages say it to the citizen."""

    def __init__(self, code, message_el, message_en, status=400):
        super().__init__(f"{code}: {message_en}")
        self.code = code
        self.message_el = message_el
        self.message_en = message_en
        self.status = status

    def message(self, language="el"):
        return self.message_en if language == "en" else self.message_el

    @property
    def messages(self):
        return {"el": self.message_el, "en": self.message_en}


def unreachable():
    return TaxisnetError(
        "unreachable",
        "Η υπηρεσία Taxisnet (ΓΓΠΣ/ΑΑΔΕ) δεν είναι διαθέσιμη αυτή τη στιγμή. "
        "Δεν έγινε σύνδεση· δοκιμάστε ξανά σε λίγα λεπτά.",
        "The Taxisnet service (GSIS/AADE) cannot be reached right now. "
        "You are not logged in; please try again in a few minutes.",
        status=502,
    )


@dataclass(frozen=True)
class Citizen:
    """A citizen as Taxisnet vouches for them; ``afm`` is the 9-digit, validated AFM."""

    afm: str
    firstname: str
    lastname: str
    fathername: str = ""
    mothername: str = ""
    birthyear: str = ""
    gsis_userid: str = ""

    @property
    def fullname(self):
        return " ".join(part for part in (self.firstname, self.lastname) if part)


def valid_afm(value):
    """The 9-digit AFM of ``value`` (spaces, an ``EL`` prefix dropped), or a TaxisnetError."""
    shown = (value or "").strip()
    try:
        return vat.validate(shown)
    except ValidationError:
        raise TaxisnetError(
            "invalid-afm",
            f"Ο ΑΦΜ «{shown[:20]}» που έστειλε το Taxisnet δεν είναι έγκυρος ελληνικός ΑΦΜ. "
            "Δεν έγινε σύνδεση· επικοινωνήστε με τον Δήμο.",
            f"The tax number (AFM) “{shown[:20]}” sent by Taxisnet is not a valid Greek AFM. "
            "You are not logged in; please contact the municipality.",
            status=403,
        ) from None


def _clean(value):
    """GSIS pads its attributes with spaces; inner runs of spaces become one."""
    return " ".join((value or "").split())


def _bad_userinfo(detail):
    return TaxisnetError(
        "bad-userinfo",
        "Το Taxisnet έστειλε στοιχεία χρήστη που δεν μπορούν να διαβαστούν. Δεν έγινε σύνδεση.",
        f"Taxisnet sent user details that cannot be read ({detail}). You are not logged in.",
        status=502,
    )


def parse_userinfo(data):
    """The Citizen of a GSIS userinfo XML reply (bytes): ``<root><userinfo taxid=... /></root>``."""
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise _bad_userinfo("DTDs are not accepted")
    try:
        root = ET.fromstring(data)
    except ET.ParseError:
        raise _bad_userinfo("not XML") from None
    info = root if root.tag == "userinfo" else root.find("userinfo")
    if info is None:
        raise _bad_userinfo("no userinfo element")
    attributes = {name.lower(): _clean(value) for name, value in info.attrib.items()}
    if not attributes.get("taxid"):
        raise _bad_userinfo("no taxid")
    return Citizen(
        afm=valid_afm(attributes["taxid"]),
        firstname=attributes.get("firstname", ""),
        lastname=attributes.get("lastname", ""),
        fathername=attributes.get("fathername", ""),
        mothername=attributes.get("mothername", ""),
        birthyear=attributes.get("birthyear", ""),
        gsis_userid=attributes.get("userid", ""),
    )


def _oauth_error(body):
    """The ``error`` of an OAuth2 JSON error body, or ""."""
    try:
        return str(json.loads(body or b"{}").get("error") or "")
    except (ValueError, AttributeError):
        return ""


def token_error(status, body):
    """The TaxisnetError for a refused token request (status 400/401, OAuth2 JSON body)."""
    error = _oauth_error(body)
    if status == 401 or error in ("invalid_client", "unauthorized_client"):
        return TaxisnetError(
            "bad-client",
            "Το Taxisnet δεν αναγνώρισε τα στοιχεία της εφαρμογής του Δήμου "
            "(client id / client secret). Δεν έγινε σύνδεση· ενημερώστε τον Δήμο.",
            "Taxisnet did not accept the municipality's application credentials "
            "(client id / client secret). You are not logged in; please inform the municipality.",
            status=502,
        )
    if error == "invalid_grant":
        return TaxisnetError(
            "bad-code",
            "Ο κωδικός εξουσιοδότησης του Taxisnet δεν έγινε δεκτός: έχει ήδη "
            "χρησιμοποιηθεί ή έληξε. Συνδεθείτε ξανά.",
            "Taxisnet did not accept the authorization code: it was already used "
            "or has expired. Please log in again.",
            status=400,
        )
    return TaxisnetError(
        "token-failed",
        f"Το Taxisnet αρνήθηκε την ολοκλήρωση της σύνδεσης (HTTP {status}). Δοκιμάστε ξανά.",
        f"Taxisnet refused to complete the login (HTTP {status}). Please try again.",
        status=502,
    )


@dataclass(frozen=True)
class TaxisnetClient:
    """The municipality's client of GSIS OAuth2; ``base_url`` e.g. ``https://www1.gsis.gr``."""

    base_url: str
    client_id: str
    client_secret: str
    redirect_uri: str
    timeout: float = 10.0

    def _url(self, path):
        return self.base_url.rstrip("/") + path

    def authorize_url(self, state):
        """Where the citizen's browser goes to log in with their Taxisnet codes."""
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": self.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": "read",
                "state": state,
            }
        )
        return f"{self._url(AUTHORIZE_PATH)}?{query}"

    def logout_url(self, return_url):
        """Where the browser goes to end its GSIS session; GSIS then sends it to ``return_url``."""
        path = LOGOUT_PATH.format(client_id=urllib.parse.quote(self.client_id, safe=""))
        return f"{self._url(path)}?{urllib.parse.urlencode({'url': return_url})}"

    def _send(self, request):
        """(status, body) of one HTTP exchange; TaxisnetError("unreachable") if there is none."""
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:  # noqa: S310
                return reply.status, reply.read(MAX_REPLY)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, error.read(MAX_REPLY)
        except (TimeoutError, OSError, http.client.HTTPException):
            raise unreachable() from None

    def fetch_token(self, code):
        """The access token for an authorization ``code`` (server to server).

        The client authenticates with ``client_id``/``client_secret`` in the
        form, as GSIS documents it (one method per request, RFC 6749 2.3).
        """
        form = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "client_id": self.client_id,
                "client_secret": self.client_secret,
            }
        ).encode("ascii")
        request = urllib.request.Request(
            self._url(TOKEN_PATH),
            data=form,
            method="POST",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
            },
        )
        status, body = self._send(request)
        if status >= 500:
            raise unreachable()
        if status != 200:
            raise token_error(status, body)
        try:
            token = json.loads(body).get("access_token")
        except (ValueError, AttributeError):
            token = None
        if not token or not isinstance(token, str):
            raise token_error(status, b"")
        return token

    def fetch_userinfo(self, token):
        """The Citizen the access ``token`` belongs to."""
        request = urllib.request.Request(
            self._url(USERINFO_PATH) + "?format=xml",
            headers={"Authorization": f"Bearer {token}", "Accept": "application/xml"},
        )
        status, body = self._send(request)
        if status >= 500:
            raise unreachable()
        if status != 200:
            raise TaxisnetError(
                "bad-token",
                "Το Taxisnet δεν έδωσε τα στοιχεία του χρήστη (το διακριτικό πρόσβασης "
                "δεν έγινε δεκτό). Συνδεθείτε ξανά.",
                "Taxisnet did not give the user's details (the access token was refused). "
                "Please log in again.",
                status=502,
            )
        return parse_userinfo(body)

    def citizen_for_code(self, code):
        """The whole server-side half of the login: code → token → Citizen."""
        return self.fetch_userinfo(self.fetch_token(code))
