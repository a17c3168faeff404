"""Assessment notes (βεβαιωτικά σημειώματα): a debt revenue staff certify for a registered citizen.

``create_note(data, actor, site_url)`` checks the data, stores the debt
(``ledger.add_debt(..., source="assessment")``, audited with the clerk's
user id), issues its RF code (a payment order for that debt alone, which
the citizen may also pay through ``@@pay``) and emails the citizen
(``notify.notify_new_debt``, after commit) when their account has an email
address; Taxisnet accounts have none, and then nothing is sent.

The data: ``afm`` (a valid ΑΦΜ that is the user id of a user of the site,
as Taxisnet makes them), ``category`` (token or title, categories.py),
``description``, ``amount`` (euros as written, e.g. ``"120,50"``) or
``amount_cents`` (an integer), ``due_date``; optionally ``name`` (else the
user's full name) and ``reference``, the note's own number: a reference
already used is refused (409) so that a note sent twice is stored once.

Debt ids are ``an-<year>-<sequence>``, one sequence per year, kept in the
site's ``AssessmentBook``.
"""

from BTrees.OOBTree import OOBTree
from dataclasses import dataclass
from dimos.content.commitlock import hold_until_commit
from dimos.content.numbers import site_store
from dimos.payments import ledger
from dimos.payments.bilingual import BilingualError
from dimos.payments.categories import get_category
from dimos.payments.debts import clean_afm
from dimos.payments.debts import clean_category
from dimos.payments.debts import clean_date
from dimos.payments.debts import clean_description
from dimos.payments.debts import clean_name
from dimos.payments.debts import OPEN
from dimos.payments.money import parse_amount
from dimos.payments.notify import notify_new_debt
from persistent import Persistent
from urllib.parse import urlencode

import datetime


STORE_KEY = "dimos.payments.assessments"
SOURCE = "assessment"


class NoteError(BilingualError):
    """The note cannot be stored as given; ``status`` is the HTTP status that says why."""

    code = "bad-note"
    status = 400

    def __init__(self, message_el, message_en, code=None, status=None, **details):
        super().__init__(message_el, message_en, code=code, **details)
        if status is not None:
            self.status = status


class AssessmentBook(Persistent):
    """The last sequence number of each year, and the references already used."""

    def __init__(self):
        self.sequences = OOBTree()
        self.references = OOBTree()

    def next_id(self, year, taken):
        """The next debt id of ``year`` for which ``taken(id)`` is false."""
        number = self.sequences.get(year, 0)
        while True:
            number += 1
            debt_id = f"an-{year}-{number:06d}"
            if not taken(debt_id):
                self.sequences[year] = number
                return debt_id


@dataclass(frozen=True)
class Note:
    """A stored note: its debt, its payment order and whether an email will be sent."""

    debt: object
    order: object
    notified: bool
    email: str
    pay_url: str

    def to_json(self):
        return {
            "debt": self.debt.to_json(audit=True),
            "order": self.order.to_json(),
            "rf": self.order.rf,
            "notified": self.notified,
            "pay_url": self.pay_url,
        }


def _field(error, field):
    """A NoteError for ``field`` from any BilingualError of the debt's checks."""
    return NoteError(error.message_el, error.message_en, code=error.code, field=field)


def _citizen(value):
    """(ΑΦΜ, user) of a registered citizen; NoteError for an invalid or unknown ΑΦΜ."""
    from plone import api

    try:
        afm = clean_afm(value)
    except BilingualError as error:
        raise _field(error, "afm") from None
    user = api.user.get(userid=afm)
    if user is None:
        raise NoteError(
            f"Δεν υπάρχει χρήστης με ΑΦΜ {afm}· ο πολίτης πρέπει πρώτα να συνδεθεί με "
            "τους κωδικούς Taxisnet.",
            f"No user has the tax number (AFM) {afm}; the citizen must first log in with Taxisnet.",
            code="unknown-citizen",
            field="afm",
        )
    return afm, user


def _amount(data):
    given = [name for name in ("amount", "amount_cents") if data.get(name) not in (None, "")]
    if len(given) != 1:
        raise NoteError(
            "Δώστε το ποσό σε ευρώ (π.χ. 120,50).",
            "Give the amount in euros (e.g. 120.50).",
            code="bad-amount",
            field="amount",
        )
    value = data[given[0]]
    if given[0] == "amount_cents":
        if isinstance(value, bool) or not isinstance(value, int):
            raise NoteError(
                "Το amount_cents πρέπει να είναι ακέραιος αριθμός λεπτών.",
                "amount_cents must be a whole number of cents.",
                code="bad-amount",
                field="amount",
            )
        cents = value
    else:
        try:
            cents = parse_amount(value)
        except BilingualError as error:
            raise _field(error, "amount") from None
    if cents <= 0:
        raise NoteError(
            "Το ποσό πρέπει να είναι θετικό.",
            "The amount must be positive.",
            code="bad-amount",
            field="amount",
        )
    return cents


def _checked(check, value, field):
    try:
        return check(value)
    except BilingualError as error:
        raise _field(error, field) from None


def clean_note(data):
    """(afm, user, values, reference) from ``data``; NoteError naming the field otherwise."""
    afm, user = _citizen(data.get("afm"))
    description = _checked(clean_description, data.get("description"), "description")
    if not description:
        raise NoteError(
            "Συμπληρώστε την περιγραφή της οφειλής.",
            "Please fill in the debt's description.",
            code="missing",
            field="description",
        )
    name = data.get("name") or user.getProperty("fullname") or afm
    values = {
        "afm": afm,
        "name": _checked(clean_name, name, "name"),
        "category": _checked(clean_category, data.get("category"), "category"),
        "description": description,
        "amount_cents": _amount(data),
        "surcharge_cents": 0,
        "due_date": _checked(clean_date, data.get("due_date"), "due_date"),
        "status": OPEN,
    }
    reference = " ".join(str(data.get("reference") or "").split())[:100] or None
    return afm, user, values, reference


def _title(values):
    category = get_category(values["category"])
    title = category.title_el if category else values["category"]
    return f"{title}: {values['description']}"


def create_note(data, actor, site_url):
    """Store an assessment note for a citizen (see the module's docstring); a Note."""
    afm, user, values, reference = clean_note(data)
    hold_until_commit(ledger.LOCK_NAME, fresh=True)
    book = site_store(STORE_KEY, AssessmentBook)
    if reference is not None and reference in book.references:
        raise NoteError(
            f"Το βεβαιωτικό με αριθμό «{reference}» έχει ήδη καταχωριστεί "
            f"(οφειλή {book.references[reference]}).",
            f"The assessment note “{reference}” is already stored "
            f"(debt {book.references[reference]}).",
            code="note-exists",
            status=409,
            debt=book.references[reference],
        )
    debt_id = book.next_id(datetime.date.today().year, ledger.get_debt)
    debt = ledger.add_debt(debt_id, SOURCE, values, actor, reference=reference)
    if reference is not None:
        book.references[reference] = debt_id
    order = ledger.issue_order([debt_id], afm=afm, actor=actor)
    pay_url = f"{site_url}/@@pay?{urlencode({'rf': order.rf})}"
    email = (user.getProperty("email") or "").strip()
    notified = notify_new_debt(
        email,
        values["name"],
        _title(values),
        order.rf,
        order.amount_cents,
        due=values["due_date"],
        url=pay_url,
    )
    return Note(debt, order, notified, email, pay_url)
