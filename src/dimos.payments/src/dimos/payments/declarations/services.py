"""``POST /@fee-declarations`` and ``GET /@fee-declarations``: a business declares its fees.

POST body (JSON)::

    {"fee": "gross-revenue" | "transient-resident", "period": "2026-03" | "2026-Q1",
     "gross_revenue": "12.345,67", "category": "restaurant", "name": "optional"}

The logged-in business declares for its own ΑΦΜ (its user id). Revenue staff
(Manage debts) declare for any ``afm`` and may give ``declared_on`` (a paper
declaration received on that date); anyone else giving them is refused (403).
Answers 201 with the declaration (fee, penalty, total in cents, deadline,
months late, the debt and its RF code), ``Location`` at the RF code; 400 with
the reason in Greek and English, nothing stored. GET lists the caller's own
declarations (staff: ``?afm=``).
"""

from decimal import Decimal
from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import rest_post
from dimos.payments.declarations.book import declarations_of
from dimos.payments.declarations.book import declare
from dimos.payments.services.debts.access import afm_asked
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import refused_reply
from dimos.payments.services.debts.access import user_id
from plone import api
from plone.restapi.services import Service

import json


STAFF_ONLY = ("afm", "declared_on")


def json_body(request):
    """The request's JSON object (numbers read exactly); BilingualError if it is not one."""
    try:
        data = json.loads(request.get("BODY") or b"{}", parse_float=Decimal)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise BilingualError(
            "Το σώμα του αιτήματος πρέπει να είναι αντικείμενο JSON.",
            "The request body must be a JSON object.",
            code="bad-body",
        )
    return data


def fullname():
    user = api.user.get_current()
    return (user.getProperty("fullname", "") or "").strip() if user is not None else ""


def declarant(context, data):
    """(ΑΦΜ, declared_on) the caller may declare with: their own, or (staff) any."""
    if is_staff(context):
        return afm_asked(context, data.get("afm")), data.get("declared_on")
    given = [name for name in STAFF_ONLY if data.get(name) not in (None, "")]
    afm = own_afm()
    if given and not (given == ["afm"] and str(data["afm"]).strip() == afm):
        raise Refused(
            403,
            "Μόνο η Υπηρεσία Εσόδων δηλώνει για άλλον ΑΦΜ ή με άλλη ημερομηνία δήλωσης.",
            "Only the revenue office may declare for another AFM or with another date.",
            "staff-only",
            fields=given,
        )
    return afm, None


class FeeDeclarationsPost(Service):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        try:
            data = json_body(self.request)
            afm, declared_on = declarant(self.context, data)
            declaration = declare(
                afm,
                data.get("fee"),
                data.get("period"),
                data.get("gross_revenue"),
                data.get("category"),
                actor=user_id(),
                name=data.get("name") or (fullname() if afm == user_id() else None),
                declared_on=declared_on,
            )
        except Refused as error:
            return refused_reply(self.request, error)
        except BilingualError as error:
            return error_reply(self.request, error)
        self.request.response.setStatus(201)
        if declaration.rf:
            self.request.response.setHeader(
                "Location", f"{self.context.absolute_url()}/@rf/{declaration.rf}"
            )
        return declaration.to_json(audit=is_staff(self.context))


class FeeDeclarationsGet(Service):
    def reply(self):
        try:
            afm = afm_asked(self.context, self.request.form.get("afm"))
        except Refused as error:
            return refused_reply(self.request, error)
        staff = is_staff(self.context)
        items = [item.to_json(audit=staff) for item in declarations_of(afm)]
        return {
            "@id": f"{self.context.absolute_url()}/@fee-declarations",
            "afm": afm,
            "items": items,
            "items_total": len(items),
        }
