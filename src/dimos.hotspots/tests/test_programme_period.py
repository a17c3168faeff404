"""programme.period in plain Python: the period a visitor asks for, and dates in Greek."""

from dimos.hotspots.programme.period import day_label
from dimos.hotspots.programme.period import parse_period
from dimos.hotspots.programme.period import Period
from dimos.hotspots.programme.period import PeriodError
from dimos.hotspots.programme.period import seconds_to_midnight
from dimos.hotspots.programme.period import TIME_ZONE

import datetime
import pytest


NOW = datetime.datetime(2030, 6, 3, 23, 30, tzinfo=datetime.UTC)  # 02:30 on the 4th in Athens


def test_default_is_a_week_from_today_in_athens():
    period = parse_period(now=NOW)
    assert period == Period(datetime.date(2030, 6, 4), datetime.date(2030, 6, 11))
    assert period.days == 7
    start, end = period.bounds()
    assert start.isoformat() == "2030-06-04T00:00:00+03:00"
    assert end.tzinfo is TIME_ZONE


def test_start_alone_gives_its_week_and_both_are_kept():
    assert parse_period("2030-12-28", now=NOW).end == datetime.date(2031, 1, 4)
    assert parse_period("2030-06-01", "2030-09-01").days == 92


@pytest.mark.parametrize(
    ("start", "end", "code", "el", "en"),
    [
        ("2030-13-01", None, "bad-date", "δεν είναι έγκυρη ημερομηνία", "is not a valid date"),
        ("tomorrow", None, "bad-date", "«tomorrow»", "“tomorrow”"),
        ("2030-06-01", "1/7/2030", "bad-date", "ημερομηνία λήξης", "end date"),
        ("2030-06-05", "2030-06-05", "bad-period", "πρέπει να είναι μετά", "must be after"),
        ("2030-06-05", "2030-06-01", "bad-period", "πρέπει να είναι μετά", "must be after"),
        ("2030-06-01", "2030-09-02", "period-too-long", "το πολύ 92 ημέρες", "at most 92 days"),
    ],
)
def test_bad_periods_say_why(start, end, code, el, en):
    with pytest.raises(PeriodError) as raised:
        parse_period(start, end, now=NOW)
    assert raised.value.code == code
    assert el in raised.value.el and en in raised.value.en


def test_days_in_greek_and_english():
    day = datetime.date(2030, 5, 3)
    assert day_label(day) == "Παρασκευή 3 Μαΐου 2030"
    assert day_label(day, "en") == "Friday 3 May 2030"


def test_seconds_to_midnight_in_athens():
    assert seconds_to_midnight(NOW) == (21 * 60 + 30) * 60
    late = datetime.datetime(2030, 6, 3, 20, 59, 30, tzinfo=datetime.UTC)  # 23:59:30 Athens
    assert seconds_to_midnight(late) == 30
