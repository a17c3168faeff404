"""Ψηφιακά υπογεγραμμένο έγγραφο: a PDF with its signatures (filled in by the signing service)."""

from dimos.content import _
from dimos.content.validators import pdf_constraint
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.schema import JSONField
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from zope import schema
from zope.interface import implementer

import json


SIGNERS_SCHEMA = json.dumps(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "role": {"type": "string"},
                "signed_at": {"type": "string"},
                "certificate_subject": {"type": "string"},
                "certificate_issuer": {"type": "string"},
                "timestamp": {"type": ["string", "null"]},
            },
            "required": ["name", "signed_at"],
        },
    }
)


class ISignedDocument(model.Schema):
    file = NamedBlobFile(title=_("Signed PDF"), required=True, constraint=pdf_constraint)
    signers = JSONField(
        title=_("Signers"),
        description=_("In signing order."),
        schema=SIGNERS_SCHEMA,
        required=False,
        default=[],
    )
    validation_status = schema.Choice(
        title=_("Signature status"),
        vocabulary="dimos.content.SignatureStatuses",
        default="unverified",
        required=True,
    )
    validated_at = schema.Datetime(title=_("Last verified"), required=False)
    record = RelationChoice(
        title=_("Signed record"),
        vocabulary="plone.app.vocabularies.Catalog",
        required=False,
    )


@implementer(ISignedDocument)
class SignedDocument(Item):
    pass
