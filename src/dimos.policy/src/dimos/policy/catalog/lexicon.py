"""(Re)build the catalog lexicon with the Greek pipeline and reindex."""

from dimos.policy import logger
from dimos.policy.catalog.pipeline import NORMALIZER_GROUP
from dimos.policy.catalog.pipeline import NORMALIZER_NAME
from dimos.policy.catalog.pipeline import SPLITTER_GROUP
from dimos.policy.catalog.pipeline import SPLITTER_NAME
from Products.ZCTextIndex.PipelineFactory import element_factory


LEXICON_ID = "plone_lexicon"
GREEK_PIPELINE = (
    (SPLITTER_GROUP, SPLITTER_NAME),
    (NORMALIZER_GROUP, NORMALIZER_NAME),
)


def lexicon_indexes(catalog, lexicon_id=LEXICON_ID):
    """The ZCTextIndexes that use the lexicon (Plone: SearchableText, Title, Description)."""
    return [
        index
        for index in catalog.getIndexObjects()
        if index.meta_type == "ZCTextIndex" and getattr(index, "lexicon_id", None) == lexicon_id
    ]


def rebuild_lexicon(catalog, pipeline=GREEK_PIPELINE, lexicon_id=LEXICON_ID):
    """Give the lexicon ``pipeline``, empty it and its indexes, reindex them.

    Word ids of the old pipeline mean nothing to the new one, so the lexicon
    and every index that uses it start empty and are filled again from the
    content. Returns the ids of the reindexed indexes.
    """
    lexicon = catalog._getOb(lexicon_id)
    lexicon._pipeline = tuple(element_factory.instantiate(group, name) for group, name in pipeline)
    lexicon.clear()
    indexes = lexicon_indexes(catalog, lexicon_id)
    for index in indexes:
        index._v_lexicon = None
        index.clear()
    ids = [index.getId() for index in indexes]
    logger.info("Rebuilt %s with %s; reindexing %s", lexicon_id, pipeline, ids)
    catalog.manage_reindexIndex(ids=ids)
    return ids


def has_greek_pipeline(catalog, lexicon_id=LEXICON_ID):
    names = [type(element).__name__ for element in catalog._getOb(lexicon_id)._pipeline]
    return names == ["GreekSplitter", "GreekNormalizer"]
