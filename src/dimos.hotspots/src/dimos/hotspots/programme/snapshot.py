"""The occurrences of a period, read once per catalog state and shared by the twenty portals.

Expanding the events of a week (plone.app.event's ``get_events``, recurrence
rules, each event's object) costs tens of milliseconds; the portals of all
hotspots ask for the same week within the same minute. The rows are kept per
(site, catalog counter, the commit that last changed it, period, language):
any catalog change — an event published, moved, edited — makes a new key.
A transaction that has changed the catalog itself neither uses nor fills it.
"""

from Products.CMFCore.indexing import processQueue
from Products.CMFCore.utils import getToolByName

import threading


MAX_ENTRIES = 32

_rows = {}
_lock = threading.Lock()


def _key(site, start, end, lang):
    catalog = getToolByName(site, "portal_catalog")
    processQueue()  # indexing queued in this transaction is done now, as a search would
    counter = getattr(catalog, "_counter", None)
    if counter is not None and counter._p_changed:
        return None
    return (
        "/".join(catalog.getPhysicalPath()),
        catalog.getCounter(),
        (counter if counter is not None else catalog)._p_serial,
        start,
        end,
        lang,
    )


def occurrences(site, start, end, lang):
    """``query.summaries_in(site, start, end, lang)``, from memory when the catalog has not changed."""
    from dimos.hotspots.programme.query import summaries_in

    key = _key(site, start, end, lang)
    if key is not None:
        with _lock:
            rows = _rows.get(key)
        if rows is not None:
            return rows
    rows = summaries_in(site, start, end, lang)
    if key is not None:
        with _lock:
            if len(_rows) >= MAX_ENTRIES:
                _rows.pop(next(iter(_rows)))
            _rows[key] = rows
    return rows


def clear():
    with _lock:
        _rows.clear()
