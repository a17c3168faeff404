"""Συνεδρίαση: a meeting of a council body, numbered per body per year."""

from dimos.content import _
from dimos.content.content.base import find_parent
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.content.council_body import ICouncilBody
from plone.autoform import directives
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


EDIT_AGENDA = "dimos.content.EditAgenda"


class ICouncilMeeting(model.Schema):
    start = schema.Datetime(title=_("Date and time"), required=True)
    session_number = schema.Int(
        title=_("Session number"),
        description=_("Given automatically, per body and year, when left empty."),
        required=False,
        min=1,
    )
    directives.mode(session_year="hidden")
    session_year = schema.Int(title=_("Session year"), required=False)
    meeting_kind = schema.Choice(
        title=_("Kind of meeting"),
        vocabulary="dimos.content.MeetingKinds",
        default="taktiki",
        required=True,
    )
    place = schema.TextLine(title=_("Place"), required=False)
    directives.write_permission(agenda=EDIT_AGENDA)
    agenda = schema.List(
        title=_("Agenda"),
        description=_("One item per line, in the order of discussion."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    members_present = schema.List(
        title=_("Members present"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    members_absent = schema.List(
        title=_("Members absent"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )

    @invariant
    def present_or_absent(data):
        both = set(data.members_present or ()) & set(data.members_absent or ())
        if both:
            raise Invalid(
                _(
                    "A member cannot be both present and absent: ${names}",
                    mapping={"names": ", ".join(sorted(both))},
                )
            )


@implementer(ICouncilMeeting, IRecord)
class CouncilMeeting(Container, WorkflowConditionsMixin):
    def body(self):
        return find_parent(self, ICouncilBody)

    def has_quorum(self):
        body = self.body()
        if body is None:
            return False
        members = set(body.members or ())
        present = set(self.members_present or ()) & members
        return len(present) >= body.quorum()

    def session_label(self):
        if self.session_number and self.session_year:
            return f"{self.session_number}/{self.session_year}"
        return ""
