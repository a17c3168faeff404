"""The OAuth2 ``state`` of a Taxisnet login, kept in a signed cookie bound to the browser.

``@@taxisnet-login`` makes a random nonce, sends it to GSIS as ``state`` and
keeps it, with the page to return to (``came_from``) and the time, in a
cookie signed with the site's keyring secret (plone.keyring). The callback
accepts a ``state`` only from the browser holding that cookie, within
``MAX_AGE`` seconds, once: the cookie is expired as soon as it is read. No
ZODB write is needed to start a login.

``same_site(url, site_url)`` is the open-redirect guard for ``came_from``.
"""

from plone.keyring.interfaces import IKeyManager
from zope.component import queryUtility

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.parse


COOKIE = "__dimos_taxisnet"
MAX_AGE = 15 * 60  # seconds to log in at GSIS
_PURPOSE = b"dimos.payments.taxisnet.state"


def _keys():
    """Signing keys derived from the site keyring's secrets, the current first."""
    manager = queryUtility(IKeyManager)
    if manager is None:
        raise RuntimeError("plone.keyring's key manager is missing")
    ring = manager["_system"]
    return [
        hmac.new(secret.encode("utf-8"), _PURPOSE, hashlib.sha256).digest()
        for secret in ring
        if secret
    ]


def _sign(key, payload):
    return hmac.new(key, payload.encode("ascii"), hashlib.sha256).hexdigest()


def _encode(data):
    raw = json.dumps(data, separators=(",", ":"), ensure_ascii=True).encode("ascii")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _decode(payload):
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    return json.loads(raw)


def issue(came_from=None, now=None):
    """(state, cookie value) for a new login."""
    state = secrets.token_urlsafe(24)
    data = {"s": state, "c": came_from or "", "t": int(now if now is not None else time.time())}
    payload = _encode(data)
    return state, f"{payload}.{_sign(_keys()[0], payload)}"


def verify(cookie_value, state, now=None):
    """The ``came_from`` kept for this login, or None when ``state`` is not this browser's.

    None as well for a cookie not signed by this site, or older than ``MAX_AGE``.
    ``came_from`` is "" when none was kept.
    """
    if not cookie_value or not state or "." not in cookie_value:
        return None
    payload, _, signature = cookie_value.rpartition(".")
    if not any(hmac.compare_digest(_sign(key, payload), signature) for key in _keys()):
        return None
    try:
        data = _decode(payload)
    except ValueError:
        return None
    now = now if now is not None else time.time()
    if not isinstance(data, dict) or not 0 <= now - int(data.get("t", 0)) <= MAX_AGE:
        return None
    if not hmac.compare_digest(str(data.get("s", "")).encode(), state.encode()):
        return None
    return str(data.get("c") or "")


def remember(request, cookie_value):
    """Set the state cookie on the response (HttpOnly, SameSite=Lax, Secure over https)."""
    request.response.setCookie(
        COOKIE,
        cookie_value,
        path="/",
        http_only=True,
        same_site="Lax",
        secure=request.get("SERVER_URL", "").startswith("https:"),
        max_age=MAX_AGE,
    )


def forget(request):
    request.response.expireCookie(COOKIE, path="/")


def same_site(url, site_url):
    """``url`` if it is an address on this site (a path, or the site's scheme and host), else None.

    Refuses other hosts, protocol-relative ``//host`` and backslash tricks,
    other schemes (``javascript:``) and control characters.
    """
    if not url or not isinstance(url, str) or len(url) > 2000:
        return None
    if any(ord(char) < 32 or char == "\\" for char in url):
        return None
    parts = urllib.parse.urlsplit(url)
    site = urllib.parse.urlsplit(site_url)
    if parts.scheme or parts.netloc:
        if (parts.scheme.lower(), parts.netloc.lower()) != (
            site.scheme.lower(),
            site.netloc.lower(),
        ):
            return None
        return url
    if not url.startswith("/") or url.startswith("//"):
        return None
    return f"{site.scheme}://{site.netloc}{url}"
