"""IT reads the usage: JSON and CSV per hotspot, one CSV for all, the SVG chart and the pages."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import store
from dimos.hotspots.usage.report import Report
from dimos.hotspots.usage.testing import create_hotspot
from dimos.hotspots.usage.testing import create_staff
from dimos.hotspots.usage.testing import JSON
from dimos.hotspots.usage.testing import post_report
from dimos.hotspots.usage.testing import report
from lxml import etree
from zoneinfo import ZoneInfo

import csv
import io
import pytest
import re
import requests
import transaction


ATHENS = ZoneInfo("Europe/Athens")
SVG = "{http://www.w3.org/2000/svg}"


def add(hotspot, day, report_id, sessions, users, down=0, up=0):
    start = datetime(day.year, day.month, day.day, 12, 0, tzinfo=ATHENS)
    data = Report(report_id, start, start + timedelta(minutes=5), sessions, users, down, up)
    store.record(hotspot, data, datetime.now(ATHENS).date())


@pytest.fixture
def site(functional_portal):
    """Two hotspots with days of usage; ``(portal, url, it, clerk, today)``."""
    plateia = create_hotspot(functional_portal)
    limani = create_hotspot(functional_portal, "limani", "Λιμάνι «Άγιος Νικόλαος»")
    it, clerk = create_staff()
    today = datetime.now(ATHENS).date()
    add(plateia, today - timedelta(days=3), "p1", 10, 4, 1000, 10)
    add(plateia, today - timedelta(days=3), "p2", 5, 6, 500, 5)
    add(plateia, today - timedelta(days=1), "p3", 7, 3)
    add(plateia, today - timedelta(days=40), "old", 99, 9)
    add(limani, today - timedelta(days=2), "l1", 2, 1)
    transaction.commit()
    return functional_portal, functional_portal.absolute_url(), it, clerk, today


def get(url, path, auth=None, headers=None, **params):
    return requests.get(
        f"{url}/{path}", auth=auth, headers={**JSON, **(headers or {})}, params=params, timeout=30
    )


def parse_csv(response):
    assert response.content.startswith(b"\xef\xbb\xbf")  # the BOM, for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_json_lists_the_days_with_totals(site):
    _portal, url, it, _clerk, today = site
    response = get(url, "@hotspots/plateia/usage", auth=it)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["start"] == (today - timedelta(days=29)).isoformat()
    assert body["end"] == today.isoformat()
    assert [d["date"] for d in body["items"]] == [
        (today - timedelta(days=3)).isoformat(),
        (today - timedelta(days=1)).isoformat(),
    ]
    assert body["items"][0] == {
        "date": (today - timedelta(days=3)).isoformat(),
        "sessions": 15,
        "peak_users": 6,
        "reports": 2,
        "bytes_down": 1500,
        "bytes_up": 15,
    }
    assert body["totals"] == {
        "days": 2,
        "sessions": 22,
        "peak_users": 6,
        "reports": 3,
        "bytes_down": 1500,
        "bytes_up": 15,
    }
    older = get(
        url,
        "@hotspots/plateia/usage",
        auth=it,
        start=(today - timedelta(days=45)).isoformat(),
        end=(today - timedelta(days=2)).isoformat(),
    ).json()
    assert [d["sessions"] for d in older["items"]] == [99, 15]


@pytest.mark.parametrize(
    "params,field",
    [
        ({"start": "2026-13-01"}, "start"),
        ({"end": "02/03/2026"}, "end"),
        ({"start": "2026-03-05", "end": "2026-03-01"}, "end"),
        ({"start": "2024-01-01", "end": "2026-01-01"}, "end"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(site, params, field):
    _portal, url, it, _clerk, _today = site
    response = get(url, "@hotspots/plateia/usage", auth=it, **params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["field"] == field and error["messages"]["el"] != error["messages"]["en"]


def test_usage_is_for_it_only(site):
    _portal, url, _it, clerk, _today = site
    assert get(url, "@hotspots/plateia/usage").status_code == 401
    assert get(url, "@hotspots/plateia/usage", auth=clerk).status_code == 403
    assert get(url, "@hotspots-usage").status_code == 401
    assert get(url, "@hotspots-usage", auth=clerk).status_code == 403
    for path in ("plateia/@@usage-chart.svg", "plateia/@@usage", "@@hotspots-status"):
        for auth in (None, clerk):
            response = requests.get(
                f"{url}/hotspots/{path}", auth=auth, allow_redirects=False, timeout=30
            )
            assert response.status_code in (302, 401, 403), path
            assert "Κεντρική" not in response.text


def test_csv_of_one_hotspot_reads_back(site):
    _portal, url, it, _clerk, today = site
    response = get(url, "@hotspots/plateia/usage", auth=it, format="csv")
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"].startswith("text/csv")
    start = (today - timedelta(days=29)).isoformat()
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="usage-plateia-{start}-{today.isoformat()}.csv"'
    )
    rows = parse_csv(response)
    assert rows[0][:3] == [
        "Ημερομηνία / date",
        "Συνδέσεις / sessions",
        ("Μέγιστοι ταυτόχρονοι χρήστες / peak_users"),
    ]
    assert rows[1:] == [
        [(today - timedelta(days=3)).isoformat(), "15", "6", "2", "1500", "15"],
        [(today - timedelta(days=1)).isoformat(), "7", "3", "1", "0", "0"],
    ]


@pytest.mark.parametrize("accept", ["application/json", "text/csv"])
def test_csv_of_all_hotspots_has_a_row_per_hotspot_per_day(site, accept):
    _portal, url, it, _clerk, today = site
    start = (today - timedelta(days=7)).isoformat()
    response = get(url, "@hotspots-usage", auth=it, headers={"Accept": accept}, start=start)
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["Content-Disposition"]
    rows = parse_csv(response)
    assert rows[0][:4] == [
        "Σημείο / hotspot",
        "Όνομα / title",
        "Ελεγκτής / controller_id",
        ("Ημερομηνία / date"),
    ]
    assert [(r[0], r[1], r[3], r[4]) for r in rows[1:]] == [
        ("limani", "Λιμάνι «Άγιος Νικόλαος»", (today - timedelta(days=2)).isoformat(), "2"),
        ("plateia", "Κεντρική Πλατεία", (today - timedelta(days=3)).isoformat(), "15"),
        ("plateia", "Κεντρική Πλατεία", (today - timedelta(days=1)).isoformat(), "7"),
    ]


@pytest.mark.parametrize("days,bars", [(None, 30), ("7", 7), ("1000", 365), ("x", 30)])
def test_the_chart_is_svg_with_a_bar_per_day(site, days, bars):
    _portal, url, it, _clerk, today = site
    params = {"days": days} if days else {}
    response = requests.get(
        f"{url}/hotspots/plateia/@@usage-chart.svg", auth=it, params=params, timeout=30
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("image/svg+xml")
    svg = etree.fromstring(response.content)
    assert svg.tag == f"{SVG}svg"
    assert "Κεντρική Πλατεία" in svg.find(f"{SVG}title").text
    assert svg.find(f"{SVG}desc").text
    rects = svg.findall(f".//{SVG}rect[@class='bar']")
    assert len(rects) == bars
    assert rects[-1].get("data-date") == today.isoformat()
    by_date = {r.get("data-date"): int(r.get("data-sessions")) for r in rects}
    if bars >= 7:
        assert by_date[(today - timedelta(days=3)).isoformat()] == 15
        assert by_date[(today - timedelta(days=2)).isoformat()] == 0
    assert svg.find(f".//{SVG}polyline[@class='peak-users']") is not None
    assert b"<script" not in response.content


def test_the_usage_page_issues_and_revokes_keys_with_the_csrf_token(site):
    portal, url, it, _clerk, today = site
    page = requests.get(f"{url}/hotspots/plateia/@@usage", auth=it, timeout=30)
    assert page.status_code == 200
    assert "@@usage-chart.svg" in page.text and "format=csv" in page.text
    assert today.strftime("%d/%m/%Y") not in page.text  # no data today
    assert (today - timedelta(days=3)).strftime("%d/%m/%Y") in page.text
    token = re.search(r'name="_authenticator" value="([^"]+)"', page.text).group(1)
    forged = requests.post(
        f"{url}/hotspots/plateia/@@usage", auth=it, data={"action": "issue"}, timeout=30
    )
    assert forged.status_code == 403
    transaction.begin()
    assert not keys.has_key(portal["hotspots"]["plateia"])
    issued = requests.post(
        f"{url}/hotspots/plateia/@@usage",
        auth=it,
        data={"action": "issue", "_authenticator": token},
        timeout=30,
    )
    assert issued.status_code == 200
    key = re.search(r'id="new-key-value">(dhk_[^<]+)<', issued.text).group(1)
    assert "Set-Cookie" not in issued.headers or key not in issued.headers["Set-Cookie"]
    assert post_report(url, "plateia", key, report("from-page")).status_code == 201
    again = requests.get(f"{url}/hotspots/plateia/@@usage", auth=it, timeout=30)
    assert key not in again.text and 'id="revoke-key-form"' in again.text
    revoked = requests.post(
        f"{url}/hotspots/plateia/@@usage",
        auth=it,
        data={"action": "revoke", "_authenticator": token},
        timeout=30,
    )
    assert revoked.status_code == 200 and 'id="key-revoked"' in revoked.text
    transaction.begin()
    assert not keys.has_key(portal["hotspots"]["plateia"])


def test_the_status_page_flags_silent_hotspots(site):
    portal, url, it, clerk, _today = site
    hotspot = portal["hotspots"]["plateia"]
    hotspot.last_seen = datetime.now(UTC) - timedelta(minutes=5)
    limani = portal["hotspots"]["limani"]
    limani.last_seen = datetime.now(UTC) - timedelta(hours=2)
    transaction.commit()
    page = requests.get(f"{url}/hotspots/@@hotspots-status", auth=it, timeout=30)
    assert page.status_code == 200
    assert re.search(r'id="hotspot-limani"\s+class="stale', page.text)
    assert re.search(r'id="hotspot-plateia"\s+class="ok"', page.text)


def test_daily_usage_contract(site):
    portal, _url, _it, _clerk, today = site
    days = store.daily_usage(portal["hotspots"]["plateia"], today - timedelta(days=3), today)
    assert [(d.date, d.sessions, d.peak_users, d.reports) for d in days] == [
        (today - timedelta(days=3), 15, 6, 2),
        (today - timedelta(days=1), 7, 3, 1),
    ]
    assert store.daily_usage(portal["hotspots"]["limani"], date(2020, 1, 1), date(2020, 2, 1)) == []
