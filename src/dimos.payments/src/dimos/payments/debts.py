"""A citizen's debt to the municipality, and the checks every field of a debt goes through.

A ``Debt`` is a small persistent object (not content: tens of thousands of
them live in BTrees, see ``debtbook.py``). Its ``id`` is the financial
system's, unique; ``afm`` is the debtor's 9-digit tax number, checked with
``stdnum.gr.vat``; money is integer cents. ``status`` is ``open``, ``paid``
or ``cancelled``; ``pending_rf`` is the RF code of the one pending payment
order it is in, if any. Every change goes through ``Debt.change`` and is
audited. No Zope or Plone imports.
"""

from dimos.payments.audit import Audited
from dimos.payments.audit import diff
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import category_for
from dimos.payments.categories import fold
from dimos.payments.categories import get_category
from dimos.payments.money import format_amount
from dimos.payments.money import parse_amount
from persistent import Persistent
from stdnum.exceptions import ValidationError
from stdnum.gr import vat

import datetime
import re


OPEN, PAID, CANCELLED = "open", "paid", "cancelled"
STATUSES = (OPEN, PAID, CANCELLED)
CERTIFIED = "certified"
SOURCES = (CERTIFIED, "traffic-fine", "gross-revenue", "common-space", "assessment")
# Fields an import compares and may change; money, debtor and status are "locked"
# while a debt is paid or in a pending order.
FIELDS = (
    "afm",
    "name",
    "category",
    "description",
    "amount_cents",
    "surcharge_cents",
    "due_date",
    "status",
)
LOCKED_FIELDS = ("afm", "amount_cents", "surcharge_cents", "status")
_STATUS_NAMES = {
    "open": OPEN,
    "ανοιχτη": OPEN,
    "ανεξοφλητη": OPEN,
    "paid": PAID,
    "εξοφλημενη": PAID,
    "cancelled": CANCELLED,
    "canceled": CANCELLED,
    "ακυρωμενη": CANCELLED,
}
_ID = re.compile(r"[^\s/\\?#]{1,64}")
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_GREEK_DATE = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})")


class DebtError(BilingualError):
    """A debt's field is not acceptable; ``field`` names it."""

    code = "bad-debt"


def _fail(field, value, message_el, message_en, code="bad-field"):
    raise DebtError(message_el, message_en, code=code, field=field, value=jsonable(value))


def clean_id(value):
    text = str(value if value is not None else "").strip()
    if not _ID.fullmatch(text):
        _fail(
            "id",
            text,
            f"Μη αποδεκτός κωδικός οφειλής «{text}»: 1 έως 64 χαρακτήρες, χωρίς κενά, / ή ?.",
            f"Debt id “{text}” not accepted: 1 to 64 characters, no spaces, / or ?.",
        )
    return text


def clean_afm(value):
    """The 9 digits of a Greek tax number (ΑΦΜ); DebtError if it is not a valid one."""
    text = str(value if value is not None else "").strip()
    try:
        return vat.validate(text)
    except ValidationError:
        _fail(
            "afm",
            text,
            f"Ο ΑΦΜ «{text}» δεν είναι έγκυρος.",
            f"The tax number (AFM) “{text}” is not valid.",
            code="bad-afm",
        )


def is_afm(value):
    """Whether ``value`` is exactly a valid 9-digit ΑΦΜ (as user ids from Taxisnet are)."""
    text = str(value or "")
    return len(text) == 9 and text.isdigit() and vat.is_valid(text)


def clean_name(value):
    text = " ".join(str(value or "").split())
    if not 1 <= len(text) <= 200:
        _fail(
            "name",
            text,
            "Το όνομα του οφειλέτη λείπει ή ξεπερνά τους 200 χαρακτήρες.",
            "The debtor's name is missing or longer than 200 characters.",
        )
    return text


def clean_description(value):
    text = " ".join(str(value or "").split())
    if len(text) > 500:
        _fail(
            "description",
            text[:40],
            "Η περιγραφή ξεπερνά τους 500 χαρακτήρες.",
            "The description is longer than 500 characters.",
        )
    return text


def clean_category(value):
    return category_for(value).token


def clean_money(field):
    def clean(value):
        if value is None or value == "":
            if field == "surcharge_cents":
                return 0
            value = ""
        return parse_amount(value)

    return clean


def clean_date(value):
    """A date from ``2026-03-31``, ``31/03/2026``, ``31.03.2026`` or ``31-03-2026``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    iso, greek = _ISO_DATE.fullmatch(text), _GREEK_DATE.fullmatch(text)
    try:
        if iso:
            return datetime.date(*(int(part) for part in iso.groups()))
        if greek:
            day, _sep, month, year = greek.groups()
            return datetime.date(int(year), int(month), int(day))
    except ValueError:
        pass
    _fail(
        "due_date",
        text,
        f"Μη αποδεκτή ημερομηνία λήξης «{text}»· γράψτε π.χ. 31/03/2026 ή 2026-03-31.",
        f"Due date “{text}” not accepted; write e.g. 31/03/2026 or 2026-03-31.",
    )


def clean_status(value):
    text = str(value or "").strip()
    if not text:
        return OPEN
    status = _STATUS_NAMES.get(fold(text))
    if status is None:
        _fail(
            "status",
            text,
            f"Άγνωστη κατάσταση «{text}»· δεκτές: open, paid, cancelled.",
            f"Unknown status “{text}”; accepted: open, paid, cancelled.",
        )
    return status


CLEANERS = {
    "afm": clean_afm,
    "name": clean_name,
    "category": clean_category,
    "description": clean_description,
    "amount_cents": clean_money("amount_cents"),
    "surcharge_cents": clean_money("surcharge_cents"),
    "due_date": clean_date,
    "status": clean_status,
}


class Debt(Audited, Persistent):
    """One debt. Create it through ``DebtBook.add_debt``, change it through ``change``."""

    paid = None  # {"at", "rf", "transaction_id", "channel", "by"} once paid
    pending_rf = None

    def __init__(self, id, source=CERTIFIED, **values):
        self.id = clean_id(id)
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        self.source = source
        self.created = now_utc()
        for field in FIELDS:
            setattr(self, field, values.get(field))
        self.status = self.status or OPEN

    @property
    def total_cents(self):
        return self.amount_cents + self.surcharge_cents

    @property
    def locked(self):
        """Paid, or in a pending payment order: money, debtor and status must not move."""
        return self.status == PAID or self.pending_rf is not None

    def change(self, values, who, action, **context):
        """Set ``values`` (field → new value), audit what really changed, return the changes."""
        changes = diff(self, values)
        if changes:
            for field, new in values.items():
                setattr(self, field, new)
            self.record(who, action, changes, **context)
        return changes

    def to_json(self, audit=False):
        category = get_category(self.category)
        data = {
            "id": self.id,
            "afm": self.afm,
            "name": self.name,
            "category": self.category,
            "category_title": category.title_el if category else self.category,
            "category_title_en": category.title_en if category else self.category,
            "description": self.description,
            "amount_cents": self.amount_cents,
            "surcharge_cents": self.surcharge_cents,
            "total_cents": self.total_cents,
            "total": format_amount(self.total_cents),
            "due_date": jsonable(self.due_date),
            "status": self.status,
            "pending_rf": self.pending_rf,
            "paid": jsonable(self.paid),
            "source": self.source,
        }
        if audit:
            data["audit"] = self.audit_json()
        return data
