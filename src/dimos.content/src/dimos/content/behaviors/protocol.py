"""Protocolled records: the general protocol's number, routing and assignment.

A schema-only behavior: its fields are attributes of the record itself. The
number fields are filled in by the protocol registry when the record is added
(see protocol/registry.py) and are shown, never edited.
"""

from dimos.content import _
from plone.autoform import directives
from plone.autoform.interfaces import IFormFieldProvider
from plone.supermodel import model
from zope import schema
from zope.interface import provider


ROUTE_APPLICATIONS = "dimos.content.RouteApplications"


@provider(IFormFieldProvider)
class IProtocolled(model.Schema):
    model.fieldset(
        "protocol",
        label=_("Protocol"),
        fields=[
            "protocol_number",
            "protocol_registered",
            "protocol_direction",
            "department",
            "assigned_to",
        ],
    )
    directives.mode(protocol_number="display", protocol_registered="display")
    protocol_number = schema.TextLine(title=_("Protocol number"), required=False, readonly=True)
    protocol_registered = schema.Datetime(title=_("Registered on"), required=False, readonly=True)
    directives.mode(protocol_direction="display")
    protocol_direction = schema.Choice(
        title=_("Direction"),
        vocabulary="dimos.content.ProtocolDirections",
        default="incoming",
        required=False,
        readonly=True,
    )
    directives.write_permission(department=ROUTE_APPLICATIONS, assigned_to=ROUTE_APPLICATIONS)
    department = schema.Choice(
        title=_("Department"),
        description=_("Routed by the kind of request; the protocol clerk may change it."),
        vocabulary="dimos.content.Departments",
        required=False,
    )
    assigned_to = schema.TextLine(
        title=_("Assigned employee"),
        description=_("User name of the employee who handles it."),
        required=False,
    )
