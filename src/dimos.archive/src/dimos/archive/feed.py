"""``decisions.atom``: an Atom 1.0 feed of the newest public decisions, by publication date.

Read from the catalog's metadata, as the current user (anonymous sees the same
feed as anybody): the 50 public decisions most recently made public
(``effective``; events.py sets it when a decision is published).
"""

from dimos.archive.search import meta
from dimos.archive.search import PUBLIC_STATES
from lxml import etree
from plone import api
from Products.Five.browser import BrowserView

import uuid


ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 50
CONTENT_TYPE = "application/atom+xml;charset=utf-8"


def newest_decisions(catalog, limit=LIMIT):
    return catalog.searchResults(
        portal_type="CouncilDecision",
        review_state=PUBLIC_STATES,
        show_inactive=False,
        sort_on="effective",
        sort_order="descending",
        sort_limit=limit,
    )[:limit]


def entry_id(uid):
    """A URN that stays the same when the decision moves: its UID as a UUID."""
    try:
        return uuid.UUID(uid).urn
    except (TypeError, ValueError):
        return f"urn:dimos:decision:{uid}"


def entry_title(brain):
    number = meta(brain, "number_label")
    return f"{number} — {brain.Title}" if number else brain.Title


def _add(parent, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _entry(feed, brain):
    entry = _add(feed, "entry")
    url = brain.getURL()
    _add(entry, "id", entry_id(brain.UID))
    _add(entry, "title", entry_title(brain))
    _add(entry, "updated", brain.modified.ISO8601())
    if meta(brain, "effective") is not None and brain.effective.year() > 1000:
        _add(entry, "published", brain.effective.ISO8601())
    _add(entry, "link", rel="alternate", type="text/html", href=url)
    _add(entry, "summary", brain.Description or brain.Title)
    author = _add(entry, "author")
    _add(author, "name", meta(brain, "decision_body_title") or brain.Title)
    for category in meta(brain, "thematic_categories") or ():
        _add(entry, "category", term=category)


def atom_feed(portal, brains):
    """The feed as UTF-8 XML bytes."""
    portal_url = portal.absolute_url()
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap={None: ATOM})
    feed.set("{http://www.w3.org/XML/1998/namespace}lang", "el")
    _add(feed, "id", f"{portal_url}/decisions.atom")
    _add(feed, "title", f"Αποφάσεις — {portal.Title()}")
    _add(feed, "subtitle", "Οι αποφάσεις που δημοσιεύθηκαν πιο πρόσφατα")
    dates = [brain.modified for brain in brains]
    updated = max(dates) if dates else portal.modified()
    _add(feed, "updated", updated.ISO8601())
    _add(feed, "link", rel="self", type="application/atom+xml", href=f"{portal_url}/decisions.atom")
    _add(feed, "link", rel="alternate", type="text/html", href=f"{portal_url}/decisions")
    author = _add(feed, "author")
    _add(author, "name", portal.Title())
    for brain in brains:
        _entry(feed, brain)
    return etree.tostring(feed, encoding="utf-8", xml_declaration=True, pretty_print=True)


class DecisionsFeed(BrowserView):
    def __call__(self):
        catalog = api.portal.get_tool("portal_catalog")
        portal = api.portal.get()
        body = atom_feed(portal, list(newest_decisions(catalog)))
        self.request.response.setHeader("Content-Type", CONTENT_TYPE)
        return body
