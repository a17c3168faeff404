"""1000 -> 1001: the catalog finds decisions by their scan's hash and digitization status."""

from plone import api


NEW_INDEXES = ("source_sha256", "digitization_status")
NEW_COLUMN = "digitization_status"


def upgrade(context):
    # As catalog.xml declares them; added here so existing indexes are left untouched.
    catalog = api.portal.get_tool("portal_catalog")
    for name in NEW_INDEXES:
        if name not in catalog.indexes():
            catalog.addIndex(name, "FieldIndex")
    if NEW_COLUMN not in catalog.schema():
        catalog.addColumn(NEW_COLUMN)
    for brain in catalog.unrestrictedSearchResults(portal_type="CouncilDecision"):
        # With named indexes the brain's metadata (the new column) is updated too.
        brain._unrestrictedGetObject().reindexObject(idxs=list(NEW_INDEXES))
