"""The archive's facets: each filter's record ids, and each facet's counts.

A filter (body, year, type, category, origin, amended) is the set of record ids
its catalog index gives for the picked values (``filter_sets``). A facet counts
"multi-select" style: its values are counted on the result of every *other*
filter, by intersecting that set with each value's set in the facet's index, or
for a small set by reading each record's value (``facets``). The archive page
shows the counts as form controls: browser/facets.py.
"""

from BTrees.IIBTree import IISet
from BTrees.IIBTree import intersection
from dataclasses import dataclass
from dimos.archive import _
from dimos.archive.indexers import DIGITAL
from dimos.archive.indexers import DIGITIZED
from dimos.content.vocabularies import ascii_token
from dimos.content.vocabularies import DecisionTypes
from zope.i18n import translate

import Missing


# facet -> the catalog index it counts
FACET_INDEXES = {
    "body": "decision_body",
    "year": "decision_year",
    "type": "decision_type",
    "category": "thematic_categories",
    "origin": "decision_origin",
    "amended": "amended",
}
FACETS = tuple(FACET_INDEXES)
ORIGIN_LABELS = {DIGITAL: _("Born digital"), DIGITIZED: _("Digitized from paper")}
AMENDED_LABEL = _("Amended by a later decision")
# Below this many records a facet is counted record by record, above it value by value.
SMALL_SCOPE = 2000


@dataclass(frozen=True)
class FacetValue:
    value: str  # as in the URL (``type``: the ASCII token)
    label: str
    count: int
    selected: bool


def range_query(low, high):
    """A catalog range query from ``low`` to ``high``; either may be None, not both."""
    if low is not None and high is not None:
        return {"query": (low, high), "range": "min:max"}
    if low is not None:
        return {"query": low, "range": "min"}
    return {"query": high, "range": "max"}


def _index(catalog, facet):
    return catalog._catalog.getIndex(FACET_INDEXES[facet])


def _docids(index, query):
    found = index._apply_index({index.getId(): query})
    return found[0] if found and found[0] is not None else IISet()


def type_codes(tokens):
    """The Diavgeia codes of type tokens (an unknown token stays as it is: it matches nothing)."""
    terms = DecisionTypes().by_token
    return [terms[token].value if token in terms else token for token in tokens]


def filter_sets(catalog, query):
    """facet -> record ids passing that facet's filter, for the facets the query filters by."""
    wanted = {
        "body": list(query.body) or None,
        "year": range_query(query.year_from, query.year_to)
        if query.year_from is not None or query.year_to is not None
        else None,
        "type": type_codes(query.type) or None,
        "category": list(query.category) or None,
        "origin": query.origin,
        "amended": True if query.amended else None,
    }
    return {
        facet: _docids(_index(catalog, facet), value)
        for facet, value in wanted.items()
        if value is not None
    }


def intersect_all(base, sets):
    """``base`` intersected with each of ``sets``, the smallest first, until it is empty."""
    result = base
    for docids in sorted(sets, key=len):
        if not result:
            break
        result = intersection(result, docids)
    return result if result is not None else IISet()


def _count(index, scope):
    """value -> number of records of ``scope`` having it in ``index``."""
    counts = {}
    if not scope:
        return counts
    if len(scope) <= SMALL_SCOPE:
        for rid in scope:
            value = index.getEntryForObject(rid, None)
            values = (value,) if isinstance(value, (str, int)) else set(value or ())
            for item in values:
                counts[item] = counts.get(item, 0) + 1
        return counts
    if index.meta_type == "BooleanIndex":
        true = len(intersection(scope, _docids(index, True)))
        return {True: true} if true else {}
    for value, docids in index.items():
        number = len(intersection(scope, docids))
        if number:
            counts[value] = number
    return counts


def _label(value, facet, catalog, request, scope, index):
    if facet == "body":
        docids = intersection(scope, _docids(index, value))
        if docids:
            title = catalog._catalog.getMetadataForRID(docids[0]).get("decision_body_title")
            return title if title and title is not Missing.Value else value
        return value
    if facet == "origin":
        return translate(ORIGIN_LABELS.get(value, value), context=request)
    if facet == "amended":
        return translate(AMENDED_LABEL, context=request)
    return str(value)


def _url_value(facet, value):
    if facet == "type":
        return ascii_token(value)
    if facet == "amended":
        return "1"
    return str(value)


def type_label(code):
    try:
        return DecisionTypes().getTerm(code).title
    except LookupError:
        return code


def facet_values(catalog, facet, scope, query, request):
    index = _index(catalog, facet)
    counts = _count(index, scope)
    if facet == "amended":
        counts = {True: counts.get(True, 0)}
    values = []
    for value, count in counts.items():
        url_value = _url_value(facet, value)
        selected = query.is_selected(facet, url_value)
        if not count and not selected:
            continue
        label = (
            type_label(value)
            if facet == "type"
            else _label(value, facet, catalog, request, scope, index)
        )
        values.append(FacetValue(url_value, label, count, selected))
    shown = {value.value for value in values}
    for url_value in query.selected(facet):
        if url_value not in shown:  # picked, but none of the matches has it
            values.append(FacetValue(url_value, url_value, 0, True))
    if facet == "year":
        values.sort(key=lambda value: int(value.value), reverse=True)
    elif facet in ("body", "type", "category"):
        values.sort(key=lambda value: (-value.count, value.label))
    else:
        values.sort(key=lambda value: value.value)
    return values


def facets(catalog, base, sets, result, query, request):
    found = {}
    for facet in FACETS:
        if facet in sets:
            scope = intersect_all(base, [s for other, s in sets.items() if other != facet])
        else:
            scope = result
        found[facet] = facet_values(catalog, facet, scope, query, request)
    return found
