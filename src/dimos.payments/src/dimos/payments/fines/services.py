"""REST: traffic fines by ticket number and plate (anyone), and the police's registrations (staff).

``POST /@traffic-fines/lookup`` (public) ``{"ticket", "plate"}`` → 200 with
the ticket's details, the amount to pay and one RF code (``rf``), or 404
``fine-not-found`` (the same whether the ticket is unknown or the plate is
not its plate).

``POST /@traffic-fines`` (public) ``{"ticket", "plate", "date", "offence",
"place"?, "time"?}`` → 201 with a new, unverified fine and its RF code, or
200 with the fine already there for that ticket and plate. ``offence`` is a
token of ``GET /@traffic-fines/offences`` (public), which also lists the
amounts; an ``amount`` sent is ignored.

``GET /@traffic-fines`` (dimos.payments.ManageDebts) the fines the staff
must look at (unverified or flagged); ``?ticket=`` every fine of a ticket.

``POST /@traffic-fines-register`` (dimos.payments.ManageDebts) one fine
``{"ticket", "plate", "date", "time"?, "place", "offence" | ("article",
"description", "amount"), "amount"?, "afm"?, "name"?}`` or ``{"fines":
[...]}``: all or none. 201 when a fine was created, else 200; 400 names
the bad ``row``; 409 ``ticket-registered`` for a ticket registered with
other details.

Errors: ``{"error": {"type", "code", "message", "messages": {"el", "en"},
"field"?, "row"?}}``; nothing is stored when one is answered.
"""

from dimos.payments.bilingual import BilingualError
from dimos.payments.bilingual import language
from dimos.payments.fines import traffic
from dimos.payments.fines.identifiers import FineError
from dimos.payments.fines.identifiers import normalise_ticket
from dimos.payments.fines.settings import fine_settings
from dimos.payments.gateway.services import json_object
from dimos.payments.gateway.services import refuse
from dimos.payments.gateway.services import RequestError
from dimos.payments.services.traversing import TraversingService
from plone import api
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides


def _no_such_address(path):
    return RequestError(
        f"Δεν υπάρχει η διεύθυνση {path}.", f"There is no address {path}.", "not-found", 404
    )


def _pay_url(context, rf):
    return f"{context.absolute_url()}/@@pay?rf={rf}" if rf else None


def public_json(context, answer):
    data = answer.to_json()
    data["pay_url"] = _pay_url(context, data["rf"])
    return data


class TrafficFinesPost(TraversingService):
    """``POST /@traffic-fines/lookup`` and ``POST /@traffic-fines`` (a citizen's declaration)."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see json_object
        try:
            body = json_object(self.request)
            if self.params == ["lookup"]:
                answer = traffic.lookup_fine(body.get("ticket"), body.get("plate"))
            elif not self.params:
                answer = traffic.declare_fine(body)
            else:
                raise _no_such_address(f"/@traffic-fines/{'/'.join(self.params)}")
        except BilingualError as error:
            return refuse(self.request, error)
        if answer.created:
            self.request.response.setStatus(201)
        return public_json(self.context, answer)


class TrafficFinesGet(TraversingService):
    """``GET /@traffic-fines/offences`` (public) and ``GET /@traffic-fines`` (staff)."""

    def reply(self):
        if self.params == ["offences"]:
            return self.offences()
        if self.params:
            return refuse(self.request, _no_such_address("/@traffic-fines/…"))
        if not api.user.has_permission("Dimos: Manage debts", obj=self.context):
            error = RequestError(
                "Μόνο η υπηρεσία βλέπει τις καταχωρισμένες κλήσεις.",
                "Only the staff may see the registered tickets.",
                "forbidden",
                403,
            )
            return refuse(self.request, error)
        try:
            return self.listing()
        except BilingualError as error:
            return refuse(self.request, error)

    def offences(self):
        english = language(self.request) == "en"
        items = []
        for offence in fine_settings().offences.values():
            item = offence.to_json()
            item["title"] = offence.title_en if english else offence.title_el
            items.append(item)
        return {"@id": f"{self.context.absolute_url()}/@traffic-fines/offences", "items": items}

    def listing(self):
        ticket = self.request.form.get("ticket")
        if ticket:
            fines = traffic.fine_book().of_ticket(normalise_ticket(ticket))
        else:
            fines = traffic.fines_needing_attention()
        return {
            "@id": f"{self.context.absolute_url()}/@traffic-fines",
            "items": [fine.to_json(audit=True) for fine in fines],
            "items_total": len(fines),
        }


def _rows(body):
    if "fines" not in body:
        return [body]
    rows = body["fines"]
    if not isinstance(rows, list) or not rows:
        raise FineError(
            'Στείλτε {"fines": [κλήσεις]} ή μία κλήση ως αντικείμενο.',
            'Send {"fines": [tickets]} or one ticket as an object.',
            code="bad-body",
        )
    return rows


class TrafficFinesRegisterPost(Service):
    """``POST /@traffic-fines-register``: the municipal police's fines (staff)."""

    def reply(self):
        alsoProvides(self.request, IDisableCSRFProtection)  # JSON only: see json_object
        actor = api.user.get_current().getId()
        try:
            answers = traffic.register_fines(_rows(json_object(self.request)), actor)
        except BilingualError as error:
            return refuse(self.request, error)
        created = sum(1 for answer in answers if answer.created)
        if created:
            self.request.response.setStatus(201)
        items = []
        for answer in answers:
            item = answer.staff_json()
            item["created"] = answer.created
            item["pay_url"] = _pay_url(self.context, item["rf"])
            items.append(item)
        return {"created": created, "items": items, "items_total": len(items)}
