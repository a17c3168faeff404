"""Install handler of dimos.hotspots: the hotspot network and alerts folders, IT and civil protection."""

from dimos.hotspots import logger
from plone import api
from plone.dexterity.utils import createContentInContainer
from Products.CMFPlone.interfaces.constrains import ISelectableConstrainTypes


HOTSPOTS_ID = "hotspots"
ALERTS_ID = "alerts"

# (group id, title, description, role, local roles on its folder)
GROUPS = (
    (
        "pliroforiki",
        "Τμήμα Πληροφορικής",
        "Δίκτυο WiFi του δήμου, σημεία πρόσβασης, κλειδιά αναφορών",
        "ITOfficer",
        HOTSPOTS_ID,
    ),
    (
        "politiki-prostasia",
        "Γραφείο Πολιτικής Προστασίας",
        "Έκτακτες ειδοποιήσεις προς τους πολίτες",
        "CivilProtectionOfficer",
        ALERTS_ID,
    ),
)


def hotspot_folder(site=None):
    """The site's hotspot network (``/hotspots``), or None before the profile is installed."""
    site = site if site is not None else api.portal.get()
    return site.get(HOTSPOTS_ID)


def _ensure_folders(site):
    if HOTSPOTS_ID not in site:
        # Not addable anywhere by hand (global_allow False): one network per site.
        createContentInContainer(
            site,
            "HotspotFolder",
            id=HOTSPOTS_ID,
            title="Σημεία WiFi",
            description="Τα δημόσια σημεία ασύρματης πρόσβασης του δήμου.",
            checkConstraints=False,
        )
        logger.info("Created /%s", HOTSPOTS_ID)
    if ALERTS_ID not in site:
        folder = api.content.create(
            container=site,
            type="Folder",
            id=ALERTS_ID,
            title="Έκτακτες ειδοποιήσεις",
            description="Ειδοποιήσεις της Πολιτικής Προστασίας προς τους πολίτες.",
        )
        constraints = ISelectableConstrainTypes(folder)
        constraints.setConstrainTypesMode(1)
        constraints.setLocallyAllowedTypes(["Alert"])
        constraints.setImmediatelyAddableTypes(["Alert"])
        if api.content.get_state(folder) != "published":
            api.content.transition(folder, to_state="published")
        logger.info("Created /%s", ALERTS_ID)


def _ensure_groups(site):
    for group_id, title, description, role, folder_id in GROUPS:
        if api.group.get(groupname=group_id) is None:
            api.group.create(groupname=group_id, title=title, description=description)
        api.group.grant_roles(groupname=group_id, roles=[role])
        api.group.grant_roles(
            groupname=group_id, roles=["Contributor", "Editor", "Reader"], obj=site[folder_id]
        )


def post_install(context):
    site = api.portal.get()
    _ensure_folders(site)
    _ensure_groups(site)
