"""The splash page's words and dates, in Greek and English (plain Python)."""

from datetime import datetime
from zoneinfo import ZoneInfo


ATHENS = ZoneInfo("Europe/Athens")

LABELS = {
    "el": {
        "page_title": "Δωρεάν WiFi του δήμου",
        "welcome": "Καλώς ήρθατε στο δωρεάν WiFi του δήμου",
        "alerts": "Έκτακτες ειδοποιήσεις",
        "instruction": "Τι να κάνετε",
        "until": "Ισχύει έως",
        "area": "Περιοχή",
        "news": "Νέα του δήμου",
        "no_news": "Δεν υπάρχουν νέα.",
        "events": "Εκδηλώσεις των επόμενων ημερών",
        "no_events": "Δεν υπάρχουν εκδηλώσεις κοντά σας τις επόμενες ημέρες.",
        "eservices": "Ηλεκτρονικές υπηρεσίες",
        "whole_day": "όλη την ημέρα",
        "other_language": "English",
        "other_code": "en",
        "out_of_service": "Το σημείο είναι προσωρινά εκτός λειτουργίας.",
        "maintenance": "Το σημείο είναι σε συντήρηση.",
        "updated": "Ενημέρωση",
    },
    "en": {
        "page_title": "Municipal free WiFi",
        "welcome": "Welcome to the municipality's free WiFi",
        "alerts": "Emergency alerts",
        "instruction": "What to do",
        "until": "In force until",
        "area": "Area",
        "news": "Municipal news",
        "no_news": "There is no news.",
        "events": "Events in the coming days",
        "no_events": "There are no events near you in the coming days.",
        "eservices": "E-services",
        "whole_day": "all day",
        "other_language": "Ελληνικά",
        "other_code": "el",
        "out_of_service": "This spot is temporarily out of service.",
        "maintenance": "This spot is under maintenance.",
        "updated": "Updated",
    },
}

SEVERITY_TITLES = {
    "el": {
        "Extreme": "Ακραίος κίνδυνος",
        "Severe": "Σοβαρός κίνδυνος",
        "Moderate": "Μέτριος κίνδυνος",
        "Minor": "Μικρός κίνδυνος",
        "Unknown": "Ειδοποίηση",
    },
    "en": {
        "Extreme": "Extreme danger",
        "Severe": "Severe danger",
        "Moderate": "Moderate danger",
        "Minor": "Minor danger",
        "Unknown": "Alert",
    },
}

DAYS = {
    "el": ("Δευ", "Τρί", "Τετ", "Πέμ", "Παρ", "Σάβ", "Κυρ"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
MONTHS = {
    "el": ("Ιαν", "Φεβ", "Μαρ", "Απρ", "Μαΐ", "Ιουν", "Ιουλ", "Αυγ", "Σεπ", "Οκτ", "Νοε", "Δεκ"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def _moment(value):
    if value is None or value == "":
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is not None:
        value = value.astimezone(ATHENS)
    return value


def format_date(value, lang="el"):
    """``Σάβ 7 Μαρ`` / ``Sat 7 Mar`` (Athens time)."""
    moment = _moment(value)
    if moment is None:
        return ""
    return f"{DAYS[lang][moment.weekday()]} {moment.day} {MONTHS[lang][moment.month - 1]}"


def format_time(value):
    moment = _moment(value)
    return "" if moment is None else moment.strftime("%H:%M")


def format_when(start, end=None, whole_day=False, lang="el"):
    """An event's date and time: ``Σάβ 7 Μαρ, 19:00–21:00``, ``Sat 7 Mar, all day``."""
    day = format_date(start, lang)
    if not day:
        return ""
    if whole_day:
        return f"{day}, {LABELS[lang]['whole_day']}"
    hours = format_time(start)
    until = _moment(end)
    if until is not None and until.date() == _moment(start).date() and until != _moment(start):
        hours = f"{hours}–{format_time(until)}"
    return f"{day}, {hours}"


def format_moment(value, lang="el"):
    """``Σάβ 7 Μαρ, 19:00``."""
    day = format_date(value, lang)
    return f"{day}, {format_time(value)}" if day else ""
