"""The archive's search: which public decisions match, and a page of hits in order.

One restricted catalog query (``searchResults``, as the current user) gives the
record ids of the public decisions the user may see; the text query and each
facet's filter are sets of record ids taken from their indexes, and the result
is their intersection (BTrees). The facets' counts come from facets.py, the
query's parameters from query.py. No brain or object is loaded for the matches:
only the page's hits are, and their objects for the snippets. The matches and
the facets' counts are kept a short while for the next page (cache.py).

The archive shows only public decisions, to everybody: a Manager searching
here sees what anonymous sees.
"""

from BTrees.IIBTree import IISet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import weightedIntersection
from dataclasses import dataclass
from dimos.archive.cache import CACHE
from dimos.archive.cache import cache_key
from dimos.archive.facets import facets
from dimos.archive.facets import filter_sets
from dimos.archive.facets import intersect_all
from dimos.archive.facets import range_query
from dimos.archive.facets import type_label
from dimos.archive.highlight import decision_excerpt
from dimos.archive.highlight import rich_text
from dimos.archive.indexers import DIGITIZED
from dimos.archive.indexers import PUBLIC_STATES
from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from dimos.content.vocabularies import ascii_token
from dimos.policy.catalog.pipeline import GreekSplitter
from plone import api
from Products.ZCTextIndex.ParseTree import ParseError
from Products.ZCTextIndex.ParseTree import QueryError as TextQueryError
from urllib.parse import quote
from zope.globalrequest import getRequest

import heapq
import Missing


__all__ = (
    "PUBLIC_STATES",
    "ArchiveResult",
    "Hit",
    "search",
)

DEFAULT_BODY_RECORD = "dimos.archive.default_body"
DEFAULT_BODY = "dimotiko-symvoulio"


@dataclass(frozen=True)
class Hit:
    url: str
    uid: str
    title: str
    number: str
    decision_number: int | None
    decision_year: int | None
    decision_date: str | None
    body: dict
    decision_type: dict | None
    categories: list
    ada: str | None
    digitized: bool
    snippet: str
    pages: list
    pdf: str | None
    permalink: str
    review_state: str

    def to_json(self):
        return {
            "@id": self.url,
            "uid": self.uid,
            "title": self.title,
            "number": self.number,
            "decision_number": self.decision_number,
            "decision_year": self.decision_year,
            "decision_date": self.decision_date,
            "body": self.body,
            "decision_type": self.decision_type,
            "categories": self.categories,
            "ada": self.ada,
            "digitized": self.digitized,
            "snippet": self.snippet,
            "pages": self.pages,
            "pdf": self.pdf,
            "permalink": self.permalink,
            "review_state": self.review_state,
        }


@dataclass(frozen=True)
class ArchiveResult:
    query: ArchiveQuery
    total: int
    hits: list
    facets: dict

    @property
    def page(self):
        return self.query.page

    @property
    def size(self):
        return self.query.size

    @property
    def pages_count(self):
        return (self.total + self.size - 1) // self.size


# --- The matches, as sets of catalog record ids ------------------------------------


def public_rids(catalog, query):
    """Record ids of the public decisions the current user may see, in the query's date range.

    The catalog applies its security (``allowedRolesAndUsers``, and the
    effective range for everybody: ``show_inactive=False``).
    """
    catalog_query = {
        "portal_type": "CouncilDecision",
        "review_state": PUBLIC_STATES,
        "show_inactive": False,
    }
    if query.date_from is not None or query.date_to is not None:
        catalog_query["decision_date"] = range_query(query.date_from, query.date_to)
    results = catalog.searchResults(catalog_query)
    # An unsorted result is a LazyMap over the record ids; no brain is made.
    sequence = getattr(results, "_seq", None)
    if sequence is None:  # LazyCat: nothing found
        return IISet([brain.getRID() for brain in results])
    return sequence if isinstance(sequence, IISet) else IISet(sequence)


def _text_words(text):
    """The query's words, each quoted, for a query the text index could not parse."""
    words = GreekSplitter().process([text])
    return " ".join(f'"{word}"' for word in words if word)


def text_scores(catalog, text):
    """Record id -> relevance score of the documents matching ``text`` (SearchableText).

    A query that is not valid ZCTextIndex syntax (``"``, a lone ``NOT``) is
    searched as its words; one with no words at all is refused.
    """
    index = catalog._catalog.getIndex("SearchableText")
    for attempt in (text, _text_words(text)):
        if not attempt:
            continue
        try:
            found = index._apply_index({"SearchableText": attempt})
        except (ParseError, TextQueryError):
            continue
        scores = found[0] if found else None
        return scores if scores is not None else IISet()
    raise QueryError(
        "Το κείμενο αναζήτησης δεν έχει λέξεις για αναζήτηση.",
        "The search text has no words to search for.",
    )


# --- Ordering ----------------------------------------------------------------------


def by_relevance(rids, scores, start, stop):
    _, scored = weightedIntersection(rids, scores)
    best = heapq.nlargest(stop, zip(scored.values(), scored.keys(), strict=True))
    return [rid for _, rid in best[start:stop]]


def by_date(rids, index, reverse, start, stop):
    """The record ids from ``start`` to ``stop`` in decision date order, undated ones last.

    Ties are ordered by record id, in the same direction. A large result is
    read by walking the date index from its newest (or oldest) date until the
    page is full; a small one is sorted.
    """
    keys = index.documentToKeyMap()
    total = len(rids)
    if stop * len(keys) < total * total:
        found = _walk_dates(rids, index._index, reverse, stop)
        if len(found) < stop:  # past the dated ones
            found += [rid for rid in rids if keys.get(rid) is None]
    else:
        dated = []
        undated = []
        for rid in rids:
            key = keys.get(rid)
            if key is None:
                undated.append(rid)
            else:
                dated.append((key, rid))
        dated.sort(reverse=reverse)
        found = [rid for _, rid in dated] + undated
    return found[start:stop]


def _walk_dates(rids, forward, reverse, stop):
    found = []
    if not forward:
        return found
    key = forward.maxKey() if reverse else forward.minKey()
    while True:
        row = forward[key]
        docids = (row,) if isinstance(row, int) else row
        for rid in reversed(list(docids)) if reverse else docids:
            if rid in rids:
                found.append(rid)
        if len(found) >= stop:
            return found
        try:
            key = forward.maxKey(key - 1) if reverse else forward.minKey(key + 1)
        except ValueError:
            return found


def ordered(catalog, rids, scores, query, start, stop):
    """The record ids of the matches from ``start`` to ``stop`` in the query's order."""
    if start >= len(rids):
        return []
    if query.order == "relevance" and hasattr(scores, "items"):
        return by_relevance(rids, scores, start, stop)
    index = catalog._catalog.getIndex("decision_date")
    return by_date(rids, index, query.order == "date", start, stop)


# --- Hits --------------------------------------------------------------------------


def meta(brain, name):
    value = getattr(brain, name, None)
    return None if value is Missing.Value else value


def default_body():
    return api.portal.get_registry_record(DEFAULT_BODY_RECORD, default=None) or DEFAULT_BODY


def permalink(portal_url, body_id, number, year, ada, url, default_body_id):
    if number and year and body_id:
        path = f"{year}/{number}"
        if body_id != default_body_id:
            path = f"{body_id}/{path}"
        return f"{portal_url}/decisions/{path}"
    if ada:
        return f"{portal_url}/decisions/ada/{quote(ada)}"
    return url


def _plain_text(decision):
    return rich_text(getattr(decision, "text", None))


def make_hit(brain, query_text, portal_url, default_body_id):
    """A hit from the brain's metadata, its snippet (and pages) from the object."""
    url = brain.getURL()
    number, year = meta(brain, "decision_number"), meta(brain, "decision_year")
    body_id, ada = meta(brain, "decision_body"), meta(brain, "ada")
    code = meta(brain, "decision_type")
    decision_date = meta(brain, "decision_date")
    pdf_field = meta(brain, "decision_pdf")
    # The catalog found it as the current user: no need to check every step of its path again.
    decision = brain._unrestrictedGetObject()
    text, pages = decision_excerpt(decision, query_text, _plain_text)
    return Hit(
        url=url,
        uid=brain.UID,
        title=brain.Title,
        number=meta(brain, "number_label") or "",
        decision_number=number,
        decision_year=year,
        decision_date=decision_date.isoformat() if decision_date else None,
        body={"id": body_id, "title": meta(brain, "decision_body_title")},
        decision_type={"token": ascii_token(code), "title": type_label(code)} if code else None,
        categories=list(meta(brain, "thematic_categories") or ()),
        ada=ada,
        digitized=meta(brain, "decision_origin") == DIGITIZED,
        snippet=text,
        pages=list(pages),
        pdf=f"{url}/@@download/{pdf_field}" if pdf_field else None,
        permalink=permalink(portal_url, body_id, number, year, ada, url, default_body_id),
        review_state=brain.review_state,
    )


# --- The search --------------------------------------------------------------------


@dataclass(frozen=True)
class Matches:
    """The record ids of the matches (``rids``), before ordering, and what made them."""

    base: IISet
    sets: dict
    rids: IISet
    scores: object


def matches(catalog, query):
    base = public_rids(catalog, query)
    scores = None
    if query.q:
        scores = text_scores(catalog, query.q)
        base = intersection(base, scores) if base else IISet()
    sets = filter_sets(catalog, query)
    return Matches(base, sets, intersect_all(base, sets.values()), scores)


def brains(catalog, rids):
    getitem = catalog._catalog.__getitem__
    return (getitem(rid) for rid in rids)


def search(context, query):
    """The public decisions matching ``query``: a page of hits and the facets' counts.

    Raises QueryError when the query text has no words to search for.
    """
    catalog = api.portal.get_tool("portal_catalog")
    request = getRequest()
    found, found_facets = CACHE.get(
        cache_key(catalog, query, request),
        lambda: _matches_and_facets(catalog, query, request),
    )
    start = (query.page - 1) * query.size
    page = ordered(catalog, found.rids, found.scores, query, start, start + query.size)
    portal_url = api.portal.get().absolute_url()
    body_id = default_body()
    hits = [make_hit(brain, query.q, portal_url, body_id) for brain in brains(catalog, page)]
    return ArchiveResult(query=query, total=len(found.rids), hits=hits, facets=found_facets)


def _matches_and_facets(catalog, query, request):
    found = matches(catalog, query)
    return found, facets(catalog, found.base, found.sets, found.rids, query, request)
