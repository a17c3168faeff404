"""Upgrade steps of dimos.content:default, one per profile version."""

from dimos.content.testing import add_decision
from dimos.content.testing import council
from plone import api

import pytest


PROFILE = "dimos.content:default"
pytestmark = pytest.mark.portal(roles=["Manager"])


def test_1000_to_1001_indexes_decisions_by_scan_hash_and_status(portal, setup_tool):
    catalog = api.portal.get_tool("portal_catalog")
    record = add_decision(
        council(portal), digitization_status="needs-review", source_sha256="ab" * 32
    )
    # a site as it was at 1000: no such indexes nor column
    catalog.delIndex("source_sha256")
    catalog.delIndex("digitization_status")
    catalog.delColumn("digitization_status")
    setup_tool.setLastVersionForProfile(PROFILE, "1000")
    assert [(s["ssource"], s["sdest"]) for s in setup_tool.listUpgrades(PROFILE)] == [
        ("1000", "1001")
    ]

    setup_tool.upgradeProfile(PROFILE)

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1001",)
    brains = api.content.find(source_sha256="ab" * 32)
    assert [brain.UID for brain in brains] == [api.content.get_uuid(record)]
    assert brains[0].digitization_status == "needs-review"
    assert len(api.content.find(digitization_status="needs-review")) == 1
