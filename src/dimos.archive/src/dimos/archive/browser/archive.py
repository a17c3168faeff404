"""The archive page (``/decisions``): search, filters, hits, pages of results.

The page reads its GET parameters with Part A's ``ArchiveQuery`` (the URL
contract of var/archive-spec.md), searches with ``search`` (public decisions
only, as the current user) and shows what came back. Every link it draws is
the same query with one thing changed (``query.url_params``), so any page of
results can be shared, bookmarked and reached without JavaScript.
"""

from dimos.archive import _
from dimos.archive.browser.common import language
from dimos.archive.browser.common import local_date
from dimos.archive.browser.common import switch_language_url
from dimos.archive.browser.common import t
from dimos.archive.browser.facets import facet_groups
from dimos.archive.browser.facets import year_links
from dimos.archive.browser.facets import YEARS_SHOWN
from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from dimos.archive.search import search
from plone import api
from Products.Five.browser import BrowserView
from urllib.parse import urlencode


PAGES_AROUND = 2
SORTS = (
    ("relevance", _("Relevance")),
    ("date", _("Newest first")),
    ("date-asc", _("Oldest first")),
)


def _query_string(params):
    if isinstance(params, str):
        return params.lstrip("?")
    return urlencode(params, doseq=True)


def page_numbers(current, last, around=PAGES_AROUND):
    """The page numbers to link, ``None`` for a gap: 1 … 4 5 [6] 7 8 … 50."""
    shown = {1, last, *range(current - around, current + around + 1)}
    numbers, previous = [], 0
    for number in sorted(n for n in shown if 1 <= n <= last):
        if number - previous > 1:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


class ArchivePage(BrowserView):
    query = None
    result = None
    error = ""
    years_shown = YEARS_SHOWN

    def __call__(self):
        try:
            self.query = ArchiveQuery.from_form(self.request.form)
        except QueryError as error:
            self.error = error.message_en if language(self.request) == "en" else error.message_el
            self.request.response.setStatus(400)
        else:
            self.result = search(self.context, self.query)
        return self.index()

    # --- addresses ---------------------------------------------------------

    @property
    def portal_url(self):
        return api.portal.get().absolute_url()

    @property
    def base_url(self):
        return f"{self.portal_url}/decisions"

    def url(self, **changes):
        """This page's URL with ``changes`` to its query (None removes a parameter)."""
        if self.query is None:
            return self.base_url
        params = _query_string(self.query.url_params(**changes))
        return f"{self.base_url}?{params}" if params else self.base_url

    def _same_query(self, base):
        if self.query is None:
            return base
        params = _query_string(self.query.url_params(page=None, size=None))
        return f"{base}?{params}" if params else base

    def open_data(self):
        return {
            "csv": self._same_query(f"{self.portal_url}/decisions.csv"),
            "json": self._same_query(f"{self.portal_url}/@decisions"),
            "atom": f"{self.portal_url}/decisions.atom",
        }

    def language_switch(self):
        url, code, label = switch_language_url(self.request, self.base_url)
        return {"url": url, "lang": code, "label": label}

    # --- the form ----------------------------------------------------------

    def form_value(self, name):
        value = self.request.form.get(name, "")
        return value if isinstance(value, str) else ""

    @property
    def q(self):
        return (getattr(self.query, "q", None) or self.form_value("q")).strip()

    def sort(self):
        if self.query is not None:
            return self.query.order
        return self.form_value("sort") or ("relevance" if self.q else "date")

    def sorts(self):
        current = self.sort()
        return [
            {
                "id": sort_id,
                "label": t(label, self.request),
                "href": self.url(sort=sort_id),
                "current": sort_id == current,
            }
            for sort_id, label in SORTS
            if sort_id != "relevance" or self.q
        ]

    def filters(self):
        if self.result is None:
            return []
        return facet_groups(self.result.facets, lambda message: t(message, self.request))

    def years(self):
        if self.result is None:
            return []

        def link(year):
            return f"{self.base_url}?{_query_string(self.query.toggled('year', year))}"

        return year_links(self.result.facets, link)

    def clear_url(self):
        return f"{self.base_url}?{urlencode({'q': self.q})}" if self.q else self.base_url

    # --- results -----------------------------------------------------------

    def count_text(self):
        total = self.result.total if self.result is not None else 0
        if total == 1:
            return t(_("1 decision found"), self.request)
        return t(_("${count} decisions found", mapping={"count": total}), self.request)

    def range_text(self):
        result = self.result
        if result is None or result.total <= len(result.hits):
            return ""
        first = (result.page - 1) * result.size + 1
        last = first + len(result.hits) - 1
        return t(
            _(
                "Showing ${first}–${last} of ${total}",
                mapping={"first": first, "last": last, "total": result.total},
            ),
            self.request,
        )

    def _decision_link(self, hit, page=None):
        params = f"?{urlencode({'q': self.q})}" if self.q else ""
        anchor = f"#page-{page}" if page else ""
        return f"{hit.url}{params}{anchor}"

    def hits(self):
        if self.result is None:
            return []
        return [self._hit(hit) for hit in self.result.hits]

    def _hit(self, hit):
        body = getattr(hit, "body", None) or {}
        decision_type = getattr(hit, "decision_type", None) or {}
        return {
            "href": self._decision_link(hit),
            "title": hit.title,
            "number": getattr(hit, "number", "") or "",
            "date": local_date(getattr(hit, "decision_date", None)),
            "body": body.get("title", "") if isinstance(body, dict) else str(body),
            "type": decision_type.get("title", "") if isinstance(decision_type, dict) else "",
            "categories": list(getattr(hit, "categories", None) or ()),
            "snippet": getattr(hit, "snippet", "") or "",
            "digitized": bool(getattr(hit, "digitized", False)),
            "pages": [
                {"number": number, "href": self._decision_link(hit, number)}
                for number in getattr(hit, "pages", None) or ()
            ],
            "pdf": getattr(hit, "pdf", None),
        }

    def page_label(self, number):
        return t(_("Page ${number}", mapping={"number": number}), self.request)

    def pagination(self):
        result = self.result
        if result is None or result.pages_count <= 1:
            return None
        current, last = result.page, result.pages_count
        return {
            "prev": self.url(page=current - 1) if current > 1 else None,
            "next": self.url(page=current + 1) if current < last else None,
            "pages": [
                {"number": number, "href": self.url(page=number), "current": number == current}
                if number
                else None
                for number in page_numbers(current, last)
            ],
        }
