"""Αίτηση πολίτη (or any incoming document): protocolled, routed, tracked by the citizen.

Folderish: the attachments are File items inside it.
"""

from dimos.content import _
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.validators import afm_constraint
from dimos.content.validators import email_constraint
from dimos.content.validators import phone_constraint
from plone.dexterity.content import Container
from plone.supermodel import model
from zope import schema
from zope.interface import implementer


class ICitizenApplication(model.Schema):
    application_kind = schema.Choice(
        title=_("Kind of application"),
        vocabulary="dimos.content.ApplicationKinds",
        required=True,
    )
    request_text = schema.Text(title=_("Request"), required=False)
    model.fieldset(
        "applicant",
        label=_("Applicant"),
        fields=["applicant_name", "applicant_afm", "applicant_email", "applicant_phone"],
    )
    applicant_name = schema.TextLine(title=_("Full name"), required=True)
    applicant_afm = schema.TextLine(
        title=_("Tax number (ΑΦΜ)"), required=False, constraint=afm_constraint
    )
    applicant_email = schema.TextLine(title=_("Email"), required=False, constraint=email_constraint)
    applicant_phone = schema.TextLine(title=_("Phone"), required=False, constraint=phone_constraint)


@implementer(ICitizenApplication, IRecord)
class CitizenApplication(Container, WorkflowConditionsMixin):
    pass
