"""Rates as effective-dated settings, each tied to the council decision that set it.

A *rate table* belongs to one schedule and holds the values a council decision
set, for a period: ``effective_from`` (a date), an optional ``until``
(inclusive; open-ended when empty) and the UID of the ``CouncilDecision``
(dimos.content) that set it. Schedules:

``gross-revenue``       τέλος ακαθαρίστων εσόδων: a percentage of the declared
                        gross revenue per business category, the declaration
                        deadline and the late penalty rule;
``transient-resident``  τέλος παρεπιδημούντων: the same shape (a percentage of
                        accommodation revenue per category of lodging);
``common-space``        τέλη κοινοχρήστων χώρων: € per m² per month (or per
                        day) for each tariff kind, optionally per zone.

Within a schedule the periods never overlap: a table that would is refused,
naming the table in the way; to change a rate, end the current table
(``end_rate_table``) and add the new one. The rate in force on a day is the
table whose period contains the day. Only a decision that exists and is
published (registry ``dimos.payments.rates.decision_states``) can back a table.
Tables are never deleted; every change is audited.

Values as staff send them (JSON), and as they are kept (integers only); each
schedule's are checked beside the code that uses them (``clean_values``:
declarations/fees.py and occupation/tariffs.py):

* fee schedules: ``{"categories": {"restaurant": "0,5%", "cafe": {"rate":
  "0,5%", "title_el": "...", "title_en": "..."}}, "deadline": {"months_after":
  1, "day": "last"}, "penalty": {"per_month": "1%", "cap": "20%"}, "periods":
  ["month", "quarter"]}``; percentages are kept in millionths (``rate_ppm``:
  0,5% → 5000), so no float ever computes money; ``deadline`` defaults to the
  last day of the month after the period, ``periods`` to ``["month"]``;
* ``common-space``: ``{"tariffs": {"tables-chairs": {"unit": "month", "price":
  "15,00", "zones": {"Α": "20,00"}}, "outdoor-event": {"unit": "day", "price":
  "2,00"}}}``: prices in cents per m² per unit; a zone's price wins over
  ``price``, which is the price of every zone not listed.

Months are counted as the Civil Code counts them (``month_end``): a month from
the 15th ends on the 14th of the next month; from the 31st, at the end of a
shorter month. Fees, penalties and tariffs all use this one rule.
"""

from BTrees.OOBTree import OOBTree
from decimal import Decimal
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.bilingual import BilingualError
from dimos.payments.debts import clean_date
from dimos.payments.debts import DebtError
from persistent import Persistent

import calendar
import datetime
import re


KEY = "dimos.payments.rates"
STATES_RECORD = "dimos.payments.rates.decision_states"
DEFAULT_STATES = ("published",)
MILLION = 1_000_000

GROSS_REVENUE, TRANSIENT_RESIDENT, COMMON_SPACE = (
    "gross-revenue",
    "transient-resident",
    "common-space",
)
SCHEDULES = {
    GROSS_REVENUE: ("Τέλος ακαθαρίστων εσόδων", "Gross revenue fee"),
    TRANSIENT_RESIDENT: ("Τέλος παρεπιδημούντων", "Transient residents' fee"),
    COMMON_SPACE: ("Τέλη κοινοχρήστων χώρων", "Common-space occupation tariffs"),
}
FEE_SCHEDULES = (GROSS_REVENUE, TRANSIENT_RESIDENT)

_PERCENT = re.compile(r"(\d{1,3})(?:[.,](\d{1,4}))?")


class RateError(BilingualError):
    """A rate table, or a look-up of one, that cannot be accepted; ``field`` says where."""

    code = "bad-rate"


def fail(field, message_el, message_en, code="bad-rate", **details):
    raise RateError(message_el, message_en, code=code, field=field, **details)


# --- month arithmetic --------------------------------------------------------------


def add_months(day, months):
    """``day`` moved ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))


def month_end(start, months):
    """The last day of ``months`` months counted from ``start`` (Civil Code, art. 243)."""
    moved = add_months(start, months)
    if moved.day < start.day:  # no such day in that month: its last day ends the period
        return moved
    return moved - datetime.timedelta(days=1)


def months_spanned(start, end):
    """How many months, started ones included, cover ``start`` … ``end`` (inclusive)."""
    if end < start:
        raise ValueError("end before start")
    months = max(1, (end.year - start.year) * 12 + end.month - start.month)
    while months > 1 and month_end(start, months - 1) >= end:
        months -= 1
    while month_end(start, months) < end:
        months += 1
    return months


def last_day(year, month):
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


# --- percentages ---------------------------------------------------------------------


def parse_percent(value, field="rate"):
    """A percentage (``"0,5%"``, ``"0.5"``, ``2``) in millionths: 0,5% → 5000."""
    if isinstance(value, bool) or isinstance(value, float):
        fail(
            field,
            f"Δώστε το ποσοστό ως κείμενο (π.χ. «0,5%»), όχι {value!r}.",
            f"Give the percentage as text (e.g. “0.5%”), not {value!r}.",
        )
    if isinstance(value, Decimal):
        value = format(value, "f")
    text = str(value if value is not None else "").strip().removesuffix("%").strip()
    match = _PERCENT.fullmatch(text)
    if not match:
        fail(
            field,
            f"Μη αποδεκτό ποσοστό «{value}»· γράψτε π.χ. 0,5% (έως 4 δεκαδικά).",
            f"Percentage “{value}” not accepted; write e.g. 0.5% (up to 4 decimals).",
        )
    whole, fraction = match.group(1), (match.group(2) or "")
    ppm = int(whole) * 10_000 + int(fraction.ljust(4, "0"))
    if ppm > MILLION:
        fail(field, "Το ποσοστό ξεπερνά το 100%.", "The percentage is over 100%.")
    return ppm


def format_percent(ppm):
    """5000 → ``"0,5%"``."""
    whole, rest = divmod(ppm, 10_000)
    fraction = f"{rest:04d}".rstrip("0")
    return f"{whole},{fraction}%" if fraction else f"{whole}%"


def share(cents, ppm, times=1):
    """``cents`` × ``ppm``/10⁶ × ``times``, rounded half up to the cent (integers only)."""
    return (cents * ppm * times + MILLION // 2) // MILLION


# --- cleaning the values of a table ---------------------------------------------------


def mapping(value, field):
    if not isinstance(value, dict) or not value:
        fail(
            field,
            f"Το «{field}» πρέπει να είναι μη κενό αντικείμενο JSON.",
            f"“{field}” must be a non-empty JSON object.",
        )
    return value


def clean_values(schedule, values):
    """The ``values`` of a table of ``schedule``, checked and kept as integers.

    Each schedule's values are defined beside the code that uses them:
    declarations/fees.py for the fees, occupation/tariffs.py for the tariffs.
    """
    values = mapping(values, "values")
    if schedule == COMMON_SPACE:
        from dimos.payments.occupation.tariffs import clean_tariff_values

        return clean_tariff_values(values)
    from dimos.payments.declarations.fees import clean_fee_values

    return clean_fee_values(values)


def shown_values(schedule, values):
    """The values as people read them: percentages and euros beside the integers."""
    if schedule == COMMON_SPACE:
        from dimos.payments.occupation.tariffs import shown_tariff_values

        return shown_tariff_values(values)
    from dimos.payments.declarations.fees import shown_fee_values

    return shown_fee_values(values)


def clean_schedule(value):
    text = str(value or "").strip()
    if text not in SCHEDULES:
        names = ", ".join(SCHEDULES)
        fail(
            "schedule",
            f"Άγνωστος πίνακας τελών «{text}»· δεκτοί: {names}.",
            f"Unknown rate schedule “{text}”; accepted: {names}.",
            code="bad-schedule",
        )
    return text


def parse_date(value, field):
    """A date written ``2026-03-31`` or ``31/03/2026``; RateError naming ``field`` if not."""
    try:
        return clean_date(value)
    except DebtError:
        fail(
            field,
            f"Μη αποδεκτή ημερομηνία «{value}» ({field})· γράψτε π.χ. 31/03/2026 ή 2026-03-31.",
            f"Date “{value}” ({field}) not accepted; write e.g. 31/03/2026 or 2026-03-31.",
            code="bad-date",
        )


# --- the tables --------------------------------------------------------------------------


def _shown(day):
    return f"{day:%d/%m/%Y}" if day else "…"


class RateTable(Audited, Persistent):
    """The values of one schedule for one period, as one council decision set them."""

    def __init__(self, schedule, effective_from, until, decision_uid, decision_label, values, by):
        self.id = f"{schedule}-{effective_from:%Y%m%d}"
        self.schedule = schedule
        self.effective_from = effective_from
        self.until = until
        self.decision_uid = decision_uid
        self.decision_label = decision_label
        self.values = values  # never changed in place: a new rate is a new table
        self.created = now_utc()
        self.created_by = by

    def covers(self, day):
        return self.effective_from <= day and (self.until is None or day <= self.until)

    def overlaps(self, start, until):
        ends_before = until is not None and until < self.effective_from
        starts_after = self.until is not None and start > self.until
        return not (ends_before or starts_after)

    @property
    def period_label(self):
        return f"{_shown(self.effective_from)} – {_shown(self.until)}"

    def to_json(self, audit=False):
        title_el, title_en = SCHEDULES[self.schedule]
        data = {
            "id": self.id,
            "schedule": self.schedule,
            "title_el": title_el,
            "title_en": title_en,
            "effective_from": jsonable(self.effective_from),
            "until": jsonable(self.until),
            "decision": self.decision_uid,
            "decision_label": self.decision_label,
            "values": shown_values(self.schedule, self.values),
            "created": jsonable(self.created),
            "created_by": self.created_by,
        }
        if audit:
            data["audit"] = self.audit_json()
        return data


class RateBook(Persistent):
    """Table id → RateTable. ``serial`` changes with every write, so that two
    transactions adding tables at once conflict (one is retried and then sees
    the other's table): the overlap check can never be raced past."""

    serial = 0

    def __init__(self):
        self.tables = OOBTree()

    def of(self, schedule):
        found = (table for table in self.tables.values() if table.schedule == schedule)
        return sorted(found, key=lambda table: table.effective_from)

    def in_force(self, schedule, day):
        for table in self.of(schedule):
            if table.covers(day):
                return table
        return None

    def check_free(self, schedule, start, until, ignore=None):
        for table in self.of(schedule):
            if table.id != ignore and table.overlaps(start, until):
                fail(
                    "effective_from",
                    f"Η περίοδος {_shown(start)} – {_shown(until)} επικαλύπτει τον πίνακα "
                    f"«{table.id}» ({table.period_label}, απόφαση {table.decision_label}). "
                    "Ορίστε πρώτα τη λήξη εκείνου του πίνακα.",
                    f"The period {_shown(start)} – {_shown(until)} overlaps table "
                    f"“{table.id}” ({table.period_label}, decision {table.decision_label}). "
                    "Set that table's end date first.",
                    code="rates-overlap",
                    overlaps=table.id,
                )

    def add(self, table):
        self.check_free(table.schedule, table.effective_from, table.until)
        self.tables[table.id] = table
        self.serial += 1
        changes = {
            "effective_from": [None, jsonable(table.effective_from)],
            "until": [None, jsonable(table.until)],
            "decision": [None, table.decision_uid],
            "values": [None, jsonable(table.values)],
        }
        table.record(table.created_by, "created", changes)
        return table

    def end(self, table, until, actor):
        if until is not None and until < table.effective_from:
            fail(
                "until",
                "Η λήξη δεν μπορεί να προηγείται της έναρξης ισχύος.",
                "The end date cannot come before the start date.",
            )
        self.check_free(table.schedule, table.effective_from, until, ignore=table.id)
        changes = {"until": [jsonable(table.until), jsonable(until)]}
        table.until = until
        self.serial += 1
        table.record(actor, "until-changed", changes)
        return table


# --- the site's tables (Plone) ---------------------------------------------------------


def rate_book():
    from dimos.content.numbers import site_store

    return site_store(KEY, RateBook)


def _decision(uid):
    from plone import api
    from plone.app.uuid.utils import uuidToObject

    decision = uuidToObject(uid, unrestricted=True) if uid else None
    if decision is None or getattr(decision, "portal_type", None) != "CouncilDecision":
        return None, None
    return decision, api.content.get_state(decision, default=None)


def check_decision(uid):
    """``(uid, label)`` of a published council decision; RateError if it is not one."""
    from plone import api

    uid = str(uid or "").strip()
    decision, state = _decision(uid)
    if decision is None:
        fail(
            "decision",
            f"Δεν βρέθηκε απόφαση συλλογικού οργάνου με UID «{uid}».",
            f"No council decision has the UID “{uid}”.",
            code="decision-not-found",
        )
    states = api.portal.get_registry_record(STATES_RECORD, default=None) or DEFAULT_STATES
    number = decision.number_label()
    label = f"{number} «{decision.Title()}»" if number else f"«{decision.Title()}»"
    if state not in states:
        fail(
            "decision",
            f"Η απόφαση {label} δεν έχει δημοσιευθεί ({state}): δεν μπορεί να ορίσει τέλη.",
            f"Decision {label} is not published ({state}): it cannot set rates.",
            code="decision-not-published",
        )
    return uid, label


def add_rate_table(schedule, effective_from, until, decision_uid, values, actor):
    """A new RateTable (audited); RateError (Greek and English) when it cannot be."""
    schedule = clean_schedule(schedule)
    start = parse_date(effective_from, "effective_from")
    end = parse_date(until, "until") if until not in (None, "") else None
    if end is not None and end < start:
        fail(
            "until",
            "Η λήξη δεν μπορεί να προηγείται της έναρξης ισχύος.",
            "The end date cannot come before the start date.",
        )
    cleaned = clean_values(schedule, values)
    uid, label = check_decision(decision_uid)
    table = RateTable(schedule, start, end, uid, label, cleaned, actor)
    return rate_book().add(table)


def get_rate_table(table_id):
    return rate_book().tables.get(str(table_id or ""))


def end_rate_table(table_id, until, actor):
    """Set (or clear, with None) the last day of table ``table_id``; audited."""
    table = get_rate_table(table_id)
    if table is None:
        fail(
            "id",
            f"Δεν υπάρχει πίνακας τελών «{table_id}».",
            f"No rate table “{table_id}”.",
            code="rate-not-found",
        )
    end = parse_date(until, "until") if until not in (None, "") else None
    return rate_book().end(table, end, actor)


def rate_tables(schedule=None):
    book = rate_book()
    if schedule:
        return book.of(clean_schedule(schedule))
    return [table for name in SCHEDULES for table in book.of(name)]


def find_rate(schedule, day):
    """The RateTable of ``schedule`` in force on ``day``, or None."""
    return rate_book().in_force(schedule, day)


def rate_in_force(schedule, day):
    """The RateTable of ``schedule`` in force on ``day``; RateError saying so if none is."""
    table = find_rate(schedule, day)
    if table is None:
        title_el, title_en = SCHEDULES[schedule]
        fail(
            "date",
            f"Δεν ισχύει πίνακας για «{title_el}» στις {_shown(day)}· "
            "επικοινωνήστε με την Υπηρεσία Εσόδων.",
            f"No “{title_en}” rates are in force on {day:%Y-%m-%d}; "
            "please contact the revenue office.",
            code="no-rate",
        )
    return table
