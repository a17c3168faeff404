"""The programme's period and how pages write dates, in plain Python (no Zope imports).

A period is ``[start, end)`` of whole days in the municipality's time zone:
``start`` is the first day shown, ``end`` the first day no longer shown (so
the default, today .. today + 7 days, is a week). Bad input is a
``PeriodError`` saying what is wrong in Greek and English.
"""

from dataclasses import dataclass
from zoneinfo import ZoneInfo

import datetime


TIME_ZONE = ZoneInfo("Europe/Athens")
DEFAULT_DAYS = 7
MAX_DAYS = 92

WEEKDAYS_EL = ("Δευτέρα", "Τρίτη", "Τετάρτη", "Πέμπτη", "Παρασκευή", "Σάββατο", "Κυριακή")
WEEKDAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Greek writes a date's month in the genitive: «2 Μαρτίου».
MONTHS_EL = (
    "Ιανουαρίου",
    "Φεβρουαρίου",
    "Μαρτίου",
    "Απριλίου",
    "Μαΐου",
    "Ιουνίου",
    "Ιουλίου",
    "Αυγούστου",
    "Σεπτεμβρίου",
    "Οκτωβρίου",
    "Νοεμβρίου",
    "Δεκεμβρίου",
)
MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class PeriodError(ValueError):
    """A period that cannot be shown; ``code``, ``el`` and ``en`` say why."""

    def __init__(self, el, en, code):
        super().__init__(en)
        self.el = el
        self.en = en
        self.code = code


@dataclass(frozen=True)
class Period:
    start: datetime.date  # first day shown
    end: datetime.date  # first day not shown

    @property
    def days(self):
        return (self.end - self.start).days

    def bounds(self):
        """The period as timezone-aware datetimes: midnight of ``start`` and of ``end``, Athens time."""
        return midnight(self.start), midnight(self.end)


def midnight(day):
    return datetime.datetime.combine(day, datetime.time(0, 0), tzinfo=TIME_ZONE)


def today(now=None):
    now = now or datetime.datetime.now(TIME_ZONE)
    return now.astimezone(TIME_ZONE).date()


def parse_day(text, what_el, what_en):
    """An ISO date (``2026-03-02``); PeriodError if ``text`` is not one."""
    text = str(text).strip()
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(
            f"Η {what_el} «{text[:40]}» δεν είναι έγκυρη ημερομηνία (ΕΕΕΕ-ΜΜ-ΗΗ, π.χ. 2026-03-02).",
            f"The {what_en} “{text[:40]}” is not a valid date (YYYY-MM-DD, e.g. 2026-03-02).",
            code="bad-date",
        ) from None


def parse_period(start=None, end=None, now=None):
    """The Period of the texts ``start`` and ``end`` (either may be empty: today, start + 7 days)."""
    first = parse_day(start, "ημερομηνία έναρξης", "start date") if start else today(now)
    if end:
        last = parse_day(end, "ημερομηνία λήξης", "end date")
    else:
        last = first + datetime.timedelta(days=DEFAULT_DAYS)
    if last <= first:
        raise PeriodError(
            f"Η ημερομηνία λήξης ({last.isoformat()}) πρέπει να είναι μετά την ημερομηνία "
            f"έναρξης ({first.isoformat()}).",
            f"The end date ({last.isoformat()}) must be after the start date ({first.isoformat()}).",
            code="bad-period",
        )
    if (last - first).days > MAX_DAYS:
        raise PeriodError(
            f"Η περίοδος είναι {(last - first).days} ημέρες· το πολύ {MAX_DAYS} ημέρες κάθε φορά.",
            f"The period is {(last - first).days} days long; at most {MAX_DAYS} days at a time.",
            code="period-too-long",
        )
    return Period(first, last)


def day_label(day, lang="el"):
    """«Δευτέρα 2 Μαρτίου 2026» / "Monday 2 March 2026"."""
    if lang == "en":
        return f"{WEEKDAYS_EN[day.weekday()]} {day.day} {MONTHS_EN[day.month - 1]} {day.year}"
    return f"{WEEKDAYS_EL[day.weekday()]} {day.day} {MONTHS_EL[day.month - 1]} {day.year}"


def time_label(moment):
    """``18:30`` in Athens time."""
    return moment.astimezone(TIME_ZONE).strftime("%H:%M")


def seconds_to_midnight(now=None):
    """Seconds until the next midnight in Athens: when "today" (the default period) changes."""
    now = (now or datetime.datetime.now(TIME_ZONE)).astimezone(TIME_ZONE)
    tomorrow = midnight(now.date() + datetime.timedelta(days=1))
    return max(0, int((tomorrow - now).total_seconds()))
