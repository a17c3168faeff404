"""The captive portal on a real Zope, as `make start` runs it: the micro-cache in its wsgi.ini,
and Varnish in front (``dimos.hotspots.proxy``, Zope told of it by ``DIMOS_VARNISH``).

Each test runs twice: talking to Zope, and talking to Varnish. An alert
published through REST shows on the next request, although the portal was
being served from memory; an alert leaves the portal when it expires,
without anyone touching the site; the splash page goes the same way.
"""

from datetime import datetime
from datetime import timedelta
from dimos.hotspots.alerts.testing import rest_payload
from dimos.hotspots.proxy import Varnish
from dimos.policy.testing_instance import free_port
from dimos.policy.testing_instance import ThrowawayInstance
from zoneinfo import ZoneInfo

import contextlib
import pytest
import requests
import time


pytestmark = pytest.mark.slow

ATHENS = ZoneInfo("Europe/Athens")
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture(scope="module", params=["zope", "varnish"])
def site(request, tmp_path_factory):
    instance = ThrowawayInstance(tmp_path_factory.mktemp("portal-e2e"))
    instance.create_site("--no-demo")
    front = contextlib.nullcontext()
    url = instance.url
    if request.param == "varnish":
        port = free_port()
        instance.env["DIMOS_VARNISH"] = f"127.0.0.1:{port}"
        front = Varnish(backend=("127.0.0.1", instance.port), port=port)
        url = f"http://127.0.0.1:{port}/dimos"  # reads and writes, as a phone and a clerk would
    with instance.serving(), front:
        session = requests.Session()
        session.auth = instance.admin()
        answer = session.post(
            f"{url}/hotspots",
            json={
                "@type": "Hotspot",
                "title": "Πλατεία Αγοράς",
                "latitude": 38.0120,
                "longitude": 23.7010,
                "address": "Πλατεία Αγοράς 1",
                "ssid": "Elaionas-Free-WiFi",
                "controller_id": "02:00:00:00:00:01",
            },
            headers=JSON,
            timeout=60,
        )
        assert answer.status_code == 201, answer.text
        yield url, session, answer.json()["id"]


def alert(session, site, title, expires_in):
    answer = session.post(
        f"{site}/alerts", json=rest_payload(title, expires_in), headers=JSON, timeout=60
    )
    assert answer.status_code == 201, answer.text
    return answer.json()["@id"]


def portal(site, spot):
    answer = requests.get(f"{site}/@hotspots/{spot}/portal", headers=JSON, timeout=30)
    assert answer.status_code == 200, answer.text
    for private in ("X-Dimos-Microcache", "X-Dimos-Microcache-Stale", "X-Dimos-Kept"):
        assert private not in answer.headers
    return answer.headers["X-Dimos-Cache"], [a["headline"] for a in answer.json()["alerts"]]


def served_from_memory(site, spot, alerts):
    """The portal comes from the micro-cache, with ``alerts``.

    An entry lives until the end of the portal's minute (or the next alert
    change), so one of three requests in a row is answered from memory.
    """
    answers = [portal(site, spot) for _ in range(3)]
    return ("hit", alerts) in answers and all(found == alerts for _, found in answers)


def test_a_published_alert_shows_at_once_though_the_portal_was_served_from_memory(site):
    url, session, spot = site
    assert served_from_memory(url, spot, [])
    created = alert(session, url, "Κίνδυνος πλημμύρας", timedelta(hours=2))
    assert served_from_memory(url, spot, [])  # a draft changes nothing the public sees...
    published = session.post(f"{created}/@workflow/publish", headers=JSON, timeout=60)
    assert published.status_code == 200, published.text
    assert portal(url, spot) == ("miss", ["Κίνδυνος πλημμύρας"])  # ...its publication does
    assert served_from_memory(url, spot, ["Κίνδυνος πλημμύρας"])
    splash = requests.get(f"{url}/hotspots/{spot}/@@portal", timeout=30)
    assert splash.status_code == 200
    assert "Κίνδυνος πλημμύρας" in splash.text
    withdrawn = session.post(f"{created}/@workflow/withdraw", headers=JSON, timeout=60)
    assert withdrawn.status_code == 200, withdrawn.text
    assert portal(url, spot)[1] == []


def test_an_alert_leaves_the_portal_when_it_expires(site):
    url, session, spot = site
    created = alert(session, url, "Σύντομη ειδοποίηση", timedelta(seconds=4))
    session.post(f"{created}/@workflow/publish", headers=JSON, timeout=60).raise_for_status()
    expires = datetime.fromisoformat(session.get(created, headers=JSON).json()["cap_expires"])
    assert served_from_memory(url, spot, ["Σύντομη ειδοποίηση"])
    while datetime.now(ATHENS) < expires:
        time.sleep(0.2)
    time.sleep(0.3)
    assert "Σύντομη ειδοποίηση" not in portal(url, spot)[1]


def test_what_a_signed_in_clerk_sees_is_never_kept(site):
    url, session, spot = site
    answers = [session.get(f"{url}/@hotspots/{spot}/portal", headers=JSON) for _ in range(2)]
    # Zope's micro-cache lets it through unmarked; Varnish says "pass".
    assert [a.headers.get("X-Dimos-Cache", "pass") for a in answers] == ["pass", "pass"]
    assert all(a.status_code == 200 and "alerts" in a.json() for a in answers)
