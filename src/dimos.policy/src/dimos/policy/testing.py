"""Test layers for dimos.policy: a Plone site with the Dimos policy installed."""

from pathlib import Path
from plone.app.testing import applyProfile
from plone.app.testing import FunctionalTesting
from plone.app.testing import IntegrationTesting
from plone.app.testing import PLONE_FIXTURE
from plone.app.testing import PloneSandboxLayer
from plone.testing.zope import WSGI_SERVER_FIXTURE

import dimos.policy
import json
import re


class DimosPolicyLayer(PloneSandboxLayer):
    defaultBases = (PLONE_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        import plone.restapi

        self.loadZCML(package=plone.restapi)
        self.loadZCML(package=dimos.policy)

    def setUpPloneSite(self, portal):
        # As on a real site (plone.app.testing leaves the default chain empty).
        portal.portal_workflow.setDefaultChain("simple_publication_workflow")
        applyProfile(portal, "plone.app.contenttypes:default")
        applyProfile(portal, "plone.restapi:default")
        applyProfile(portal, "dimos.policy:default")


DIMOS_POLICY_FIXTURE = DimosPolicyLayer()


def integration_and_functional(fixture, name):
    """The integration and functional (HTTP server) layers on top of ``fixture``."""
    return (
        IntegrationTesting(bases=(fixture,), name=f"{name}:IntegrationTesting"),
        FunctionalTesting(bases=(fixture, WSGI_SERVER_FIXTURE), name=f"{name}:FunctionalTesting"),
    )


DIMOS_POLICY_INTEGRATION_TESTING, DIMOS_POLICY_FUNCTIONAL_TESTING = integration_and_functional(
    DIMOS_POLICY_FIXTURE, "DimosPolicyLayer"
)


# --- HTTP examples for the API documentation ---------------------------------

HTTP_EXAMPLES = Path(__file__).resolve().parents[5] / "docs" / "http-examples"

# Values that change on every run, replaced so the saved examples only change
# when the API does.
_VOLATILE = (
    (re.compile(r"urn:uuid:[0-9a-f-]{36}"), "urn:uuid:0f8e2c1a-5b7d-4c3e-9a61-2d4f8b9c7e10"),
    (re.compile(r"(?m)^([A-Z]+) /plone\b"), r"\1 /dimos"),
    (re.compile(r"http://(localhost|127\.0\.0\.1):\d+/plone"), "http://localhost:8080/dimos"),
    (
        re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?"),
        "2026-03-02T10:15:00+02:00",
    ),
    (re.compile(r"\b[0-9a-f]{32}\b"), "0123456789abcdef0123456789abcdef"),
)


def _mask(text, secrets):
    for secret in secrets:
        text = text.replace(secret, "EXAMPLE-SECRET")
    for pattern, replacement in _VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def save_http_example(name, response, secrets=()):
    """Save a requests ``response`` and its request as ``<name>.req`` / ``<name>.resp``.

    ``secrets`` (e.g. a tracking token) are written as EXAMPLE-SECRET.

    docs/rest-api.md includes them, so the API documentation is what the
    tests really sent and received.
    """
    HTTP_EXAMPLES.mkdir(parents=True, exist_ok=True)
    request = response.request
    lines = [f"{request.method} {request.path_url} HTTP/1.1"]
    for header in ("Accept", "Content-Type", "Authorization"):
        if header in request.headers:
            value = "Basic <credentials>" if header == "Authorization" else request.headers[header]
            lines.append(f"{header}: {value}")
    body = request.body
    if body:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
        except ValueError:
            pass
        lines += ["", text]
    (HTTP_EXAMPLES / f"{name}.req").write_text(
        _mask("\n".join(lines), secrets) + "\n", encoding="utf-8"
    )
    lines = [f"HTTP/1.1 {response.status_code} {response.reason}"]
    lines.append(f"Content-Type: {response.headers.get('Content-Type', '')}")
    if "Location" in response.headers:
        lines.append(f"Location: {response.headers['Location']}")
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        if isinstance(body, dict):
            body.pop("traceback", None)  # plone.restapi shows Managers where an error came from
        text = json.dumps(body, ensure_ascii=False, indent=2)
    lines += ["", text]
    (HTTP_EXAMPLES / f"{name}.resp").write_text(
        _mask("\n".join(lines), secrets) + "\n", encoding="utf-8"
    )
