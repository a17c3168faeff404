"""POST /@hotspots/{id}/usage over HTTP: only the right key counts, bad reports change nothing."""

from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import store
from dimos.hotspots.usage.testing import create_hotspot
from dimos.hotspots.usage.testing import create_staff
from dimos.hotspots.usage.testing import post_report
from dimos.hotspots.usage.testing import report
from zoneinfo import ZoneInfo

import json
import pytest
import transaction


ATHENS = ZoneInfo("Europe/Athens")


@pytest.fixture
def site(functional_portal):
    """A hotspot with a key; ``(portal, url, key)``."""
    hotspot = create_hotspot(functional_portal)
    create_staff()
    key, _issued = keys.issue_key(hotspot, "it-officer")
    transaction.commit()
    return functional_portal, functional_portal.absolute_url(), key


def hotspot_of(portal):
    transaction.begin()  # see what the server committed
    return portal["hotspots"]["plateia"]


def snapshot(portal):
    """What a refused report must leave as it was: the database's last transaction, the data."""
    hotspot = hotspot_of(portal)
    today = store.local_date(datetime.now(UTC))
    days = store.daily_usage(hotspot, today - timedelta(days=40), today + timedelta(days=1))
    return portal._p_jar.db().lastTransaction(), hotspot.last_seen, days


def error_of(response, status, code, field=None):
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code
    assert error["messages"]["el"] and error["messages"]["en"]
    assert error["messages"]["el"] != error["messages"]["en"]
    if field is not None:
        assert error["field"] == field
        assert field in error["messages"]["el"] and field in error["messages"]["en"]
    return error


def test_a_report_with_the_right_key_is_counted(site):
    portal, url, key = site
    unchanged = snapshot(portal)
    before = datetime.now(UTC)
    response = post_report(url, "plateia", key, report("r-1"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["accepted"] is True and body["duplicate"] is False
    assert body["day"] == {
        "date": body["date"],
        "sessions": 12,
        "peak_users": 7,
        "reports": 1,
        "bytes_down": 5_000_000,
        "bytes_up": 400_000,
    }
    hotspot = hotspot_of(portal)
    assert before <= hotspot.last_seen <= datetime.now(UTC)
    assert hotspot.last_seen.utcoffset() == timedelta(0)
    changed = snapshot(portal)  # what the refusals' tests compare would show a write
    assert changed[0] != unchanged[0] and changed[2] != unchanged[2]


def test_a_replayed_report_changes_nothing(site):
    portal, url, key = site
    data = report("r-1")
    assert post_report(url, "plateia", key, data).status_code == 201
    before = snapshot(portal)
    again = post_report(url, "plateia", key, {**data, "sessions": 99})
    assert again.status_code == 200, again.text
    assert again.json()["duplicate"] is True and again.json()["day"]["sessions"] == 12
    assert snapshot(portal) == before


def test_reports_add_up_per_athens_day(site):
    portal, url, key = site
    today = datetime.now(ATHENS).date()
    day = today - timedelta(days=2)
    late = datetime(day.year, day.month, day.day, 23, 58, tzinfo=ATHENS)
    early = late + timedelta(minutes=10)  # 00:08 of the next day, still the same day in UTC+0
    sent = [
        report(
            "a", end=late - timedelta(minutes=30), sessions=10, users=4, bytes_down=100, bytes_up=0
        ),
        report("b", end=late, sessions=5, users=5, bytes_down=50, bytes_up=7),
        report("c", end=early, sessions=3, users=2, bytes_down=1, bytes_up=1),
    ]
    sent[2]["start"] = (early - timedelta(minutes=5)).isoformat()  # 00:03: the next day
    for data in sent:
        assert post_report(url, "plateia", key, data).status_code == 201
    days = store.daily_usage(hotspot_of(portal), day, today)
    assert [d.date for d in days] == [day, day + timedelta(days=1)]
    first, second = days
    assert (first.sessions, first.peak_users, first.reports) == (15, 5, 2)
    assert (first.bytes_down, first.bytes_up) == (150, 7)
    assert (second.sessions, second.peak_users, second.reports) == (3, 2, 1)


@pytest.mark.parametrize(
    "key,status,code",
    [(None, 401, "key-required"), ("", 401, "key-required"), ("dhk_wrong", 403, "bad-key")],
)
def test_a_missing_or_wrong_key_changes_nothing(site, key, status, code):
    portal, url, _key = site
    before = snapshot(portal)
    error_of(post_report(url, "plateia", key, report("r-1")), status, code)
    assert snapshot(portal) == before


def test_a_revoked_key_changes_nothing(site):
    portal, url, key = site
    assert post_report(url, "plateia", key, report("r-1")).status_code == 201
    keys.revoke_key(hotspot_of(portal), "it-officer")
    transaction.commit()
    before = snapshot(portal)
    error = error_of(post_report(url, "plateia", key, report("r-2")), 403, "bad-key")
    assert "ανακλήθηκε" in error["message"]
    assert snapshot(portal) == before


def test_another_hotspot_s_key_is_refused(site):
    portal, url, key = site
    create_hotspot(portal, "limani", "Λιμάνι")
    transaction.commit()
    before = snapshot(portal)
    error_of(post_report(url, "limani", key, report("r-1")), 403, "bad-key")
    assert snapshot(portal) == before


def _bad(end=None, minutes=5, **fields):
    data = report("r-bad", end=end, minutes=minutes)
    data.update(fields)
    return data


# Taken when the module is imported, maybe minutes before a case runs: a case about
# "the future" must stay in the future for as long as the whole suite may take.
NOW = datetime.now(UTC)

BAD_REPORTS = [
    (_bad(extra=1), "extra"),
    ({k: v for k, v in _bad().items() if k != "sessions"}, "sessions"),
    ({k: v for k, v in _bad().items() if k != "report_id"}, "report_id"),
    (_bad(report_id=""), "report_id"),
    (_bad(report_id="x" * 65), "report_id"),
    (_bad(report_id="with space"), "report_id"),
    (_bad(report_id=7), "report_id"),
    (_bad(sessions=True), "sessions"),
    (_bad(sessions="12"), "sessions"),
    (_bad(sessions=1.5), "sessions"),
    (_bad(sessions=-1), "sessions"),
    (_bad(users=-1), "users"),
    (_bad(users=None), "users"),
    (_bad(bytes_down=-5), "bytes_down"),
    (_bad(bytes_up=False), "bytes_up"),
    (_bad(sessions=3, users=4), "users"),
    (_bad(status="down"), "status"),
    (_bad(start="2026-03-02 08:10"), "start"),
    (_bad(start="yesterday"), "start"),
    ({**_bad(end=NOW), "end": NOW.replace(tzinfo=None).isoformat()}, "end"),
    (_bad(end=NOW - timedelta(minutes=1), minutes=0), "end"),
    (_bad(end=NOW - timedelta(minutes=1), minutes=-5), "end"),
    (_bad(end=NOW - timedelta(minutes=1), minutes=24 * 60 + 1), "end"),
    (_bad(end=NOW + timedelta(hours=6)), "end"),
    (_bad(end=NOW - timedelta(days=32)), "end"),
]


def _as_sent(data):
    return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in data.items()}


@pytest.mark.parametrize(
    "data,field", BAD_REPORTS, ids=[f"{i}-{field}" for i, (_d, field) in enumerate(BAD_REPORTS)]
)
def test_a_bad_report_is_refused_naming_the_field_and_changes_nothing(site, data, field):
    portal, url, key = site
    before = snapshot(portal)
    response = post_report(url, "plateia", key, _as_sent(data))
    error_of(response, 400, "bad-report", field)
    assert snapshot(portal) == before


@pytest.mark.parametrize(
    "raw,headers,status,code",
    [
        (b"{not json", {}, 400, "bad-json"),
        (b"[1, 2]", {}, 400, "bad-json"),
        (b"\xff\xfe", {}, 400, "bad-json"),
        (json.dumps(report("r-x")).encode(), {"Content-Type": "text/plain"}, 415, None),
        (
            b"report_id=r-x&sessions=1",
            {"Content-Type": "application/x-www-form-urlencoded"},
            415,
            None,
        ),
        (b'{"report_id": "' + b"x" * 17000 + b'"}', {}, 413, "too-large"),
    ],
    ids=["broken", "array", "not-utf8", "text-plain", "form", "too-large"],
)
def test_a_body_that_is_not_a_json_report_changes_nothing(site, raw, headers, status, code):
    portal, url, key = site
    before = snapshot(portal)
    response = post_report(url, "plateia", key, None, headers=headers, raw=raw)
    error_of(response, status, code or "unsupported-content-type")
    assert snapshot(portal) == before


def test_errors_speak_english_when_asked(site):
    _portal, url, key = site
    response = post_report(
        url, "plateia", key, report("r", sessions=-3), headers={"Accept-Language": "en"}
    )
    assert response.json()["error"]["message"] == ("Field “sessions”: must be between 0 and 2^53.")
