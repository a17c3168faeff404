"""Greek-aware catalog search: the acceptance documents and queries."""

from dimos.policy.catalog.lexicon import rebuild_lexicon
from dimos.policy.setuphandlers import PLONE_PIPELINE
from plone import api

import pytest


DOCUMENTS = {
    "dimarxos": "ΑΠΟΦΑΣΗ ΔΗΜΑΡΧΟΥ",
    "symvoulio": "Η απόφαση του Δημοτικού Συμβουλίου",
    "polytoniko": "ἡ ἀπόφασις τοῦ δημάρχου",
    "logariasmos": "Λoγαριασµός",  # Latin o, micro sign
    "allo": "Πρόγραμμα εκδηλώσεων για το καλοκαίρι",
}

QUERIES = [
    ("αποφαση", {"dimarxos", "symvoulio", "polytoniko"}),
    ("ΑΠΟΦΑΣΕΙΣ", {"dimarxos", "symvoulio", "polytoniko"}),
    ("Απόφαση", {"dimarxos", "symvoulio", "polytoniko"}),
    ("δημαρχου", {"dimarxos", "polytoniko"}),
    ("λογαριασμος", {"logariasmos"}),
    ("λογαριασμοί", {"logariasmos"}),
    ("συμβούλιο", {"symvoulio"}),
    ("ΔΗΜΟΤΙΚΟ", {"symvoulio"}),
    ("αποφάσεις δημάρχων", {"dimarxos", "polytoniko"}),  # AND of both words
    ("συμβουλιο OR λογαριασμοι", {"symvoulio", "logariasmos"}),
    ("αποφαση AND NOT συμβουλιου", {"dimarxos", "polytoniko"}),
    ("αποφ*", {"dimarxos", "symvoulio", "polytoniko"}),
    ("αποφαση*", {"dimarxos", "symvoulio", "polytoniko"}),
    ("Λογαρ*", {"logariasmos"}),
]

PHRASES = [
    ('"απόφαση του δημάρχου"', {"polytoniko"}),
    ('"ΑΠΟΦΑΣΗ ΔΗΜΑΡΧΟΥ"', {"dimarxos"}),
    ('"η αποφαση του δημοτικου συμβουλιου"', {"symvoulio"}),
    ('"του απόφαση"', set()),  # the words are there, not in that order
    ('"δημάρχου απόφαση"', set()),
]


@pytest.fixture
def documents(portal):
    with api.env.adopt_roles(["Manager"]):
        for id_, text in DOCUMENTS.items():
            api.content.create(
                container=portal,
                type="Document",
                id=id_,
                title=f"Έγγραφο {id_}",
                description=text,
            )
    return portal


def found(**query):
    return {brain.getId for brain in api.content.find(**query)}


@pytest.mark.parametrize("query, expected", QUERIES, ids=[q for q, _ in QUERIES])
def test_searchable_text(documents, query, expected):
    assert found(SearchableText=query) == expected


@pytest.mark.parametrize("query, expected", PHRASES, ids=[q for q, _ in PHRASES])
def test_exact_phrase(documents, query, expected):
    assert found(SearchableText=query) == expected


def test_title_index_is_greek_aware(documents, portal):
    with api.env.adopt_roles(["Manager"]):
        api.content.create(container=portal, type="Document", id="titlos", title="Απόφαση Δημάρχου")
    assert found(Title="ΑΠΟΦΑΣΕΙΣ") == {"titlos"}
    assert found(Title="δημαρχου") == {"titlos"}


def test_edited_text_is_found_by_its_new_words(documents, portal):
    doc = portal["allo"]
    doc.description = "Ανάθεση έργου"
    doc.reindexObject()
    assert found(SearchableText="αναθεσεως") == {"allo"}
    assert found(SearchableText="εκδηλωσεις") == set()


def test_plone_pipeline_alone_misses_greek_forms(documents, portal):
    """Without the Greek pipeline the same queries fail: the tests above are not vacuous."""
    catalog = api.portal.get_tool("portal_catalog")
    rebuild_lexicon(catalog, pipeline=PLONE_PIPELINE)
    # only the capitals lower-case to the unaccented query; every other form is missed
    assert found(SearchableText="αποφαση") == {"dimarxos"}
    assert found(SearchableText="ΑΠΟΦΑΣΕΙΣ") == set()
    assert found(SearchableText="λογαριασμος") == set()
    assert found(SearchableText="συμβούλιο") == set()
    assert found(SearchableText="απόφαση") == {"symvoulio"}


def test_classic_search_page(documents, portal, http_request):
    """Plone's own search page munges the query (quotes, wildcards): still Greek-aware."""
    http_request.form.update({"SearchableText": "ΑΠΟΦΑΣΕΙΣ"})
    view = portal.restrictedTraverse("@@search")
    results = view.results(query={"SearchableText": "ΑΠΟΦΑΣΕΙΣ"}, batch=False)
    assert {item.getId() for item in results} == {"dimarxos", "symvoulio", "polytoniko"}
