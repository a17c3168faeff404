"""The behavior dimos.hotspots.place on Plone's Event: area and coordinates, checked."""

from dimos.hotspots import geo
from dimos.hotspots.behaviors.place import check_place
from dimos.hotspots.behaviors.place import CoordinateInvalid
from dimos.hotspots.behaviors.place import IPlace
from dimos.hotspots.programme.testing import add_event
from dimos.hotspots.programme.testing import at
from plone import api
from plone.behavior.interfaces import IBehavior
from zope.component import getUtility
from zope.interface import Invalid

import pytest


class Data:
    """What a form or the REST API validates: the values, by attribute."""

    def __init__(self, **values):
        self.__dict__.update(values)


def messages(**values):
    try:
        IPlace.validateInvariants(Data(**values))
    except Invalid as error:
        return str(error)
    return None


def test_the_event_type_keeps_its_behaviors(portal):
    behaviors = api.portal.get_tool("portal_types")["Event"].behaviors
    assert "dimos.hotspots.place" in behaviors
    for kept in (
        "plone.eventbasic",
        "plone.eventrecurrence",
        "plone.eventlocation",
        "plone.dublincore",
    ):
        assert kept in behaviors
    assert list(behaviors).count("dimos.hotspots.place") == 1
    assert getUtility(IBehavior, name="dimos.hotspots.place").interface is IPlace


def test_reinstalling_does_not_repeat_the_behavior(portal):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dimos.hotspots:default", "typeinfo")
    behaviors = api.portal.get_tool("portal_types")["Event"].behaviors
    assert list(behaviors).count("dimos.hotspots.place") == 1
    assert "plone.eventbasic" in behaviors


def test_an_event_takes_a_place(portal):
    event = add_event(
        portal,
        "Συναυλία στην πλατεία",
        at("2030-06-03", 20),
        area="kentro",
        latitude=40.6322,
        longitude=22.9420,
    )
    assert IPlace.providedBy(event)
    assert (event.area, event.latitude, event.longitude) == ("kentro", 40.6322, 22.9420)
    assert messages(latitude=event.latitude, longitude=event.longitude) is None
    # no place at all: municipality-wide
    other = add_event(portal, "Εβδομάδα ανακύκλωσης", at("2030-06-03", 9))
    assert (other.area, other.latitude, other.longitude) == (None, None, None)


def test_bad_coordinates_are_refused_in_greek_and_english(portal):
    out_of_range = messages(latitude=95.0, longitude=22.94)
    assert "Γεωγραφικό πλάτος 95.0 εκτός ορίων" in out_of_range
    assert "Latitude 95.0 is out of range" in out_of_range
    swapped = messages(latitude=22.9420, longitude=40.6322)
    assert "Μήπως αντιστράφηκαν" in swapped and "Were latitude and longitude swapped?" in swapped
    only_one = messages(latitude=40.6322, longitude=None)
    assert "Δώστε και γεωγραφικό πλάτος και γεωγραφικό μήκος" in only_one
    assert "Give both latitude and longitude, or neither" in only_one
    assert "Give both" in messages(latitude=None, longitude=22.94)
    abroad = messages(latitude=48.85, longitude=2.35)  # Paris: outside the service area
    assert "εκτός της περιοχής του δήμου" in abroad and "outside the municipality's area" in abroad
    assert messages(latitude=None, longitude=None) is None


def test_the_registry_service_area_is_the_limit(portal):
    api.portal.set_registry_record("dimos.hotspots.service_area", "40.5,22.8,40.8,23.1")
    assert messages(latitude=40.6322, longitude=22.9420) is None
    athens = messages(latitude=37.9838, longitude=23.7275)
    assert "40.5–40.8" in athens


def test_text_is_read_as_geo_reads_it():
    field = IPlace["latitude"]
    assert field.fromUnicode(" 40.6322 ") == 40.6322
    assert IPlace["longitude"].fromUnicode("\u221222.5") == -22.5  # a typographic minus
    assert field.fromUnicode("") is None
    with pytest.raises(CoordinateInvalid) as raised:
        field.fromUnicode("abc")
    assert "«abc» δεν είναι αριθμός" in str(raised.value)
    assert "“abc” is not a number" in raised.value.doc()
    with pytest.raises(CoordinateInvalid) as raised:
        IPlace["longitude"].fromUnicode("abc")
    assert "γεωγραφικό μήκος" in str(raised.value) and "longitude" in str(raised.value)


def test_check_place_without_a_site():
    assert check_place(None, None) is None
    assert check_place("40.6322", "22.9420") == geo.Point(40.6322, 22.9420)
    with pytest.raises(geo.CoordinatesError) as raised:
        check_place(40.6322, None)
    assert raised.value.el.startswith("Δώστε") and raised.value.en.startswith("Give both")
    with pytest.raises(geo.CoordinatesError):
        check_place(95, 22.9)


def test_the_area_must_be_one_of_the_registry(portal):
    event = add_event(portal, "Έκθεση", at("2030-06-03", 10))
    field = IPlace["area"].bind(event)
    field.validate("paralia")
    with pytest.raises(Exception):  # noqa: B017, PT011 - zope.schema's ConstraintNotSatisfied
        field.validate("atlantis")
