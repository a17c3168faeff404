"""Δικαστική υπόθεση of the legal service; folderish, it holds the case documents."""

from decimal import Decimal
from dimos.content import _
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.content.council_decision import _decisions_field
from dimos.content.content.council_decision import DECISION_PICKER
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.schema import JSONField
from plone.supermodel import model
from zope import schema
from zope.interface import implementer

import json


HEARINGS_SCHEMA = json.dumps(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date"},
                "postponed_to": {"type": ["string", "null"], "format": "date"},
                "note": {"type": "string"},
            },
            "required": ["date"],
            "additionalProperties": False,
        },
    }
)

DEADLINES_SCHEMA = json.dumps(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "date": {"type": "string", "format": "date"},
                "what": {"type": "string"},
                "done": {"type": "boolean"},
            },
            "required": ["date", "what"],
            "additionalProperties": False,
        },
    }
)


class ILegalCase(model.Schema):
    case_number = schema.TextLine(title=_("Case number"), required=True)
    court = schema.Choice(title=_("Court"), vocabulary="dimos.content.Courts", required=True)
    chamber = schema.TextLine(title=_("Chamber"), required=False)
    case_kind = schema.Choice(
        title=_("Kind of case"), vocabulary="dimos.content.LegalCaseKinds", required=True
    )
    parties = schema.List(
        title=_("Parties"),
        description=_("One per line, the municipality included, with their role (e.g. plaintiff)."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    opponent = schema.TextLine(title=_("Opponent"), required=False)
    assigned_lawyer = schema.TextLine(
        title=_("Assigned lawyer"), description=_("User name of the lawyer."), required=False
    )
    amount_in_dispute = schema.Decimal(
        title=_("Amount in dispute (€)"), required=False, min=Decimal(0)
    )
    hearings = JSONField(
        title=_("Hearings"),
        description=_("Hearing dates with their postponements."),
        schema=HEARINGS_SCHEMA,
        required=False,
        default=[],
    )
    deadlines = JSONField(title=_("Deadlines"), schema=DEADLINES_SCHEMA, required=False, default=[])
    outcome = schema.Choice(
        title=_("Outcome"), vocabulary="dimos.content.LegalOutcomes", required=False
    )
    outcome_text = schema.Text(title=_("Outcome details"), required=False)
    directives.widget("related_decisions", RelatedItemsFieldWidget, pattern_options=DECISION_PICKER)
    related_decisions = _decisions_field(_("Related decisions"), None)


@implementer(ILegalCase, IRecord)
class LegalCase(Container, WorkflowConditionsMixin):
    def next_hearing(self):
        """The date of the next hearing still to be held, as ISO text, or None."""
        dates = [hearing.get("postponed_to") or hearing["date"] for hearing in self.hearings or ()]
        return max(dates) if dates else None
