"""The archive's query: the URL's parameters, checked, and the URL written back.

``ArchiveQuery.from_form`` reads a request's form into a frozen query, or raises
``QueryError`` (its reason in Greek and English) for a parameter that is not
valid. The query writes the URL contract back: ``url_params`` and ``toggled``
give the shareable query string of the same query with one thing changed, and
``selected`` says which values of a facet are picked.
"""

from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from datetime import date
from dimos.archive.indexers import DIGITAL
from dimos.archive.indexers import DIGITIZED
from dimos.content.vocabularies import ascii_token
from dimos.content.vocabularies import DecisionTypes
from urllib.parse import urlencode

import re


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
