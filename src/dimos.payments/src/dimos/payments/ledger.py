"""The payments' ledger: the public API for debts, payment orders and payments on the site.

Everything that reads or changes debts, orders or payments goes through the
functions below; they work on the site's ``DebtBook`` (BTrees in the site's
annotations; see debtbook.py) and hold the ledger's commit lock while they
write, so that two threads of one Zope process never conflict on it (ZODB
still guards against other processes: see orders.py).

* ``import_debts(rows, actor)`` / ``import_file(data, actor, content_type)``:
  the certified debts from the financial system, idempotently (importer.py);
* ``debts_of(afm, status=None)``, ``get_debt(debt_id)``;
* ``add_debt(debt_id, source, values, actor)``: a debt born here (a traffic
  fine, a declared fee, an assessment note), not imported;
* ``change_debt(debt, values, actor, action)``: change an unlocked debt;
* ``issue_order(debt_ids, afm=None, actor=...)`` → PaymentOrder with a new RF;
* ``get_order(rf)`` → PaymentOrder or None (any spacing or case of the code),
  ``debts_of_rf(rf)`` → its debts;
* ``record_payment(rf, amount_cents, transaction_id, paid_at, channel, actor)``
  → Outcome: the one door through which money is recorded (orders.py says
  what each outcome code means);
* ``cancel_order(rf, actor)``, ``get_payment(transaction_id)``,
  ``payments_needing_attention()``.

``actor`` is who acts, as the audit trail shows it: a user id, or a name such
as ``"gateway:sandbox"`` or ``"bank:reconciliation"`` for machines.

The RF codes use the beneficiary code in the registry record
``dimos.payments.beneficiary_code`` (profiles/default/registry/core.xml).
"""

from dimos.content.commitlock import hold_until_commit
from dimos.content.numbers import site_store
from dimos.payments.debtbook import DebtBook
from dimos.payments.debts import Debt
from dimos.payments.events import PaymentApplied
from dimos.payments.importer import ImportRefused  # noqa: F401 - part of the API
from dimos.payments.importer import ImportReport  # noqa: F401 - part of the API
from dimos.payments.importer import read_file
from dimos.payments.orders import ALREADY_PAID  # noqa: F401 - part of the API
from dimos.payments.orders import APPLIED  # noqa: F401 - part of the API
from dimos.payments.orders import DebtNotFound  # noqa: F401 - part of the API
from dimos.payments.orders import DUPLICATE  # noqa: F401 - part of the API
from dimos.payments.orders import OrderError  # noqa: F401 - part of the API
from dimos.payments.orders import Outcome  # noqa: F401 - part of the API
from dimos.payments.orders import PaymentOrder  # noqa: F401 - part of the API
from dimos.payments.orders import PaymentRecord  # noqa: F401 - part of the API
from dimos.payments.orders import SUPERSEDED  # noqa: F401 - part of the API
from dimos.payments.orders import UNKNOWN_RF  # noqa: F401 - part of the API
from dimos.payments.orders import WRONG_AMOUNT  # noqa: F401 - part of the API
from dimos.payments.rf import check_beneficiary_code
from plone import api
from zope.event import notify


LEDGER_KEY = "dimos.payments.ledger"
LOCK_NAME = "dimos.payments.ledger"
BENEFICIARY_RECORD = "dimos.payments.beneficiary_code"
DEFAULT_BENEFICIARY_CODE = "9912"


def debt_book():
    """The site's DebtBook, made on first use."""
    return site_store(LEDGER_KEY, DebtBook)


def _writable():
    """The DebtBook, with the ledger's lock held until this transaction ends."""
    hold_until_commit(LOCK_NAME, fresh=True)
    return debt_book()


def _actor(actor):
    if not actor or not isinstance(actor, str):
        raise ValueError("actor is required: the audit trail must say who acted")
    return actor


def beneficiary_code():
    """The DIAS beneficiary code of the municipality, from the registry."""
    code = api.portal.get_registry_record(BENEFICIARY_RECORD, default=None)
    return check_beneficiary_code(code or DEFAULT_BENEFICIARY_CODE)


# --- debts ---------------------------------------------------------------------


def get_debt(debt_id):
    """The Debt with the financial system's ``debt_id``, or None."""
    return debt_book().get_debt(debt_id)


def debts_of(afm, status=None):
    """The debts of the 9-digit ``afm``, by due date; only those of ``status`` if given."""
    return debt_book().debts_of(afm, status)


def add_debt(debt_id, source, values, actor, **context):
    """Store a new debt that is not the financial system's (a fine, a declared fee, a note).

    ``source`` is one of ``debts.SOURCES`` other than ``certified``; ``values``
    holds ``debts.FIELDS``, already checked with the ``debts.clean_*``
    functions (``afm`` may be None when the debtor is not known, e.g. a traffic
    fine paid by its ticket). KeyError if ``debt_id`` is taken. Audited.
    """
    debt = Debt(debt_id, source=source, **values)
    return _writable().add_debt(debt, _actor(actor), **context)


def change_debt(debt, values, actor, action, **context):
    """Change fields of a stored, unlocked debt (audited); the changes, field → [old, new].

    For debts born on the site (a fine raised to its full amount, an AFM
    learnt later). A debt that is paid or in a pending order is locked: cancel
    the order first (``cancel_order``); a paid debt's money never moves.
    """
    if debt.locked:
        raise ValueError(f"debt {debt.id} is paid or in a pending order")
    return _writable().change_debt(debt, values, _actor(actor), action, **context)


def import_debts(rows, actor):
    """Import debt rows (mappings, or (row number, mapping) pairs); an ImportReport.

    ImportRefused (nothing imported) if the columns are wrong; see importer.py.
    """
    return _writable().import_rows(rows, _actor(actor))


def import_file(data, actor, content_type="text/csv"):
    """Import a CSV (``text/csv``) or JSON (``application/json``) file's bytes; an ImportReport."""
    rows = read_file(data, content_type)
    return import_debts(rows, actor)


# --- orders and payments -----------------------------------------------------------


def issue_order(debt_ids, afm=None, actor=None):
    """A new pending PaymentOrder (RF code) for the open debts ``debt_ids``.

    With ``afm`` (a citizen's own), debts of anyone else are DebtNotFound.
    OrderError (Greek and English) when the choice cannot be paid.
    """
    actor = _actor(actor)
    code = beneficiary_code()
    return _writable().issue_order(debt_ids, afm, actor, code)


def get_order(rf):
    """The PaymentOrder of RF code ``rf`` (spaces and case ignored), or None."""
    return debt_book().get_order(rf)


def debts_of_rf(rf):
    """The debts paid by RF code ``rf`` (the index of debts by RF code), or []."""
    return debt_book().debts_of_rf(rf)


def cancel_order(rf, actor):
    """Cancel a pending order (staff); its debts are free to be ordered again."""
    return _writable().cancel_order(rf, _actor(actor))


def record_payment(rf, amount_cents, transaction_id, paid_at, channel, actor):
    """Record a payment of ``amount_cents`` (int) to ``rf``; the Outcome's ``code`` says what happened.

    ``transaction_id`` is the payment's unique id across all channels (prefix
    it with the channel if two channels' ids could collide; give the same id
    when two channels report the same payment). ``paid_at`` is an aware
    datetime, a date (bank files), or None for now. ``channel`` names where it
    came from (e.g. ``"gateway"``, ``"bank"``). Safe to call again with the
    same transaction: the answer is ``duplicate`` and nothing changes.
    An ``applied`` payment notifies ``events.PaymentApplied``.
    """
    actor = _actor(actor)
    book = _writable()
    outcome = book.record_payment(rf, amount_cents, transaction_id, paid_at, channel, actor)
    if outcome.applied:
        order = book.get_order(outcome.rf)
        debts = [book.get_debt(debt_id) for debt_id in order.debt_ids]
        notify(PaymentApplied(order, book.get_payment(outcome.transaction_id), debts))
    return outcome


def get_payment(transaction_id):
    """The PaymentRecord of ``transaction_id``, or None."""
    return debt_book().get_payment(transaction_id)


def payments_needing_attention():
    """Payments recorded but not applied, for the staff to refund or allocate."""
    return debt_book().payments_needing_attention()
