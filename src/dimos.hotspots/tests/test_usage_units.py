"""The usage statistics' plain Python: keys' hashes, reports, the store, the CSV and the chart."""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.usage import chart
from dimos.hotspots.usage import export
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import store
from dimos.hotspots.usage.report import parse_report
from dimos.hotspots.usage.report import Report
from dimos.hotspots.usage.report import ReportError
from lxml import etree
from persistent import Persistent
from zoneinfo import ZoneInfo
from zope.annotation.attribute import AttributeAnnotations
from zope.annotation.interfaces import IAnnotations
from zope.annotation.interfaces import IAttributeAnnotatable
from zope.component import provideAdapter
from zope.interface import implementer

import csv
import io
import json
import pytest


ATHENS = ZoneInfo("Europe/Athens")
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@implementer(IAttributeAnnotatable)
class Spot(Persistent):
    pass


@pytest.fixture(autouse=True)
def annotations():
    provideAdapter(AttributeAnnotations, (IAttributeAnnotatable,), IAnnotations)


def body(**fields):
    data = {
        "report_id": "r1",
        "start": "2026-03-02T11:50:00+02:00",
        "end": "2026-03-02T11:55:00+02:00",
        "sessions": 3,
        "users": 2,
    }
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not ...}).encode()


def test_a_minimal_report_takes_defaults():
    report = parse_report(body(), NOW)
    assert report == Report(
        "r1",
        datetime(2026, 3, 2, 9, 50, tzinfo=UTC),
        datetime(2026, 3, 2, 9, 55, tzinfo=UTC),
        3,
        2,
    )
    assert (report.bytes_down, report.bytes_up, report.status) == (0, 0, "ok")


@pytest.mark.parametrize(
    "fields,field",
    [
        ({"users": 4}, "users"),
        ({"sessions": True}, "sessions"),
        ({"start": ...}, "start"),
        ({"end": "2026-03-02T12:06:00+02:00"}, "end"),  # 6 minutes ahead of NOW
        ({"status": "DEGRADED"}, "status"),
        ({"Sessions": 1}, "Sessions"),
    ],
)
def test_bad_fields_are_named(fields, field):
    with pytest.raises(ReportError) as raised:
        parse_report(body(**fields), NOW)
    assert raised.value.field == field and raised.value.status == 400


def test_the_clock_may_run_five_minutes_ahead():
    assert parse_report(body(end="2026-03-02T12:04:00+02:00"), NOW).sessions == 3


def test_a_large_body_is_413():
    with pytest.raises(ReportError) as raised:
        parse_report(b" " * (16 * 1024 + 1), NOW)
    assert raised.value.status == 413


def test_keys_hash_with_their_own_salt():
    spot = Spot()
    key, _issued = keys.issue_key(spot, "it", now=NOW)
    record = IAnnotations(spot)[keys.ANNOTATION]
    assert record["hash"] == keys.digest(key, record["salt"]) and len(record["salt"]) == 16
    assert keys.verify_key(spot, key)
    for wrong in (key[:-1], key.upper(), "", None, key + "a" * 300):
        assert not keys.verify_key(spot, wrong)
    assert keys.revoke_key(spot, "it") and not keys.revoke_key(spot, "it")
    assert not keys.verify_key(spot, key)


def test_reading_a_spot_without_data_writes_nothing():
    spot = Spot()
    assert store.daily_usage(spot, date(2026, 1, 1), date(2026, 12, 31)) == []
    assert not keys.verify_key(spot, "dhk_x") and not keys.has_key(spot)
    assert not hasattr(spot, "__annotations__")


def report_at(report_id, local, sessions=1, users=1):
    start = local.replace(tzinfo=ATHENS)
    return Report(report_id, start, start + timedelta(minutes=5), sessions, users)


def test_the_day_is_athens_and_report_ids_are_kept_35_days():
    spot = Spot()
    today = date(2026, 3, 2)
    duplicate, day = store.record(spot, report_at("a", datetime(2026, 3, 1, 23, 59)), today)
    assert not duplicate and day.date == date(2026, 3, 1)
    duplicate, day = store.record(spot, report_at("b", datetime(2026, 3, 2, 0, 1)), today)
    assert day.date == date(2026, 3, 2)  # 22:01 UTC of March 1st
    assert store.record(spot, report_at("a", datetime(2026, 3, 2, 9, 0), 50), today)[0]
    assert [d.sessions for d in store.daily_usage(spot, date(2026, 3, 1), today)] == [1, 1]
    later = today + timedelta(days=40)
    store.record(spot, report_at("c", datetime(2026, 4, 11, 9, 0)), later)
    days = IAnnotations(spot)[store.ANNOTATION].days
    assert days["2026-03-01"].report_ids is None and days["2026-03-01"].sessions == 1
    assert list(days["2026-04-11"].report_ids) == ["c"]


def test_csv_uses_semicolons_a_bom_and_both_languages():
    data = export.hotspot_csv([store.DailyUsage(date(2026, 3, 1), 5, 2, 1, 10, 20)])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows == [
        [
            "Ημερομηνία / date",
            "Συνδέσεις / sessions",
            "Μέγιστοι ταυτόχρονοι χρήστες / peak_users",
            "Αναφορές / reports",
            "Bytes λήψης / bytes_down",
            "Bytes αποστολής / bytes_up",
        ],
        ["2026-03-01", "5", "2", "1", "10", "20"],
    ]


@pytest.mark.parametrize("value,expected", [(0, 1), (1, 1), (3, 5), (11, 20), (500, 500)])
def test_nice_max(value, expected):
    assert chart.nice_max(value) == expected


def test_an_empty_chart_still_has_its_bars_and_says_so():
    svg = chart.usage_svg("Λιμάνι <&>", date(2026, 3, 1), date(2026, 3, 3), [])
    tree = etree.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert len(tree.findall(f".//{ns}rect[@class='bar']")) == 3
    assert tree.find(f"{ns}desc").text == "Λιμάνι <&>: καμία αναφορά / no reports."
