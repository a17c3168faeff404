"""What a decision page links to: the decisions it amends or repeals and back, its signatures.

The relation catalog is read unrestricted (a fact about the records); which of
the related decisions are shown is then asked of the portal catalog as the
current user, so a visitor sees only those they may view: for anonymous, the
public ones. Staff see the others too, with their state.
"""

from dimos.archive import _
from dimos.archive.browser.common import local_date
from dimos.archive.search import PUBLIC_STATES
from dimos.content.content.signed_document import ISignedDocument
from plone import api
from zope.component import getUtility
from zope.intid.interfaces import IIntIds


# (id, relationship, direction, heading): "forward" reads the decision's own field.
RELATIONS = (
    ("amends", "amends", "forward", _("Amends")),
    ("amended-by", "amends", "back", _("Amended by")),
    ("repeals", "repeals", "forward", _("Repeals")),
    ("repealed-by", "repeals", "back", _("Repealed by")),
)


def _related_uids(decision, relationship, direction):
    if getUtility(IIntIds).queryId(decision) is None:
        return []
    if direction == "forward":
        relations = api.relation.get(source=decision, relationship=relationship, unrestricted=True)
        objects = [relation.to_object for relation in relations]
    else:
        relations = api.relation.get(target=decision, relationship=relationship, unrestricted=True)
        objects = [relation.from_object for relation in relations]
    own = decision.UID()
    return [obj.UID() for obj in objects if obj is not None and obj.UID() != own]


def _item(brain):
    number = (
        f"{brain.decision_number}/{brain.decision_year}"
        if getattr(brain, "decision_number", None) and getattr(brain, "decision_year", None)
        else ""
    )
    state = brain.review_state
    return {
        "url": brain.getURL(),
        "title": brain.Title,
        "number": number,
        "state": None if state in PUBLIC_STATES else state,
        "sort": (
            getattr(brain, "decision_year", 0) or 0,
            getattr(brain, "decision_number", 0) or 0,
        ),
    }


def relations(decision):
    """[{id, heading, items}] of the related decisions the current user may view."""
    groups = []
    for group_id, relationship, direction, heading in RELATIONS:
        uids = _related_uids(decision, relationship, direction)
        if not uids:
            continue
        # As the current user: what they may not view is not there.
        brains = api.content.find(UID=uids, portal_type="CouncilDecision")
        items = sorted((_item(brain) for brain in brains), key=lambda item: item["sort"])
        if items:
            groups.append({"id": group_id, "heading": heading, "decisions": items})
    return groups


def _signed(document):
    from dimos.signing.plan import plan_of

    plan = plan_of(document)
    return bool(document.signers) and (plan is None or plan.status == "signed")


def signature(decision):
    """The signatures of the decision's signed PDF: {signers, verify_url}, or None."""
    try:
        from dimos.signing.plan import verify_url
    except ImportError:  # pragma: no cover - dimos.signing is a dependency
        return None
    if getUtility(IIntIds).queryId(decision) is None:
        return None
    relations = api.relation.get(target=decision, relationship="record", unrestricted=True)
    documents = [
        relation.from_object
        for relation in relations
        if ISignedDocument.providedBy(relation.from_object) and _signed(relation.from_object)
    ]
    if not documents:
        return None
    document = max(documents, key=lambda doc: doc.signers[-1].get("signed_at") or "")
    return {
        "verify_url": verify_url(document),
        "signers": [
            {
                "name": signer.get("name") or "",
                "role": signer.get("role") or "",
                "signed_at": local_date(signer.get("signed_at")),
            }
            for signer in document.signers
        ],
    }
