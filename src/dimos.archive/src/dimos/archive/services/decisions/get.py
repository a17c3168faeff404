"""GET /@decisions: the archive's search as JSON, for anyone; only public decisions.

Takes the archive page's parameters (``q``, ``body``, ``year_from``, ...,
``page``, ``size``) and answers a page of hits, the facets' counts and links
to the other pages. A bad parameter gets 400 with the reason in Greek and
English.
"""

from dataclasses import asdict
from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from dimos.archive.search import search
from plone import api
from plone.restapi.services import Service


LANGUAGES = ("el", "en")


def language(request):
    """The language of the answer's messages: the visitor's choice, else the client's, else Greek."""
    chosen = (request.cookies.get("I18N_LANGUAGE") or "")[:2]
    if chosen in LANGUAGES:
        return chosen
    accepted = (request.getHeader("Accept-Language") or "").split(",")[0].strip()[:2].lower()
    if accepted in LANGUAGES:
        return accepted
    return "en" if (api.portal.get_current_language() or "el")[:2] == "en" else "el"


def bad_request(request, error):
    request.response.setStatus(400)
    return {
        "error": {
            "type": "BadRequest",
            "message": error.message(language(request)),
            "message_el": error.message_el,
            "message_en": error.message_en,
            "messages": {"el": error.message_el, "en": error.message_en},
        }
    }


def serialize(result, service_url):
    query = result.query

    def link(page):
        params = query.url_params(page=page)
        return f"{service_url}?{params}" if params else service_url

    last = max(result.pages_count, 1)
    return {
        "@id": link(query.page),
        "items_total": result.total,
        "page": query.page,
        "size": query.size,
        "items": [hit.to_json() for hit in result.hits],
        "facets": {
            facet: [asdict(value) for value in values] for facet, values in result.facets.items()
        },
        "batching": {
            "@id": link(query.page),
            "first": link(1),
            "last": link(last),
            "prev": link(query.page - 1) if 1 < query.page <= last + 1 else None,
            "next": link(query.page + 1) if query.page < last else None,
        },
    }


class DecisionsGet(Service):
    def reply(self):
        try:
            query = ArchiveQuery.from_form(self.request.form)
            result = search(self.context, query)
        except QueryError as error:
            return bad_request(self.request, error)
        return serialize(result, f"{self.context.absolute_url()}/@decisions")
