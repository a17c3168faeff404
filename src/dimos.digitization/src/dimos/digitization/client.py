"""The Plone site as the workers and the ingest see it: ``/@digitization`` over HTTP.

``SiteClient.lookup(sha256)`` asks whether a file is in the site already;
``SiteClient.store(payload, files)`` sends a result as one multipart request
(the JSON part and the files as they are). Connection errors and 5xx
answers (Zope answers 503 when its conflict retries run out) are retried with
a growing pause; a 4xx answer raises ``SiteRefused`` with the server's Greek
and English message. No Zope imports: workers run without a site.
"""

from pathlib import Path

import json
import os
import requests
import time


DEFAULT_SITE_URL = "http://127.0.0.1:8080/dimos"
DEFAULT_USER = "digitizer"
JSON = {"Accept": "application/json"}


def var_folder():
    """``$DIMOS_VAR``, or ``var/`` in the current directory (the repository when run by make)."""
    return Path(os.environ.get("DIMOS_VAR") or Path.cwd() / "var")


class SiteError(Exception):
    """The site could not take the request; ``message_el``/``message_en`` say why."""

    code = "site-error"

    def __init__(self, message_el, message_en, status=None):
        self.message_el = message_el
        self.message_en = message_en
        self.status = status
        super().__init__(f"{message_el} / {message_en}")


class SiteUnavailable(SiteError):
    """No answer, or 5xx, after every retry: try again later."""

    code = "site-unavailable"


class SiteRefused(SiteError):
    """A 4xx answer: the request itself is wrong (unknown body, number taken, no rights)."""

    code = "site-refused"


def refusal(response):
    """SiteRefused from a 4xx answer, with the server's messages when it sent them."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    messages = body.get("messages") if isinstance(body, dict) else None
    messages = messages if isinstance(messages, dict) else {}
    fallback = body.get("message") if isinstance(body, dict) else None
    text = fallback or response.text[:300] or response.reason
    return SiteRefused(
        messages.get("el") or text,
        messages.get("en") or text,
        status=response.status_code,
    )


class SiteClient:
    """``/@digitization`` of one site, as one user, with retries."""

    def __init__(self, url, user, password, timeout=(10, 300), retries=5, backoff=1.0):
        self.url = url.rstrip("/")
        self.session = requests.Session()
        self.session.auth = (user, password)
        self.session.headers.update(JSON)
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff

    @classmethod
    def from_env(cls, **kwargs):
        """DIMOS_SITE_URL, DIMOS_SERVICE_USER, DIMOS_SERVICE_PASSWORD or $DIMOS_VAR/digitizer-password."""
        password = os.environ.get("DIMOS_SERVICE_PASSWORD")
        if not password:
            path = var_folder() / "digitizer-password"
            try:
                password = path.read_text().strip()
            except OSError:
                raise SiteError(
                    f"Δεν βρέθηκε ο κωδικός του λογαριασμού ψηφιοποίησης ({path}): "
                    "ορίστε DIMOS_SERVICE_PASSWORD ή DIMOS_VAR.",
                    f"The digitizer password was not found ({path}): "
                    "set DIMOS_SERVICE_PASSWORD or DIMOS_VAR.",
                ) from None
        return cls(
            os.environ.get("DIMOS_SITE_URL") or DEFAULT_SITE_URL,
            os.environ.get("DIMOS_SERVICE_USER") or DEFAULT_USER,
            password,
            **kwargs,
        )

    def request(self, method, path, **kwargs):
        """One request, retried on connection errors and 5xx; the last answer or SiteUnavailable."""
        url = f"{self.url}/{path}"
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as error:
                problem = type(error).__name__
                continue
            if response.status_code < 500:
                return response
            problem = f"HTTP {response.status_code}"
        raise SiteUnavailable(
            f"Ο ιστότοπος {self.url} δεν απαντά ({problem}).",
            f"The site {self.url} does not answer ({problem}).",
        )

    def lookup(self, sha256):
        """The site's summary of the record made from this file, or None."""
        response = self.request("GET", f"@digitization/{sha256}")
        if response.status_code == 404:
            return None
        if response.status_code >= 400:
            raise refusal(response)
        return response.json()

    def store(self, payload, files):
        """Create or update the record; the site's summary (``@id``, ``review_state``, ...).

        ``payload`` is the JSON part (``payload.to_payload``), ``files`` the file
        parts, ``{name: (filename, path, content type)}`` (``payload.file_parts``).
        Each file is read once: a retry sends the same bytes again.
        """
        parts = {"payload": (None, json.dumps(payload), "application/json")}
        for name, (filename, path, content_type) in files.items():
            parts[name] = (filename, Path(path).read_bytes(), content_type)
        response = self.request("POST", "@digitization", files=parts)
        if response.status_code >= 400:
            raise refusal(response)
        return response.json()
