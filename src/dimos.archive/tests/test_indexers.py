"""The archive's indexes and metadata: facet values, dates, and "amended" following the amendments."""

from datetime import date
from dimos.archive.search import PUBLIC_STATES
from dimos.archive.setuphandlers import index_decisions
from dimos.archive.setuphandlers import NEW_INDEXES
from pathlib import Path
from plone import api
from z3c.relationfield import RelationValue
from zope.component import getUtility
from zope.event import notify
from zope.intid.interfaces import IIntIds
from zope.lifecycleevent import ObjectModifiedEvent

import pytest
import sys


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402


pytestmark = pytest.mark.portal(roles=["Manager"])


def brain(decision):
    catalog = api.portal.get_tool("portal_catalog")
    (found,) = catalog.unrestrictedSearchResults(UID=decision.UID())
    return found


def amended_uids():
    catalog = api.portal.get_tool("portal_catalog")
    return {b.UID for b in catalog.unrestrictedSearchResults(amended=True)}


def test_the_indexes_and_columns_are_installed(portal):
    catalog = api.portal.get_tool("portal_catalog")
    kinds = {name: catalog._catalog.getIndex(name).meta_type for name in NEW_INDEXES}
    assert kinds == {
        "decision_body": "FieldIndex",
        "decision_date": "DateIndex",
        "thematic_categories": "KeywordIndex",
        "decision_origin": "FieldIndex",
        "amended": "BooleanIndex",
    }
    assert {"decision_body_title", "decision_date", "decision_pdf", "ada"} <= set(catalog.schema())


def test_a_decision_is_indexed_for_the_archive(portal):
    archive = build_archive(portal)
    found = brain(archive.cleaning)
    assert found.decision_body == "dimotiki-epitropi"
    assert found.decision_body_title == "Δημοτική Επιτροπή"
    assert found.decision_date == date(2024, 6, 1)
    assert found.thematic_categories == ["Οικονομικά", "Καθαριότητα"]
    assert found.decision_origin == "digital"
    assert found.decision_type == "Δ.1"
    assert found.decision_pdf is None
    assert brain(archive.scanned).decision_origin == "digitized"
    catalog = api.portal.get_tool("portal_catalog")
    in_1979 = catalog.unrestrictedSearchResults(
        decision_date={"query": (date(1979, 1, 1), date(1979, 12, 31)), "range": "min:max"}
    )
    assert [b.UID for b in in_1979] == [archive.scanned.UID()]


def test_a_decision_without_date_is_dated_by_its_meeting(portal):
    archive = build_archive(portal)
    meeting = archive.budget.aq_parent
    with api.env.adopt_roles(["Manager"]):
        undated = api.content.create(container=meeting, type="CouncilDecision", title="Χωρίς")
    assert brain(undated).decision_date == date(2024, 3, 12)


def test_only_a_public_amendment_makes_a_decision_amended(portal):
    archive = build_archive(portal)
    # the budget's amendment is published; the square's is a draft
    assert amended_uids() == {archive.budget.UID()}
    api.content.transition(obj=archive.draft, transition="submit")
    api.content.transition(obj=archive.draft, transition="approve")
    assert amended_uids() == {archive.budget.UID()}
    api.content.transition(obj=archive.draft, transition="publish")
    assert amended_uids() == {archive.budget.UID(), archive.square.UID()}


def test_an_amendment_deleted_or_pointed_elsewhere_no_longer_counts(portal):
    archive = build_archive(portal)
    intids = getUtility(IIntIds)
    # the published amendment now amends the square's decision instead of the budget
    archive.amendment.amends = [RelationValue(intids.getId(archive.square))]
    notify(ObjectModifiedEvent(archive.amendment))
    assert amended_uids() == {archive.square.UID()}
    # nobody may delete a published decision: a script does it, unchecked
    archive.amendment.aq_parent._delObject(archive.amendment.getId())
    assert amended_uids() == set()


def test_publishing_sets_the_publication_date(portal):
    archive = build_archive(portal)
    assert archive.budget.effective_date is not None
    assert archive.draft.effective_date is None
    assert brain(archive.budget).effective.year() >= 2025


def test_the_install_handler_indexes_decisions_already_there(portal):
    archive = build_archive(portal)
    catalog = api.portal.get_tool("portal_catalog")
    for name in NEW_INDEXES:
        catalog._catalog.getIndex(name).clear()
    assert len(catalog.unrestrictedSearchResults(decision_body="dimotiki-epitropi")) == 0
    assert index_decisions(catalog) == len(archive.public) + len(archive.hidden)
    found = catalog.unrestrictedSearchResults(decision_body="dimotiki-epitropi")
    assert [b.UID for b in found] == [archive.cleaning.UID()]
    assert amended_uids() == {archive.budget.UID()}


def test_a_renamed_body_reaches_its_decisions_hits(portal):
    archive = build_archive(portal)
    council_body = archive.cleaning.body()
    council_body.setTitle("Επιτροπή Διαβούλευσης")
    notify(ObjectModifiedEvent(council_body))
    assert brain(archive.cleaning).decision_body_title == "Επιτροπή Διαβούλευσης"


def test_the_public_states_are_those_anonymous_may_view(portal):
    workflow = api.portal.get_tool("portal_workflow")["dimos_decision_workflow"]
    viewable = {
        state.getId()
        for state in workflow.states.objectValues()
        if "Anonymous" in (state.permission_roles or {}).get("View", ())
    }
    assert viewable == set(PUBLIC_STATES) == {"published", "corrected", "revoked"}
