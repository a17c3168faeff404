"""GET /@events-programme (JSON and iCalendar) and the page @@events-programme, over real HTTP.

The events are real Events of the functional site, committed; anonymous
visitors ask, as the public and calendar applications do. The calls the API
documentation shows are saved as docs/http-examples/hotspots-events-programme*.
"""

from dimos.hotspots.programme.period import TIME_ZONE
from dimos.hotspots.programme.testing import add_event
from dimos.hotspots.programme.testing import add_hotspot
from dimos.hotspots.programme.testing import at
from dimos.hotspots.programme.testing import CENTRE
from dimos.hotspots.programme.testing import north_of
from dimos.policy.testing import HTTP_EXAMPLES
from dimos.policy.testing import save_http_example
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import datetime
import html
import icalendar
import pytest
import re
import requests
import transaction


JSON = {"Accept": "application/json"}
WEEK = {"start": "2030-06-03", "end": "2030-06-10"}
MONDAY = datetime.date(2030, 6, 3)


@pytest.fixture
def site(functional_portal):
    portal = functional_portal
    add_event(
        portal,
        "Συναυλία της Φιλαρμονικής",
        at(MONDAY, 20, 30),
        end=at(MONDAY, 22),
        area="kentro",
        location="Πλατεία Ελευθερίας",
        latitude=CENTRE[0],
        longitude=CENTRE[1],
    )
    add_event(portal, "Ιστιοπλοΐα", at(MONDAY + datetime.timedelta(days=2), 11), area="paralia")
    add_event(portal, "Εβδομάδα ανακύκλωσης", at(MONDAY), end=at(MONDAY, 23, 59), whole_day=True)
    add_event(
        portal,
        "Λαϊκή αγορά",
        at(MONDAY - datetime.timedelta(days=7), 8),
        end=at(MONDAY - datetime.timedelta(days=7), 13),
        recurrence="RRULE:FREQ=WEEKLY;BYDAY=MO,TH",
        area="kentro",
        location="Οδός Αγίας Σοφίας",
    )
    add_event(portal, "Πρόβα (ιδιωτική)", at(MONDAY, 18), publish=False, area="kentro")
    add_event(
        portal, "Μετά την εβδομάδα", at(MONDAY + datetime.timedelta(days=7), 9), area="kentro"
    )
    far = north_of(CENTRE, 5.0)
    add_event(portal, "Μακριά", at(MONDAY, 12), latitude=far[0], longitude=far[1])
    near = north_of(CENTRE, 1.0)
    add_event(portal, "Κοντά", at(MONDAY, 13), latitude=near[0], longitude=near[1])
    add_hotspot(portal, area="ano-poli")  # plateia-eleytherias
    api.portal.set_registry_record("dimos.hotspots.events_radius_km", 1.5)
    transaction.commit()
    return portal.absolute_url()


def get(url, params=None, headers=JSON, **kw):
    return requests.get(url, params=params, headers=headers, timeout=60, **kw)


def error_of(response, status, code):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    return error


def titles(items):
    return [item["title"] for item in items]


def test_the_week_as_json(site):
    response = get(f"{site}/@events-programme", WEEK)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("application/json")
    data = response.json()
    assert (data["start"], data["end"], data["area"]) == ("2030-06-03", "2030-06-10", None)
    assert titles(data["items"]) == [
        "Εβδομάδα ανακύκλωσης",
        "Λαϊκή αγορά",
        "Μακριά",
        "Κοντά",
        "Συναυλία της Φιλαρμονικής",
        "Ιστιοπλοΐα",
        "Λαϊκή αγορά",
    ]
    assert data["items_total"] == 7
    concert = data["items"][4]
    assert concert["start"] == "2030-06-03T20:30:00+03:00"
    assert concert["area_title"] == "Κέντρο"
    assert concert["location"] == "Πλατεία Ελευθερίας"
    market = [item for item in data["items"] if item["title"] == "Λαϊκή αγορά"]
    assert [m["start"] for m in market] == [
        "2030-06-03T08:00:00+03:00",
        "2030-06-06T08:00:00+03:00",
    ]
    assert market[1]["url"].endswith("/laiki-agora/2030-06-06")
    # never the private rehearsal, for anyone: the programme is what is published
    assert "Πρόβα (ιδιωτική)" not in titles(data["items"])
    owner = get(f"{site}/@events-programme", WEEK, auth=(SITE_OWNER_NAME, SITE_OWNER_PASSWORD))
    assert "Πρόβα (ιδιωτική)" not in titles(owner.json()["items"])
    assert response.headers.get("X-Dimos-Microcache")  # anonymous: the micro-cache may keep it
    assert "X-Dimos-Microcache" not in owner.headers
    save_example("hotspots-events-programme", response)


def test_an_area_and_english(site):
    params = {**WEEK, "area": "kentro"}
    response = get(f"{site}/@events-programme", params, headers={**JSON, "Accept-Language": "en"})
    data = response.json()
    assert data["area"] == "kentro" and data["area_title"] == "Centre"
    assert titles(data["items"]) == [
        "Εβδομάδα ανακύκλωσης",
        "Λαϊκή αγορά",
        "Συναυλία της Φιλαρμονικής",
        "Λαϊκή αγορά",
    ]
    assert data["items"][2]["area_title"] == "Centre"
    save_example("hotspots-events-programme-area", get(f"{site}/@events-programme", params))


def test_near_a_hotspot(site):
    response = get(f"{site}/@events-programme", {**WEEK, "hotspot": "plateia-eleytherias"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert data["hotspot"] == "plateia-eleytherias"
    # within 1.5 km (the concert on the square, "Κοντά") or everywhere; not 5 km away, not other areas
    assert titles(data["items"]) == ["Εβδομάδα ανακύκλωσης", "Κοντά", "Συναυλία της Φιλαρμονικής"]


def test_the_default_period_is_this_week(site, functional_portal):
    today = datetime.datetime.now(TIME_ZONE).date()
    add_event(functional_portal, "Αύριο", at(today + datetime.timedelta(days=1), 12))
    add_event(functional_portal, "Σε οκτώ μέρες", at(today + datetime.timedelta(days=8), 12))
    transaction.commit()
    data = get(f"{site}/@events-programme").json()
    assert data["start"] == today.isoformat()
    assert data["end"] == (today + datetime.timedelta(days=7)).isoformat()
    assert "Αύριο" in titles(data["items"]) and "Σε οκτώ μέρες" not in titles(data["items"])


def test_bad_queries_say_why(site):
    url = f"{site}/@events-programme"
    error = error_of(get(url, {"start": "3/6/2030"}), 400, "bad-date")
    assert (
        "«3/6/2030»" in error["messages"]["el"] and "is not a valid date" in error["messages"]["en"]
    )
    assert error["message"] == error["messages"]["el"]
    english = get(url, {"start": "3/6/2030"}, headers={**JSON, "Accept-Language": "en"})
    assert error_of(english, 400, "bad-date")["message"] == error["messages"]["en"]
    error_of(get(url, {"start": "2030-06-10", "end": "2030-06-03"}), 400, "bad-period")
    error_of(get(url, {"start": "2030-06-01", "end": "2031-06-01"}), 400, "period-too-long")
    error = error_of(get(url, {"area": "atlantis"}), 400, "unknown-area")
    assert "kentro" in error["areas"]
    error = error_of(get(url, {"hotspot": "nowhere"}), 404, "unknown-hotspot")
    assert "«nowhere»" in error["messages"]["el"]
    error_of(
        get(url, {"hotspot": "plateia-eleytherias", "area": "kentro"}), 400, "area-and-hotspot"
    )
    save_http_example(
        "hotspots-events-programme-bad-date", get(url, {"start": "2030-06-10", "end": "2030-06-03"})
    )


def vevents(body):
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, [c for c in calendar.walk("VEVENT")]


def test_icalendar_export(site):
    response = get(f"{site}/@events-programme", {**WEEK, "area": "kentro", "format": "ics"})
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="programma-kentro-2030-06-03-2030-06-10.ics"'
    )
    calendar, events = vevents(response.content)
    assert calendar["X-WR-TIMEZONE"] == "Europe/Athens"
    assert [tz.tz_name for tz in calendar.timezones] == ["Europe/Athens"]
    for event in events:
        for prop in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "LOCATION", "URL"):
            assert prop in event, (prop, event)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Εβδομάδα ανακύκλωσης",
        "Λαϊκή αγορά",
        "Συναυλία της Φιλαρμονικής",
        "Λαϊκή αγορά",
    ]
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == 4
    whole, market, concert, market_thursday = events
    assert whole["DTSTART"].dt == datetime.date(2030, 6, 3)
    assert whole["DTEND"].dt == datetime.date(2030, 6, 4)
    assert concert["DTSTART"].dt == at(MONDAY, 20, 30)
    assert str(concert["DTSTART"].params["TZID"]) == "Europe/Athens"
    assert str(concert["LOCATION"]) == "Πλατεία Ελευθερίας, Κέντρο"
    assert (concert["GEO"].latitude, concert["GEO"].longitude) == CENTRE
    assert market_thursday["DTSTART"].dt == at(MONDAY + datetime.timedelta(days=3), 8)
    assert str(market_thursday["URL"]).endswith("/laiki-agora/2030-06-06")
    assert "RRULE" not in market  # each occurrence on its own
    assert str(whole["LOCATION"]) == "Δήμος / Municipality"
    save_http_example("hotspots-events-programme-ics", response)
    _fix_dtstamp(HTTP_EXAMPLES / "hotspots-events-programme-ics.resp")


ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)?")


def save_example(name, response):
    """save_http_example, keeping the events' times: they are fixed (2030), not of the run."""
    save_http_example(name, response)
    times = iter(match.group(0) for match in ISO_TIME.finditer(response.text))
    path = HTTP_EXAMPLES / f"{name}.resp"
    text = path.read_text(encoding="utf-8")
    path.write_text(ISO_TIME.sub(lambda _match: next(times), text), encoding="utf-8")


def _fix_dtstamp(path):
    text = re.sub(
        r"DTSTAMP:\d{8}T\d{6}Z", "DTSTAMP:20260302T081500Z", path.read_text(encoding="utf-8")
    )
    path.write_text(text, encoding="utf-8")


def test_calendar_clients_ask_with_accept(site):
    response = get(
        f"{site}/@events-programme",
        {**WEEK, "hotspot": "plateia-eleytherias"},
        headers={"Accept": "text/calendar"},
    )
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/calendar")
    _calendar, events = vevents(response.content)
    assert [str(e["SUMMARY"]) for e in events] == [
        "Εβδομάδα ανακύκλωσης",
        "Κοντά",
        "Συναυλία της Φιλαρμονικής",
    ]
    assert (
        'filename="programma-plateia-eleytherias-2030-06-03'
        in response.headers["Content-Disposition"]
    )


def programme(response):
    """The page's own part (the site's navigation lists the events too)."""
    text = html.unescape(response.text)
    return text[
        text.index('id="events-programme"') : text.index("</main>") if "</main>" in text else None
    ]


def page(site, **params):
    return requests.get(f"{site}/@@events-programme", params=params, timeout=60)


def test_the_page_lists_the_days(site):
    response = page(site, area="kentro", **{"from": "2030-06-03", "to": "2030-06-09"})
    assert response.status_code == 200, response.text
    text = programme(response)
    assert "Πρόγραμμα εκδηλώσεων" in text
    days = re.findall(r'<section class="programme-day"[^>]*id="day-([\d-]+)"', response.text)
    assert days == ["2030-06-03", "2030-06-06"]
    monday = text[text.index('id="day-2030-06-03"') : text.index('id="day-2030-06-06"')]
    assert "Δευτέρα 3 Ιουνίου 2030" in monday and "Monday 3 June 2030" in monday
    assert monday.index("Εβδομάδα ανακύκλωσης") < monday.index("08:00") < monday.index("20:30")
    assert "Ιστιοπλοΐα" not in text and "Πρόβα" not in text
    assert '<option value="kentro" selected="selected">' in response.text
    assert 'value="2030-06-09"' in response.text  # "to" is the last day shown
    link = re.search(r'id="programme-ics"\s+href="([^"]+)"', response.text)
    assert link, response.text
    url = html.unescape(link.group(1))
    query = parse_qs(urlsplit(url).query)
    assert query == {
        "start": ["2030-06-03"],
        "end": ["2030-06-10"],
        "area": ["kentro"],
        "format": ["ics"],
    }
    assert "Εξαγωγή iCalendar" in text and "iCalendar export" in text
    # a browser follows the link as it is (Accept: text/html)
    ics = requests.get(
        url, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}, timeout=60
    )
    assert ics.status_code == 200, ics.text
    _calendar, events = vevents(ics.content)
    assert len(events) == 4


def test_the_page_by_default_and_when_empty(site):
    response = page(site)
    assert response.status_code == 200
    today = datetime.datetime.now(TIME_ZONE).date()
    assert f'value="{today.isoformat()}"' in response.text
    empty = page(site, **{"from": "2031-01-04", "to": "2031-01-05"})  # a weekend: no market
    assert 'id="programme-empty"' in empty.text


@pytest.mark.parametrize(
    ("params", "el", "en"),
    [
        ({"from": "abc"}, "«abc» δεν είναι έγκυρη ημερομηνία", "“abc” is not a valid date"),
        ({"from": "2030-06-09", "to": "2030-06-03"}, "«έως» πρέπει", "“to” date must be"),
        ({"from": "2030-01-01", "to": "2030-12-31"}, "το πολύ 92 ημέρες", "at most 92 days"),
        ({"area": "atlantis"}, "Δεν υπάρχει περιοχή «atlantis»", "There is no area “atlantis”"),
        ({"to": "31/12/2030"}, "ημερομηνία «έως»", "“to” date"),
    ],
)
def test_the_page_says_what_is_wrong(site, params, el, en):
    response = page(site, **params)
    assert response.status_code == 400
    text = html.unescape(response.text)
    error = text[text.index('id="programme-error"') :]
    assert el in error and en in error
    assert "Traceback" not in text
    assert 'id="programme-form"' in text  # the form stays, to fix the input
