"""Full-text (SearchableText) of the record types: what a clerk or citizen types to find them."""

from dimos.content.content.citizen_application import ICitizenApplication
from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.content.council_meeting import ICouncilMeeting
from dimos.content.content.legal_case import ILegalCase
from dimos.content.content.permit import IPermit
from plone import api
from plone.indexer import indexer


def rich_text(value):
    """Plain text of a RichTextValue (or None)."""
    if value is None or not value.raw:
        return ""
    if value.mimeType == "text/plain":
        return value.raw
    transforms = api.portal.get_tool("portal_transforms")
    data = transforms.convertTo("text/plain", value.output, mimetype="text/html")
    return data.getData() if data is not None else ""


def joined(*parts):
    words = []
    for part in parts:
        if isinstance(part, (list, tuple)):
            words.extend(str(p) for p in part if p)
        elif part:
            words.append(str(part))
    return " ".join(words)


@indexer(ICouncilDecision)
def decision_text(obj):
    return joined(
        obj.Title(),
        obj.Description(),
        obj.number_label(),
        obj.ada,
        obj.protocol_number,
        obj.decision_type,
        obj.rapporteur,
        obj.thematic_categories,
        rich_text(obj.text),
        obj.scanned_text(),
    )


@indexer(ICouncilMeeting)
def meeting_text(obj):
    return joined(obj.Title(), obj.Description(), obj.session_label(), obj.place, obj.agenda)


@indexer(ICitizenApplication)
def application_text(obj):
    return joined(
        obj.Title(),
        obj.protocol_number,
        obj.applicant_name,
        obj.applicant_afm,
        obj.applicant_email,
        obj.request_text,
    )


@indexer(ILegalCase)
def legal_case_text(obj):
    return joined(
        obj.Title(),
        obj.Description(),
        obj.case_number,
        obj.chamber,
        obj.opponent,
        obj.parties,
        obj.outcome_text,
    )


@indexer(IPermit)
def permit_text(obj):
    return joined(obj.Title(), obj.Description(), obj.number_label(), obj.holder_name, obj.location)
