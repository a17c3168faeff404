"""Άδεια: a permit (e.g. common space occupation), numbered per year by the site."""

from decimal import Decimal
from dimos.content import _
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.validators import afm_constraint
from dimos.content.validators import pdf_constraint
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.supermodel import model
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant


class IPermit(model.Schema):
    permit_number = schema.Int(
        title=_("Permit number"),
        description=_("Given automatically, per year, when left empty."),
        required=False,
        min=1,
    )
    permit_year = schema.Int(title=_("Permit year"), required=False)
    permit_kind = schema.Choice(
        title=_("Kind of permit"), vocabulary="dimos.content.PermitKinds", required=True
    )
    holder_name = schema.TextLine(title=_("Holder"), required=True)
    holder_afm = schema.TextLine(
        title=_("Holder's tax number (ΑΦΜ)"), required=False, constraint=afm_constraint
    )
    location = schema.TextLine(title=_("Location"), required=False)
    area_m2 = schema.Decimal(title=_("Area (m²)"), required=False, min=Decimal(0))
    valid_from = schema.Date(title=_("Valid from"), required=False)
    valid_until = schema.Date(title=_("Valid until"), required=False)
    fee = schema.Decimal(title=_("Fee (€)"), required=False, min=Decimal(0))
    payment_code = schema.TextLine(
        title=_("Payment code (RF)"),
        description=_("Filled in by the payments service when the fee is paid."),
        required=False,
    )
    paid_on = schema.Datetime(title=_("Paid on"), required=False)
    signed_pdf = NamedBlobFile(title=_("Signed PDF"), required=False, constraint=pdf_constraint)

    @invariant
    def validity_in_order(data):
        if data.valid_from and data.valid_until and data.valid_until < data.valid_from:
            raise Invalid(_("The permit cannot expire before it starts."))


@implementer(IPermit, IRecord)
class Permit(Item, WorkflowConditionsMixin):
    def number_label(self):
        if self.permit_number and self.permit_year:
            return f"{self.permit_number}/{self.permit_year}"
        return ""
