"""GET /@debts and GET /@debts/{id}: debts, a citizen only their own.

``GET /@debts`` answers the logged-in citizen's debts (``?status=open|paid|
cancelled`` to filter); staff (Manage debts) pass ``?afm=``. A citizen asking
for another ΑΦΜ gets 403. ``GET /@debts/{id}`` answers one debt, with its
audit trail for staff only; another's debt is 404, exactly as a missing one.
"""

from dimos.payments import ledger
from dimos.payments.debts import STATUSES
from dimos.payments.money import format_amount
from dimos.payments.services.debts.access import afm_asked
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import refused_reply
from dimos.payments.services.traversing import TraversingService


def _status(form):
    status = (form.get("status") or "").strip() or None
    if status is not None and status not in STATUSES:
        raise Refused(
            400,
            f"Άγνωστη κατάσταση «{status}»· δεκτές: {', '.join(STATUSES)}.",
            f"Unknown status “{status}”; accepted: {', '.join(STATUSES)}.",
            "bad-status",
        )
    return status


def _not_found(debt_id):
    return Refused(
        404,
        f"Δεν βρέθηκε η οφειλή «{debt_id}».",
        f"Debt “{debt_id}” was not found.",
        "debt-not-found",
    )


class DebtsGet(TraversingService):
    """``GET /@debts`` and ``/@debts/{id}`` (ids hold no "/", so one segment)."""

    def reply(self):
        try:
            if self.params:
                return self.one("/".join(self.params))
            return self.listing()
        except Refused as error:
            return refused_reply(self.request, error)

    def listing(self):
        afm = afm_asked(self.context, self.request.form.get("afm"))
        debts = ledger.debts_of(afm, _status(self.request.form))
        open_cents = sum(debt.total_cents for debt in debts if debt.status == "open")
        return {
            "@id": f"{self.context.absolute_url()}/@debts",
            "afm": afm,
            "items": [debt.to_json() for debt in debts],
            "items_total": len(debts),
            "open_total_cents": open_cents,
            "open_total": format_amount(open_cents),
        }

    def one(self, debt_id):
        staff = is_staff(self.context)
        debt = ledger.get_debt(debt_id)
        if debt is None or (not staff and debt.afm != own_afm()):
            raise _not_found(debt_id)
        data = debt.to_json(audit=staff)
        data["@id"] = f"{self.context.absolute_url()}/@debts/{debt.id}"
        return data
