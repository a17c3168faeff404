"""A controller's usage report, checked strictly (plain Python: no Zope).

The body of ``POST /@hotspots/{id}/usage`` is a JSON object::

    {"report_id": "ap7-20260302-0815", "start": "2026-03-02T08:10:00+02:00",
     "end": "2026-03-02T08:15:00+02:00", "sessions": 14, "users": 9,
     "bytes_down": 52428800, "bytes_up": 4194304, "status": "ok"}

``bytes_down``, ``bytes_up`` and ``status`` are optional. Anything else (an
unknown field, a wrong type — ``true`` is not a number —, a negative count,
more users than sessions, an empty or reversed period, one longer than a
day, ending in the future or more than 31 days ago) is a ``ReportError``
naming the field, in Greek and English.
"""

from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from dimos.policy.bilingual import BilingualError

import json
import re


MAX_BODY = 16 * 1024  # bytes
MAX_PERIOD = timedelta(hours=24)
FUTURE_SLACK = timedelta(minutes=5)  # the controller's clock may be a little ahead
MAX_AGE = timedelta(days=31)
STATUSES = ("ok", "degraded")
REPORT_ID = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces
COUNTS = ("sessions", "users", "bytes_down", "bytes_up")
REQUIRED = ("report_id", "start", "end", "sessions", "users")
FIELDS = (*REQUIRED, "bytes_down", "bytes_up", "status")
MAX_COUNT = 2**53  # what JSON numbers carry exactly


class ReportError(BilingualError):
    """A report refused; ``field`` names what is wrong (``None``: the body as a whole)."""

    code = "bad-report"

    def __init__(self, message_el, message_en, field=None, code=None, status=400):
        super().__init__(message_el, message_en, code=code, field=field)
        self.field = field
        self.status = status


@dataclass(frozen=True)
class Report:
    report_id: str
    start: datetime
    end: datetime
    sessions: int
    users: int
    bytes_down: int = 0
    bytes_up: int = 0
    status: str = "ok"


def _field_error(field, el, en):
    return ReportError(f"Πεδίο «{field}»: {el}", f"Field “{field}”: {en}", field=field)


def parse_body(body):
    """The JSON object of ``body`` (bytes); ReportError if too large or not a JSON object."""
    if len(body) > MAX_BODY:
        raise ReportError(
            f"Η αναφορά ξεπερνά τα {MAX_BODY // 1024} kB.",
            f"The report is larger than {MAX_BODY // 1024} kB.",
            code="too-large",
            status=413,
        )
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ReportError(
            "Το σώμα της αναφοράς δεν είναι έγκυρο JSON (UTF-8).",
            "The report's body is not valid JSON (UTF-8).",
            code="bad-json",
        ) from None
    if not isinstance(data, dict):
        raise ReportError(
            "Η αναφορά πρέπει να είναι αντικείμενο JSON ({…}).",
            "The report must be a JSON object ({…}).",
            code="bad-json",
        )
    return data


def _count(data, field):
    value = data.get(field, 0)
    if isinstance(value, bool) or not isinstance(value, int):
        raise _field_error(field, "πρέπει να είναι ακέραιος αριθμός.", "must be an integer.")
    if value < 0 or value > MAX_COUNT:
        raise _field_error(field, "πρέπει να είναι από 0 έως 2^53.", "must be between 0 and 2^53.")
    return value


def _moment(data, field):
    value = data[field]
    moment = None
    if isinstance(value, str) and len(value) <= 40:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            moment = None
    if moment is None or moment.utcoffset() is None:
        raise _field_error(
            field,
            "πρέπει να είναι ημερομηνία και ώρα ISO 8601 με ζώνη ώρας "
            "(π.χ. 2026-03-02T08:15:00+02:00).",
            "must be an ISO 8601 date and time with an offset (e.g. 2026-03-02T08:15:00+02:00).",
        )
    return moment


def _check_fields(data):
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise _field_error(unknown[0], "άγνωστο πεδίο.", "unknown field.")
    for field in REQUIRED:
        if field not in data:
            raise _field_error(field, "λείπει.", "is missing.")
    report_id = data["report_id"]
    if not isinstance(report_id, str) or not REPORT_ID.match(report_id):
        raise _field_error(
            "report_id",
            "1 έως 64 χαρακτήρες ASCII χωρίς κενά.",
            "1 to 64 ASCII characters without spaces.",
        )
    status = data.get("status", "ok")
    if status not in STATUSES:
        raise _field_error("status", "«ok» ή «degraded».", "“ok” or “degraded”.")


def _check_period(start, end, now):
    if end <= start:
        raise _field_error("end", "πρέπει να είναι μετά την αρχή.", "must be after the start.")
    if end - start > MAX_PERIOD:
        raise _field_error(
            "end", "η περίοδος ξεπερνά τις 24 ώρες.", "the period is longer than 24 hours."
        )
    if end > now + FUTURE_SLACK:
        raise _field_error("end", "είναι στο μέλλον.", "is in the future.")
    if end < now - MAX_AGE:
        raise _field_error("end", "είναι παλαιότερη από 31 ημέρες.", "is more than 31 days ago.")


def check_report(data, now):
    """The ``Report`` of the decoded JSON ``data``, checked against ``now`` (aware)."""
    _check_fields(data)
    counts = {field: _count(data, field) for field in COUNTS}
    if counts["users"] > counts["sessions"]:
        raise _field_error(
            "users",
            "οι χρήστες δεν μπορεί να είναι περισσότεροι από τις συνδέσεις.",
            "users cannot be more than sessions.",
        )
    start, end = _moment(data, "start"), _moment(data, "end")
    _check_period(start, end, now)
    return Report(
        report_id=data["report_id"],
        start=start,
        end=end,
        status=data.get("status", "ok"),
        **counts,
    )


def parse_report(body, now):
    """The ``Report`` of a request body (bytes); ReportError naming what is wrong."""
    return check_report(parse_body(body), now)
