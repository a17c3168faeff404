"""Alerts over HTTP: /@alerts, @@cap.xml and the two feeds, as anonymous visitors and CAP consumers.

The functional layer's real WSGI server; alerts are created and published
through the content API and workflow, committed, then fetched with requests.
Some calls are saved as docs/http-examples/hotspots-alerts-*.
"""

from dimos.hotspots.alerts import times
from dimos.hotspots.alerts.testing import CENTRE_SQUARE
from dimos.hotspots.alerts.testing import make_alert
from dimos.hotspots.alerts.testing import make_hotspot
from dimos.policy.testing import save_http_example
from lxml import etree
from plone import api
from plone.app.testing import setRoles
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.app.testing import TEST_USER_ID

import datetime
import pytest
import requests
import time
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ACCEPT = {"Accept": "application/json"}
OWNER = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}
EXAMPLE_IDENTIFIER = "urn:uuid:5b0e3c2e-4f1a-4d6b-9a51-2f0d8c7e1a10"


@pytest.fixture
def site(functional_portal):
    setRoles(functional_portal, TEST_USER_ID, ["Manager"])
    return functional_portal


def url_of(portal):
    return portal.absolute_url()


def get_alerts(portal, **params):
    return requests.get(f"{url_of(portal)}/@alerts", params=params, headers=ACCEPT, timeout=60)


def headlines(response):
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["items_total"] == len(body["items"])
    return [item["headline"] for item in body["items"]]


def feed_titles(portal, name):
    response = requests.get(f"{url_of(portal)}/@@{name}", timeout=60)
    assert response.status_code == 200
    root = etree.fromstring(response.content)
    return [e.findtext("atom:title", namespaces=NS) for e in root.findall("atom:entry", NS)]


def test_publishing_shows_the_alert_at_once(site):
    with api.env.adopt_roles(["Manager"]):
        alert = make_alert(
            site, publish=False, alert_id="plimmyra-kentro", headline_en="Flooding in the centre"
        )
        alert.identifier = EXAMPLE_IDENTIFIER
    transaction.commit()
    assert headlines(get_alerts(site)) == []
    assert feed_titles(site, "alerts.cap") == [] and feed_titles(site, "alerts.atom") == []
    draft = requests.get(f"{alert.absolute_url()}/@@cap.xml", allow_redirects=False, timeout=60)
    assert draft.status_code in (302, 401, 403, 404)  # anonymous cannot see a draft
    assert b"urn:oasis" not in draft.content
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(alert, transition="publish")
    transaction.commit()
    response = get_alerts(site)
    assert headlines(response) == ["Πλημμύρα στο κέντρο"]
    save_http_example("hotspots-alerts-get", response)
    english = get_alerts(site, lang="en")
    assert headlines(english) == ["Flooding in the centre"]
    assert feed_titles(site, "alerts.cap") == ["Πλημμύρα στο κέντρο"]
    assert feed_titles(site, "alerts.atom") == ["Πλημμύρα στο κέντρο"]
    cap = requests.get(f"{alert.absolute_url()}/@@cap.xml", timeout=60)
    assert cap.headers["Content-Type"] == "application/cap+xml; charset=utf-8"
    assert etree.fromstring(cap.content).findtext("cap:msgType", namespaces=NS) == "Alert"
    save_http_example("hotspots-alerts-cap-xml", cap)


def test_an_alert_disappears_when_it_expires(site):
    now = times.now()
    with api.env.adopt_roles(["Manager"]):
        make_alert(site, title="Σύντομη", cap_expires=now + datetime.timedelta(seconds=2))
        make_alert(site, title="Αύριο", cap_effective=now + datetime.timedelta(days=1))
    transaction.commit()
    response = get_alerts(site)
    assert headlines(response) == ["Σύντομη"]
    feed = requests.get(f"{url_of(site)}/@@alerts.atom", timeout=60)
    assert 0 <= float(feed.headers["X-Dimos-Microcache"]) <= 2
    time.sleep(2.5)
    assert headlines(get_alerts(site)) == []
    assert feed_titles(site, "alerts.atom") == []


def test_a_hotspot_s_alerts(site):
    with api.env.adopt_roles(["Manager"]):
        make_hotspot(site, "plateia", 40.01, 22.01)
        make_hotspot(site, "elaionas", 40.2, 22.3)
        make_alert(site, title="Σε όλο τον δήμο")
        make_alert(site, title="Στο κέντρο", polygons=[CENTRE_SQUARE], severity="Extreme")
    transaction.commit()
    assert headlines(get_alerts(site, hotspot="plateia")) == ["Στο κέντρο", "Σε όλο τον δήμο"]
    assert headlines(get_alerts(site, hotspot="elaionas")) == ["Σε όλο τον δήμο"]
    unknown = get_alerts(site, hotspot="kanena")
    assert unknown.status_code == 404
    error = unknown.json()["error"]
    assert error["code"] == "not-found"
    assert "kanena" in error["messages"]["el"] and "kanena" in error["messages"]["en"]
    save_http_example("hotspots-alerts-unknown-hotspot", unknown)


def test_a_withdrawn_alert_leaves_the_portal_and_is_cancelled_on_the_cap_feed(site):
    with api.env.adopt_roles(["Manager"]):
        alert = make_alert(site)
    transaction.commit()
    one = requests.get(f"{url_of(site)}/@alerts/{alert.getId()}", headers=ACCEPT, timeout=60)
    assert one.status_code == 200 and one.json()["identifier"] == alert.identifier
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(alert, transition="withdraw", comment="Λήξη κινδύνου")
    transaction.commit()
    assert headlines(get_alerts(site)) == []
    assert feed_titles(site, "alerts.atom") == []
    gone = requests.get(f"{url_of(site)}/@alerts/{alert.getId()}", headers=ACCEPT, timeout=60)
    assert gone.status_code == 404
    response = requests.get(f"{url_of(site)}/@@alerts.cap", timeout=60)
    (entry,) = etree.fromstring(response.content).findall("atom:entry", NS)
    embedded = entry.find("atom:content/cap:alert", NS)
    assert embedded.findtext("cap:msgType", namespaces=NS) == "Cancel"
    assert embedded.findtext("cap:note", namespaces=NS).startswith("Λήξη κινδύνου")
    # Still public: CAP consumers fetch the Cancel itself.
    cancel = requests.get(f"{alert.absolute_url()}/@@cap.xml", timeout=60)
    assert etree.fromstring(cancel.content).findtext("cap:msgType", namespaces=NS) == "Cancel"


def test_feeds_cache_headers_and_not_modified(site):
    with api.env.adopt_roles(["Manager"]):
        make_alert(site)
    transaction.commit()
    for name in ("alerts.cap", "alerts.atom"):
        response = requests.get(f"{url_of(site)}/@@{name}", timeout=60)
        assert response.headers["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert response.headers["Cache-Control"] == "public, max-age=60"
        assert response.headers["Last-Modified"].endswith(" GMT")
        assert 0 < float(response.headers["X-Dimos-Microcache"]) <= 60
        etag = response.headers["ETag"]
        again = requests.get(
            f"{url_of(site)}/@@{name}", headers={"If-None-Match": etag}, timeout=60
        )
        assert again.status_code == 304 and again.content == b""


def post_alert(portal, **fields):
    now = times.now()
    body = {
        "@type": "Alert",
        "title": "Πυρκαγιά",
        "event": "Πυρκαγιά",
        "categories": ["Fire"],
        "urgency": "Immediate",
        "severity": "Extreme",
        "certainty": "Observed",
        "cap_effective": now.isoformat(),
        "cap_expires": (now + datetime.timedelta(hours=6)).isoformat(),
        "area_desc": "Άνω Πόλη",
        **fields,
    }
    return requests.post(
        f"{url_of(portal)}/alerts", json=body, headers=JSON, auth=OWNER, timeout=60
    )


def error_text(response):
    """plone.restapi's 400 message, with its escaped Greek made readable."""
    assert response.status_code == 400, response.text
    message = response.json()["message"]
    return message.encode("ascii", "backslashreplace").decode("unicode_escape")


def test_bad_areas_and_times_are_refused_over_rest(site):
    transaction.commit()
    bad_polygon = post_alert(site, polygons=["40.0,22.0 40.0,22.02 40.02,22.02 40.02,22.0"])
    message = error_text(bad_polygon)
    assert (
        "Γραμμή 1: Το πολύγωνο δεν κλείνει" in message
        and "Line 1: The polygon is not closed" in message
    )
    save_http_example("hotspots-alerts-post-bad-polygon", bad_polygon)
    bad_circle = post_alert(site, circles=["40.0,22.0 -3"])
    message = error_text(bad_circle)
    assert "αρνητική" in message and "negative" in message
    now = times.now()
    backwards = post_alert(
        site,
        cap_effective=now.isoformat(),
        cap_expires=(now - datetime.timedelta(hours=1)).isoformat(),
    )
    message = error_text(backwards)
    assert "λήγει μετά" in message and "expire after" in message
    transaction.begin()
    assert list(site["alerts"].objectIds()) == []
    good = post_alert(site, polygons=[CENTRE_SQUARE])
    assert good.status_code == 201, good.text
    transaction.begin()
    (alert,) = site["alerts"].objectValues()
    assert alert.identifier.startswith("urn:uuid:")
    assert alert.cap_effective.tzinfo is not None
    assert alert.effective_date.timeTime() == pytest.approx(alert.cap_effective.timestamp())
