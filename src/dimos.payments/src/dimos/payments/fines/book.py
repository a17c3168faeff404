"""The book of traffic fines: what a ticket says, kept beside the debt it became in the ledger.

A ``Fine`` is keyed by its (ticket number, plate) pair, both canonical (see
identifiers.py): a citizen finds a fine only by giving both. A ticket has at
most one fine the police registered; citizens may also declare a ticket the
police has not registered yet (``verified`` False), and a declaration may
even name another plate than the police's (a typo, or a false declaration):
each is kept under its own pair and flagged for the staff, never merged
silently and never revealed to someone who does not give the same pair.

``flags`` are short ASCII codes for the staff:

``self-declared``            declared by a citizen, not (yet) registered by the police;
``other-plate-on-ticket``    the ticket also has a fine under another plate;
``paid-amount-differs``      the police registered another amount than the one a citizen
                             declared and already paid: to settle by hand.

Every change is audited (``Audited``). No Zope or Plone imports.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dimos.payments.audit import Audited
from dimos.payments.audit import jsonable
from dimos.payments.audit import now_utc
from persistent import Persistent

import datetime


SELF_DECLARED = "self-declared"
OTHER_PLATE = "other-plate-on-ticket"
PAID_AMOUNT_DIFFERS = "paid-amount-differs"
FLAGS = (SELF_DECLARED, OTHER_PLATE, PAID_AMOUNT_DIFFERS)
DETAILS = (
    "issued_on",
    "time",
    "place",
    "offence",
    "article",
    "title_el",
    "title_en",
    "amount_cents",
)


class Fine(Audited, Persistent):
    """One ticket for one plate, and the id of its debt in the ledger."""

    reduction_days = None  # the reduction offered when the fine was created: days and percent
    reduction_percent = None
    flags = ()

    def __init__(self, ticket, plate, debt_id, details, verified, actor):
        self.ticket = ticket
        self.plate = plate
        self.debt_id = debt_id
        self.verified = verified
        self.created = now_utc()
        self.created_by = actor
        for name in DETAILS:
            setattr(self, name, details.get(name))

    @property
    def key(self):
        return (self.ticket, self.plate)

    def offer_reduction(self, days, percent):
        """Note the reduction for prompt payment offered now (see settings.py)."""
        self.reduction_days, self.reduction_percent = days, percent

    @property
    def reduced_until(self):
        """The last day the reduced amount may be paid, or None when none was offered."""
        if self.reduction_days is None or self.issued_on is None:
            return None
        return self.issued_on + datetime.timedelta(days=self.reduction_days)

    @property
    def reduced_cents(self):
        if self.reduction_percent is None:
            return None
        return self.amount_cents - self.amount_cents * self.reduction_percent // 100

    def payable_cents(self, today):
        """What the fine costs on ``today``: reduced until the deadline, then the full amount."""
        until = self.reduced_until
        if until is not None and today <= until:
            return self.reduced_cents
        return self.amount_cents

    def set_details(self, details, actor, action, **context):
        """Change the ticket's details (audited); the changes, field → [old, new]."""
        changes = {}
        for name in DETAILS:
            old, new = getattr(self, name), details.get(name)
            if old != new:
                changes[name] = [jsonable(old), jsonable(new)]
                setattr(self, name, new)
        if changes:
            self.record(actor, action, changes, **context)
        return changes

    def verify(self, actor, **context):
        if not self.verified:
            self.verified = True
            self.record(actor, "verified", {"verified": [False, True]}, **context)

    def flag(self, flag, actor, **context):
        if flag not in self.flags:
            self.flags = (*self.flags, flag)
            self.record(actor, "flagged", {"flags": [None, flag]}, **context)

    def unflag(self, flag, actor, **context):
        if flag in self.flags:
            self.flags = tuple(name for name in self.flags if name != flag)
            self.record(actor, "unflagged", {"flags": [flag, None]}, **context)

    def details_json(self):
        """What the ticket says: shown to whoever gives its ticket number and plate."""
        return {
            "ticket": self.ticket,
            "plate": self.plate,
            "date": jsonable(self.issued_on),
            "time": self.time,
            "place": self.place,
            "offence": self.offence,
            "article": self.article,
            "offence_title": self.title_el,
            "offence_title_en": self.title_en,
            "amount_cents": self.amount_cents,
            "verified": self.verified,
        }

    def to_json(self, audit=False):
        """Everything, for the staff."""
        data = {
            **self.details_json(),
            "debt_id": self.debt_id,
            "flags": list(self.flags),
            "reduction_percent": self.reduction_percent,
            "reduced_until": jsonable(self.reduced_until),
            "created": jsonable(self.created),
            "created_by": self.created_by,
        }
        if audit:
            data["audit"] = self.audit_json()
        return data


class FineBook(Persistent):
    """``fines``: (ticket, plate) → Fine; ``flagged``: the keys staff must look at."""

    def __init__(self):
        self.fines = OOBTree()
        self.flagged = OOTreeSet()

    def find(self, ticket, plate):
        return self.fines.get((ticket, plate))

    def of_ticket(self, ticket):
        """Every fine under ``ticket`` (any plate)."""
        return list(self.fines.values(min=(ticket,), max=(ticket, "\U0010ffff")))

    def registered(self, ticket):
        """The fine the police registered under ``ticket``, or None."""
        for fine in self.of_ticket(ticket):
            if fine.verified:
                return fine
        return None

    def add(self, fine):
        if fine.key in self.fines:
            raise KeyError(f"fine {fine.key} exists already")
        self.fines[fine.key] = fine
        self.update_flagged(fine)
        return fine

    def update_flagged(self, fine):
        """Keep ``flagged`` right: unverified or flagged fines are the staff's to look at."""
        if fine.flags or not fine.verified:
            self.flagged.insert(fine.key)
        elif fine.key in self.flagged:
            self.flagged.remove(fine.key)

    def needing_attention(self):
        return [self.fines[key] for key in self.flagged]

    def all(self):
        return list(self.fines.values())
