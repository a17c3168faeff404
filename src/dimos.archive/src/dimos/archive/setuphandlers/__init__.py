"""Install handler of dimos.archive: the decisions already on the site enter the new indexes."""

from dimos.archive import logger
from plone import api


# Declared in profiles/default/catalog.xml.
NEW_INDEXES = (
    "decision_body",
    "decision_date",
    "thematic_categories",
    "decision_origin",
    "amended",
)


def index_decisions(catalog):
    """Fill the archive's indexes and refresh the decisions' metadata (the new columns).

    ``catalog_object`` with named indexes reindexes only those and updates the
    record's metadata, in one pass over the decisions.
    """
    brains = catalog.unrestrictedSearchResults(portal_type="CouncilDecision")
    for brain in brains:
        decision = brain._unrestrictedGetObject()
        catalog.catalog_object(decision, brain.getPath(), idxs=list(NEW_INDEXES))
    logger.info("Indexed %s decisions for the archive", len(brains))
    return len(brains)


def post_install(context):
    index_decisions(api.portal.get_tool("portal_catalog"))
