"""The place of an Event through the REST API: bad coordinates are refused in Greek and English
and change nothing."""

from dimos.hotspots.programme.testing import add_event
from dimos.hotspots.programme.testing import at
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD

import pytest
import requests
import transaction


OWNER = (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def event_url(functional_portal):
    event = add_event(functional_portal, "Συναυλία", at("2030-06-03", 20), area="kentro")
    transaction.commit()
    return event.absolute_url()


def patch(url, body):
    return requests.patch(url, json=body, auth=OWNER, headers=JSON, timeout=60)


def place(url):
    data = requests.get(url, auth=OWNER, headers=JSON, timeout=60).json()
    return data["area"]["token"] if data["area"] else None, data["latitude"], data["longitude"]


def test_set_and_read_the_place(event_url):
    response = patch(event_url, {"area": "paralia", "latitude": 40.6264, "longitude": "22.9484"})
    assert response.status_code == 204, response.text
    assert place(event_url) == ("paralia", 40.6264, 22.9484)
    response = patch(event_url, {"area": None, "latitude": None, "longitude": None})
    assert response.status_code == 204, response.text
    assert place(event_url) == (None, None, None)


@pytest.mark.parametrize(
    ("body", "el", "en"),
    [
        (
            {"latitude": 95, "longitude": 22.94},
            "Γεωγραφικό πλάτος 95",
            "Latitude 95.0 is out of range",
        ),
        (
            {"latitude": 22.94, "longitude": 40.63},
            "Μήπως αντιστράφηκαν",
            "Were latitude and longitude swapped?",
        ),
        (
            {"latitude": "abc", "longitude": 22.94},
            "«abc» δεν είναι αριθμός",
            "“abc” is not a number",
        ),
        ({"latitude": 40.63}, "Δώστε και γεωγραφικό πλάτος", "Give both latitude and longitude"),
        ({"longitude": 22.94}, "Δώστε και γεωγραφικό πλάτος", "Give both latitude and longitude"),
    ],
)
def test_bad_coordinates_are_refused(event_url, body, el, en):
    response = patch(event_url, body)
    assert response.status_code == 400, response.text
    message = (
        response.text.encode().decode("unicode_escape") if "\\u" in response.text else response.text
    )
    assert el in message and en in message
    assert place(event_url) == ("kentro", None, None)


def test_an_unknown_area_is_refused(event_url):
    response = patch(event_url, {"area": "atlantis"})
    assert response.status_code == 400, response.text
    assert place(event_url) == ("kentro", None, None)


def test_the_edit_form_has_the_place_fields(event_url):
    response = requests.get(f"{event_url}/@@edit", auth=OWNER, timeout=60)
    assert response.status_code == 200
    for name in ("IPlace.area", "IPlace.latitude", "IPlace.longitude"):
        assert f'name="form.widgets.{name}' in response.text, name
    assert "Τόπος / Place" in response.text
