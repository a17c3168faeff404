"""The usage and key REST handlers (routed by services/hotspots/*.py) and ``GET /@hotspots-usage``.

- ``POST /@hotspots/{id}/usage``: a controller's report, authenticated by its
  key in ``X-Hotspot-Key`` (not ``Authorization``: Plone's PAS reads that).
  Public from Plone's side; a missing key is 401, a wrong or revoked one 403,
  and neither writes anything. 201 when counted, 200 ``"duplicate": true``
  when its ``report_id`` was counted before.
- ``GET /@hotspots/{id}/usage?start=&end=[&format=csv]``: the days (IT).
- ``POST`` / ``DELETE /@hotspots/{id}/key``: IT issues (shown once) or revokes the key.
- ``GET /@hotspots-usage?start=&end=``: every hotspot's days as one CSV (IT).
"""

from datetime import date
from datetime import datetime
from datetime import timedelta
from datetime import UTC
from dimos.hotspots.usage import export
from dimos.hotspots.usage import keys
from dimos.hotspots.usage import stale
from dimos.hotspots.usage import store
from dimos.hotspots.usage.report import MAX_BODY
from dimos.hotspots.usage.report import parse_report
from dimos.hotspots.usage.report import ReportError
from dimos.policy.bilingual import BilingualError
from dimos.policy.bilingual import error_reply
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import _no_content_marker
from plone.restapi.services import Service
from zope.interface import alsoProvides


MANAGE = "Dimos: Manage hotspots"
KEY_HEADER = "X-Hotspot-Key"
DEFAULT_DAYS = 30
MAX_DAYS = 366
# What an HTML form (or a no-cors fetch) on another site can send with IT's cookies.
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain", "")


class Refused(BilingualError):
    """A request refused: ``status`` and ``error_type`` are the reply's."""

    def __init__(self, status, error_type, message_el, message_en, code, **details):
        super().__init__(message_el, message_en, code=code, **details)
        self.status = status
        self.error_type = error_type


def refused_reply(request, error):
    request.response.setHeader("Cache-Control", "no-store")
    return error_reply(request, error, error.status, error.error_type)


def content_type(request):
    return (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()


def check_manager(context):
    """Refused (401 anonymous, 403 others) unless the user may manage hotspots here."""
    if api.user.has_permission(MANAGE, obj=context):
        return
    if api.user.is_anonymous():
        raise Refused(
            401,
            "Unauthorized",
            "Συνδεθείτε ως υπάλληλος του Τμήματος Πληροφορικής.",
            "Log in as a member of the IT department.",
            "login-required",
        )
    raise Refused(
        403,
        "Forbidden",
        "Μόνο το Τμήμα Πληροφορικής διαχειρίζεται τα σημεία WiFi.",
        "Only the IT department manages the hotspots.",
        "forbidden",
    )


def check_not_form(request, allow_empty=False):
    """Refused (415) when a form on another site could have sent this request (CSRF).

    ``allow_empty``: for DELETE, which no page on another site can send
    without the browser asking first (CORS preflight): a bare call is fine.
    """
    kind = content_type(request)
    if allow_empty and not kind and not _body(request):
        return
    if kind in FORM_TYPES:
        raise Refused(
            415,
            "UnsupportedMediaType",
            "Στείλτε το αίτημα ως JSON (Content-Type: application/json).",
            "Send the request as JSON (Content-Type: application/json).",
            "unsupported-content-type",
        )


def _body(request):
    body = request.get("BODY") or b""
    return body.encode("utf-8") if isinstance(body, str) else body


def _actor():
    user = api.user.get_current()
    return user.getId() if user is not None else None


# --- keys ---------------------------------------------------------------------------------


def key_post(hotspot, request):
    try:
        check_manager(hotspot)
        # A bodiless POST without a type is what a no-cors fetch from another site sends.
        check_not_form(request)
    except Refused as error:
        return refused_reply(request, error)
    alsoProvides(request, IDisableCSRFProtection)
    key, issued = keys.issue_key(hotspot, _actor())
    request.response.setHeader("Cache-Control", "no-store")
    request.response.setStatus(201)
    return {
        "hotspot": hotspot.getId(),
        "key": key,
        "issued": issued.isoformat(),
        "header": KEY_HEADER,
        "message": {
            "el": "Το κλειδί εμφανίζεται μόνο τώρα: περάστε το στον ελεγκτή. "
            "Το προηγούμενο κλειδί δεν ισχύει πια.",
            "en": "The key is shown only now: enter it in the controller. "
            "The previous key no longer works.",
        },
    }


def key_delete(hotspot, request):
    try:
        check_manager(hotspot)
        check_not_form(request, allow_empty=True)
    except Refused as error:
        return refused_reply(request, error)
    alsoProvides(request, IDisableCSRFProtection)
    keys.revoke_key(hotspot, _actor())
    request.response.setStatus(204)
    return _no_content_marker


# --- reports ------------------------------------------------------------------------------


def check_report_request(hotspot, request):
    """Refused unless the key is right and the body may be read as JSON. Writes nothing."""
    key = request.getHeader(KEY_HEADER)
    if not key:
        raise Refused(
            401,
            "Unauthorized",
            f"Λείπει το κλειδί του σημείου (κεφαλίδα {KEY_HEADER}).",
            f"The hotspot's key is missing (header {KEY_HEADER}).",
            "key-required",
        )
    if not keys.verify_key(hotspot, key):
        raise Refused(
            403,
            "Forbidden",
            "Το κλειδί δεν ισχύει για αυτό το σημείο (λάθος ή ανακλήθηκε).",
            "The key is not valid for this hotspot (wrong or revoked).",
            "bad-key",
        )
    if content_type(request) != "application/json":
        raise Refused(
            415,
            "UnsupportedMediaType",
            "Στείλτε την αναφορά ως JSON (Content-Type: application/json).",
            "Send the report as JSON (Content-Type: application/json).",
            "unsupported-content-type",
        )
    try:
        length = int(request.getHeader("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY:
        raise ReportError(
            f"Η αναφορά ξεπερνά τα {MAX_BODY // 1024} kB.",
            f"The report is larger than {MAX_BODY // 1024} kB.",
            code="too-large",
            status=413,
        )


def accept_report(hotspot, body, now):
    """Count the report in ``body``: ``(status, reply)``; ReportError if it is not valid."""
    report = parse_report(body, now)
    today = store.local_date(now)
    duplicate, day = store.record(hotspot, report, today)
    reply = {"accepted": True, "duplicate": duplicate, "date": day.date.isoformat()}
    reply["day"] = day.to_json()
    if duplicate:
        return 200, reply
    hotspot.last_seen = now
    stale.mark_seen(hotspot, now)
    return 201, reply


def usage_post(hotspot, request):
    try:
        check_report_request(hotspot, request)
        alsoProvides(request, IDisableCSRFProtection)
        status, reply = accept_report(hotspot, _body(request), datetime.now(UTC))
    except Refused as error:
        return refused_reply(request, error)
    except ReportError as error:
        request.response.setHeader("Cache-Control", "no-store")
        kind = {413: "PayloadTooLarge"}.get(error.status, "BadRequest")
        return error_reply(request, error, error.status, kind)
    request.response.setStatus(status)
    return reply


# --- reading the days ---------------------------------------------------------------------


def _date(request, field, default):
    text = request.form.get(field)
    if not text:
        return default
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except (TypeError, ValueError):
        return None


def period(request, today=None):
    """(start, end) dates of ``?start=&end=`` (both included; default: the last 30 days)."""
    today = today or store.local_date(datetime.now(UTC))
    end = _date(request, "end", today)
    start = _date(request, "start", (end or today) - timedelta(days=DEFAULT_DAYS - 1))
    for field, value in (("start", start), ("end", end)):
        if value is None:
            raise Refused(
                400,
                "BadRequest",
                f"Πεδίο «{field}»: ημερομηνία ΕΕΕΕ-ΜΜ-ΗΗ (π.χ. 2026-03-02).",
                f"Field “{field}”: a date YYYY-MM-DD (e.g. 2026-03-02).",
                "bad-date",
                field=field,
            )
    if end < start or (end - start).days >= MAX_DAYS:
        raise Refused(
            400,
            "BadRequest",
            f"Πεδίο «end»: από την αρχή έως {MAX_DAYS} ημέρες μετά.",
            f"Field “end”: from the start to {MAX_DAYS} days after it.",
            "bad-period",
            field="end",
        )
    return start, end


def wants_csv(request):
    if request.form.get("format") == "csv":
        return True
    return "text/csv" in (request.getHeader("Accept") or "")


def send_csv(request, data, name):
    response = request.response
    response.setHeader("Content-Type", "text/csv; charset=utf-8")
    response.setHeader("Content-Disposition", f'attachment; filename="{name}"')
    response.setHeader("Cache-Control", "private, no-store")
    response.setBody(data, lock=True)
    return _no_content_marker


def usage_json(hotspot, start, end):
    days = store.daily_usage(hotspot, start, end)
    issued, issued_by = keys.key_issued(hotspot)
    return {
        "@id": f"{api.portal.get().absolute_url()}/@hotspots/{hotspot.getId()}/usage",
        "hotspot": hotspot.getId(),
        "title": hotspot.Title(),
        "start": start.isoformat(),
        "end": end.isoformat(),
        "last_seen": hotspot.last_seen.isoformat() if hotspot.last_seen else None,
        "stale": stale.is_stale(hotspot),
        "key_issued": issued.isoformat() if issued else None,
        "key_issued_by": issued_by,
        "items": [day.to_json() for day in days],
        "totals": store.totals(days),
    }


def usage_get(hotspot, request):
    try:
        check_manager(hotspot)
        start, end = period(request)
    except Refused as error:
        return refused_reply(request, error)
    if wants_csv(request):
        days = store.daily_usage(hotspot, start, end)
        name = export.filename(f"usage-{hotspot.getId()}", start, end)
        return send_csv(request, export.hotspot_csv(days), name)
    request.response.setHeader("Cache-Control", "private, no-store")
    return usage_json(hotspot, start, end)


def all_usage(site, start, end):
    """(id, title, controller id, days) of each hotspot, for ``export.all_hotspots_csv``."""
    return [
        (spot.getId(), spot.Title(), spot.controller_id, store.daily_usage(spot, start, end))
        for spot in stale.hotspots(site)
    ]


class HotspotsUsageGet(Service):
    """``GET /@hotspots-usage?start=&end=``: one CSV row per hotspot per day (IT)."""

    def reply(self):
        from dimos.hotspots.setuphandlers import hotspot_folder

        folder = hotspot_folder(self.context)
        try:
            check_manager(folder if folder is not None else self.context)
            start, end = period(self.request)
        except Refused as error:
            return refused_reply(self.request, error)
        data = export.all_hotspots_csv(all_usage(self.context, start, end))
        return send_csv(self.request, data, export.filename("usage-hotspots", start, end))
