"""POST / DELETE /@hotspots/{id}/key over HTTP: only IT issues and revokes; a key is shown once."""

from dimos.hotspots.usage import keys
from dimos.hotspots.usage.testing import create_hotspot
from dimos.hotspots.usage.testing import create_staff
from dimos.hotspots.usage.testing import JSON
from dimos.hotspots.usage.testing import post_report
from dimos.hotspots.usage.testing import report
from plone import api
from zope.annotation.interfaces import IAnnotations

import pytest
import requests
import transaction


@pytest.fixture
def site(functional_portal):
    create_hotspot(functional_portal)
    it, clerk = create_staff()
    transaction.commit()
    return functional_portal, functional_portal.absolute_url(), it, clerk


def key_call(url, method="POST", auth=None, headers=None, **kw):
    return requests.request(
        method,
        f"{url}/@hotspots/plateia/key",
        auth=auth,
        headers={**JSON, **(headers or {})},
        timeout=30,
        **kw,
    )


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["messages"]["el"] != error["messages"]["en"]
    return error


def test_it_issues_a_key_shown_once_and_only_its_hash_is_kept(site):
    portal, url, it, _clerk = site
    response = key_call(url, auth=it)
    assert response.status_code == 201, response.text
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    key = body["key"]
    assert key.startswith("dhk_") and len(key) == 4 + 43
    assert body["issued"] and body["header"] == "X-Hotspot-Key"
    transaction.begin()
    hotspot = portal["hotspots"]["plateia"]
    stored = IAnnotations(hotspot)[keys.ANNOTATION]
    assert key not in repr(dict(stored)) and stored["hash"] != key
    assert keys.verify_key(hotspot, key) and not keys.verify_key(hotspot, key + "x")
    assert keys.key_issued(hotspot)[1] == "it-officer"
    # the hotspot's REST view never shows it
    shown = requests.get(f"{url}/hotspots/plateia", auth=it, headers=JSON, timeout=30).text
    assert key not in shown and stored["hash"] not in shown


def test_a_new_key_replaces_the_old_and_revoking_leaves_none(site):
    portal, url, it, _clerk = site
    first = key_call(url, auth=it).json()["key"]
    second = key_call(url, auth=it).json()["key"]
    assert first != second
    assert post_report(url, "plateia", first, report("a")).status_code == 403
    assert post_report(url, "plateia", second, report("b")).status_code == 201
    revoked = key_call(url, "DELETE", auth=it, headers={"Content-Type": ""})
    assert revoked.status_code == 204 and revoked.content == b""
    assert post_report(url, "plateia", second, report("c")).status_code == 403
    transaction.begin()
    hotspot = portal["hotspots"]["plateia"]
    assert not keys.has_key(hotspot)
    assert [(e["action"], e["by"]) for e in keys.key_audit(hotspot)] == [
        ("issued", "it-officer"),
        ("issued", "it-officer"),
        ("revoked", "it-officer"),
    ]


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_anonymous_and_other_staff_cannot_touch_keys(site, method):
    portal, url, it, clerk = site
    key = key_call(url, auth=it).json()["key"]
    error = error_of(key_call(url, method), 401, "login-required")
    assert error["message"].startswith("Συνδεθείτε")
    english = key_call(url, method, auth=clerk, headers={"Accept-Language": "en"})
    assert error_of(english, 403, "forbidden")["message"] == (
        "Only the IT department manages the hotspots."
    )
    transaction.begin()
    hotspot = portal["hotspots"]["plateia"]
    assert keys.verify_key(hotspot, key)
    assert len(keys.key_audit(hotspot)) == 1


@pytest.mark.parametrize(
    "content_type,body",
    [
        ("application/x-www-form-urlencoded", "a=b"),
        (
            "multipart/form-data; boundary=xyz",
            '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--xyz--\r\n',
        ),
        ("text/plain", "a=b"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_key_calls_refuse_what_a_form_could_send(site, method, content_type, body):
    portal, url, it, _clerk = site
    key = key_call(url, auth=it).json()["key"]
    response = key_call(url, method, auth=it, headers={"Content-Type": content_type}, data=body)
    error_of(response, 415, "unsupported-content-type")
    transaction.begin()
    assert keys.verify_key(portal["hotspots"]["plateia"], key)


def test_a_post_with_no_content_type_and_no_body_is_refused(site):
    # what fetch(url, {method: "POST", mode: "no-cors", credentials: "include"}) sends
    portal, url, it, _clerk = site
    response = requests.post(
        f"{url}/@hotspots/plateia/key", auth=it, headers={"Accept": "application/json"}, timeout=30
    )
    error_of(response, 415, "unsupported-content-type")
    transaction.begin()
    assert not keys.has_key(portal["hotspots"]["plateia"])


def test_unknown_hotspot_is_404(site):
    _portal, url, it, _clerk = site
    response = requests.post(f"{url}/@hotspots/nowhere/key", auth=it, headers=JSON, timeout=30)
    assert response.status_code == 404


def test_site_managers_may_too(site):
    portal, url, _it, _clerk = site
    with api.env.adopt_roles(["Manager"]):
        api.user.create(email="admin2@example.org", username="admin2", password="Admin-D-2026")
        api.user.grant_roles(username="admin2", roles=["Site Administrator"])
    transaction.commit()
    assert key_call(url, auth=("admin2", "Admin-D-2026")).status_code == 201
