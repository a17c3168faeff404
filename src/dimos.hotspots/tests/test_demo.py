"""The demo profile: Δήμος Ελαιώνα's 20 hotspots, valid, clustered, created once."""

from collections import Counter
from dimos.hotspots import geo
from dimos.hotspots.content.hotspot import IHotspot
from dimos.hotspots.setuphandlers import demo
from dimos.hotspots.vocabularies import areas
from plone import api
from plone.app.testing import applyProfile


def test_the_demo_creates_20_valid_hotspots_once(portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "dimos.hotspots:demo")
        folder = portal["hotspots"]
        first = {spot.getId(): spot.controller_id for spot in folder.objectValues()}
        events = len(api.content.find(portal_type="Event", id=[e[0] for e in demo.EVENTS]))
        applyProfile(portal, "dimos.hotspots:demo")  # again: nothing new
    spots = list(folder.objectValues())
    assert len(spots) == 20
    assert {spot.getId(): spot.controller_id for spot in spots} == first
    assert len(api.content.find(portal_type="Event", id=[e[0] for e in demo.EVENTS])) == events

    tokens = {token for token, _el, _en in areas()}
    assert {spot.area for spot in spots} == tokens  # every area has spots
    assert Counter(spot.status for spot in spots) == {"in_service": 19, "maintenance": 1}
    assert len({spot.controller_id for spot in spots}) == 20
    assert {spot.ssid for spot in spots} == {"Elaionas-Free-WiFi"}
    centre = geo.Point(38.0, 23.7)
    for spot in spots:
        IHotspot.validateInvariants(spot)  # in the service area, controller id unique
        for name in ("latitude", "longitude", "ssid", "controller_id", "address"):
            IHotspot[name].bind(spot).validate(getattr(spot, name))
        assert geo.distance_km(centre, spot.point()) < 2  # one small town
        assert api.content.get_state(spot) == "published"


def test_the_demo_events_are_near_the_spots_when_events_have_a_place(portal):
    with api.env.adopt_roles(["Manager"]):
        applyProfile(portal, "dimos.hotspots:demo")
    found = api.content.find(portal_type="Event", id=[e[0] for e in demo.EVENTS])
    if not demo._place_behavior_on_events():
        assert found == []
        return
    assert len(found) == 2
    for brain in found:
        event = brain.getObject()
        assert event.area in {"paralia", "palia-poli"}
        assert (
            geo.distance_km(geo.Point(38.0, 23.7), geo.Point(event.latitude, event.longitude)) < 2
        )
        assert api.content.get_state(event) == "published"
