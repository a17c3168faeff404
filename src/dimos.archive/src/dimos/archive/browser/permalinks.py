"""``/decisions``: the archive page, and the decisions' permanent addresses below it.

``/decisions/2024/123`` is decision 123/2024 of the default body (registry
``dimos.archive.default_body``), ``/decisions/<body-id>/2024/123`` that of
another body, ``/decisions/ada/<ΑΔΑ>`` the one posted on Diavgeia under that
ΑΔΑ. Each answers with a 302 to the decision's page, or a 404 page when there
is no such public decision: the archive never says that a draft exists.
"""

from dimos.archive.browser.archive import ArchivePage
from dimos.archive.search import default_body
from dimos.archive.search import PUBLIC_STATES
from dimos.content.validators import normalize_ada
from plone import api
from Products.Five.browser.pagetemplatefile import ViewPageTemplateFile
from zope.interface import implementer
from zope.publisher.interfaces import IPublishTraverse


def _int(text):
    return int(text) if text.isdigit() and len(text) < 10 else None


def _public(**query):
    """Brains of the public decisions matching ``query``, searched as the current user."""
    return api.content.find(portal_type="CouncilDecision", review_state=PUBLIC_STATES, **query)


def _body_path(body_id):
    """The path of the council body ``body_id`` (whoever may see the body itself), or None."""
    brains = api.content.find(portal_type="CouncilBody", getId=body_id, unrestricted=True)
    return brains[0].getPath() if brains else None


def find_by_number(body_id, year, number):
    path = _body_path(body_id)
    if path is None:
        return None
    brains = _public(decision_year=year, decision_number=number, path=path)
    return brains[0] if brains else None


def find_by_ada(ada):
    brains = _public(ada=normalize_ada(ada))
    return brains[0] if brains else None


def resolve(segments):
    """The brain of the public decision a permalink's path names, or None."""
    segments = [segment for segment in segments if segment]
    if len(segments) == 2 and segments[0] == "ada":
        return find_by_ada(segments[1])
    if len(segments) == 2:
        body_id, (year, number) = default_body(), segments
    elif len(segments) == 3:
        body_id, year, number = segments
    else:
        return None
    year, number = _int(year), _int(number)
    if not (year and number):
        return None
    return find_by_number(body_id, year, number)


@implementer(IPublishTraverse)
class Decisions(ArchivePage):
    """The archive page at ``/decisions``; permalinks below it."""

    not_found_page = ViewPageTemplateFile("templates/not_found.pt")

    def __init__(self, context, request):
        super().__init__(context, request)
        self.segments = []

    def publishTraverse(self, request, name):
        # Every name below /decisions is part of a permalink; resolve() judges the whole path.
        self.segments.append(name)
        return self

    def __call__(self):
        if not self.segments:
            return super().__call__()
        brain = resolve(self.segments)
        if brain is None:
            self.request.response.setStatus(404)
            return self.not_found_page()
        self.request.response.redirect(brain.getURL(), status=302, lock=True)
        return ""
