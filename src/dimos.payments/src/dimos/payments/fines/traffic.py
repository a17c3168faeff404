"""Traffic fines (ΚΟΚ): the police registers them, anyone pays one by ticket number and plate.

Each fine is a debt in the ledger (``source="traffic-fine"``, ΑΦΜ None
unless the police knows it, id ``kok-<ticket>``) and a ``Fine`` in the
site's FineBook (book.py) with what the ticket says.

* ``register_fines(rows, actor)``: the police's fines (staff). A ticket the
  police registered already is answered as it is when sent again unchanged,
  and refused (``FineConflict``, 409) when sent with other details. A
  ticket a citizen declared under the same plate becomes verified: its
  details are the police's, and an open debt takes the police's amount
  (its pending RF code is cancelled: the next look-up gives a new one).
* ``lookup_fine(ticket, plate)``: anonymous. The fine of exactly this ticket
  and plate, with one RF code to pay it: the pending order of the fine is
  reused, a new one is issued only when there is none. No such pair is
  ``FineNotFound`` (404), the same answer whether the ticket is unknown or
  the plate is not its plate, so the ticket's existence never leaks.
* ``declare_fine(data)``: anonymous, for a ticket not registered yet. The
  citizen gives the ticket's details and picks the offence from the table
  in the settings; the amount is the table's. The fine is unverified and
  flagged for the staff. Sending the same ticket and plate again answers
  the fine already there (registered or declared) and creates nothing.
* ``fines_needing_attention()``: unverified or flagged fines, for the staff.

The reduced fine for prompt payment (settings.py, off by default): a fine
created while the reduction applies is a debt at the reduced amount; when
its deadline has passed, the next look-up raises the open debt to the full
amount (audited; a pending RF code of the reduced amount is cancelled).

Every write holds the ledger's commit lock, so the look-up that finds no
pending order and issues one cannot race another look-up of the same fine
in this process (ZODB's conflict detection guards other processes).
"""

from dataclasses import dataclass
from dimos.content.commitlock import hold_until_commit
from dimos.content.numbers import site_store
from dimos.payments import ledger
from dimos.payments.audit import jsonable
from dimos.payments.debts import OPEN
from dimos.payments.fines.book import Fine
from dimos.payments.fines.book import FineBook
from dimos.payments.fines.book import OTHER_PLATE
from dimos.payments.fines.book import PAID_AMOUNT_DIFFERS
from dimos.payments.fines.book import SELF_DECLARED
from dimos.payments.fines.details import clean_declaration
from dimos.payments.fines.details import clean_registration
from dimos.payments.fines.identifiers import FineError
from dimos.payments.fines.identifiers import normalise_plate
from dimos.payments.fines.identifiers import normalise_ticket
from dimos.payments.fines.settings import fine_settings
from dimos.payments.money import format_amount
from dimos.payments.orders import PENDING
from dimos.payments.rf import format_rf
from zoneinfo import ZoneInfo

import datetime


STORE_KEY = "dimos.payments.fines"
ANONYMOUS = "anonymous:traffic-fine"
SYSTEM = "system:traffic-fine"
CATEGORY = "traffic-fine"
ATHENS = ZoneInfo("Europe/Athens")


class FineNotFound(FineError):
    code = "fine-not-found"
    status = 404


class FineConflict(FineError):
    code = "ticket-registered"
    status = 409


def not_found():
    """The one answer for a ticket and plate that do not match a fine (nothing else is said)."""
    return FineNotFound(
        "Δεν βρέθηκε κλήση με αυτόν τον αριθμό κλήσης και αυτόν τον αριθμό κυκλοφορίας. "
        "Ελέγξτε τα στοιχεία· αν είναι σωστά, η κλήση δεν έχει καταχωριστεί ακόμη και "
        "μπορείτε να δηλώσετε τα στοιχεία της για να την πληρώσετε.",
        "No ticket was found with this ticket number and this licence plate. Check them; if "
        "they are right, the ticket is not registered yet and you may enter its details to pay it.",
    )


def today_in_greece():
    return datetime.datetime.now(ATHENS).date()


def fine_book():
    """The site's FineBook, made on first use."""
    return site_store(STORE_KEY, FineBook)


def _writable():
    hold_until_commit(ledger.LOCK_NAME, fresh=True)
    return fine_book()


@dataclass(frozen=True)
class FineAnswer:
    """A fine, its debt as it is now, and the pending order that pays it (None once paid)."""

    fine: Fine
    debt: object
    order: object
    created: bool = False

    def to_json(self):
        """What the citizen who gave the ticket number and plate may see."""
        debt, order, fine = self.debt, self.order, self.fine
        data = {
            "fine": fine.details_json(),
            "status": debt.status,
            "amount_cents": debt.total_cents,
            "amount": format_amount(debt.total_cents),
            "due_date": jsonable(debt.due_date),
            "rf": order.rf if order is not None else None,
            "rf_printed": format_rf(order.rf) if order is not None else None,
            "payable": order is not None,
            "paid": jsonable({key: debt.paid[key] for key in ("at", "rf")}) if debt.paid else None,
            "reduction": None,
            "created": self.created,
        }
        if fine.reduced_until is not None and debt.total_cents == fine.reduced_cents:
            data["reduction"] = {
                "percent": fine.reduction_percent,
                "until": jsonable(fine.reduced_until),
                "full_amount_cents": fine.amount_cents,
                "full_amount": format_amount(fine.amount_cents),
                "reduced_amount_cents": fine.reduced_cents,
                "reduced_amount": format_amount(fine.reduced_cents),
            }
        return data

    def staff_json(self):
        data = self.to_json()
        data["fine"] = self.fine.to_json(audit=True)
        data["debt"] = self.debt.to_json(audit=True)
        return data


# --- the debt of a fine ---------------------------------------------------------


def _description(ticket, details):
    when = details["issued_on"].strftime("%d/%m/%Y")
    if details.get("time"):
        when += f" {details['time']}"
    place = f", {details['place']}" if details.get("place") else ""
    text = (
        f"Κλήση ΚΟΚ αρ. {ticket} της {when}{place}: {details['title_el']} "
        f"(άρθρο {details['article']} ΚΟΚ)"
    )
    return text[:500]


def _free_debt_id(ticket):
    base = f"kok-{ticket}"
    debt_id, number = base, 1
    while ledger.get_debt(debt_id) is not None:
        number += 1
        debt_id = f"{base}-{number}"
    return debt_id


def _create(book, ticket, plate, details, extra, verified, actor, settings, today):
    fine = Fine(ticket, plate, _free_debt_id(ticket), details, verified, actor)
    rule = settings.reduction
    if rule.applies(details["issued_on"], today):
        fine.offer_reduction(rule.days, rule.percent)
    values = {
        "afm": extra.get("afm"),
        "name": extra.get("name") or f"Όχημα {plate}",
        "category": CATEGORY,
        "description": _description(ticket, details),
        "amount_cents": fine.payable_cents(today),
        "surcharge_cents": 0,
        "due_date": details["issued_on"] + datetime.timedelta(days=settings.due_days),
        "status": OPEN,
    }
    ledger.add_debt(fine.debt_id, CATEGORY, values, actor, ticket=ticket, plate=plate)
    fine.record(actor, "created", {"verified": [None, verified]}, debt=fine.debt_id)
    others = book.of_ticket(ticket)
    if not verified:
        fine.flag(SELF_DECLARED, actor)
    book.add(fine)
    for other in others:  # another plate under the same ticket: both for the staff to see
        for flagged in (other, fine):
            flagged.flag(OTHER_PLATE, actor)
            book.update_flagged(flagged)
    return fine


def _sync_debt(fine, debt, actor, action, today, afm=None, name=None):
    """Make an open debt say what the fine says now (amount, and the ΑΦΜ when newly known).

    A pending order of the old amount is cancelled first: money and debtor
    never move under a pending RF code. A debt no longer open is left alone.
    """
    if debt.status != OPEN:
        return
    wanted = {"amount_cents": fine.payable_cents(today)}
    if afm and debt.afm is None:
        wanted.update(afm=afm, name=name or debt.name)
    changed = {key: value for key, value in wanted.items() if getattr(debt, key) != value}
    if not changed:
        return
    if debt.pending_rf:
        ledger.cancel_order(debt.pending_rf, actor)
    # The ledger has no public "change a debt" yet: the DebtBook's own, under the ledger's lock.
    ledger.change_debt(debt, changed, actor, action, ticket=fine.ticket)


def _answer(fine, actor, today, created=False):
    """The fine with its debt brought up to date and one pending order for it (None when paid)."""
    debt = ledger.get_debt(fine.debt_id)
    _sync_debt(fine, debt, SYSTEM, "reduction-expired", today)
    if debt.status != OPEN:
        return FineAnswer(fine, debt, None, created)
    order = ledger.get_order(debt.pending_rf) if debt.pending_rf else None
    if order is None or order.status != PENDING or order.debt_ids != (debt.id,):
        order = ledger.issue_order([debt.id], afm=None, actor=actor)
    return FineAnswer(fine, debt, order, created)


# --- the three doors ---------------------------------------------------------------


def lookup_fine(ticket, plate, today=None):
    """The FineAnswer of ``ticket`` + ``plate`` (any spelling); FineError or FineNotFound."""
    ticket, plate = normalise_ticket(ticket), normalise_plate(plate)
    book = _writable()
    fine = book.find(ticket, plate)
    if fine is None:
        raise not_found()
    return _answer(fine, ANONYMOUS, today or today_in_greece())


def declare_fine(data, today=None):
    """A citizen's declaration of a ticket (see the module's docstring); a FineAnswer."""
    today = today or today_in_greece()
    settings = fine_settings()
    ticket, plate, details, extra = clean_declaration(data, settings.offences, today)
    book = _writable()
    fine = book.find(ticket, plate)
    if fine is not None:
        return _answer(fine, ANONYMOUS, today)
    fine = _create(book, ticket, plate, details, extra, False, ANONYMOUS, settings, today)
    return _answer(fine, ANONYMOUS, today, created=True)


def _same(fine, details):
    return all(getattr(fine, name) == value for name, value in details.items())


def _register_one(book, cleaned, actor, settings, today):
    ticket, plate, details, extra = cleaned
    registered = book.registered(ticket)
    if registered is not None:
        if registered.plate == plate and _same(registered, details):
            return registered, False
        raise FineConflict(
            f"Η κλήση αρ. {ticket} έχει ήδη καταχωριστεί με άλλα στοιχεία· "
            "διορθώστε την καταχωρισμένη, μην την ξαναστείλετε.",
            f"Ticket no. {ticket} is already registered with other details; "
            "correct the registered one rather than sending it again.",
            ticket=ticket,
        )
    declared = book.find(ticket, plate)
    if declared is None:
        return _create(book, ticket, plate, details, extra, True, actor, settings, today), True
    declared.verify(actor)
    changes = declared.set_details(details, actor, "registered")
    declared.unflag(SELF_DECLARED, actor)
    debt = ledger.get_debt(declared.debt_id)
    if debt.status != OPEN and "amount_cents" in changes:  # paid the table's amount: by hand
        declared.flag(PAID_AMOUNT_DIFFERS, actor, debt=debt.id)
    _sync_debt(declared, debt, actor, "fine-registered", today, extra["afm"], extra["name"])
    book.update_flagged(declared)
    return declared, False


def _clean_rows(rows, offences, today):
    cleaned, seen = [], set()
    for number, row in enumerate(rows, start=1):
        try:
            if not isinstance(row, dict):
                raise FineError("Η γραμμή δεν είναι αντικείμενο.", "The row is not an object.")
            one = clean_registration(row, offences, today)
        except FineError as error:
            error.details["row"] = number
            raise
        if one[0] in seen:
            raise FineError(
                f"Η κλήση αρ. {one[0]} δίνεται δύο φορές.",
                f"Ticket no. {one[0]} is given twice.",
                code="repeated-ticket",
                row=number,
            )
        seen.add(one[0])
        cleaned.append(one)
    return cleaned


def register_fines(rows, actor, today=None):
    """Register the police's fines (all or none); [(FineAnswer, created)] in the rows' order.

    Every row is checked before anything is stored; an error names its
    ``row`` (from 1). The caller aborts the transaction on FineConflict.
    """
    today = today or today_in_greece()
    settings = fine_settings()
    cleaned = _clean_rows(rows, settings.offences, today)
    book = _writable()
    answers = []
    for one in cleaned:
        fine, created = _register_one(book, one, actor, settings, today)
        debt = ledger.get_debt(fine.debt_id)
        order = ledger.get_order(debt.pending_rf) if debt.pending_rf else None
        answers.append(FineAnswer(fine, debt, order, created))
    return answers


def fines_needing_attention():
    """Unverified or flagged fines, for the staff."""
    return fine_book().needing_attention()
