"""What the workflow guards ask about a record, one adapter per record type.

Guards in ``profiles/default/workflows/*/definition.xml`` call, for example,
``python:here.wf_conditions().can_publish()``. Guard expressions run in
RestrictedPython, so the adapters are declared public with access to their
methods allowed. The conditions only look at the record's data: who may
perform a transition is the guard permission's business.
"""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from dimos.content.content.citizen_application import ICitizenApplication
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.content.legal_case import ILegalCase
from dimos.content.content.permit import IPermit
from dimos.content.workflows.interfaces import IWorkflowConditions
from plone import api
from zope.component import adapter
from zope.component import getUtility
from zope.interface import implementer
from zope.intid.interfaces import IIntIds

import datetime


@implementer(IWorkflowConditions)
class Conditions:
    """Base of the adapters: public, so that guard expressions may call them."""

    security = ClassSecurityInfo()
    security.declareObjectPublic()
    security.setDefaultAccess("allow")

    def __init__(self, context):
        self.context = context


InitializeClass(Conditions)


def referring_decisions(decision, relationship):
    """The other decisions that name ``decision`` in their ``relationship`` field.

    A fact about the records, so the relation catalog is read unrestricted:
    whether the reviewer may see the other decision does not change it.
    """
    if getUtility(IIntIds).queryId(decision) is None:
        return []
    relations = api.relation.get(target=decision, relationship=relationship, unrestricted=True)
    return [
        relation.from_object
        for relation in relations
        if relation.from_id != relation.to_id and ICouncilDecision.providedBy(relation.from_object)
    ]


@adapter(ICouncilDecision)
class DecisionConditions(Conditions):
    def can_approve(self):
        """The vote is recorded, or the decision is digitized (its vote is in the scanned text)."""
        return self.context.vote_recorded() or self.context.is_digitized()

    def can_publish(self):
        """The decision has its number, and its text or the signed PDF.

        A digitized decision may show its OCR text or its searchable PDF instead.
        """
        context = self.context
        text = context.text
        has_text = bool(text and (text.raw or "").strip())
        if context.is_digitized():
            has_text = has_text or bool(context.scanned_text().strip() or context.searchable_pdf)
        return bool(context.number_label()) and (has_text or bool(context.signed_pdf))

    def can_correct(self):
        """Another decision amends (corrects) this one."""
        return bool(referring_decisions(self.context, "amends"))

    def can_revoke(self):
        """Another decision repeals this one."""
        return bool(referring_decisions(self.context, "repeals"))


@adapter(ICouncilMeeting)
class MeetingConditions(Conditions):
    def can_convene(self):
        """The agenda has at least one item."""
        return any((item or "").strip() for item in self.context.agenda or ())

    def can_hold(self):
        """Enough members are present."""
        return self.context.has_quorum()


@adapter(ICitizenApplication)
class ApplicationConditions(Conditions):
    def can_assign(self):
        """Routed to a department and assigned to an employee."""
        context = self.context
        return bool(getattr(context, "department", None) and getattr(context, "assigned_to", None))


@adapter(ILegalCase)
class LegalCaseConditions(Conditions):
    def can_schedule_hearing(self):
        """At least one hearing has a date."""
        return any(hearing.get("date") for hearing in self.context.hearings or ())

    def can_record_decision(self):
        """The outcome is set."""
        return bool(self.context.outcome)


@adapter(IPermit)
class PermitConditions(Conditions):
    def can_confirm_payment(self):
        """Nothing to pay, or the payment is recorded."""
        return not self.context.fee or bool(self.context.payment_code)

    def can_issue(self):
        """The validity period is set."""
        return bool(self.context.valid_from and self.context.valid_until)

    def can_expire(self):
        """The permit was valid until a day before today."""
        valid_until = self.context.valid_until
        return bool(valid_until) and valid_until < datetime.date.today()
