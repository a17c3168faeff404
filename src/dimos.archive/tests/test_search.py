"""search(): the matches, their order and pages, the facets' counts (multi-select) and the hits."""

from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from dimos.archive.search import PUBLIC_STATES
from dimos.archive.search import search
from pathlib import Path
from plone import api

import dimos.archive.facets as facets_module
import pytest
import sys


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402
from test_search_data import DEFAULT_BODY  # noqa: E402


def find(portal, **form):
    return search(portal, ArchiveQuery.from_form(form))


def titles(result):
    return [hit.title for hit in result.hits]


def counts(result, facet):
    return {value.value: value.count for value in result.facets[facet]}


@pytest.fixture(scope="class")
def archive(portal_class):
    return build_archive(portal_class)


class TestSearch:
    """One small archive for every test of the class (they only read it)."""

    def test_everything_is_the_public_decisions_newest_first(self, portal_class, archive):
        result = find(portal_class)
        assert result.total == 5
        assert titles(result) == [
            "Τροποποίηση του προϋπολογισμού 2024",
            "Ανάθεση υπηρεσιών καθαριότητας",
            "Έγκριση προϋπολογισμού 2024",
            "Ονοματοδοσία πλατείας",
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)",
        ]
        assert find(portal_class, sort="date-asc").hits[0].title.endswith("(1979)")

    def test_a_hit_carries_what_the_page_shows(self, portal_class, archive):
        (hit,) = find(portal_class, q="καθαριότητας").hits
        assert hit.url == archive.cleaning.absolute_url()
        assert hit.uid == archive.cleaning.UID()
        assert hit.number == archive.cleaning.number_label()
        assert hit.decision_year == 2024
        assert hit.decision_date == "2024-06-01"
        assert hit.body == {"id": "dimotiki-epitropi", "title": "Δημοτική Επιτροπή"}
        assert hit.decision_type == {
            "token": "D.1",
            "title": "Δ.1 ΑΝΑΘΕΣΗ ΕΡΓΩΝ / ΠΡΟΜΗΘΕΙΩΝ / ΥΠΗΡΕΣΙΩΝ / ΜΕΛΕΤΩΝ",
        }
        assert hit.categories == ["Οικονομικά", "Καθαριότητα"]
        assert hit.digitized is False and hit.pages == [] and hit.pdf is None
        portal_url = portal_class.absolute_url()
        number = archive.cleaning.decision_number
        assert hit.permalink == f"{portal_url}/decisions/dimotiki-epitropi/2024/{number}"
        assert hit.review_state == "published"
        assert hit.to_json()["@id"] == hit.url

    def test_the_default_bodys_permalink_has_no_body(self, portal_class, archive):
        (hit,) = find(portal_class, body=DEFAULT_BODY, amended="1").hits
        assert hit.body["id"] == DEFAULT_BODY
        number = archive.budget.decision_number
        assert hit.permalink == f"{portal_class.absolute_url()}/decisions/2024/{number}"
        assert hit.ada == "ΨΩΡ1ΩΛ7-ΑΒΓ"

    def test_a_text_without_accents_finds_and_marks_capitals(self, portal_class, archive):
        result = find(portal_class, q="αποφαση")
        assert set(titles(result)) == {
            "Έγκριση προϋπολογισμού 2024",
            "Ανάθεση υπηρεσιών καθαριότητας",
            "Τροποποίηση του προϋπολογισμού 2024",
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)",
        }
        snippets = {hit.title: hit.snippet for hit in result.hits}
        assert "<mark>ΑΠΟΦΑΣΗ</mark> του Δημοτικού" in snippets["Έγκριση προϋπολογισμού 2024"]
        assert "<mark>απόφαση</mark> της επιτροπής" in snippets["Ανάθεση υπηρεσιών καθαριότητας"]
        assert "<mark>απόφαση</mark> για τον" in snippets["Τροποποίηση του προϋπολογισμού 2024"]

    def test_a_scanned_decisions_hit_names_its_pages(self, portal_class, archive):
        (hit,) = find(portal_class, q="πλατειας ελευθεριας", origin="digitized").hits
        assert hit.digitized is True
        assert hit.pages == [2]
        assert hit.snippet == "Η ονοματοδοσία της <mark>ΠΛΑΤΕΙΑΣ</mark> <mark>Ελευθερίας</mark>"
        (hit,) = find(portal_class, q="αποφαση", origin="digitized").hits
        assert hit.pages == [1, 3]
        assert hit.snippet.startswith("<mark>ΑΠΟΦΑΣΗ</mark> 45/1979")
        (hit,) = find(portal_class, q="καταστ*").hits
        assert hit.pages == [3]
        assert "στο <mark>κατάστημα</mark>" in hit.snippet

    def test_without_a_text_the_snippet_is_the_start_unmarked(self, portal_class, archive):
        result = find(portal_class, origin="digitized")
        assert result.hits[0].snippet.startswith("ΑΠΟΦΑΣΗ 45/1979 του Δημοτικού Συμβουλίου")
        assert "<mark>" not in result.hits[0].snippet and result.hits[0].pages == []

    def test_relevance_is_the_text_indexs_order(self, portal_class, archive):
        text = "προϋπολογισμού OR πλατεία OR καθαριότητας"
        catalog = api.portal.get_tool("portal_catalog")
        scored = catalog.searchResults(
            SearchableText=text, portal_type="CouncilDecision", review_state=PUBLIC_STATES
        )
        result = find(portal_class, q=text)
        assert result.total == len(scored) == 5
        assert titles(result) == [brain.Title for brain in scored]
        assert titles(result) != titles(find(portal_class, q=text, sort="date"))

    def test_each_facet_filters(self, portal_class, archive):
        assert titles(find(portal_class, body="dimotiki-epitropi")) == [
            "Ανάθεση υπηρεσιών καθαριότητας"
        ]
        assert find(portal_class, year_from="2024").total == 3
        assert find(portal_class, year_to="2023").total == 2
        assert find(portal_class, date_from="2024-03-12", date_to="2024-06-01").total == 2
        assert find(portal_class, type="A.2").total == 2
        assert find(portal_class, type=["A.2", "Δ.1"]).total == 3
        assert find(portal_class, category="Καθαριότητα").total == 1
        assert find(portal_class, category=["Καθαριότητα", "Πολεοδομία"]).total == 3
        assert titles(find(portal_class, origin="digitized")) == [
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)"
        ]
        assert find(portal_class, origin="digital").total == 4
        assert titles(find(portal_class, amended="1")) == ["Έγκριση προϋπολογισμού 2024"]

    def test_the_facets_count_everything_at_first(self, portal_class, archive):
        result = find(portal_class)
        assert counts(result, "body") == {DEFAULT_BODY: 4, "dimotiki-epitropi": 1}
        assert [v.label for v in result.facets["body"]] == [
            "Δημοτικό Συμβούλιο",
            "Δημοτική Επιτροπή",
        ]
        assert [v.value for v in result.facets["year"]] == ["2024", "2023", "1979"]
        assert counts(result, "year") == {"2024": 3, "2023": 1, "1979": 1}
        assert counts(result, "type") == {"B.1.1": 2, "A.2": 2, "D.1": 1}
        assert counts(result, "category") == {"Οικονομικά": 3, "Πολεοδομία": 2, "Καθαριότητα": 1}
        assert counts(result, "origin") == {"digital": 4, "digitized": 1}
        assert counts(result, "amended") == {"1": 1}
        assert not any(v.selected for values in result.facets.values() for v in values)

    def test_a_facet_counts_with_the_other_filters_but_not_its_own(self, portal_class, archive):
        result = find(portal_class, body="dimotiki-epitropi", category="Οικονομικά")
        assert result.total == 1
        # body: counted among the "Οικονομικά" decisions of every body
        assert counts(result, "body") == {DEFAULT_BODY: 2, "dimotiki-epitropi": 1}
        # category: counted among the decisions of the committee
        assert counts(result, "category") == {"Οικονομικά": 1, "Καθαριότητα": 1}
        # the others: among the result
        assert counts(result, "year") == {"2024": 1}
        assert counts(result, "origin") == {"digital": 1}
        assert {v.value for v in result.facets["body"] if v.selected} == {"dimotiki-epitropi"}

    def test_a_picked_value_without_matches_stays_shown(self, portal_class, archive):
        result = find(portal_class, origin="digitized", amended="1")
        assert result.total == 0
        assert [(v.value, v.count, v.selected) for v in result.facets["amended"]] == [
            ("1", 0, True)
        ]
        assert [(v.value, v.count, v.selected) for v in result.facets["origin"]] == [
            ("digital", 1, False),
            ("digitized", 0, True),
        ]
        result = find(portal_class, body="no-such-body")
        assert [(v.value, v.count, v.selected) for v in result.facets["body"]] == [
            (DEFAULT_BODY, 4, False),
            ("dimotiki-epitropi", 1, False),
            ("no-such-body", 0, True),
        ]

    def test_counting_by_record_or_by_value_agrees(self, portal_class, archive, monkeypatch):
        # small results are counted record by record, large ones value by value
        forms = [
            {},
            {"q": "αποφαση"},
            {"body": "dimotiki-epitropi", "category": "Οικονομικά"},
            {"origin": "digitized", "amended": "1"},
            {"year_from": "2023", "year_to": "2023", "type": "A.2"},
        ]
        by_record = [find(portal_class, **form).facets for form in forms]
        monkeypatch.setattr(facets_module, "SMALL_SCOPE", 0)
        assert [find(portal_class, **form).facets for form in forms] == by_record

    def test_the_year_facet_counts_every_year_when_one_is_picked(self, portal_class, archive):
        result = find(portal_class, year_from="2023", year_to="2023")
        assert result.total == 1
        assert counts(result, "year") == {"2024": 3, "2023": 1, "1979": 1}
        assert [v.value for v in result.facets["year"] if v.selected] == ["2023"]

    def test_pages(self, portal_class, archive):
        first = find(portal_class, size="2")
        assert (first.total, first.pages_count, len(first.hits)) == (5, 3, 2)
        seen = []
        for page in (1, 2, 3):
            seen += titles(find(portal_class, size="2", page=str(page)))
        assert seen == titles(find(portal_class))
        assert find(portal_class, size="2", page="50").hits == []
        assert find(portal_class, size="2", page="50").total == 5
        asc = [
            t
            for page in (1, 2, 3)
            for t in titles(find(portal_class, size="2", page=str(page), sort="date-asc"))
        ]
        assert asc == list(reversed(seen))

    def test_a_query_without_words_is_refused(self, portal_class, archive):
        with pytest.raises(QueryError) as refused:
            find(portal_class, q="— ; !")
        assert refused.value.message_en == "The search text has no words to search for."
        # not valid ZCTextIndex syntax: searched as words
        assert find(portal_class, q='πλατείας "').total == 2
        assert find(portal_class, q="not").total == 0

    def test_a_manager_sees_the_same_public_archive(self, portal_class, archive):
        with api.env.adopt_roles(["Manager"]):
            result = find(portal_class)
            assert result.total == 5
            assert find(portal_class, q="κρυφοσχεδιο").total == 0
