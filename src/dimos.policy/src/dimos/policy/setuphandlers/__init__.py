"""Install and uninstall handlers of dimos.policy."""

from dimos.policy import logger
from dimos.policy.catalog.lexicon import rebuild_lexicon
from dimos.policy.departments import DEPARTMENTS
from plone import api
from plone.base.interfaces import INonInstallable
from zope.interface import implementer


PLONE_PIPELINE = (
    ("Word Splitter", "Unicode Whitespace splitter"),
    ("Case Normalizer", "Unicode Ignoring Accents Case Normalizer"),
)


@implementer(INonInstallable)
class HiddenProfiles:
    def getNonInstallableProfiles(self):
        return ["dimos.policy:uninstall"]


def create_department_groups():
    """One group per department, holding the department's roles site-wide.

    Existing groups keep their members; their title and roles are brought up
    to date, so running the profile again is safe.
    """
    portal_groups = api.portal.get_tool("portal_groups")
    for department in DEPARTMENTS:
        group = api.group.get(groupname=department.id)
        if group is None:
            api.group.create(
                groupname=department.id,
                title=department.title,
                description=department.description,
            )
        else:
            portal_groups.editGroup(
                department.id,
                title=department.title,
                description=department.description,
            )
        portal_groups.setRolesForGroup(department.id, list(department.roles))
        logger.info("Department group %s: roles %s", department.id, department.roles)


def post_install(context):
    """Post handler of dimos.policy:default."""
    create_department_groups()
    rebuild_lexicon(api.portal.get_tool("portal_catalog"))


def uninstall(context):
    """Post handler of dimos.policy:uninstall: Plone's own lexicon again."""
    rebuild_lexicon(api.portal.get_tool("portal_catalog"), pipeline=PLONE_PIPELINE)
