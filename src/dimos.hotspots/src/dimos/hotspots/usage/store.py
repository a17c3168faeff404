"""Daily usage per hotspot: one small persistent object per day, in an annotation on the Hotspot.

A day is the Europe/Athens date of a report's start. Each day keeps the sum
of sessions and bytes, the peak of users over its reports, the number of
reports, and the ids of the reports it counted (for idempotency: a replayed
``report_id`` changes nothing); those ids are dropped once a day is older
than ``KEEP_IDS_DAYS`` (reports older than 31 days are refused anyway).

Each day is its own persistent object under an OOBTree keyed by the ISO
date, so a report writes the one day object (and a BTree bucket when a new
day starts), never the whole history.

``daily_usage(hotspot, start_date, end_date)`` is the contract for the other
parts: the days with data from ``start_date`` to ``end_date``, both included.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dataclasses import dataclass
from datetime import date
from datetime import timedelta
from persistent import Persistent
from zoneinfo import ZoneInfo
from zope.annotation.interfaces import IAnnotations


ANNOTATION = "dimos.hotspots.usage.days"
TIME_ZONE = ZoneInfo("Europe/Athens")
KEEP_IDS_DAYS = 35


@dataclass(frozen=True)
class DailyUsage:
    date: date
    sessions: int = 0
    peak_users: int = 0
    reports: int = 0
    bytes_down: int = 0
    bytes_up: int = 0

    def to_json(self):
        return {
            "date": self.date.isoformat(),
            "sessions": self.sessions,
            "peak_users": self.peak_users,
            "reports": self.reports,
            "bytes_down": self.bytes_down,
            "bytes_up": self.bytes_up,
        }


class Day(Persistent):
    """One day's totals of one hotspot, and the report ids it counted."""

    def __init__(self):
        self.sessions = self.peak_users = self.reports = self.bytes_down = self.bytes_up = 0
        self.report_ids = OOTreeSet()

    def add(self, report):
        self.sessions += report.sessions
        self.peak_users = max(self.peak_users, report.users)
        self.reports += 1
        self.bytes_down += report.bytes_down
        self.bytes_up += report.bytes_up
        self.report_ids.add(report.report_id)

    def usage(self, day):
        return DailyUsage(
            date=date.fromisoformat(day),
            sessions=self.sessions,
            peak_users=self.peak_users,
            reports=self.reports,
            bytes_down=self.bytes_down,
            bytes_up=self.bytes_up,
        )


class UsageStore(Persistent):
    """``days``: ISO date → Day; ``ids_pruned_before``: days before it keep no report ids."""

    def __init__(self):
        self.days = OOBTree()
        self.ids_pruned_before = ""


def local_date(moment):
    """The Athens date of an aware datetime."""
    return moment.astimezone(TIME_ZONE).date()


def _store(hotspot, create=False):
    annotations = IAnnotations(hotspot)
    store = annotations.get(ANNOTATION)
    if store is None and create:
        store = annotations[ANNOTATION] = UsageStore()
    return store


def is_duplicate(hotspot, report_id, today):
    """Whether a report with ``report_id`` was counted in the last KEEP_IDS_DAYS days. Reads only."""
    store = _store(hotspot)
    if store is None:
        return False
    since = (today - timedelta(days=KEEP_IDS_DAYS)).isoformat()
    for day in store.days.values(min=since):
        if day.report_ids is not None and report_id in day.report_ids:
            return True
    return False


def _prune(store, today):
    """Drop the report ids of days older than KEEP_IDS_DAYS (each day once)."""
    before = (today - timedelta(days=KEEP_IDS_DAYS)).isoformat()
    if store.ids_pruned_before >= before:
        return
    for day in store.days.values(min=store.ids_pruned_before or None, max=before, excludemax=True):
        if day.report_ids is not None:
            day.report_ids = None
    store.ids_pruned_before = before


def record(hotspot, report, today):
    """Add ``report`` to its day; ``(duplicate, DailyUsage of that day)``.

    A duplicate (its ``report_id`` already counted) changes nothing. ``today``
    is the Athens date now (for the idempotency window).
    """
    day_key = local_date(report.start).isoformat()
    if is_duplicate(hotspot, report.report_id, today):
        store = _store(hotspot)
        day = store.days.get(day_key)
        return True, day.usage(day_key) if day is not None else DailyUsage(local_date(report.start))
    store = _store(hotspot, create=True)
    day = store.days.get(day_key)
    if day is None:
        day = store.days[day_key] = Day()
    day.add(report)
    _prune(store, today)
    return False, day.usage(day_key)


def daily_usage(hotspot, start_date, end_date):
    """The DailyUsage of each day with data from ``start_date`` to ``end_date`` (both included)."""
    store = _store(hotspot)
    if store is None:
        return []
    items = store.days.items(min=start_date.isoformat(), max=end_date.isoformat())
    return [day.usage(key) for key, day in items]


def totals(days):
    """The sums (and the peak) of a list of DailyUsage, for a table's last row."""
    return {
        "days": len(days),
        "sessions": sum(d.sessions for d in days),
        "peak_users": max((d.peak_users for d in days), default=0),
        "reports": sum(d.reports for d in days),
        "bytes_down": sum(d.bytes_down for d in days),
        "bytes_up": sum(d.bytes_up for d in days),
    }
