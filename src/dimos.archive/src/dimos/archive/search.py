"""The archive's search: which public decisions match, a page of hits, and the facets' counts.

One restricted catalog query (``searchResults``, as the current user) gives the
record ids of the public decisions the user may see; the text query and each
facet's filter are sets of record ids taken from their indexes, and the result
is their intersection (BTrees). A facet counts "multi-select" style: its values
are counted on the result of every *other* filter, by intersecting that set
with each value's set in the facet's index. No brain or object is loaded for
the matches: only the page's hits are, and their objects for the snippets.

The archive shows only public decisions, to everybody: a Manager searching
here sees what anonymous sees.
"""

from BTrees.IIBTree import IISet
from BTrees.IIBTree import intersection
from BTrees.IIBTree import weightedIntersection
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from dimos.archive import _
from dimos.archive.highlight import decision_excerpt
from dimos.archive.highlight import rich_text
from dimos.archive.indexers import DIGITAL
from dimos.archive.indexers import DIGITIZED
from dimos.archive.indexers import PUBLIC_STATES
from dimos.content.vocabularies import ascii_token
from dimos.content.vocabularies import DecisionTypes
from dimos.policy.catalog.pipeline import GreekSplitter
from plone import api
from Products.ZCTextIndex.ParseTree import ParseError
from Products.ZCTextIndex.ParseTree import QueryError as TextQueryError
from urllib.parse import quote
from urllib.parse import urlencode
from zope.globalrequest import getRequest
from zope.i18n import translate

import heapq
import Missing
import re


__all__ = (
    "PUBLIC_STATES",
    "ArchiveQuery",
    "ArchiveResult",
    "FacetValue",
    "Hit",
    "QueryError",
    "search",
)

DEFAULT_BODY_RECORD = "dimos.archive.default_body"
DEFAULT_BODY = "dimotiko-symvoulio"

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


# --- The query: the URL's parameters, checked ----------------------------------------

DEFAULT_SIZE = 20
MAX_SIZE = 100
MAX_PAGE = 100_000
MAX_TEXT = 300
YEARS = (1800, 2200)
SORTS = ("relevance", "date", "date-asc")
ORIGINS = (DIGITAL, DIGITIZED)
LIST_PARAMS = ("body", "type", "category")
# In the order of a shareable query string.
PARAMS = (
    *("q", "body", "year_from", "year_to", "date_from", "date_to"),
    *("type", "category", "origin", "amended", "sort", "page", "size"),
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MIN_PREFIX = 3
_SHORT_PREFIX = re.compile(rf"(?<!\w)\w{{0,{MIN_PREFIX - 1}}}[*?]")


class QueryError(ValueError):
    """A parameter of the archive's search is not valid; the reason in Greek and English."""

    def __init__(self, message_el, message_en):
        super().__init__(message_en)
        self.message_el = message_el
        self.message_en = message_en

    def message(self, language="el"):
        return self.message_en if language == "en" else self.message_el


def _values(form, name):
    value = form.get(name)
    items = value if isinstance(value, (list, tuple)) else [value]
    texts = (str(item) if isinstance(item, int) else item for item in items)
    return [text.strip() for text in texts if isinstance(text, str) and text.strip()]


def _one(form, name):
    values = _values(form, name)
    return values[0] if values else None


def _shown(value):
    return value if len(value) <= 40 else value[:40] + "…"


def _year(form, name):
    value = _one(form, name)
    if value is None:
        return None
    year = int(value) if value.isdigit() else None
    if year is None or not YEARS[0] <= year <= YEARS[1]:
        raise QueryError(
            f"Το έτος «{_shown(value)}» δεν είναι έγκυρο: γράψτε ένα έτος από {YEARS[0]} έως {YEARS[1]}.",
            f"The year “{_shown(value)}” is not valid: enter a year from {YEARS[0]} to {YEARS[1]}.",
        )
    return year


def _date(form, name):
    value = _one(form, name)
    if value is None:
        return None
    try:
        if not _ISO_DATE.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise QueryError(
            f"Η ημερομηνία «{_shown(value)}» δεν είναι έγκυρη: γράψτε την ως ΕΕΕΕ-ΜΜ-ΗΗ, π.χ. 2024-03-12.",
            f"The date “{_shown(value)}” is not valid: write it as YYYY-MM-DD, e.g. 2024-03-12.",
        ) from None


def _number(form, name, default, highest, what_el, what_en):
    value = _one(form, name)
    if value is None:
        return default
    number = int(value) if value.isdigit() else 0
    if not 1 <= number <= highest:
        raise QueryError(
            f"{what_el} «{_shown(value)}» δεν είναι έγκυρο: γράψτε έναν αριθμό από 1 έως {highest}.",
            f"The {what_en} “{_shown(value)}” is not valid: enter a number from 1 to {highest}.",
        )
    return number


def _choice(form, name, choices, what_el, what_en):
    value = _one(form, name)
    if value is not None and value not in choices:
        listed = ", ".join(choices)
        raise QueryError(
            f"{what_el} «{_shown(value)}» δεν υπάρχει: επιλέξτε ένα από {listed}.",
            f"The {what_en} “{_shown(value)}” does not exist: choose one of {listed}.",
        )
    return value


def _types(form):
    tokens = []
    vocabulary = DecisionTypes()
    for value in _values(form, "type"):
        token = ascii_token(value)  # the Diavgeia code (Β.1.3) or its token (B.1.3)
        if token not in vocabulary.by_token:
            raise QueryError(
                f"Ο τύπος απόφασης «{_shown(value)}» δεν υπάρχει στους τύπους της Διαύγειας.",
                f"The decision type “{_shown(value)}” is not one of Diavgeia's types.",
            )
        tokens.append(token)
    return tuple(dict.fromkeys(tokens))


def _amended(form):
    value = _one(form, "amended")
    if value not in (None, "0", "1"):
        raise QueryError(
            f"Το φίλτρο «amended» δέχεται μόνο την τιμή 1, όχι «{_shown(value)}».",
            f"The “amended” filter takes only the value 1, not “{_shown(value)}”.",
        )
    return value == "1"


def _text(form):
    text = " ".join(_values(form, "q"))
    if len(text) > MAX_TEXT:
        raise QueryError(
            f"Το κείμενο αναζήτησης είναι πολύ μεγάλο: έως {MAX_TEXT} χαρακτήρες.",
            f"The search text is too long: at most {MAX_TEXT} characters.",
        )
    # A short prefix (α*) would expand to most of the index's words.
    short = _SHORT_PREFIX.search(text)
    if short:
        raise QueryError(
            f"Γράψτε τουλάχιστον {MIN_PREFIX} γράμματα πριν από το * («{short.group().strip()}»).",
            f"Write at least {MIN_PREFIX} letters before the * (“{short.group().strip()}”).",
        )
    return text


def _in_order(low, high, what_el, what_en):
    if low is not None and high is not None and low > high:
        raise QueryError(
            f"{what_el}: η αρχή ({low}) είναι μετά το τέλος ({high}).",
            f"{what_en}: the start ({low}) is after the end ({high}).",
        )


@dataclass(frozen=True)
class ArchiveQuery:
    """What the archive is asked, from the URL's parameters (see ``from_form``)."""

    q: str = ""
    body: tuple = ()
    year_from: int | None = None
    year_to: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    type: tuple = ()  # Diavgeia type tokens (B.1.3)
    category: tuple = ()
    origin: str | None = None
    amended: bool = False
    sort: str | None = None  # None: relevance with a text, else date
    page: int = 1
    size: int = field(default=DEFAULT_SIZE)

    @classmethod
    def from_form(cls, form):
        """The query of a request's form (lists from repeated parameters); QueryError if invalid."""
        text = _text(form)
        query = cls(
            q=text,
            body=tuple(dict.fromkeys(_values(form, "body"))),
            year_from=_year(form, "year_from"),
            year_to=_year(form, "year_to"),
            date_from=_date(form, "date_from"),
            date_to=_date(form, "date_to"),
            type=_types(form),
            category=tuple(dict.fromkeys(_values(form, "category"))),
            origin=_choice(form, "origin", ORIGINS, "Η προέλευση", "origin"),
            amended=_amended(form),
            sort=_choice(form, "sort", SORTS, "Η ταξινόμηση", "sort order"),
            page=_number(form, "page", 1, MAX_PAGE, "Ο αριθμός σελίδας", "page number"),
            size=_number(form, "size", DEFAULT_SIZE, MAX_SIZE, "Το πλήθος ανά σελίδα", "page size"),
        )
        _in_order(query.year_from, query.year_to, "Έτη", "Years")
        _in_order(query.date_from, query.date_to, "Ημερομηνίες", "Dates")
        return query

    @property
    def order(self):
        """The sort in effect: relevance needs a text; without one, newest first."""
        if self.sort in (None, "relevance"):
            return "relevance" if self.q else "date"
        return self.sort

    def params(self):
        """(name, value) pairs of the query string, in a stable order, defaults left out."""
        pairs = []
        for name in PARAMS:
            value = getattr(self, name)
            if name in LIST_PARAMS:
                pairs.extend((name, item) for item in value)
            elif value in (None, "", False) or (name, value) in (
                ("page", 1),
                ("size", DEFAULT_SIZE),
            ):
                continue
            elif name == "amended":
                pairs.append((name, "1"))
            else:
                pairs.append((name, value.isoformat() if isinstance(value, date) else str(value)))
        return pairs

    def changed(self, **changes):
        """A copy with ``changes``; a new filter, sort or size starts again from page 1."""
        values = {}
        for name, value in changes.items():
            if name not in PARAMS:
                raise TypeError(f"Not a parameter of the archive: {name}")
            if name in LIST_PARAMS:
                value = (value,) if isinstance(value, str) else tuple(value or ())
            elif name in ("year_from", "year_to", "page", "size") and value not in (None, ""):
                value = int(value)
            elif name in ("date_from", "date_to") and isinstance(value, str):
                value = date.fromisoformat(value) if value else None
            values[name] = value
        if "page" not in values:
            values["page"] = 1
        return replace(self, **values)

    def url_params(self, **changes):
        """The shareable query string of this query with ``changes`` (``body=("ds",)``, ``page=2``)."""
        query = self.changed(**changes) if changes else self
        return urlencode(query.params())

    def selected(self, facet):
        """The URL values picked in ``facet``."""
        if facet in LIST_PARAMS:
            return getattr(self, facet)
        if facet == "year":
            single = self.year_from is not None and self.year_from == self.year_to
            return (str(self.year_from),) if single else ()
        if facet == "origin":
            return (self.origin,) if self.origin else ()
        if facet == "amended":
            return ("1",) if self.amended else ()
        return ()

    def is_selected(self, facet, value):
        return str(value) in self.selected(facet)

    def toggled(self, facet, value):
        """The query string with ``value`` of ``facet`` picked, or unpicked if it was."""
        value = str(value)
        picked = self.is_selected(facet, value)
        if facet in LIST_PARAMS:
            current = getattr(self, facet)
            new = tuple(v for v in current if v != value) if picked else (*current, value)
            return self.url_params(**{facet: new})
        if facet == "year":
            year = None if picked else int(value)
            return self.url_params(year_from=year, year_to=year)
        if facet == "origin":
            return self.url_params(origin=None if picked else value)
        if facet == "amended":
            return self.url_params(amended=not picked)
        raise ValueError(f"Not a facet of the archive: {facet}")


@dataclass(frozen=True)
class FacetValue:
    value: str  # as in the URL (``type``: the ASCII token)
    label: str
    count: int
    selected: bool


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


def _range(low, high):
    if low is not None and high is not None:
        return {"query": (low, high), "range": "min:max"}
    if low is not None:
        return {"query": low, "range": "min"}
    return {"query": high, "range": "max"}


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
        catalog_query["decision_date"] = _range(query.date_from, query.date_to)
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
        "year": _range(query.year_from, query.year_to)
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


def _intersect(base, sets):
    result = base
    for docids in sorted(sets, key=len):
        if not result:
            break
        result = intersection(result, docids)
    return result if result is not None else IISet()


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


# --- Facets ------------------------------------------------------------------------


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
            scope = _intersect(base, [s for other, s in sets.items() if other != facet])
        else:
            scope = result
        found[facet] = facet_values(catalog, facet, scope, query, request)
    return found


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
    return Matches(base, sets, _intersect(base, sets.values()), scores)


def brains(catalog, rids):
    getitem = catalog._catalog.__getitem__
    return (getitem(rid) for rid in rids)


def search(context, query):
    """The public decisions matching ``query``: a page of hits and the facets' counts.

    Raises QueryError when the query text has no words to search for.
    """
    catalog = api.portal.get_tool("portal_catalog")
    found = matches(catalog, query)
    start = (query.page - 1) * query.size
    page = ordered(catalog, found.rids, found.scores, query, start, start + query.size)
    portal_url = api.portal.get().absolute_url()
    body_id = default_body()
    hits = [make_hit(brain, query.q, portal_url, body_id) for brain in brains(catalog, page)]
    request = getRequest()
    return ArchiveResult(
        query=query,
        total=len(found.rids),
        hits=hits,
        facets=facets(catalog, found.base, found.sets, found.rids, query, request),
    )
