"""``/@payment-rates``: revenue staff manage the rate tables (rates.py). Manage debts only.

``GET /@payment-rates``                 every table (``?schedule=`` one schedule's),
                                        with its audit trail;
``GET /@payment-rates?schedule=…&on=…``  the table in force that day (``in_force``,
                                        null when none);
``GET /@payment-rates/{id}``            one table;
``POST /@payment-rates``                ``{"schedule", "effective_from", "until",
                                        "decision": UID, "values"}`` → 201 and the
                                        table; 400 (Greek and English) for bad
                                        values, an overlap, or a decision that is
                                        missing or not published;
``PATCH /@payment-rates/{id}``          ``{"until": "2026-12-31" | null}``: end (or
                                        reopen) a table; audited.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import error_reply
from dimos.payments.bilingual import rest_post
from dimos.payments.declarations.services import json_body
from dimos.payments.rates import add_rate_table
from dimos.payments.rates import clean_schedule
from dimos.payments.rates import end_rate_table
from dimos.payments.rates import find_rate
from dimos.payments.rates import get_rate_table
from dimos.payments.rates import parse_date
from dimos.payments.rates import rate_tables
from dimos.payments.services.debts.access import user_id
from dimos.payments.services.traversing import TraversingService


def not_found(table_id):
    return BilingualError(
        f"Δεν υπάρχει πίνακας τελών «{table_id}».",
        f"No rate table “{table_id}”.",
        code="rate-not-found",
    )


class RatesService(TraversingService):
    """The rate tables' services share ``/{id}`` traversal."""

    @property
    def base_url(self):
        return f"{self.context.absolute_url()}/@payment-rates"

    def table_json(self, table):
        return {"@id": f"{self.base_url}/{table.id}", **table.to_json(audit=True)}


class RatesGet(RatesService):
    def reply(self):
        form = self.request.form
        try:
            if self.params:
                table = get_rate_table(self.params[0])
                if table is None:
                    return error_reply(self.request, not_found(self.params[0]), 404, "NotFound")
                return self.table_json(table)
            if form.get("on"):
                schedule = clean_schedule(form.get("schedule"))
                table = find_rate(schedule, parse_date(form["on"], "on"))
                return {
                    "@id": self.base_url,
                    "schedule": schedule,
                    "on": form["on"],
                    "in_force": self.table_json(table) if table is not None else None,
                }
            tables = rate_tables(form.get("schedule") or None)
        except BilingualError as error:
            return error_reply(self.request, error)
        items = [self.table_json(table) for table in tables]
        return {"@id": self.base_url, "items": items, "items_total": len(items)}


class RatesPost(RatesService):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        try:
            data = json_body(self.request)
            table = add_rate_table(
                data.get("schedule"),
                data.get("effective_from"),
                data.get("until"),
                data.get("decision"),
                data.get("values"),
                user_id(),
            )
        except BilingualError as error:
            return error_reply(self.request, error)
        self.request.response.setStatus(201)
        self.request.response.setHeader("Location", f"{self.base_url}/{table.id}")
        return self.table_json(table)


class RatesPatch(RatesService):
    def reply(self):
        refused = rest_post(self.request)
        if refused is not None:
            return refused
        table_id = self.params[0] if self.params else ""
        try:
            data = json_body(self.request)
            if "until" not in data:
                raise BilingualError(
                    'Στείλτε {"until": "ΕΕΕΕ-ΜΜ-ΗΗ"} (ή null για αόριστη ισχύ).',
                    'Send {"until": "YYYY-MM-DD"} (or null for no end).',
                    code="bad-body",
                )
            if get_rate_table(table_id) is None:
                return error_reply(self.request, not_found(table_id), 404, "NotFound")
            table = end_rate_table(table_id, data["until"], user_id())
        except BilingualError as error:
            return error_reply(self.request, error)
        return self.table_json(table)
