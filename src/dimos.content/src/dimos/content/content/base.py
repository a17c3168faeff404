"""What the Dimos record types share."""

from AccessControl import ClassSecurityInfo
from AccessControl.class_init import InitializeClass
from Acquisition import aq_chain
from Acquisition import aq_inner
from dimos.content.workflows.interfaces import IWorkflowConditions
from zope.interface import Interface


class IRecord(Interface):
    """A Dimos record with a workflow of its own (decision, meeting, case, application, permit)."""


class WorkflowConditionsMixin:
    """Workflow guards call ``here.wf_conditions().can_...()`` (see workflows/conditions.py).

    InitializeClass gives the mixin an ``__providedBy__`` of its own: record
    classes list it *after* Container/Item, so that Dexterity's (which adds the
    behavior markers) comes first. Each record class declares IRecord itself.
    """

    security = ClassSecurityInfo()

    @security.public
    def wf_conditions(self):
        return IWorkflowConditions(self)


InitializeClass(WorkflowConditionsMixin)


def find_parent(context, interface):
    """The nearest object in context's acquisition chain (itself included) providing interface."""
    for item in aq_chain(aq_inner(context)):
        if interface.providedBy(item):
            return item
    return None
