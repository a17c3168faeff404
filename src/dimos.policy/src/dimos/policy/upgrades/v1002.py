"""1001 -> 1002: the ProtocolClerk role, held by the general protocol department."""

from dimos.policy.setuphandlers import create_department_groups
from plone import api


def upgrade(context):
    setup = api.portal.get_tool("portal_setup")
    setup.runImportStepFromProfile("profile-dimos.policy:default", "rolemap")
    setup.runImportStepFromProfile("profile-dimos.policy:default", "sharing")
    create_department_groups()
