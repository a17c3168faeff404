"""Keep the archive's catalog data true when decisions and bodies change.

A decision is ``amended`` when a *public* decision amends it, so whenever an
amending decision is published, leaves the public states, changes the list
of decisions it amends, or is deleted, the decisions it names (and those it
named before) have their ``amended`` index recomputed. The reindexing is
queued by Plone and done at the end of the request, after the relation
catalog has been updated by z3c.relationfield's own handlers.
"""

from DateTime import DateTime
from dimos.archive.indexers import PUBLIC_STATES
from plone import api
from plone.app.uuid.utils import uuidToObject
from plone.uuid.interfaces import IUUID
from zope.annotation.interfaces import IAnnotations


# The UIDs of the decisions it amended when last looked at, kept on the decision.
AMENDED_KEY = "dimos.archive.amends"


def amended_targets(decision):
    """The decisions ``decision`` names under "Amends" (broken relations left out)."""
    targets = []
    for relation in getattr(decision, "amends", None) or ():
        target = getattr(relation, "to_object", None)
        if target is not None and target is not decision:
            targets.append(target)
    return targets


def reindex_amended(decision, remember=True):
    """Recompute ``amended`` of the decisions ``decision`` amends, and of those it amended before."""
    current = {}
    for target in amended_targets(decision):
        uid = IUUID(target, None)
        if uid is not None:
            current[uid] = target
    annotations = IAnnotations(decision, None)
    before = tuple(annotations.get(AMENDED_KEY, ())) if annotations is not None else ()
    targets = dict(current)
    for uid in before:
        if uid not in targets:
            target = uuidToObject(uid, unrestricted=True)
            if target is not None:
                targets[uid] = target
    for target in targets.values():
        target.reindexObject(idxs=["amended"])
    now = tuple(sorted(current))
    if remember and annotations is not None and now != before:
        annotations[AMENDED_KEY] = now


def decision_transition(decision, event):
    """Published, corrected, revoked or back: the decisions it amends change state too."""
    new_state = getattr(event.new_state, "id", None)
    if new_state in PUBLIC_STATES and not decision.effective_date:
        # As Plone's own publishing does: the feed orders decisions by this date.
        decision.setEffectiveDate(DateTime())
        decision.reindexObject(idxs=["effective", "effectiveRange"])
    reindex_amended(decision)


def decision_modified(decision, event):
    reindex_amended(decision)


def decision_removed(decision, event):
    reindex_amended(decision, remember=False)


def body_modified(body, event):
    """A body's new title reaches its decisions' metadata (the hits show it)."""
    catalog = api.portal.get_tool("portal_catalog")
    brains = catalog.unrestrictedSearchResults(
        portal_type="CouncilDecision", path="/".join(body.getPhysicalPath())
    )
    if not brains or brains[0].decision_body_title == body.Title():
        return
    for brain in brains:
        brain._unrestrictedGetObject().reindexObject(idxs=["decision_body"])
