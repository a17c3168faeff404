"""The persistent book of debts, payment orders and payments: BTrees, not content objects.

One ``DebtBook`` lives in the site's annotations (``ledger.debt_book()``);
tens of thousands of debts stay fast because every lookup is a BTree lookup:

``debts``      debt id → Debt
``by_afm``     ΑΦΜ → OOTreeSet of debt ids (the debts of one debtor)
``orders``     RF code → PaymentOrder (so also the index of debts by RF code)
``payments``   transaction id → PaymentRecord (every payment ever reported)
``attention``  OOTreeSet of transaction ids staff must look at (not applied)
``counter``    the last order sequence number (see orders.py on conflicts)

No Zope or Plone imports: it runs, and is tested, on a bare ZODB.
"""

from BTrees.OOBTree import OOBTree
from BTrees.OOBTree import OOTreeSet
from dimos.payments import importer
from dimos.payments import orders
from dimos.payments.debts import FIELDS
from persistent import Persistent


class DebtBook(Persistent):
    def __init__(self):
        self.debts = OOBTree()
        self.by_afm = OOBTree()
        self.orders = OOBTree()
        self.payments = OOBTree()
        self.attention = OOTreeSet()
        self.counter = orders.OrderCounter()

    # --- debts ---------------------------------------------------------------

    def get_debt(self, debt_id):
        return self.debts.get(debt_id)

    def debts_of(self, afm, status=None):
        """The debts of ``afm`` (optionally of one status), by due date then id."""
        found = (self.debts[debt_id] for debt_id in self.by_afm.get(afm, ()))
        chosen = [debt for debt in found if status is None or debt.status == status]
        return sorted(chosen, key=lambda debt: (debt.due_date, debt.id))

    def _index(self, debt, old_afm=None):
        if old_afm is not None and old_afm in self.by_afm:
            self.by_afm[old_afm].remove(debt.id)
            if not self.by_afm[old_afm]:
                del self.by_afm[old_afm]
        if debt.afm is None:  # e.g. a traffic fine paid by ticket number, debtor unknown
            return
        if debt.afm not in self.by_afm:
            self.by_afm[debt.afm] = OOTreeSet()
        self.by_afm[debt.afm].insert(debt.id)

    def add_debt(self, debt, actor, action="created", **context):
        """Store a new Debt (its id must be free) and audit its creation."""
        if debt.id in self.debts:
            raise KeyError(f"debt {debt.id} exists already")
        self.debts[debt.id] = debt
        self._index(debt)
        values = {field: getattr(debt, field) for field in FIELDS}
        debt.record(actor, action, importer.creation_changes(values), **context)
        return debt

    def change_debt(self, debt, values, actor, action, **context):
        """Change fields of a stored debt (audited), keeping the AFM index right."""
        old_afm = debt.afm
        changes = debt.change(values, actor, action, **context)
        if "afm" in changes:
            self._index(debt, old_afm)
        return changes

    def import_rows(self, rows, actor):
        return importer.apply_rows(self, rows, actor)

    # --- orders and payments -----------------------------------------------------

    def get_order(self, rf):
        return self.orders.get(orders.normalise_rf(rf))

    def debts_of_rf(self, rf):
        """The debts of the order with code ``rf`` (as they are now), or [] if none has it."""
        order = self.get_order(rf)
        return [] if order is None else [self.debts[debt_id] for debt_id in order.debt_ids]

    def issue_order(self, debt_ids, afm, actor, beneficiary_code):
        return orders.issue_order(self, debt_ids, afm, actor, beneficiary_code)

    def cancel_order(self, rf, actor):
        return orders.cancel_order(self, rf, actor)

    def record_payment(self, rf, amount_cents, transaction_id, paid_at, channel, actor):
        return orders.record_payment(
            self, rf, amount_cents, transaction_id, paid_at, channel, actor
        )

    def get_payment(self, transaction_id):
        return self.payments.get(transaction_id)

    def payments_needing_attention(self):
        """Payments not applied (wrong amount, unknown or dead code, overpayment), oldest first."""
        found = [self.payments[key] for key in self.attention]
        return sorted(found, key=lambda record: record.recorded)
