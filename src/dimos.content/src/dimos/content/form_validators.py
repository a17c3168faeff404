"""Form validators: a taken decision number or ΑΔΑ is shown next to its field.

The number books refuse duplicates in any case (numbers.py, with a 400); these
only let the Classic UI forms say so politely, keeping what the clerk typed.
They run in z3c.form forms only: plone.restapi relies on the refusal itself.
"""

from dimos.content import _
from dimos.content.content.base import find_parent
from dimos.content.content.council_body import DECISIONS_BOOK
from dimos.content.content.council_body import ICouncilBody
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.numbers import ADA_KEYS
from dimos.content.numbers import year_for
from dimos.content.validators import normalize_ada
from plone import api
from plone.uuid.interfaces import IUUID
from z3c.form import validator
from zope.annotation.interfaces import IAnnotations
from zope.interface import Invalid


class _DecisionFieldValidator(validator.SimpleFieldValidator):
    def decision(self):
        return self.context if ICouncilDecision.providedBy(self.context) else None

    def uid(self):
        decision = self.decision()
        return IUUID(decision, None) if decision is not None else None


class DecisionNumberValidator(_DecisionFieldValidator):
    def validate(self, value):
        super().validate(value)
        if not value or self.view is None:
            return
        body = find_parent(self.context, ICouncilBody)
        book = IAnnotations(body).get(DECISIONS_BOOK) if body is not None else None
        if book is None:
            return
        year = self.year()
        if not book.is_free(year, value, self.uid()):
            raise Invalid(
                _(
                    "Decision ${number}/${year} exists already; numbers are never reused.",
                    mapping={"number": value, "year": year},
                )
            )

    def year(self):
        """The year the decision will be numbered in, from what the form holds."""
        form = self.request.form
        typed_year = str(form.get("form.widgets.decision_year") or "").strip()
        typed_date = str(form.get("form.widgets.decision_date") or "")[:4]
        return year_for(
            int(typed_year) if typed_year.isdigit() else None,
            int(typed_date) if typed_date.isdigit() else None,
            find_parent(self.context, ICouncilMeeting),
        )


class AdaValidator(_DecisionFieldValidator):
    def validate(self, value):
        super().validate(value)
        if not value or self.view is None:
            return
        keys = IAnnotations(api.portal.get()).get(ADA_KEYS)
        holder = keys.holder(normalize_ada(value)) if keys is not None else None
        if holder is not None and holder != self.uid():
            raise Invalid(
                _(
                    "The ΑΔΑ ${ada} belongs to another decision.",
                    mapping={"ada": normalize_ada(value)},
                )
            )


validator.WidgetValidatorDiscriminators(
    DecisionNumberValidator, field=ICouncilDecision["decision_number"]
)
validator.WidgetValidatorDiscriminators(AdaValidator, field=ICouncilDecision["ada"])
