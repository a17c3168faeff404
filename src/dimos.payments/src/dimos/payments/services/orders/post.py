"""POST /@payment-orders: one RF code for several open debts.

Body ``{"debts": ["id", ...]}``. A citizen orders only their own debts (any
other id is 404, as a missing one); staff may order any one debtor's. Answers
201 with ``{rf, rf_printed, amount_cents, amount, debts, status, lines, ...}``
and ``Location`` at ``/@rf/{rf}``; an older pending order of these debts is
superseded (see orders.py).
"""

from dimos.payments import ledger
from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import rest_post
from dimos.payments.orders import DebtNotFound
from dimos.payments.orders import OrderError
from dimos.payments.services.debts.access import is_staff
from dimos.payments.services.debts.access import own_afm
from dimos.payments.services.debts.access import Refused
from dimos.payments.services.debts.access import refused_reply
from dimos.payments.services.debts.access import user_id
from plone.restapi.services import Service

import json


def _debt_ids(request):
    try:
        data = json.loads(request.get("BODY") or b"{}")
    except ValueError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("debts"), list):
        raise OrderError(
            'Στείλτε {"debts": [κωδικοί οφειλών]}.',
            'Send {"debts": [debt ids]}.',
            code="bad-body",
        )
    return data["debts"]


class PaymentOrdersPost(Service):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        try:
            afm = None if is_staff(self.context) else own_afm()
            order = ledger.issue_order(_debt_ids(self.request), afm=afm, actor=user_id())
        except Refused as error:
            return refused_reply(self.request, error)
        except DebtNotFound as error:
            return error_reply(self.request, error, 404, "NotFound")
        except BilingualError as error:
            return error_reply(self.request, error)
        self.request.response.setStatus(201)
        url = f"{self.context.absolute_url()}/@rf/{order.rf}"
        self.request.response.setHeader("Location", url)
        return {"@id": url, **order.to_json()}
