"""A small per-process cache of the archive's matches and facet counts.

A citizen who opens a result page, then page 2 or page 50, or the same search
as JSON or CSV, asks for the same matches again: the text index's scores
(tens of milliseconds over 50,000 decisions) and the facets' counts (a hundred
set intersections). They are kept here, keyed by:

- the catalog (its path) and its change counter (its value and the commit
  that last changed it), which every (un)indexing changes: a newly published, corrected or removed decision is seen at once
  (a transaction that changed the catalog itself does not use the cache);
- the user's ``allowedRolesAndUsers`` terms, as the catalog's security uses
  them, so nobody is served what another user may see;
- the query without its page, size and order;
- the languages the facets' labels are translated into.

Entries live at most ``TTL`` seconds (a decision's effective date passes with
time, not with the counter) and the cache holds at most ``SIZE`` entries, the
least recently used going first. The values are the BTrees sets of record ids
and plain facet values: not persistent, read only once made, safe to share
between Zope's threads.
"""

from collections import OrderedDict
from Products.CMFCore.indexing import processQueue
from zope.i18n.interfaces import IUserPreferredLanguages

import os
import threading
import time


SIZE = 32
# DIMOS_ARCHIVE_CACHE_SECONDS=0 turns the cache off (benchmarks/archive_search.py measures both).
TTL = float(os.environ.get("DIMOS_ARCHIVE_CACHE_SECONDS", "60"))


class QueryCache:
    def __init__(self, size=SIZE, ttl=TTL, clock=time.monotonic):
        self.size, self.ttl, self.clock = size, ttl, clock
        self._entries = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, make):
        """The value kept for ``key``, or ``make()``'s, kept for next time (never for key None)."""
        if key is None or self.ttl <= 0:
            return make()
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and now - entry[0] < self.ttl:
                self._entries.move_to_end(key)
                return entry[1]
        value = make()  # outside the lock: two threads may both make it, both right
        with self._lock:
            self._entries[key] = (now, value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self):
        with self._lock:
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


CACHE = QueryCache()


def _languages(request):
    if request is None:
        return ()
    try:
        return tuple(IUserPreferredLanguages(request).getPreferredLanguages())
    except TypeError:  # no adapter: a bare request in a script
        return ()


def cache_key(catalog, query, request):
    """What makes two searches give the same matches and facets (see the module's docstring).

    None when this transaction has changed the catalog itself: its counter
    then names a state that may never be committed (the transaction may be
    aborted and retried), so such a search is neither kept nor served.
    """
    processQueue()  # indexing queued in this transaction is done now, as searchResults would
    counter = getattr(catalog, "_counter", None)
    if counter is not None and counter._p_changed:
        return None
    user_terms = catalog._listAllowedRolesAndUsers(_user())
    return (
        "/".join(catalog.getPhysicalPath()),
        catalog.getCounter(),
        # the commit that last changed it: a restored or test database may repeat a count
        (counter if counter is not None else catalog)._p_serial,
        tuple(sorted(user_terms)),
        query.url_params(page=None, size=None, sort=None),
        _languages(request),
    )


def _user():
    from AccessControl import getSecurityManager

    return getSecurityManager().getUser()
