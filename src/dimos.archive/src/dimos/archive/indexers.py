"""What the catalog keeps of a decision for the archive: facet values and the hit's metadata.

The archive's result page and its JSON, CSV and facets are built from these
indexes and metadata columns alone; objects are loaded only for the snippets
of the page's hits. Registered in configure.zcml (indexes and columns in
profiles/default/catalog.xml).
"""

from dimos.content.content.council_decision import ICouncilDecision
from dimos.content.workflows.conditions import referring_decisions
from plone import api
from plone.indexer import indexer


# dimos_decision_workflow's states where Anonymous has View (search.PUBLIC_STATES
# re-exports it; kept here so that the indexers need nothing from the search).
PUBLIC_STATES = ("published", "corrected", "revoked")

DIGITAL = "digital"
DIGITIZED = "digitized"


def origin(decision):
    """``digital`` for a born-digital decision, ``digitized`` for one from the paper archive."""
    status = getattr(decision, "digitization_status", None) or "born-digital"
    return DIGITAL if status == "born-digital" else DIGITIZED


def is_public(obj):
    return api.content.get_state(obj=obj, default=None) in PUBLIC_STATES


def public_amendments(decision):
    """The public decisions that amend ``decision`` (drafts and the like do not count)."""
    return [other for other in referring_decisions(decision, "amends") if is_public(other)]


@indexer(ICouncilDecision)
def decision_body(obj):
    body = obj.body()
    return body.getId() if body is not None else None


@indexer(ICouncilDecision)
def decision_body_title(obj):
    body = obj.body()
    return body.Title() if body is not None else None


@indexer(ICouncilDecision)
def decision_date(obj):
    """The decision's date; for one without, its meeting's (a decision is dated by its session)."""
    if obj.decision_date:
        return obj.decision_date
    meeting = obj.meeting()
    start = getattr(meeting, "start", None)
    return start.date() if start is not None else None


@indexer(ICouncilDecision)
def decision_origin(obj):
    return origin(obj)


@indexer(ICouncilDecision)
def amended(obj):
    """At least one public decision amends this one."""
    return bool(public_amendments(obj))


@indexer(ICouncilDecision)
def decision_pdf(obj):
    """The field of the PDF to download (signed, else searchable), or None: a metadata column."""
    for field in ("signed_pdf", "searchable_pdf"):
        if getattr(obj, field, None):
            return field
    return None
