"""The profile installs the hotspot network, the alerts folder, the types and the departments."""

from plone import api


def test_folders_types_and_groups(portal):
    assert portal["hotspots"].portal_type == "HotspotFolder"
    assert portal["alerts"].portal_type == "Folder"
    types = api.portal.get_tool("portal_types")
    assert {"Hotspot", "HotspotFolder", "Alert"} <= set(types.objectIds())
    assert api.group.get(groupname="pliroforiki") is not None
    roles = api.group.get_roles(groupname="politiki-prostasia", obj=portal["alerts"])
    assert "CivilProtectionOfficer" in roles and "Editor" in roles


def test_a_hotspot_is_published_at_once(portal):
    with api.env.adopt_roles(["Manager"]):
        spot = api.content.create(
            container=portal["hotspots"],
            type="Hotspot",
            title="Πλατεία Ελευθερίας",
            latitude=40.6322,
            longitude=22.9420,
            address="Πλατεία Ελευθερίας 1",
            ssid="Dimos-Free-WiFi",
            controller_id="00:11:22:33:44:55",
        )
    assert spot.getId() == "plateia-eleytherias"
    assert api.content.get_state(spot) == "published"
