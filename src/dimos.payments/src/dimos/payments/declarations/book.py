"""Fee declarations of businesses, kept per ΑΦΜ + fee + period, and the debts they create.

``declare(afm, fee, period, gross_revenue, category, actor, ...)`` checks the
declaration, computes the fee and any penalty (fees.py) from the rate table in
force on the period's first day (rates.py), stores it (audited) and, when
something is owed, creates the debt (``ledger.add_debt``, source
``gross-revenue`` for both fees: the source says the debt was born of a
declaration made here, the category says which fee) and its RF code
(``ledger.issue_order``). A nil declaration (nothing owed) creates no debt.

One declaration per ΑΦΜ + fee + period. Declaring again *corrects* it: while
its debt is unpaid, the debt's pending payment code is cancelled, the debt is
cancelled (both audited) and the new figures take its place with a new debt
and code (``version`` + 1, the old figures kept in ``history``); once paid,
the correction is refused (the revenue office handles amending declarations
for paid periods). A month already declared within a declared quarter (or the
reverse) is refused, so no revenue is declared twice.

Nothing is written before every check has passed, so a refused declaration
leaves no trace. The ledger's commit lock is held from the start (see
ledger.py), and the book's BTree makes two simultaneous first declarations of
one period conflict, so the retried one is handled as a correction.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dimos.content.commitlock import hold_until_commit
from dimos.payments import ledger
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from dimos.payments.categories import get_category
from dimos.payments.debts import CANCELLED
from dimos.payments.debts import clean_afm
from dimos.payments.debts import clean_name
from dimos.payments.debts import DebtError
from dimos.payments.debts import PAID
from dimos.payments.declarations.fees import compute_fee
from dimos.payments.declarations.fees import parse_period
from dimos.payments.declarations.fees import refuse
from dimos.payments.money import AmountError
from dimos.payments.money import format_amount
from dimos.payments.money import parse_amount
from dimos.payments.orders import PENDING
from dimos.payments.rates import FEE_SCHEDULES
from dimos.payments.rates import format_percent
from dimos.payments.rates import parse_date
from dimos.payments.rates import rate_in_force
from dimos.payments.rates import RateError
from dimos.payments.rates import SCHEDULES
from dimos.payments.rf import format_rf
from persistent import Persistent
from zoneinfo import ZoneInfo

import datetime


KEY = "dimos.payments.declarations"
SOURCE = "gross-revenue"
FEE_CODES = {"gross-revenue": "GR", "transient-resident": "TR"}
ATHENS = ZoneInfo("Europe/Athens")


def today():
    """Today in Athens: the day a declaration is made."""
    return datetime.datetime.now(ATHENS).date()


class Declaration(Audited, Persistent):
    """The current figures of one ΑΦΜ's declaration of one fee for one period."""

    debt_id = None
    rf = None

    def __init__(self, key, afm, fee, period_key):
        self.key = key
        self.afm = afm
        self.fee = fee
        self.period = period_key
        self.version = 0
        self.history = ()

    def apply(self, computation, name, table, debt_id, rf, actor):
        previous = self.summary() if self.version else None
        if previous:
            self.history = (*self.history, previous)
        self.version += 1
        self.name = name
        self.category = computation.category
        self.gross_cents = computation.gross_cents
        self.rate_ppm = computation.rate_ppm
        self.rate_table = table.id
        self.decision_uid = table.decision_uid
        self.deadline = computation.deadline
        self.declared_on = computation.declared_on
        self.months_late = computation.months_late
        self.fee_cents = computation.fee_cents
        self.penalty_cents = computation.penalty_cents
        self.debt_id, self.rf = debt_id, rf
        self.declared = now_utc()
        self.declared_by = actor
        action = "corrected" if previous else "declared"
        changes = {
            field: [previous.get(field) if previous else None, jsonable(getattr(self, field))]
            for field in ("gross_cents", "fee_cents", "penalty_cents", "debt_id", "rf")
        }
        self.record(actor, action, changes, version=self.version)

    @property
    def total_cents(self):
        return self.fee_cents + self.penalty_cents

    def status(self):
        """``nil`` (nothing owed), or the debt's: ``open``, ``paid``, ``cancelled``."""
        if self.debt_id is None:
            return "nil"
        debt = ledger.get_debt(self.debt_id)
        return debt.status if debt is not None else "nil"

    def summary(self):
        fields = ("version", "gross_cents", "fee_cents", "penalty_cents", "declared_on")
        data = {field: jsonable(getattr(self, field)) for field in fields}
        data.update(debt_id=self.debt_id, rf=self.rf, declared=jsonable(self.declared))
        return data

    def to_json(self, audit=False):
        title_el, title_en = SCHEDULES[self.fee]
        data = {
            "id": self.key,
            "afm": self.afm,
            "name": self.name,
            "fee": self.fee,
            "fee_title_el": title_el,
            "fee_title_en": title_en,
            "period": self.period,
            "category": self.category,
            "gross_revenue_cents": self.gross_cents,
            "gross_revenue": format_amount(self.gross_cents),
            "rate": format_percent(self.rate_ppm),
            "rate_table": self.rate_table,
            "decision": self.decision_uid,
            "deadline": jsonable(self.deadline),
            "declared_on": jsonable(self.declared_on),
            "months_late": self.months_late,
            "fee_cents": self.fee_cents,
            "penalty_cents": self.penalty_cents,
            "total_cents": self.total_cents,
            "total": format_amount(self.total_cents),
            "debt": self.debt_id,
            "rf": self.rf,
            "rf_printed": format_rf(self.rf) if self.rf else None,
            "status": self.status(),
            "version": self.version,
            "history": list(self.history),
        }
        if audit:
            data["audit"] = self.audit_json()
        return data


class DeclarationBook(Persistent):
    """``items``: key (ΑΦΜ-fee-period) → Declaration; ``by_afm``: ΑΦΜ → keys."""

    def __init__(self):
        self.items = OOBTree()
        self.by_afm = OOBTree()

    def add(self, declaration):
        self.items[declaration.key] = declaration
        if declaration.afm not in self.by_afm:
            self.by_afm[declaration.afm] = OOTreeSet()
        self.by_afm[declaration.afm].insert(declaration.key)

    def of(self, afm):
        return [self.items[key] for key in self.by_afm.get(afm, ())]


def declaration_book():
    from dimos.content.numbers import site_store

    return site_store(KEY, DeclarationBook)


def declaration_key(afm, fee, period):
    return f"{afm}-{fee}-{period.key}"


def declarations_of(afm):
    """The declarations of ``afm``, newest period first."""
    found = declaration_book().of(afm)
    return sorted(found, key=lambda item: (item.period, item.fee), reverse=True)


def get_declaration(key):
    return declaration_book().items.get(key)


# --- checks --------------------------------------------------------------------------


def _fee(value):
    if value not in FEE_SCHEDULES:
        refuse(
            "fee",
            "Επιλέξτε τέλος: ακαθαρίστων εσόδων (gross-revenue) ή παρεπιδημούντων "
            "(transient-resident).",
            "Choose the fee: gross-revenue or transient-resident.",
            code="bad-fee",
        )
    return value


def _gross(value):
    try:
        return parse_amount(value if value is not None else "")
    except AmountError as error:
        refuse("gross_revenue", error.message_el, error.message_en, code="bad-amount")


def _declared_on(value):
    if value in (None, ""):
        return today()
    try:
        day = parse_date(value, "declared_on")
    except RateError as error:
        refuse("declared_on", error.message_el, error.message_en, code="bad-date")
    if day > today():
        refuse(
            "declared_on",
            "Η ημερομηνία δήλωσης δεν μπορεί να είναι μελλοντική.",
            "The date of declaration cannot be in the future.",
            code="bad-date",
        )
    return day


def _table(fee, period):
    try:
        return rate_in_force(fee, period.first)
    except RateError as error:
        refuse("period", error.message_el, error.message_en, code=error.code)


def _check_overlap(book, afm, fee, period):
    """Refuse a month inside a declared quarter (or a quarter holding a declared month)."""
    mine = set(period.months)
    for other in book.of(afm):
        if other.fee != fee or other.period == period.key:
            continue
        other_months = set(parse_period(other.period).months)
        if mine & other_months:
            refuse(
                "period",
                f"Έχετε ήδη δηλώσει την περίοδο {other.period}, που καλύπτει μέρος της "
                f"{period.key}· διορθώστε εκείνη τη δήλωση.",
                f"You have already declared {other.period}, which covers part of "
                f"{period.key}; correct that declaration instead.",
                code="period-overlap",
            )


def _check_correctable(existing):
    """An earlier declaration may be replaced only while its debt is not paid."""
    if existing is None or existing.debt_id is None:
        return
    debt = ledger.get_debt(existing.debt_id)
    if debt is not None and debt.status == PAID:
        refuse(
            "period",
            f"Η δήλωση της περιόδου {existing.period} έχει ήδη εξοφληθεί και δεν διορθώνεται "
            "ηλεκτρονικά· για τροποποιητική δήλωση απευθυνθείτε στην Υπηρεσία Εσόδων.",
            f"The declaration for {existing.period} is already paid and cannot be corrected "
            "online; please contact the revenue office for an amending declaration.",
            code="declaration-paid",
        )


def _retire(existing, actor):
    """Cancel the unpaid debt of a declaration being corrected, and its pending code."""
    if existing is None or existing.debt_id is None:
        return
    debt = ledger.get_debt(existing.debt_id)
    if debt is None or debt.status == CANCELLED:
        return
    if debt.pending_rf:
        order = ledger.get_order(debt.pending_rf)
        if order is not None and order.status == PENDING:
            ledger.cancel_order(order.rf, actor)
    reason = f"declaration {existing.key} corrected (version {existing.version + 1})"
    ledger.change_debt(debt, {"status": CANCELLED}, actor, "cancelled", reason=reason)


def _name(value, afm):
    try:
        return clean_name(value or f"ΑΦΜ {afm}")
    except DebtError as error:
        refuse("name", error.message_el, error.message_en, code="bad-name")


def _debt_values(afm, name, fee, computation):
    category = get_category(fee)
    period = computation.period
    return {
        "afm": afm,
        "name": name,
        "category": fee,
        "description": f"{category.title_el} {period.label_el} ({computation.category}), "
        f"ακαθάριστα έσοδα {format_amount(computation.gross_cents)}",
        "amount_cents": computation.fee_cents,
        "surcharge_cents": computation.penalty_cents,
        "due_date": computation.due_date,
        "status": "open",
    }


# --- declaring --------------------------------------------------------------------------


def declare(afm, fee, period, gross_revenue, category, actor, name=None, declared_on=None):
    """Store the declaration and create its debt and RF code; the Declaration.

    ``declared_on`` (staff entering a paper declaration) defaults to today.
    DeclarationError (Greek and English, ``field`` set) when it cannot be accepted.
    """
    hold_until_commit(ledger.LOCK_NAME, fresh=True)
    try:
        afm = clean_afm(afm)
    except DebtError as error:
        refuse("afm", error.message_el, error.message_en, code="bad-afm")
    fee = _fee(fee)
    period = parse_period(period)
    gross = _gross(gross_revenue)
    day = _declared_on(declared_on)
    if day <= period.last:
        refuse(
            "period",
            f"Η περίοδος {period.label_el} δεν έχει τελειώσει· δηλώνεται από "
            f"{period.last + datetime.timedelta(days=1):%d/%m/%Y}.",
            f"The period {period.label_en} has not ended; it can be declared from "
            f"{period.last + datetime.timedelta(days=1):%Y-%m-%d}.",
            code="period-not-ended",
        )
    name = _name(name, afm)
    table = _table(fee, period)
    computation = compute_fee(table.values, str(category or "").strip(), gross, period, day)
    book = declaration_book()
    _check_overlap(book, afm, fee, period)
    key = declaration_key(afm, fee, period)
    existing = book.items.get(key)
    _check_correctable(existing)
    # Every check passed: from here on, write.
    _retire(existing, actor)
    version = existing.version + 1 if existing is not None else 1
    debt_id = rf = None
    if computation.total_cents > 0:
        debt_id = f"DEC-{afm}-{FEE_CODES[fee]}-{period.key}-{version}"
        values = _debt_values(afm, name, fee, computation)
        ledger.add_debt(debt_id, SOURCE, values, actor, declaration=key, version=version)
        rf = ledger.issue_order([debt_id], afm=afm, actor=actor).rf
    declaration = existing or Declaration(key, afm, fee, period.key)
    declaration.apply(computation, name, table, debt_id, rf, actor)
    if existing is None:
        book.add(declaration)
    return declaration
