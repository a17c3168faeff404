"""Applications to occupy a common space: submitted by a citizen, decided by revenue staff.

``submitted`` → ``approved`` (the debt, source ``common-space``, and its RF
code are issued; the citizen is emailed) or ``rejected`` (with the reason);
an approved application whose debt is paid becomes ``issued`` once its
permit is made (permits.py), or stays ``paid`` if making it failed, for staff
to retry. The amount is quoted at submission from the ``common-space`` rate
table in force on the first day of the occupation (tariffs.py) and kept.

Applications are small persistent objects in BTrees (``ApplicationBook`` in
the site's annotations), audited like debts. Their ids are ``2026-00001``
(per year); the debt of application ``2026-00001`` is ``OCC-2026-00001``.
Nothing is written before every check has passed.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dimos.content.commitlock import hold_until_commit
from dimos.payments import ledger
from dimos.payments import notify
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.debts import clean_name
from dimos.payments.debts import DebtError
from dimos.payments.declarations.book import today
from dimos.payments.money import format_amount
from dimos.payments.occupation.tariffs import clean_kind
from dimos.payments.occupation.tariffs import format_area
from dimos.payments.occupation.tariffs import kind_title
from dimos.payments.occupation.tariffs import occupation_period
from dimos.payments.occupation.tariffs import parse_area
from dimos.payments.occupation.tariffs import quote
from dimos.payments.occupation.tariffs import refuse
from dimos.payments.rates import COMMON_SPACE
from dimos.payments.rates import parse_date
from dimos.payments.rates import rate_in_force
from dimos.payments.rates import RateError
from dimos.payments.rf import format_rf
from persistent import Persistent

import datetime


KEY = "dimos.payments.occupation"
DUE_DAYS_RECORD = "dimos.payments.occupation.due_days"
SOURCE = "common-space"
DEBT_PREFIX = "OCC-"
SUBMITTED, APPROVED, REJECTED, PAID, ISSUED = "submitted", "approved", "rejected", "paid", "issued"
STATUS_TITLES = {
    SUBMITTED: ("Υποβλήθηκε", "Submitted"),
    APPROVED: ("Εγκρίθηκε, προς πληρωμή", "Approved, to be paid"),
    REJECTED: ("Απορρίφθηκε", "Rejected"),
    PAID: ("Πληρώθηκε, η άδεια εκκρεμεί", "Paid, permit pending"),
    ISSUED: ("Εκδόθηκε η άδεια", "Permit issued"),
}


class Counter(Persistent):
    """The last application number of one year. Deliberately without conflict resolution."""

    value = 0


class Application(Audited, Persistent):
    """One application, its quote, the staff's decision, its debt and its permit."""

    status = SUBMITTED
    decided_by = decided_at = reason = None
    debt_id = rf = due_date = None
    paid = None  # {"at", "rf", "transaction_id", "channel"} once paid
    permit_uid = permit_url = permit_number = None
    permit_pdf = None  # "sealed", or "pending" (with permit_error) until it is
    permit_error = None  # {"code", "el", "en"} of the last failure
    permit_emailed = False

    def __init__(self, app_id, afm, holder_name, email, location, quoted, table, actor):
        self.id = app_id
        self.afm = afm
        self.holder_name = holder_name
        self.email = email
        self.location = location
        self.kind = quoted.kind
        self.zone = quoted.zone
        self.area_centi = quoted.area_centi
        self.start, self.end = quoted.start, quoted.end
        self.unit, self.units = quoted.unit, quoted.units
        self.price_cents = quoted.price_cents
        self.amount_cents = quoted.amount_cents
        self.rate_table = table.id
        self.decision_uid = table.decision_uid
        self.decision_label = table.decision_label
        self.submitted = now_utc()
        self.submitted_by = actor

    @property
    def debt_of(self):
        return f"{DEBT_PREFIX}{self.id}"

    @property
    def title_el(self):
        return f"{kind_title(self.kind)} — {self.location}"

    def change(self, values, actor, action, **context):
        changes = {}
        for field, new in values.items():
            old = getattr(self, field, None)
            if old != new:
                changes[field] = [jsonable(old), jsonable(new)]
                setattr(self, field, new)
        if changes:
            self.record(actor, action, changes, **context)
        return changes

    def to_json(self, audit=False):
        status_el, status_en = STATUS_TITLES[self.status]
        data = {
            "id": self.id,
            "afm": self.afm,
            "holder_name": self.holder_name,
            "email": self.email,
            "kind": self.kind,
            "kind_title_el": kind_title(self.kind),
            "kind_title_en": kind_title(self.kind, "en"),
            "zone": self.zone,
            "location": self.location,
            "area_centi": self.area_centi,
            "area": format_area(self.area_centi),
            "from": jsonable(self.start),
            "until": jsonable(self.end),
            "unit": self.unit,
            "units": self.units,
            "price_cents": self.price_cents,
            "price": format_amount(self.price_cents),
            "amount_cents": self.amount_cents,
            "amount": format_amount(self.amount_cents),
            "rate_table": self.rate_table,
            "decision": self.decision_uid,
            "decision_label": self.decision_label,
            "status": self.status,
            "status_title_el": status_el,
            "status_title_en": status_en,
            "submitted": jsonable(self.submitted),
            "decided_by": self.decided_by,
            "decided_at": jsonable(self.decided_at),
            "reason": self.reason,
            "debt": self.debt_id,
            "rf": self.rf,
            "rf_printed": format_rf(self.rf) if self.rf else None,
            "due_date": jsonable(self.due_date),
            "paid": jsonable(self.paid),
            "permit": self.permit_json(),
        }
        if audit:
            data["audit"] = self.audit_json()
        return data

    def permit_json(self):
        if self.permit_uid is None and self.permit_error is None:
            return None
        return {
            "uid": self.permit_uid,
            "url": self.permit_url,
            "number": self.permit_number,
            "pdf": self.permit_pdf,
            "error": self.permit_error,
            "emailed": self.permit_emailed,
        }


class ApplicationBook(Persistent):
    """``items``: id → Application; ``by_afm``: ΑΦΜ → ids; ``counters``: year → Counter."""

    def __init__(self):
        self.items = OOBTree()
        self.by_afm = OOBTree()
        self.counters = OOBTree()

    def next_id(self, year):
        if year not in self.counters:
            self.counters[year] = Counter()
        counter = self.counters[year]
        counter.value += 1
        return f"{year}-{counter.value:05d}"

    def add(self, application):
        self.items[application.id] = application
        if application.afm not in self.by_afm:
            self.by_afm[application.afm] = OOTreeSet()
        self.by_afm[application.afm].insert(application.id)


def application_book():
    from dimos.content.numbers import site_store

    return site_store(KEY, ApplicationBook)


def get_application(app_id):
    return application_book().items.get(str(app_id or ""))


def application_of_debt(debt_id):
    """The application whose fee is debt ``debt_id``, or None."""
    if not str(debt_id).startswith(DEBT_PREFIX):
        return None
    return get_application(str(debt_id)[len(DEBT_PREFIX) :])


def applications_of(afm):
    book = application_book()
    found = [book.items[app_id] for app_id in book.by_afm.get(afm, ())]
    return sorted(found, key=lambda app: app.submitted, reverse=True)


def all_applications(status=None):
    found = application_book().items.values()
    chosen = [app for app in found if status is None or app.status == status]
    return sorted(chosen, key=lambda app: app.submitted, reverse=True)


# --- submitting ----------------------------------------------------------------------------


def _date(value, field, label_el, label_en):
    if value in (None, ""):
        refuse(field, f"Λείπει {label_el}.", f"The {label_en} is missing.", code="bad-date")
    try:
        return parse_date(value, field)
    except RateError as error:
        refuse(field, error.message_el, error.message_en, code="bad-date")


def _location(value):
    text = " ".join(str(value or "").split())
    if not 3 <= len(text) <= 300:
        refuse(
            "location",
            "Περιγράψτε τη θέση (οδός, αριθμός, πλατεία), 3 έως 300 χαρακτήρες.",
            "Describe the location (street, number, square), 3 to 300 characters.",
            code="bad-location",
        )
    return text


def _email(value):
    text = str(value or "").strip()
    if text and not notify.valid_email(text):
        refuse(
            "email",
            f"Η διεύθυνση email «{text}» δεν είναι έγκυρη.",
            f"The email address “{text}” is not valid.",
            code="bad-email",
        )
    return text or None


def _holder(value, afm):
    try:
        return clean_name(value or f"ΑΦΜ {afm}")
    except DebtError as error:
        refuse("holder_name", error.message_el, error.message_en, code="bad-name")


def _quote(data):
    kind = clean_kind(data.get("kind"))
    area = parse_area(data.get("area"))
    start = _date(data.get("from"), "from", "η πρώτη ημέρα", "first day")
    if start < today():
        refuse(
            "from",
            "Η κατάληψη δεν μπορεί να αρχίζει στο παρελθόν.",
            "The occupation cannot start in the past.",
            code="bad-date",
        )
    until = data.get("until")
    end = _date(until, "until", "η τελευταία ημέρα", "last day") if until else None
    start, end = occupation_period(start, end, data.get("days"))
    try:
        table = rate_in_force(COMMON_SPACE, start)
    except RateError as error:
        refuse("from", error.message_el, error.message_en, code=error.code)
    return quote(table.values, kind, data.get("zone"), area, start, end), table


def submit_application(afm, data, actor, holder_name=None, email=None):
    """A new ``submitted`` Application of ``afm`` from the form or JSON ``data``.

    ``data``: kind, location, area, from, until or days, zone (optional),
    holder_name and email (optional; else the given defaults).
    ApplicationError (Greek and English, ``field`` set) when it cannot be accepted.
    """
    location = _location(data.get("location"))
    quoted, table = _quote(data)
    holder = _holder(data.get("holder_name") or holder_name, afm)
    address = _email(data.get("email")) or _email(email)
    book = application_book()
    app = Application(
        book.next_id(today().year), afm, holder, address, location, quoted, table, actor
    )
    book.add(app)
    app.record(actor, "submitted", {"status": [None, SUBMITTED]}, amount_cents=app.amount_cents)
    return app


# --- deciding -----------------------------------------------------------------------------


def _undecided(app_id):
    app = get_application(app_id)
    if app is None:
        refuse(
            "id",
            f"Δεν βρέθηκε η αίτηση «{app_id}».",
            f"Application “{app_id}” was not found.",
            code="application-not-found",
        )
    if app.status != SUBMITTED:
        status_el, status_en = STATUS_TITLES[app.status]
        refuse(
            "id",
            f"Η αίτηση {app.id} έχει ήδη κριθεί ({status_el}).",
            f"Application {app.id} has already been decided ({status_en}).",
            code="already-decided",
        )
    return app


def _reason(value, required):
    text = " ".join(str(value or "").split())
    if required and not text:
        refuse(
            "reason",
            "Γράψτε τον λόγο της απόρριψης· θα τον διαβάσει ο αιτών.",
            "Give the reason for the rejection; the applicant will read it.",
            code="reason-required",
        )
    if len(text) > 1000:
        refuse(
            "reason",
            "Ο λόγος ξεπερνά τους 1000 χαρακτήρες.",
            "The reason is longer than 1000 characters.",
            code="bad-reason",
        )
    return text or None


def _debt_values(app, due):
    description = (
        f"{app.title_el}, {format_area(app.area_centi)}, "
        f"{app.start:%d/%m/%Y} – {app.end:%d/%m/%Y} (αίτηση {app.id})"
    )
    return {
        "afm": app.afm,
        "name": app.holder_name,
        "category": SOURCE,
        "description": description[:500],
        "amount_cents": app.amount_cents,
        "surcharge_cents": 0,
        "due_date": due,
        "status": "open",
    }


def approve_application(app_id, actor, reason=None, portal_url=""):
    """Approve: the debt and its RF code are issued and the citizen is emailed."""
    from plone import api

    hold_until_commit(ledger.LOCK_NAME, fresh=True)
    app = _undecided(app_id)
    reason = _reason(reason, required=False)
    days = api.portal.get_registry_record(DUE_DAYS_RECORD, default=None) or 15
    due = today() + datetime.timedelta(days=days)
    ledger.add_debt(app.debt_of, SOURCE, _debt_values(app, due), actor, application=app.id)
    order = ledger.issue_order([app.debt_of], afm=app.afm, actor=actor)
    values = {
        "status": APPROVED,
        "decided_by": actor,
        "decided_at": now_utc(),
        "reason": reason,
        "debt_id": app.debt_of,
        "rf": order.rf,
        "due_date": due,
    }
    app.change(values, actor, "approved")
    pay_url = f"{portal_url}/@@pay?rf={order.rf}" if portal_url else ""
    title = f"Τέλος κατάληψης κοινόχρηστου χώρου: {app.title_el} (αίτηση {app.id})"
    if app.email:
        notify.notify_new_debt(
            app.email, app.holder_name, title, order.rf, app.amount_cents, due, pay_url
        )
    return app


def reject_application(app_id, actor, reason):
    """Reject, with the reason the citizen reads (emailed when they gave an address)."""
    app = _undecided(app_id)
    reason = _reason(reason, required=True)
    values = {"status": REJECTED, "decided_by": actor, "decided_at": now_utc(), "reason": reason}
    app.change(values, actor, "rejected")
    if app.email:
        el = (
            f"Η αίτησή σας {app.id} για κατάληψη κοινόχρηστου χώρου ({app.title_el}) "
            f"απορρίφθηκε.\n\nΛόγος: {reason}"
        )
        en = (
            f"Your application {app.id} to occupy a common space ({app.title_el}) was "
            f"rejected.\n\nReason: {reason}"
        )
        subject = f"Απόρριψη αίτησης {app.id} / Application {app.id} rejected"
        notify.notify(app.email, subject, el + notify.RULE + en, to_name=app.holder_name)
    return app
