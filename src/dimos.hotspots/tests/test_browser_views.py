"""A hotspot's page and the network's map over HTTP (zope.testbrowser): anonymous vs IT.

Anyone sees where a spot is, its network name and status, the links to its
welcome page; IT (permission «Dimos: Manage hotspots») also sees the
controller id, when it last reported, the red «δεν αναφέρει» flag, and the
links to the usage page and chart.
"""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.browser import formatting
from dimos.hotspots.browser.map import TILE_ATTRIBUTION
from dimos.hotspots.browser.map import TILE_URL
from plone import api
from plone.testing.zope import Browser

import html
import json
import pytest
import re
import transaction


IT_USER, IT_PASSWORD = "it-officer", "secret-it-1"
EDITOR, EDITOR_PASSWORD = "news-editor", "secret-ed-1"


def make_spot(folder, title, lat, lon, **fields):
    fields.setdefault("address", f"{title} 1")
    fields.setdefault("ssid", "Elaionas-Free-WiFi")
    fields.setdefault("area", "kentro")
    return api.content.create(
        container=folder, type="Hotspot", title=title, latitude=lat, longitude=lon, **fields
    )


@pytest.fixture
def site(functional_portal):
    api.user.create(email="it@example.org", username=IT_USER, password=IT_PASSWORD)
    api.group.add_user(groupname="pliroforiki", username=IT_USER)
    api.user.create(email="ed@example.org", username=EDITOR, password=EDITOR_PASSWORD)
    api.user.grant_roles(username=EDITOR, roles=["Editor"])
    now = datetime.now(UTC)
    folder = functional_portal["hotspots"]
    with api.env.adopt_roles(["Manager"]):
        fresh = make_spot(folder, "Πλατεία Αγοράς", 38.0123, 23.7012, controller_id="aa:01")
        fresh.last_seen = now - timedelta(minutes=5, seconds=10)
        silent = make_spot(
            folder, "Λιμάνι", 38.0051, 23.7101, controller_id="aa:02", area="paralia"
        )
        silent.last_seen = now - timedelta(hours=3)
        make_spot(
            folder, "Βιβλιοθήκη <b>", 38.0140, 23.6990, controller_id="aa:03", status="maintenance"
        )
    transaction.commit()
    return functional_portal


def browser(app, user=None, password=None):
    found = Browser(app)
    found.raiseHttpErrors = False
    found.addHeader("Accept-Language", "el")
    if user:
        found.addHeader("Authorization", f"Basic {user}:{password}")
    return found


def element(page, element_id):
    """The text of the element with ``element_id`` (tags removed, spaces squeezed)."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    if match is None:
        return None
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


# --- plain Python ---------------------------------------------------------------------


def test_how_long_ago_in_greek_and_english():
    now = datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
    assert formatting.ago(None, now) == ("Ποτέ", "Never")
    assert formatting.ago(now - timedelta(seconds=30), now) == ("μόλις τώρα", "just now")
    assert formatting.ago(now - timedelta(minutes=1), now) == ("πριν από 1 λεπτό", "1 minute ago")
    assert formatting.ago(now - timedelta(minutes=5), now) == ("πριν από 5 λεπτά", "5 minutes ago")
    assert formatting.ago(now - timedelta(hours=3), now) == ("πριν από 3 ώρες", "3 hours ago")
    assert formatting.ago(now - timedelta(days=4), now) == ("πριν από 4 ημέρες", "4 days ago")
    # Athens is UTC+3 in summer time (from 29 March 2026)
    assert formatting.local_time(now) == "31/03/2026 15:00"
    assert formatting.osm_link(38.0123, 23.7012) == (
        "https://www.openstreetmap.org/?mlat=38.012300&mlon=23.701200#map=18/38.012300/23.701200"
    )


# --- a hotspot's page -----------------------------------------------------------------


def test_anyone_sees_where_a_spot_is_and_its_welcome_page(functional_app, site):
    url = site.absolute_url()
    page = browser(functional_app)
    page.open(f"{url}/hotspots/plateia-agoras")
    assert page.headers["status"].startswith("200")
    text = page.contents
    assert element(text, "hotspot-name") == "Πλατεία Αγοράς"
    assert element(text, "hotspot-address") == "Πλατεία Αγοράς 1"
    assert element(text, "hotspot-area") == "Κέντρο / Centre"
    assert element(text, "hotspot-ssid") == "Elaionas-Free-WiFi"
    assert element(text, "hotspot-status") == "Σε λειτουργία / In service"
    osm = page.getLink(id="hotspot-osm")
    assert osm.url == formatting.osm_link(38.0123, 23.7012)
    assert "38.012300, 23.701200" in osm.text
    assert page.getLink(id="hotspot-portal-link").url == f"{url}/hotspots/plateia-agoras/@@portal"
    assert page.getLink(id="hotspot-portal-json").url == f"{url}/@hotspots/plateia-agoras/portal"
    # IT's facts and links are not there
    for it_only in ("hotspot-controller", "hotspot-last-seen", "hotspot-it", "hotspot-stale"):
        assert f'id="{it_only}"' not in text
    assert "@@usage" not in text and "aa:01" not in text


def test_an_editor_without_the_it_permission_sees_what_the_public_sees(functional_app, site):
    page = browser(functional_app, EDITOR, EDITOR_PASSWORD)
    page.open(f"{site.absolute_url()}/hotspots/limani")
    assert 'id="hotspot-it"' not in page.contents and "@@usage" not in page.contents


def test_it_sees_when_a_spot_last_reported_and_its_usage(functional_app, site):
    url = site.absolute_url()
    page = browser(functional_app, IT_USER, IT_PASSWORD)
    page.open(f"{url}/hotspots/plateia-agoras")
    text = page.contents
    assert element(text, "hotspot-controller") == "aa:01"
    seen = element(text, "hotspot-last-seen")
    assert seen.startswith("πριν από 5 λεπτά / 5 minutes ago (")
    spot = site["hotspots"]["plateia-agoras"]
    assert formatting.local_time(spot.last_seen) in seen
    assert 'data-stale="false"' in text and 'id="hotspot-stale"' not in text
    usage = page.getLink(id="hotspot-usage-link")
    assert usage.url == f"{url}/hotspots/plateia-agoras/@@usage"
    chart = re.search(r'<img id="hotspot-usage-chart"[^>]*>', text).group(0)
    assert f'src="{url}/hotspots/plateia-agoras/@@usage-chart.svg"' in chart
    assert 'alt="Χρήση του σημείου' in chart


def test_it_sees_a_red_flag_on_a_silent_spot(functional_app, site):
    page = browser(functional_app, IT_USER, IT_PASSWORD)
    page.open(f"{site.absolute_url()}/hotspots/limani")
    text = page.contents
    flag = element(text, "hotspot-stale")
    assert flag.startswith("Δεν αναφέρει / Not reporting")
    assert 'class="alert alert-danger dimos-stale"' in text
    assert element(text, "hotspot-last-seen").startswith("πριν από 3 ώρες / 3 hours ago")
    assert "δεν αναφέρει / not reporting" in element(text, "hotspot-last-seen")


# --- the map page ---------------------------------------------------------------------


def map_data(page):
    match = re.search(r'<div[^>]*id="hotspots-map"[^>]*>', page)
    tag = match.group(0)
    attribute = re.search(r'data-hotspots="([^"]*)"', tag).group(1)
    return json.loads(html.unescape(attribute)), tag


def test_the_map_page_has_a_table_and_the_spots_as_json(functional_app, site):
    url = site.absolute_url()
    page = browser(functional_app)
    page.open(f"{url}/hotspots")
    assert page.headers["status"].startswith("200")
    text = page.contents
    rows = re.findall(r'<tr data-hotspot="([^"]+)"', text)
    assert rows == ["bibliothiki-b", "limani", "plateia-agoras"]  # by title
    table = text[text.index('id="hotspots-table"') : text.index("</table>")]
    assert f'<a href="{url}/hotspots/limani">Λιμάνι</a>' in table
    assert "Βιβλιοθήκη &lt;b&gt;" in table and "<b>" not in table  # escaped
    assert "Παραλία" in table and "Σε συντήρηση" in table and "38.005100, 23.710100" in table

    data, tag = map_data(text)
    assert [spot["id"] for spot in data] == rows
    limani = data[1]
    assert limani["name"] == "Λιμάνι" and limani["url"] == f"{url}/hotspots/limani"
    assert (limani["lat"], limani["lon"], limani["status"]) == (38.0051, 23.7101, "in_service")
    assert "state" not in limani  # the public does not see which spots stopped reporting
    assert 'data-it="false"' in tag and "hidden" in tag
    assert f'data-tiles="{TILE_URL}"' in tag
    assert html.escape(TILE_ATTRIBUTION) in tag
    # Leaflet and the map script come from the site itself; no inline script
    assert f'src="{url}/++resource++dimos.hotspots/leaflet/leaflet.js"' in text
    assert f'src="{url}/++resource++dimos.hotspots/hotspots-map.js"' in text
    assert f'href="{url}/++resource++dimos.hotspots/leaflet/leaflet.css"' in text
    main = text[text.index('id="hotspots-map-page"') :]
    assert "<script" not in main[: main.index("</main>")]
    for resource in ("leaflet/leaflet.js", "hotspots-map.js", "leaflet/LICENSE"):
        page.open(f"{url}/++resource++dimos.hotspots/{resource}")
        assert page.headers["status"].startswith("200")


def test_it_gets_the_markers_coloured_by_state(functional_app, site):
    page = browser(functional_app, IT_USER, IT_PASSWORD)
    page.open(f"{site.absolute_url()}/hotspots")
    data, tag = map_data(page.contents)
    assert {spot["id"]: spot["state"] for spot in data} == {
        "bibliothiki-b": "maintenance",
        "limani": "stale",
        "plateia-agoras": "ok",
    }
    assert data[1]["state_el"] == "Δεν αναφέρει"
    assert 'data-it="true"' in tag and 'id="hotspots-legend"' in page.contents


def test_an_empty_network_says_so(functional_app, functional_portal):
    page = browser(functional_app)
    page.open(f"{functional_portal.absolute_url()}/hotspots")
    assert "Δεν υπάρχουν ακόμη σημεία WiFi." in page.contents
    data, tag = map_data(page.contents)
    assert data == [] and 'data-bounds="[34.5, 19.3, 41.8, 29.7]"' in tag
