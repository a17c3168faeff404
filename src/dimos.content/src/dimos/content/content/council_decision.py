"""Απόφαση: a council decision, born digital or digitized from the paper archive."""

from dimos.content import _
from dimos.content.content.base import find_parent
from dimos.content.content.base import IRecord
from dimos.content.content.base import WorkflowConditionsMixin
from dimos.content.content.council_body import ICouncilBody
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.validators import ada_constraint
from dimos.content.validators import pdf_constraint
from dimos.content.vocabularies import DecisionTypes
from plone.app.textfield import RichText
from plone.app.z3cform.widgets.relateditems import RelatedItemsFieldWidget
from plone.autoform import directives
from plone.dexterity.content import Item
from plone.namedfile.field import NamedBlobFile
from plone.schema import JSONField
from plone.supermodel import model
from z3c.relationfield.schema import RelationChoice
from z3c.relationfield.schema import RelationList
from zope import schema
from zope.interface import implementer
from zope.interface import Invalid
from zope.interface import invariant

import json


def _decisions_field(title, description):
    return RelationList(
        title=title,
        description=description,
        value_type=RelationChoice(vocabulary="plone.app.vocabularies.Catalog"),
        required=False,
        default=[],
    )


DECISION_PICKER = {"selectableTypes": ["CouncilDecision"]}

# Statuses of a decision that came from the paper archive.
FROM_PAPER = ("scanned", "ocr-done", "needs-review", "reviewed", "failed")
# Read by OCR and trusted (by the pipeline, or after a clerk's review).
DIGITIZED = ("ocr-done", "reviewed")

# One object per scanned page; the pages' texts are the decision's OCR text.
PAGES_SCHEMA = json.dumps(
    {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "number": {"type": "integer", "minimum": 1},
                "text": {"type": "string"},
                "confidence": {"type": ["number", "null"]},
                "language": {"type": ["string", "null"]},
                "script": {"type": ["string", "null"], "enum": ["monotonic", "polytonic", None]},
                "source": {"type": "string", "enum": ["ocr", "text-layer", "review"]},
                "flagged": {"type": "boolean"},
            },
            "required": ["number", "text", "flagged"],
            "additionalProperties": False,
        },
    }
)


class ICouncilDecision(model.Schema):
    decision_number = schema.Int(
        title=_("Decision number"),
        description=_(
            "Given automatically, per body and year, when left empty. "
            "Enter it only for decisions of the paper archive."
        ),
        required=False,
        min=1,
    )
    decision_year = schema.Int(
        title=_("Decision year"),
        description=_("The year of the decision date (or of the meeting) when left empty."),
        required=False,
        min=1800,
        max=2200,
    )
    decision_date = schema.Date(title=_("Decision date"), required=False)
    # The vocabulary object, not its name: the field is then tokenized, and
    # plone.restapi accepts the ASCII token (B.1.3) as well as the code (Β.1.3).
    decision_type = schema.Choice(
        title=_("Decision type (Diavgeia)"),
        vocabulary=DecisionTypes(),
        required=False,
    )
    thematic_categories = schema.List(
        title=_("Thematic categories"),
        value_type=schema.TextLine(),
        required=False,
        default=[],
    )
    rapporteur = schema.TextLine(title=_("Rapporteur"), required=False)
    ada = schema.TextLine(
        title=_("ΑΔΑ (Diavgeia posting number)"),
        required=False,
        constraint=ada_constraint,
    )
    protocol_number = schema.TextLine(title=_("Protocol number"), required=False)
    text = RichText(title=_("Decision text"), required=False)
    signed_pdf = NamedBlobFile(title=_("Signed PDF"), required=False, constraint=pdf_constraint)

    model.fieldset(
        "vote",
        label=_("Vote"),
        fields=["vote_kind", "votes_for", "votes_against", "votes_abstain"],
    )
    vote_kind = schema.Choice(title=_("Vote"), vocabulary="dimos.content.VoteKinds", required=False)
    votes_for = schema.List(
        title=_("For"), value_type=schema.TextLine(), required=False, default=[]
    )
    votes_against = schema.List(
        title=_("Against"), value_type=schema.TextLine(), required=False, default=[]
    )
    votes_abstain = schema.List(
        title=_("Abstained"), value_type=schema.TextLine(), required=False, default=[]
    )

    model.fieldset("relations", label=_("Relations"), fields=["amends", "repeals"])
    directives.widget("amends", RelatedItemsFieldWidget, pattern_options=DECISION_PICKER)
    amends = _decisions_field(_("Amends"), _("Decisions this decision amends or corrects."))
    directives.widget("repeals", RelatedItemsFieldWidget, pattern_options=DECISION_PICKER)
    repeals = _decisions_field(_("Repeals"), _("Decisions this decision repeals."))

    model.fieldset(
        "digitization",
        label=_("Digitization"),
        fields=[
            "source_scan",
            "source_sha256",
            "searchable_pdf",
            "page_count",
            "ocr_text",
            "ocr_pages",
            "ocr_confidence",
            "review_pages",
            "script",
            "digitization_status",
        ],
    )
    source_scan = NamedBlobFile(title=_("Source scan"), required=False)
    source_sha256 = schema.TextLine(
        title=_("SHA-256 of the source scan"),
        description=_("Identifies the scanned file: one record per file."),
        required=False,
    )
    searchable_pdf = NamedBlobFile(
        title=_("Searchable PDF"),
        description=_("The scan with an invisible text layer from OCR."),
        required=False,
        constraint=pdf_constraint,
    )
    page_count = schema.Int(title=_("Pages"), required=False, min=0)
    ocr_text = schema.Text(
        title=_("OCR text"),
        description=_(
            "Text of a scan read without per-page texts. A digitized decision "
            "keeps its text per page, and that is its OCR text."
        ),
        required=False,
    )
    # Edited page by page in the review view (@@review-scan), not in the edit form.
    directives.omitted("ocr_pages", "review_pages")
    ocr_pages = JSONField(
        title=_("Pages read by OCR"),
        description=_("Per page: text, confidence, language, script, source, flagged."),
        schema=PAGES_SCHEMA,
        required=False,
    )
    ocr_confidence = schema.Float(
        title=_("OCR confidence"),
        description=_("Mean word confidence of the OCR pages, 0 to 100."),
        required=False,
        min=0.0,
        max=100.0,
    )
    review_pages = schema.List(
        title=_("Pages to review"),
        value_type=schema.Int(min=1),
        required=False,
    )
    script = schema.Choice(title=_("Script"), vocabulary="dimos.content.Scripts", required=False)
    digitization_status = schema.Choice(
        title=_("Digitization status"),
        vocabulary="dimos.content.DigitizationStatuses",
        default="born-digital",
        required=False,
    )

    @invariant
    def vote_is_consistent(data):
        voters = {}
        for field in ("votes_for", "votes_against", "votes_abstain"):
            for name in getattr(data, field, None) or ():
                if name in voters:
                    raise Invalid(
                        _("${name} appears in more than one vote list.", mapping={"name": name})
                    )
                voters[name] = field
        kind = getattr(data, "vote_kind", None)
        if kind == "unanimous" and (data.votes_against or data.votes_abstain):
            raise Invalid(_("A unanimous vote has no votes against and no abstentions."))
        if kind == "majority" and len(data.votes_for or ()) <= len(data.votes_against or ()):
            raise Invalid(_("A decision by majority needs more votes for than against."))


@implementer(ICouncilDecision, IRecord)
class CouncilDecision(Item, WorkflowConditionsMixin):
    def body(self):
        return find_parent(self, ICouncilBody)

    def meeting(self):
        return find_parent(self, ICouncilMeeting)

    def number_label(self):
        """``123/2024``, the way decisions are cited."""
        if self.decision_number and self.decision_year:
            return f"{self.decision_number}/{self.decision_year}"
        return ""

    def vote_recorded(self):
        return bool(self.vote_kind) and (self.vote_kind == "unanimous" or bool(self.votes_for))

    def from_paper(self):
        """Digitized (or being digitized) from the paper archive."""
        return getattr(self, "digitization_status", None) in FROM_PAPER

    def is_digitized(self):
        """Read by OCR and trusted: its vote and text are in the scanned pages."""
        return getattr(self, "digitization_status", None) in DIGITIZED

    def scanned_text(self):
        """The text read from the scan: the pages' texts when kept per page."""
        pages = getattr(self, "ocr_pages", None)
        if pages:
            return "\n\n".join(page.get("text") or "" for page in pages)
        return getattr(self, "ocr_text", None) or ""
