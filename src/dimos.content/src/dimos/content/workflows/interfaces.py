from zope.interface import Interface


class IWorkflowConditions(Interface):
    """Adapter from a record to the conditions its workflow guards ask about."""
