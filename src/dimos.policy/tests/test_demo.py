"""dimos.policy:demo: a small Greek municipality, published, applied safely twice."""

from dimos.policy.setuphandlers.demo import DEMO_CONTENT
from plone import api

import pytest


# Profiles are applied by site managers.
pytestmark = pytest.mark.portal(roles=["Manager"])


def _paths(items, base=""):
    for item in items:
        path = f"{base}/{item['id']}"
        yield path, item
        yield from _paths(item.get("children", ()), path)


def test_demo_content_created_and_published(portal, setup_tool):
    setup_tool.runAllImportStepsFromProfile("profile-dimos.policy:demo")
    expected = dict(_paths(DEMO_CONTENT))
    assert len(expected) >= 10
    for path, item in expected.items():
        obj = portal.unrestrictedTraverse(path.lstrip("/"))
        assert obj.portal_type == item["type"]
        assert obj.title == item["title"]
        assert api.content.get_state(obj) == "published"
        assert obj.effective().year() >= 2026


def test_demo_content_is_greek_and_searchable(portal, setup_tool):
    setup_tool.runAllImportStepsFromProfile("profile-dimos.policy:demo")
    brains = api.content.find(SearchableText="προυπολογισμου", portal_type="News Item")
    assert [b.getId for b in brains] == ["proypologismos-2027"]


def test_applying_demo_again_keeps_edits(portal, setup_tool):
    setup_tool.runAllImportStepsFromProfile("profile-dimos.policy:demo")
    page = portal["o-dimos"]["istoria"]
    page.title = "Ιστορία (διορθωμένη)"
    setup_tool.runAllImportStepsFromProfile("profile-dimos.policy:demo")
    assert portal["o-dimos"]["istoria"].title == "Ιστορία (διορθωμένη)"
    assert len(portal["anakoinoseis"].objectIds()) == 3
