"""programme.query: the events of a period, by area, near a hotspot, recurring ones expanded."""

from dimos.hotspots.programme.query import event_summary
from dimos.hotspots.programme.query import events_in
from dimos.hotspots.programme.query import events_near
from dimos.hotspots.programme.query import occurrences_near
from dimos.hotspots.programme.testing import add_event
from dimos.hotspots.programme.testing import add_hotspot
from dimos.hotspots.programme.testing import at
from dimos.hotspots.programme.testing import CENTRE
from dimos.hotspots.programme.testing import north_of
from plone import api
from plone.app.testing import logout

import datetime
import pytest


MONDAY = datetime.date(2030, 6, 3)
WEEK = (at(MONDAY), at(MONDAY + datetime.timedelta(days=7)))


def titles(occurrences):
    return [api_title(o) for o in occurrences]


def api_title(occurrence):
    from plone.event.interfaces import IEventAccessor

    return IEventAccessor(occurrence).title


@pytest.fixture
def events(portal):
    """A week's events in several places; one of them private, others outside the week."""
    day = MONDAY
    added = {
        "centre": add_event(portal, "Συναυλία Κέντρο", at(day, 20), area="kentro"),
        "seafront": add_event(portal, "Regatta Παραλία", at(day, 11), area="paralia"),
        "everywhere": add_event(portal, "Εβδομάδα ανακύκλωσης", at(day, 9)),
        "point-only": add_event(
            portal,
            "Θέατρο δρόμου",
            at(day + datetime.timedelta(days=1), 19),
            latitude=40.64,
            longitude=22.95,
        ),
        "private": add_event(portal, "Πρόβα (ιδιωτική)", at(day, 18), publish=False, area="kentro"),
        "before": add_event(
            portal, "Χθεσινό", at(day - datetime.timedelta(days=1), 10), area="kentro"
        ),
        "after": add_event(
            portal, "Την επόμενη εβδομάδα", at(day + datetime.timedelta(days=7), 0), area="kentro"
        ),
    }
    return added


def test_all_areas_in_time_order(events, portal):
    found = events_in(portal, *WEEK)
    assert titles(found) == [
        "Εβδομάδα ανακύκλωσης",
        "Regatta Παραλία",
        "Συναυλία Κέντρο",
        "Θέατρο δρόμου",
    ]


def test_one_area_and_the_municipality_wide_events(events, portal):
    assert titles(events_in(portal, *WEEK, area="kentro")) == [
        "Εβδομάδα ανακύκλωσης",
        "Συναυλία Κέντρο",
    ]
    assert titles(events_in(portal, *WEEK, area="paralia")) == [
        "Εβδομάδα ανακύκλωσης",
        "Regatta Παραλία",
    ]
    # An event with coordinates but no area belongs to no area's list
    assert "Θέατρο δρόμου" not in titles(events_in(portal, *WEEK, area="ano-poli"))


def test_period_boundaries(portal):
    start, end = WEEK
    add_event(portal, "Αρχίζει στην αρχή", start, end=start + datetime.timedelta(hours=1))
    add_event(portal, "Αρχίζει στο τέλος", end, end=end + datetime.timedelta(hours=1))
    add_event(portal, "Τελειώνει στην αρχή", start - datetime.timedelta(hours=2), end=start)
    add_event(
        portal,
        "Σε εξέλιξη",
        start - datetime.timedelta(days=2),
        end=start + datetime.timedelta(hours=3),
    )
    add_event(portal, "Λίγο πριν το τέλος", end - datetime.timedelta(minutes=1))
    assert titles(events_in(portal, start, end)) == [
        "Σε εξέλιξη",
        "Αρχίζει στην αρχή",
        "Λίγο πριν το τέλος",
    ]


def test_a_recurring_event_is_expanded(portal):
    add_event(
        portal,
        "Λαϊκή αγορά",
        at(MONDAY - datetime.timedelta(days=14), 8),
        end=at(MONDAY - datetime.timedelta(days=14), 13),
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO,TH;COUNT=20",
        area="kentro",
    )
    found = events_in(portal, *WEEK, area="kentro")
    starts = [event_summary(o)["start"] for o in found]
    assert starts == ["2030-06-03T08:00:00+03:00", "2030-06-06T08:00:00+03:00"]
    urls = [event_summary(o)["url"] for o in found]
    assert urls[0].endswith("/laiki-agora/2030-06-03") and urls[1].endswith(
        "/laiki-agora/2030-06-06"
    )


def test_unpublished_events_are_left_out_even_for_managers(events, portal):
    assert "Πρόβα (ιδιωτική)" not in titles(events_in(portal, *WEEK))
    logout()
    assert "Πρόβα (ιδιωτική)" not in titles(events_in(portal, *WEEK))
    assert len(events_in(portal, *WEEK)) == 4


def test_near_a_hotspot_by_radius_area_or_everywhere(portal):
    spot = add_hotspot(portal, area="ano-poli")
    api.portal.set_registry_record("dimos.hotspots.events_radius_km", 1.5)
    one_km = north_of(CENTRE, 1.0)
    five_km = north_of(CENTRE, 5.0)
    add_event(portal, "Ένα χιλιόμετρο", at(MONDAY, 18), latitude=one_km[0], longitude=one_km[1])
    add_event(portal, "Πέντε χιλιόμετρα", at(MONDAY, 18), latitude=five_km[0], longitude=five_km[1])
    add_event(
        portal,
        "Πέντε χιλιόμετρα, ίδια περιοχή",
        at(MONDAY, 19),
        area="ano-poli",
        latitude=five_km[0],
        longitude=five_km[1],
    )
    add_event(portal, "Άλλη περιοχή", at(MONDAY, 17), area="paralia")
    add_event(portal, "Παντού", at(MONDAY, 10))
    assert titles(occurrences_near(spot, *WEEK)) == [
        "Παντού",
        "Ένα χιλιόμετρο",
        "Πέντε χιλιόμετρα, ίδια περιοχή",
    ]
    api.portal.set_registry_record("dimos.hotspots.events_radius_km", 6.0)
    assert "Πέντε χιλιόμετρα" in titles(occurrences_near(spot, *WEEK))


def test_events_near_gives_the_summaries(portal):
    spot = add_hotspot(portal, area="kentro")
    fair = add_event(
        portal,
        "Έκθεση βιβλίου",
        at(MONDAY, 10),
        end=at(MONDAY, 21, 30),
        area="kentro",
        location="Πλατεία Αριστοτέλους",
        latitude=40.6325,
        longitude=22.9410,
    )
    add_event(
        portal, "Ημέρα περιβάλλοντος", at(MONDAY + datetime.timedelta(days=2)), whole_day=True
    )
    summaries = events_near(spot, *WEEK, lang="en")
    assert summaries[0] == {
        "title": "Έκθεση βιβλίου",
        "start": "2030-06-03T10:00:00+03:00",
        "end": "2030-06-03T21:30:00+03:00",
        "whole_day": False,
        "location": "Πλατεία Αριστοτέλους",
        "area": "kentro",
        "area_title": "Centre",
        "url": fair.absolute_url(),
        "latitude": 40.6325,
        "longitude": 22.9410,
    }
    assert events_near(spot, *WEEK)[0]["area_title"] == "Κέντρο"
    whole = summaries[1]
    assert whole["whole_day"] is True
    assert whole["start"] == "2030-06-05T00:00:00+03:00"
    assert whole["end"].startswith("2030-06-05T23:59:59")
    assert (whole["area"], whole["area_title"], whole["latitude"]) == (None, None, None)
