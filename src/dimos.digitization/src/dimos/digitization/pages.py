"""Which scanned pages hold the words of a search: the catalog's own folding, page by page.

The catalog indexes a decision's text as one document, so a hit says "this
decision". To name the page, the query and each page are cut into words and
folded the way the catalog folds them (dimos.policy's splitter and
``normalize_word``), so "αποφαση" finds the page where "ΑΠΟΦΑΣΗ" is written.
A word typed with ``*`` matches by prefix, as in the catalog.
"""

from dimos.policy.catalog.pipeline import GreekSplitter
from dimos.policy.text.greek import normalize_prefix
from dimos.policy.text.greek import normalize_word


OPERATORS = {"and", "or", "not"}
GLOB = "*?"
_splitter = GreekSplitter()


def terms(text):
    """The index terms of ``text``, as a frozenset."""
    return frozenset(normalize_word(word) for word in _splitter.process([text or ""]))


def query_terms(query):
    """(term, is_prefix) pairs of a SearchableText query, without its operators."""
    wanted = set()
    for word in _splitter.processGlob([query or ""]):
        bare = word.rstrip(GLOB)
        if not bare or word.casefold() in OPERATORS:
            continue
        if bare != word:
            wanted.add((normalize_prefix(bare), True))
        else:
            wanted.add((normalize_word(bare), False))
    return wanted


def _holds(found, term, is_prefix):
    if is_prefix:
        return any(word.startswith(term) for word in found)
    return term in found


def matching_pages(pages, query, page_terms=None):
    """Numbers of the pages holding every query word; else of those holding any.

    ``pages`` are a decision's ``ocr_pages``; ``page_terms`` (number -> terms)
    may be given when already computed.
    """
    wanted = query_terms(query)
    if not wanted:
        return []
    if page_terms is None:
        page_terms = {page["number"]: terms(page.get("text")) for page in pages}
    hits = {
        number: sum(_holds(found, term, is_prefix) for term, is_prefix in wanted)
        for number, found in page_terms.items()
    }
    every = sorted(number for number, count in hits.items() if count == len(wanted))
    return every or sorted(number for number, count in hits.items() if count)
