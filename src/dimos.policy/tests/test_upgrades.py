"""Upgrade steps of dimos.policy:default, one per profile version."""

from dimos.policy.catalog.lexicon import has_greek_pipeline
from dimos.policy.catalog.lexicon import rebuild_lexicon
from dimos.policy.setuphandlers import PLONE_PIPELINE
from plone import api


PROFILE = "dimos.policy:default"


def test_1000_to_1001_makes_an_existing_site_greek_aware(portal, setup_tool):
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=portal, type="Document", id="d", title="Η απόφαση")
    # a site as it was at 1000: Plone's own lexicon pipeline
    rebuild_lexicon(catalog, pipeline=PLONE_PIPELINE)
    setup_tool.setLastVersionForProfile(PROFILE, "1000")
    assert not has_greek_pipeline(catalog)
    assert len(api.content.find(SearchableText="ΑΠΟΦΑΣΕΙΣ")) == 0

    steps = setup_tool.listUpgrades(PROFILE)
    assert [(s["ssource"], s["sdest"]) for s in steps] == [("1000", "1001"), ("1001", "1002")]
    setup_tool.upgradeProfile(PROFILE, "1001")

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1001",)
    assert has_greek_pipeline(catalog)
    assert [b.getId for b in api.content.find(SearchableText="ΑΠΟΦΑΣΕΙΣ")] == ["d"]


def test_1001_to_1002_gives_the_protocol_department_its_clerk_role(portal, setup_tool):
    portal_groups = api.portal.get_tool("portal_groups")
    # a site as it was at 1001: no ProtocolClerk role, the protocol group only a records clerk
    portal_groups.setRolesForGroup("geniko-protokollo", ["RecordsClerk"])
    portal._delRoles(["ProtocolClerk"])
    setup_tool.setLastVersionForProfile(PROFILE, "1001")
    assert "ProtocolClerk" not in portal.validRoles()

    setup_tool.upgradeProfile(PROFILE)

    assert setup_tool.getLastVersionForProfile(PROFILE) == ("1002",)
    assert "ProtocolClerk" in portal.validRoles()
    roles = api.group.get_roles(groupname="geniko-protokollo")
    assert {"ProtocolClerk", "RecordsClerk"} <= set(roles)


def test_uninstall_gives_plone_its_pipeline_back(portal, installer):
    catalog = api.portal.get_tool("portal_catalog")
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=portal, type="Document", id="d", title="Η απόφαση")
    installer.uninstall_product("dimos.policy")
    assert not has_greek_pipeline(catalog)
    # the site still searches, with Plone's own rules
    assert [b.getId for b in api.content.find(SearchableText="απόφαση")] == ["d"]
