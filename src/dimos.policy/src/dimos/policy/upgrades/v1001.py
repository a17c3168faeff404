"""1000 -> 1001: Greek-aware full-text search on an existing site."""

from dimos.policy.catalog.lexicon import rebuild_lexicon
from plone import api


def upgrade(context):
    rebuild_lexicon(api.portal.get_tool("portal_catalog"))
