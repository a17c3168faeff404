"""What a hotspot's captive portal holds (``portal.builder``), and how it is cached (``portal.caching``)."""

from datetime import datetime
from datetime import timedelta
from dimos.hotspots.portal import caching
from dimos.hotspots.portal.builder import build_portal
from dimos.hotspots.portal.builder import parse_eservice
from dimos.hotspots.portal.testing import AROUND_CENTRE
from dimos.hotspots.portal.testing import create_alert
from dimos.hotspots.portal.testing import create_event
from dimos.hotspots.portal.testing import create_hotspot
from dimos.hotspots.portal.testing import create_news
from dimos.hotspots.portal.testing import FAR
from dimos.hotspots.portal.testing import now as athens_now
from dimos.hotspots.portal.texts import format_when
from plone import api
from zoneinfo import ZoneInfo

import pytest


SITE = "http://nohost/plone"
ATHENS = ZoneInfo("Europe/Athens")


# --- plain Python -------------------------------------------------------------


@pytest.mark.parametrize(
    "line,lang,expected",
    [
        (
            "Κλήσεις ΚΟΚ|Traffic fines|@@traffic-fine",
            "el",
            ("Κλήσεις ΚΟΚ", f"{SITE}/@@traffic-fine"),
        ),
        (
            "Κλήσεις ΚΟΚ|Traffic fines|/@@traffic-fine",
            "en",
            ("Traffic fines", f"{SITE}/@@traffic-fine"),
        ),
        ("Κλήσεις|Fines|services/fines", "el", ("Κλήσεις", f"{SITE}/services/fines")),
        ("gov.gr|gov.gr|https://www.gov.gr/", "el", ("gov.gr", "https://www.gov.gr/")),
        ("Μόνο ελληνικά||@@rf-lookup", "en", ("Μόνο ελληνικά", f"{SITE}/@@rf-lookup")),
    ],
)
def test_an_eservice_line_becomes_a_link(line, lang, expected):
    link = parse_eservice(line, SITE + "/", lang)
    assert (link["title"], link["url"]) == expected


@pytest.mark.parametrize(
    "line",
    [
        "",
        "no pipes",
        "Α|B",
        "Α|B|",
        "||@@x",
        "Κακό|Bad|javascript:alert(1)",
        "Ξένο|Foreign|//evil.example",
    ],
)
def test_lines_that_are_no_safe_link_are_left_out(line):
    assert parse_eservice(line, SITE, "el") is None


def _at(hour, minute=0, second=0):
    return datetime(2026, 3, 7, hour, minute, second, tzinfo=ATHENS)


def test_the_window_is_the_minute_or_the_last_alert_change_within_it():
    changes = [_at(10, 0, 20), _at(10, 0, 40), _at(10, 5)]

    def next_change(moment):
        return min((c for c in changes if c > moment), default=None)

    assert caching.window_start(_at(10, 0, 10), next_change) == _at(10, 0, 0)
    assert caching.window_start(_at(10, 0, 30), next_change) == _at(10, 0, 20)
    assert caching.window_start(_at(10, 0, 59), next_change) == _at(10, 0, 40)
    assert caching.window_start(_at(10, 3, 59), next_change) == _at(10, 3)
    assert caching.window_start(_at(10, 3, 59), lambda moment: None) == _at(10, 3)


def test_microcache_seconds_stay_within_zero_and_a_minute():
    now = _at(10, 0, 0)
    assert caching.microcache_seconds(_at(10, 0, 25), now) == 25
    assert caching.microcache_seconds(_at(10, 0, 25).isoformat(), now) == 25
    assert caching.microcache_seconds(_at(10, 5), now) == 60
    assert caching.microcache_seconds(_at(9, 59), now) == 0


def test_in_the_last_second_of_a_minute_the_portal_is_still_kept_for_what_is_left():
    """Whole seconds would say 0 there: kept nowhere, every phone waiting on Zope, once a minute."""
    now = _at(10, 0, 59) + timedelta(milliseconds=300)
    assert caching.microcache_seconds(_at(10, 1), now) == 0.7
    assert caching.microcache_seconds(_at(10, 1), now + timedelta(microseconds=999)) == 0.699


def test_etags_are_strong_and_if_none_match_is_compared_weakly():
    tag = caching.etag('{"a": 1}')
    assert tag.startswith('"') and tag.endswith('"') and not tag.startswith("W/")
    assert tag == caching.etag(b'{"a": 1}') != caching.etag('{"a": 2}')
    assert caching.matches(tag, tag)
    assert caching.matches(f'"other", W/{tag}', tag)
    assert caching.matches("*", tag)
    assert not caching.matches('"other"', tag)
    assert not caching.matches(None, tag)


def test_event_times_in_greek_and_english():
    start = _at(19)
    assert format_when(start, start + timedelta(hours=2), lang="el") == "Σάβ 7 Μαρ, 19:00–21:00"
    assert format_when(start.isoformat(), None, lang="en") == "Sat 7 Mar, 19:00"
    assert format_when(start, start, whole_day=True, lang="en") == "Sat 7 Mar, all day"


# --- the portal of a spot --------------------------------------------------------


@pytest.fixture
def spot(portal):
    return create_hotspot(portal)


def test_the_portal_tells_the_spot_and_nothing_secret(portal, spot):
    now = athens_now()
    built = build_portal(spot, now=now)
    assert list(built) == [
        "alerts",
        "hotspot",
        "news",
        "events",
        "eservices",
        "generated",
        "valid_until",
    ]
    assert built["hotspot"] == {
        "id": "plateia",
        "title": "Πλατεία Ελευθερίας",
        "ssid": "Dimos-Free-WiFi",
        "address": "Πλατεία Ελευθερίας 1",
        "area": "kentro",
        "area_title": "Κέντρο",
        "latitude": 40.6322,
        "longitude": 22.942,
        "status": "in_service",
    }
    assert build_portal(spot, "en", now)["hotspot"]["area_title"] == "Centre"
    assert "ctrl-plateia" not in repr(built)
    assert built["generated"] == now.isoformat()
    assert built["valid_until"] == (now + timedelta(seconds=60)).isoformat()
    with pytest.raises(ValueError):
        build_portal(spot, "fr", now)


def test_alerts_covering_the_spot_are_there_others_not(portal, spot):
    far = create_hotspot(portal, "elaionas", "Πλατεία Ελαιώνα", point=FAR, area="elaionas")
    create_alert(
        portal, "Πλημμύρα στο κέντρο", polygons=[AROUND_CENTRE], headline_en="Flood downtown"
    )
    create_alert(portal, "Καύσωνας", severity="Extreme", event="Καύσωνας")
    create_alert(portal, "Άσκηση", cap_status="Exercise")
    now = athens_now()
    here = build_portal(spot, now=now)["alerts"]
    assert [alert["headline"] for alert in here] == ["Καύσωνας", "Πλημμύρα στο κέντρο"]
    assert here[0]["severity"] == "Extreme" and here[1]["instruction"] == "Μείνετε σε ψηλά σημεία."
    assert [a["headline"] for a in build_portal(far, now=now)["alerts"]] == ["Καύσωνας"]
    english = build_portal(spot, "en", now)["alerts"]
    assert [alert["headline"] for alert in english] == ["Καύσωνας", "Flood downtown"]


def test_valid_until_is_the_next_alert_change_when_sooner_than_a_minute(portal, spot):
    now = athens_now()
    create_alert(portal, "Σύντομη", expires=now + timedelta(seconds=25))
    built = build_portal(spot, now=now)
    assert [alert["headline"] for alert in built["alerts"]] == ["Σύντομη"]
    assert datetime.fromisoformat(built["valid_until"]) == now + timedelta(seconds=25)
    later = build_portal(spot, now=now + timedelta(seconds=26))
    assert later["alerts"] == []


def test_the_newest_news_of_the_whole_site_as_many_as_the_registry_says(portal, spot):
    now = athens_now()
    with api.env.adopt_roles(["Manager"]):
        folder = api.content.create(container=portal, type="Folder", title="Ανακοινώσεις")
        api.content.transition(folder, "publish")
    for days in (3, 1, 5, 2, 4, 6):
        create_news(portal, f"Νέο {days}", now - timedelta(days=days), description=f"Πριν {days}")
    create_news(folder, "Νέο 0", now - timedelta(hours=2))
    create_news(portal, "Αύριο", now + timedelta(days=1))  # not yet
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=portal, type="News Item", title="Πρόχειρο")  # private
    news = build_portal(spot, now=now)["news"]
    assert [item["title"] for item in news] == ["Νέο 0", "Νέο 1", "Νέο 2", "Νέο 3", "Νέο 4"]
    assert news[1]["description"] == "Πριν 1"
    assert news[0]["url"].startswith(folder.absolute_url() + "/")
    assert datetime.fromisoformat(news[1]["date"]).date() == (now - timedelta(days=1)).date()
    api.portal.set_registry_record("dimos.hotspots.news_count", 2)
    assert len(build_portal(spot, now=now)["news"]) == 2
    api.portal.set_registry_record("dimos.hotspots.news_count", 0)
    assert build_portal(spot, now=now)["news"] == []


def test_events_of_the_coming_days_near_the_spot(portal, spot):
    now = athens_now().replace(microsecond=0)
    create_event(
        portal, "Συναυλία", now + timedelta(days=1), location="Πλατεία", point=(40.633, 22.943)
    )
    create_event(portal, "Γιορτή", now + timedelta(hours=5), area="kentro")
    create_event(portal, "Μακριά", now + timedelta(days=1), point=FAR)
    create_event(portal, "Του χρόνου", now + timedelta(days=30))
    events = build_portal(spot, now=now)["events"]
    assert [event["title"] for event in events] == ["Γιορτή", "Συναυλία"]
    assert events[1]["location"] == "Πλατεία"
    assert datetime.fromisoformat(events[1]["start"]) == now + timedelta(days=1)
    assert build_portal(spot, "en", now)["events"][0]["area_title"] == "Centre"
    api.portal.set_registry_record("dimos.hotspots.events_days", 60)
    assert "Του χρόνου" in [event["title"] for event in build_portal(spot, now=now)["events"]]


def test_eservices_from_the_registry_in_the_language(portal, spot):
    api.portal.set_registry_record(
        "dimos.hotspots.eservices",
        [
            "Πληρωμή με RF|Pay with an RF code|@@rf-lookup",
            "gov.gr|gov.gr|https://www.gov.gr",
            "κακό",
        ],
    )
    url = portal.absolute_url()
    assert build_portal(spot)["eservices"] == [
        {"title": "Πληρωμή με RF", "url": f"{url}/@@rf-lookup"},
        {"title": "gov.gr", "url": "https://www.gov.gr"},
    ]
    assert build_portal(spot, "en")["eservices"][0]["title"] == "Pay with an RF code"


def test_an_out_of_service_spot_still_has_its_portal(portal):
    spot = create_hotspot(portal, "limani", "Λιμάνι", status="out_of_service")
    create_alert(portal, "Καύσωνας")
    built = build_portal(spot)
    assert built["hotspot"]["status"] == "out_of_service"
    assert [alert["headline"] for alert in built["alerts"]] == ["Καύσωνας"]


def test_the_stale_allowance_stops_before_the_next_alert_change():
    from dimos.hotspots.portal.caching import stale_seconds

    until = datetime(2026, 11, 22, 10, 0, 0, tzinfo=ZoneInfo("Europe/Athens"))
    assert stale_seconds(until, None) == 30
    assert stale_seconds(until.isoformat(), until + timedelta(seconds=12.5)) == 12
    assert stale_seconds(until, until) == 0
    assert stale_seconds(until, until + timedelta(hours=1)) == 30
