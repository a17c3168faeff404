"""The archive's cache of matches and facets: reused for the next page, never stale, never shared
between users who may see different things."""

from dimos.archive.cache import CACHE
from dimos.archive.cache import cache_key
from dimos.archive.cache import QueryCache
from dimos.archive.query import ArchiveQuery
from dimos.archive.search import search
from dimos.archive.testing_browser import SECRET_WORD
from plone import api
from plone.app.testing import logout
from plone.app.testing import setRoles
from plone.app.testing import TEST_USER_ID
from zope.globalrequest import getRequest

import pytest
import transaction


def test_entries_expire_and_the_least_recently_used_goes_first():
    now = [0.0]
    cache = QueryCache(size=2, ttl=10, clock=lambda: now[0])
    made = []

    def make(value):
        return lambda: made.append(value) or value

    assert cache.get("a", make(1)) == 1
    assert cache.get("a", make(2)) == 1  # kept
    cache.get("b", make(3))
    cache.get("a", make(4))  # a is now the most recently used
    cache.get("c", make(5))  # b goes
    assert cache.get("b", make(6)) == 6
    now[0] = 11.0
    assert cache.get("a", make(7)) == 7  # expired
    assert cache.get(None, make(8)) == 8 and cache.get(None, make(9)) == 9  # never kept
    assert made == [1, 3, 5, 6, 7, 8, 9]
    off = QueryCache(ttl=0)
    assert off.get("a", make(10)) == 10 and off.get("a", make(11)) == 11 and len(off) == 0


@pytest.fixture
def sample(archive):
    CACHE.clear()
    yield archive
    CACHE.clear()


def _search(portal, **form):
    return search(portal, ArchiveQuery.from_form(form))


def test_the_next_page_reuses_the_matches_and_a_change_to_the_catalog_is_seen(sample):
    portal, records = sample
    logout()
    first = _search(portal, q="αποφαση")
    assert len(CACHE) == 1
    again = _search(portal, q="αποφαση", page="2", sort="date")
    assert len(CACHE) == 1 and again.total == first.total and again.facets == first.facets
    with api.env.adopt_roles(["Manager"]):
        api.content.transition(obj=records.secret, transition="submit")
        api.content.transition(obj=records.secret, transition="approve")
        api.content.transition(obj=records.secret, transition="publish")
    # This transaction changed the catalog: no cache, and the new decision is found.
    assert (
        cache_key(portal.portal_catalog, ArchiveQuery.from_form({"q": "x"}), getRequest()) is None
    )
    assert _search(portal, q="αποφαση").total == first.total + 1
    assert len(CACHE) == 1
    transaction.commit()
    assert _search(portal, q="αποφαση").total == first.total + 1  # a new counter: a new entry
    assert len(CACHE) == 2
    assert _search(portal, q=SECRET_WORD).total == 1


def test_users_who_may_see_different_things_never_share_an_entry(sample):
    portal, _records = sample
    catalog = portal.portal_catalog
    query = ArchiveQuery.from_form({"q": "αποφαση"})
    logout()
    anonymous = cache_key(catalog, query, getRequest())
    setRoles(portal, TEST_USER_ID, ["Manager"])
    from plone.app.testing import login
    from plone.app.testing import TEST_USER_NAME

    login(portal, TEST_USER_NAME)
    manager = cache_key(catalog, query, getRequest())
    assert anonymous is not None and manager is not None and anonymous != manager
