"""Συλλογικό όργανο: a council or committee; it numbers its sessions and decisions."""

from dimos.content import _
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.numbering import NumberBook
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.annotation.interfaces import IAnnotations
from zope.interface import implementer


DECISIONS_BOOK = "dimos.content.decisions"
SESSIONS_BOOK = "dimos.content.sessions"


class ICouncilBody(model.Schema):
    body_kind = schema.Choice(
        title=_("Kind of body"),
        vocabulary="dimos.content.BodyKinds",
        required=True,
    )
    members = schema.List(
        title=_("Members"),
        description=_("One member per line, as the names should appear in minutes and votes."),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )


@implementer(ICouncilBody, IRecord)
class CouncilBody(Container, WorkflowConditionsMixin):
    def number_book(self, name):
        """The body's NumberBook for decisions or sessions, made on first use."""
        annotations = IAnnotations(self)
        if name not in annotations:
            annotations[name] = NumberBook()
        return annotations[name]

    def quorum(self):
        """Members needed present: more than half of all members."""
        return len(self.members or ()) // 2 + 1
