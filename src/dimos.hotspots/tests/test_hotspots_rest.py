"""GET /@hotspots, /@hotspots/{id} and /@hotspots/{id}/portal over HTTP, as a phone or a map asks.

The functional layer's real WSGI server; the content (spots, alerts, news,
events) is made through plone.api and committed. Anonymous throughout: the
portal is public. The calls are saved as docs/http-examples/hotspots-*.
"""

from datetime import datetime
from datetime import timedelta
from dimos.hotspots.portal.testing import AROUND_CENTRE
from dimos.hotspots.portal.testing import create_alert
from dimos.hotspots.portal.testing import create_event
from dimos.hotspots.portal.testing import create_hotspot
from dimos.hotspots.portal.testing import create_news
from dimos.hotspots.portal.testing import FAR
from dimos.hotspots.portal.testing import now
from dimos.policy.testing import save_http_example

import pytest
import requests
import transaction


JSON = {"Accept": "application/json"}
EXAMPLE_IDENTIFIER = "urn:uuid:0f8e2c1a-5b7d-4c3e-9a61-2d4f8b9c7e10"


@pytest.fixture
def site(functional_portal):
    create_hotspot(functional_portal)
    create_hotspot(
        functional_portal, "elaionas", "Άγιος Γεώργιος Ελαιώνα", point=FAR, area="elaionas"
    )
    transaction.commit()
    return functional_portal.absolute_url()


def get(url, path="@hotspots", headers=None, **params):
    return requests.get(
        f"{url}/{path}", headers={**JSON, **(headers or {})}, params=params, timeout=60
    )


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["messages"]["el"] != error["messages"]["en"]
    return error


def test_the_list_of_spots_is_public_and_tells_no_secret(site):
    response = get(site)
    assert response.status_code == 200, response.text
    found = response.json()
    assert found["@id"] == f"{site}/@hotspots"
    assert found["items_total"] == 2
    assert [item["id"] for item in found["items"]] == ["elaionas", "plateia"]  # by title
    spot = found["items"][1]
    assert spot == {
        "@id": f"{site}/@hotspots/plateia",
        "id": "plateia",
        "title": "Πλατεία Ελευθερίας",
        "latitude": 40.6322,
        "longitude": 22.942,
        "address": "Πλατεία Ελευθερίας 1",
        "area": "kentro",
        "status": "in_service",
        "portal": f"{site}/@hotspots/plateia/portal",
        "splash": f"{site}/hotspots/plateia/@@portal",
    }
    assert "ctrl-" not in response.text and "key" not in response.text
    save_http_example("hotspots-list", response)


def test_one_spot_public_facts_in_the_language_asked(site):
    response = get(site, "@hotspots/plateia")
    assert response.status_code == 200, response.text
    facts = response.json()
    assert facts["area_title"] == "Κέντρο" and facts["ssid"] == "Dimos-Free-WiFi"
    assert facts["portal"] == f"{site}/@hotspots/plateia/portal"
    assert "controller_id" not in facts and "ctrl-" not in response.text
    save_http_example("hotspots-info", response)
    assert get(site, "@hotspots/plateia", lang="en").json()["area_title"] == "Centre"
    english = get(site, "@hotspots/plateia", headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert english.json()["area_title"] == "Centre"


def test_an_unknown_spot_is_404_in_both_languages(site):
    response = get(site, "@hotspots/nowhere/portal")
    error = error_of(response, 404, "not-found")
    assert "nowhere" in error["messages"]["el"]
    save_http_example("hotspots-not-found", response)
    error_of(get(site, "@hotspots/nowhere"), 404, "not-found")


def test_a_language_other_than_greek_or_english_is_400(site):
    response = get(site, "@hotspots/plateia/portal", lang="fr")
    error = error_of(response, 400, "bad-language")
    assert error["value"] == "fr"
    assert "ETag" not in response.headers and "X-Dimos-Microcache" not in response.headers
    save_http_example("hotspots-portal-bad-language", response)
    error_of(get(site, "@hotspots/plateia", lang="de"), 400, "bad-language")


def test_the_portal_alerts_first_then_news_events_and_eservices(site, functional_portal):
    moment = now()
    alert = create_alert(
        functional_portal,
        "Πλημμύρα στο κέντρο",
        polygons=[AROUND_CENTRE],
        headline_en="Flood in the centre",
        instruction_en="Go to higher ground.",
    )
    alert.identifier = EXAMPLE_IDENTIFIER  # a new UUID on every run otherwise: the saved example
    create_news(functional_portal, "Νέα παιδική χαρά", moment - timedelta(days=1), "Στο πάρκο.")
    create_news(functional_portal, "Καθαρισμός ακτών", moment - timedelta(days=2))
    create_event(functional_portal, "Συναυλία", moment + timedelta(days=1), location="Πλατεία")
    transaction.commit()
    response = get(site, "@hotspots/plateia/portal")
    assert response.status_code == 200, response.text
    assert response.text.index('"alerts"') < response.text.index('"hotspot"')
    portal = response.json()
    assert set(portal) == {
        "alerts",
        "hotspot",
        "news",
        "events",
        "eservices",
        "generated",
        "valid_until",
    }
    assert [alert["headline"] for alert in portal["alerts"]] == ["Πλημμύρα στο κέντρο"]
    assert portal["alerts"][0]["severity"] == "Severe"
    assert portal["hotspot"]["id"] == "plateia" and portal["hotspot"]["status"] == "in_service"
    assert [item["title"] for item in portal["news"]] == ["Νέα παιδική χαρά", "Καθαρισμός ακτών"]
    assert [event["title"] for event in portal["events"]] == ["Συναυλία"]
    assert portal["eservices"][0] == {
        "title": "Πληρωμή οφειλών με κωδικό RF",
        "url": f"{site}/@@rf-lookup",
    }
    save_http_example("hotspots-portal", response)
    # The spot outside the flooded polygon has no alert; English on request.
    assert get(site, "@hotspots/elaionas/portal").json()["alerts"] == []
    english = get(site, "@hotspots/plateia/portal", lang="en").json()
    assert english["alerts"][0]["headline"] == "Flood in the centre"
    assert english["alerts"][0]["instruction"] == "Go to higher ground."
    assert english["eservices"][0]["title"] == "Pay with an RF code"
    assert english["hotspot"]["area_title"] == "Centre"


def _revalidate(site, path, **params):
    """A GET, then the same GET with its ETag: ``(first, second)``; again if a minute turned between."""
    for _attempt in range(3):
        first = get(site, path, **params)
        assert first.status_code == 200, first.text
        second = get(site, path, headers={"If-None-Match": first.headers["ETag"]}, **params)
        if second.status_code == 304 or second.headers["ETag"] == first.headers["ETag"]:
            return first, second
    return first, second


def test_caching_headers_and_a_304_for_the_copy_the_client_has(site, functional_portal):
    first, second = _revalidate(site, "@hotspots/plateia/portal")
    assert first.headers["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert first.headers["Vary"] == "Accept-Language"
    tag = first.headers["ETag"]
    assert tag.startswith('"') and len(tag) == 34
    assert 0 <= float(first.headers["X-Dimos-Microcache"]) <= 60
    assert first.headers["X-Dimos-Microcache-Stale"] == "30"  # no alert change ahead
    assert second.status_code == 304 and second.content == b""
    assert second.headers["ETag"] == tag
    # The Greek and the English portal are different bodies.
    english, _ = _revalidate(site, "@hotspots/plateia/portal", lang="en")
    assert english.headers["ETag"] != tag
    # New content: a new body, sent in full.
    create_news(functional_portal, "Έκτακτη ανακοίνωση", now() - timedelta(minutes=5))
    transaction.commit()
    changed = get(site, "@hotspots/plateia/portal", headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["ETag"] != tag
    assert changed.json()["news"][0]["title"] == "Έκτακτη ανακοίνωση"


def test_the_microcache_ends_when_an_alert_expires(site, functional_portal):
    expiry = now() + timedelta(seconds=25)
    create_alert(functional_portal, "Σύντομη ειδοποίηση", expires=expiry)
    transaction.commit()
    response = get(site, "@hotspots/plateia/portal")
    seconds = float(response.headers["X-Dimos-Microcache"])
    portal = response.json()
    assert [alert["headline"] for alert in portal["alerts"]] == ["Σύντομη ειδοποίηση"]
    assert datetime.fromisoformat(portal["valid_until"]) <= expiry
    assert 0 <= seconds <= (expiry - now()).total_seconds() + 1 <= 26
    # Past its time it may be handed out stale only until the alert expires.
    stale = int(response.headers.get("X-Dimos-Microcache-Stale", "0"))
    until = datetime.fromisoformat(portal["valid_until"]) + timedelta(seconds=stale)
    assert until <= expiry


def test_an_alert_about_to_begin_also_bounds_the_microcache(site, functional_portal):
    start = now() + timedelta(seconds=20)
    create_alert(functional_portal, "Σε λίγο", effective=start)
    transaction.commit()
    response = get(site, "@hotspots/plateia/portal")
    assert response.json()["alerts"] == []
    assert 0 <= float(response.headers["X-Dimos-Microcache"]) <= 20


def test_an_out_of_service_spot_still_speaks_for_the_municipality(site, functional_portal):
    functional_portal["hotspots"]["plateia"].status = "out_of_service"
    create_alert(functional_portal, "Καύσωνας", severity="Extreme")
    transaction.commit()
    portal = get(site, "@hotspots/plateia/portal").json()
    assert portal["hotspot"]["status"] == "out_of_service"
    assert [alert["headline"] for alert in portal["alerts"]] == ["Καύσωνας"]
    listed = get(site).json()["items"]
    assert {item["id"]: item["status"] for item in listed}["plateia"] == "out_of_service"


def test_a_spot_hidden_from_the_public_is_not_listed_nor_shown(site, functional_portal):
    functional_portal["hotspots"]["elaionas"].manage_permission("View", ["Manager"], acquire=False)
    functional_portal["hotspots"]["elaionas"].reindexObjectSecurity()
    transaction.commit()
    listed = get(site)
    assert listed.status_code == 200, listed.text
    assert [item["id"] for item in listed.json()["items"]] == ["plateia"]
    error_of(get(site, "@hotspots/elaionas"), 404, "not-found")
    error_of(get(site, "@hotspots/elaionas/portal"), 404, "not-found")
