"""A Hotspot's coordinates, SSID and controller id are checked on the form and over REST.

The form (zope.testbrowser, an IT officer with a Greek browser) and
plone.restapi (``POST /hotspots``, ``PATCH``) refuse the same bad input with
the same Greek / English message, and nothing is created or changed.
"""

from dimos.hotspots.browser.validation import parse_degrees
from dimos.hotspots.content.hotspot import controller_key
from dimos.hotspots.content.hotspot import ssid_constraint
from plone import api
from plone.testing.zope import Browser

import pytest
import re
import requests
import transaction


IT_USER, IT_PASSWORD = "it-officer", "secret-it-1"
JSON = {"Accept": "application/json", "Content-Type": "application/json"}
GOOD = {
    "title": "Πλατεία Αγοράς",
    "latitude": "38.0123",
    "longitude": "23.7012",
    "address": "Πλατεία Αγοράς 1",
    "ssid": "Elaionas-Free-WiFi",
    "controller_id": "00:11:22:33:44:55",
}

# (what is typed, field with the error or None for the form's top, words of the Greek, English)
BAD_COORDINATES = [
    ({"latitude": "95"}, "latitude", "εκτός ορίων", "Latitude 95.0 is out of range"),
    ({"longitude": "200"}, "longitude", "εκτός ορίων", "Longitude 200.0 is out of range"),
    ({"latitude": "βόρεια"}, "latitude", "πρέπει να είναι αριθμός", "must be a number"),
    ({"longitude": "23°42'"}, "longitude", "πρέπει να είναι αριθμός", "must be a number"),
    (
        {"latitude": "23.7012", "longitude": "38.0123"},
        None,
        "Μήπως αντιστράφηκαν πλάτος και μήκος;",
        "Were latitude and longitude swapped?",
    ),
    (
        {"latitude": "41.9028", "longitude": "12.4964"},
        None,
        "εκτός της περιοχής του δήμου",
        "outside the municipality's area",
    ),
]


@pytest.fixture
def site(functional_portal):
    api.user.create(email="it@example.org", username=IT_USER, password=IT_PASSWORD)
    api.group.add_user(groupname="pliroforiki", username=IT_USER)
    transaction.commit()
    return functional_portal


def it_browser(app):
    browser = Browser(app)
    browser.raiseHttpErrors = False
    browser.addHeader("Authorization", f"Basic {IT_USER}:{IT_PASSWORD}")
    browser.addHeader("Accept-Language", "el")
    return browser


def fill(browser, values):
    names = {"title": "form.widgets.IBasic.title"}
    for key, value in values.items():
        browser.getControl(name=names.get(key, f"form.widgets.{key}")).value = value


def add(browser, url, **changes):
    browser.open(f"{url}/hotspots/++add++Hotspot")
    fill(browser, {**GOOD, **changes})
    browser.getControl(name="form.buttons.save").click()
    return browser


def field_error(browser, field):
    """The error message shown under ``field`` on the form, or None."""
    match = re.search(
        rf'id="formfield-form-widgets-{field}".*?<div class="invalid-feedback">(.*?)</div>',
        browser.contents,
        re.S,
    )
    return match and " ".join(match.group(1).split())


def form_errors(browser):
    """The form's own (invariant) errors, listed in the error message above the fields."""
    page = browser.contents
    if "statusmessage-error" not in page:
        return []
    start = page.index("statusmessage-error")
    box = page[start : page.index("</ul>", start)]
    return [
        " ".join(m.split()) for m in re.findall(r'class="invalid-feedback">(.*?)</div>', box, re.S)
    ]


def rest_message(response):
    """plone.restapi's 400: ``message`` is the list of errors as text."""
    return response.json()["message"]


def spots(portal):
    transaction.begin()
    return {spot.getId(): spot for spot in portal["hotspots"].objectValues()}


# --- plain Python ---------------------------------------------------------------------


def test_degrees_are_read_with_a_point_or_a_comma():
    assert parse_degrees("38.0123") == 38.0123
    assert parse_degrees(" 38,0123 ") == 38.0123
    assert parse_degrees("\u221223.7") == -23.7
    assert parse_degrees("38.012.3") is None
    assert parse_degrees("38°01'") is None
    assert parse_degrees("nan") is None and parse_degrees("inf") is None


def test_ssid_is_one_to_32_bytes():
    assert ssid_constraint("E" * 32)
    with pytest.raises(Exception, match="1 έως 32 bytes.*1 to 32 bytes"):
        ssid_constraint("Ε" * 17)  # Greek Epsilon: 34 bytes in UTF-8
    with pytest.raises(Exception, match="χαρακτήρες ελέγχου"):
        ssid_constraint("Wi\tFi")


def test_mac_addresses_compare_without_case_or_separators():
    assert controller_key("00:1A:2b:3C:4d:5E") == controller_key("001a.2b3c.4d5e")
    assert controller_key("00-1a-2b-3c-4d-5e") == "001a2b3c4d5e"
    assert controller_key("AP-Plateia") == "ap-plateia"


# --- the add and edit forms -----------------------------------------------------------


def test_a_good_hotspot_is_added_with_a_greek_browser(functional_app, site):
    url = site.absolute_url()
    browser = add(it_browser(functional_app), url, latitude="38,0123")  # Greek decimal comma
    assert browser.url.endswith("/hotspots/plateia-agoras/view")
    spot = spots(site)["plateia-agoras"]
    assert (spot.latitude, spot.longitude) == (38.0123, 23.7012)
    browser.open(f"{url}/hotspots/plateia-agoras/edit")
    # shown in full, with a point: saving the form does not round the coordinates
    assert browser.getControl(name="form.widgets.latitude").value == "38.0123"
    browser.getControl(name="form.buttons.save").click()
    assert spots(site)["plateia-agoras"].latitude == 38.0123


@pytest.mark.parametrize("changes, field, greek, english", BAD_COORDINATES)
def test_the_form_refuses_bad_coordinates(functional_app, site, changes, field, greek, english):
    browser = add(it_browser(functional_app), site.absolute_url(), **changes)
    assert browser.url.endswith("++add++Hotspot")  # still on the form
    if field:
        message = field_error(browser, field)
    else:
        message = " ".join(form_errors(browser))
    assert message and greek in message and english in message, (message, form_errors(browser))
    assert spots(site) == {}


def test_the_form_refuses_a_long_ssid_and_a_duplicate_controller(functional_app, site):
    url = site.absolute_url()
    browser = add(it_browser(functional_app), url, ssid="Δήμος-Ελαιώνα-Δωρεάν-WiFi")
    assert "1 έως 32 bytes" in field_error(browser, "ssid")
    assert "1 to 32 bytes" in field_error(browser, "ssid")
    assert spots(site) == {}

    add(browser, url)
    assert list(spots(site)) == ["plateia-agoras"]
    add(browser, url, title="Παραλία", controller_id="00-11-22-33-44-55")
    assert browser.url.endswith("++add++Hotspot")
    errors = " ".join(form_errors(browser))
    assert "«00-11-22-33-44-55» το έχει ήδη το σημείο «Πλατεία Αγοράς»" in errors
    assert "already used by the hotspot “Πλατεία Αγοράς”" in errors
    assert list(spots(site)) == ["plateia-agoras"]


def test_editing_keeps_its_own_controller_id_but_not_anothers(functional_app, site):
    url = site.absolute_url()
    browser = add(it_browser(functional_app), url)
    add(browser, url, title="Παραλία", controller_id="00:11:22:33:44:66")
    browser.open(f"{url}/hotspots/paralia/edit")
    fill(browser, {"address": "Παραλιακή 10"})
    browser.getControl(name="form.buttons.save").click()
    assert spots(site)["paralia"].address == "Παραλιακή 10"  # its own id is no duplicate

    browser.open(f"{url}/hotspots/paralia/edit")
    fill(browser, {"controller_id": "00:11:22:33:44:55", "latitude": "95"})
    browser.getControl(name="form.buttons.save").click()
    assert "out of range" in field_error(browser, "latitude")
    fill(browser, {"latitude": "38.0123"})
    browser.getControl(name="form.buttons.save").click()
    assert "already used by the hotspot" in " ".join(form_errors(browser))
    spot = spots(site)["paralia"]
    assert (spot.controller_id, spot.latitude) == ("00:11:22:33:44:66", 38.0123)


# --- plone.restapi --------------------------------------------------------------------


def rest_body(**changes):
    body = {"@type": "Hotspot", **GOOD, "latitude": 38.0123, "longitude": 23.7012}
    body.update(changes)
    return body


def post(url, body):
    return requests.post(
        f"{url}/hotspots", json=body, headers=JSON, auth=(IT_USER, IT_PASSWORD), timeout=60
    )


@pytest.mark.parametrize(
    "changes, greek, english",
    [
        ({"latitude": 95}, "εκτός ορίων", "Latitude 95.0 is out of range"),
        ({"longitude": 200}, "εκτός ορίων", "Longitude 200.0 is out of range"),
        ({"latitude": 23.7012, "longitude": 38.0123}, "αντιστράφηκαν", "swapped?"),
        ({"latitude": 41.9028, "longitude": 12.4964}, "εκτός της περιοχής", "outside"),
        ({"ssid": "Δήμος-Ελαιώνα-Δωρεάν-WiFi"}, "1 έως 32 bytes", "1 to 32 bytes"),
        ({"controller_id": "AP 1"}, "αναγνωριστικό του ελεγκτή", "controller id is 1 to 64"),
    ],
)
def test_rest_refuses_bad_hotspots(site, changes, greek, english):
    response = post(site.absolute_url(), rest_body(**changes))
    assert response.status_code == 400, response.text
    message = rest_message(response)
    assert greek in message and english in message, message
    assert spots(site) == {}


def test_rest_refuses_text_for_coordinates_and_takes_whole_degrees(site):
    response = post(site.absolute_url(), rest_body(latitude="βόρεια"))
    assert response.status_code == 400, response.text
    assert "πρέπει να είναι αριθμός" in rest_message(response)
    assert "must be a number" in rest_message(response)
    response = post(site.absolute_url(), rest_body(latitude=38, longitude="23,7012"))
    assert response.status_code == 201, response.text
    assert (spots(site)["plateia-agoras"].latitude, spots(site)["plateia-agoras"].longitude) == (
        38.0,
        23.7012,
    )


def test_rest_refuses_a_missing_latitude(site):
    response = post(site.absolute_url(), rest_body(latitude=None))
    assert response.status_code == 400, response.text
    assert spots(site) == {}


def test_rest_refuses_a_duplicate_controller_and_bad_patches(site):
    url = site.absolute_url()
    assert post(url, rest_body()).status_code == 201
    response = post(url, rest_body(title="Παραλία", controller_id="00:11:22:33:44:55"))
    assert response.status_code == 400
    assert "already used by the hotspot" in rest_message(response)
    assert "«00:11:22:33:44:55» το έχει ήδη το σημείο «Πλατεία Αγοράς»" in rest_message(response)
    assert list(spots(site)) == ["plateia-agoras"]

    spot_url = f"{url}/hotspots/plateia-agoras"
    patch = requests.patch(
        spot_url, json={"latitude": 95}, headers=JSON, auth=(IT_USER, IT_PASSWORD), timeout=60
    )
    assert patch.status_code == 400 and "Latitude 95.0 is out of range" in rest_message(patch)
    patch = requests.patch(
        spot_url,
        json={"latitude": 23.7012, "longitude": 38.0123},
        headers=JSON,
        auth=(IT_USER, IT_PASSWORD),
        timeout=60,
    )
    assert patch.status_code == 400 and "αντιστράφηκαν" in rest_message(patch)
    assert spots(site)["plateia-agoras"].latitude == 38.0123  # nothing changed
    patch = requests.patch(
        spot_url,
        json={"address": "Πλατεία Αγοράς 2"},
        headers=JSON,
        auth=(IT_USER, IT_PASSWORD),
        timeout=60,
    )
    assert patch.status_code == 204  # its own controller id is no duplicate
    assert spots(site)["plateia-agoras"].address == "Πλατεία Αγοράς 2"
