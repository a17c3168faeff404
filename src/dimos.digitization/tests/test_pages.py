"""Naming the pages that hold a search's words, folded as the catalog folds them (no site)."""

from dimos.digitization.pages import matching_pages

import pytest


PAGES = [
    {"number": 1, "text": "ΑΠΟΦΑΣΗ 45/1979 ΤΟΥ ΔΗΜΟΤΙΚΟΥ ΣΥΜΒΟΥΛΙΟΥ", "flagged": False},
    {"number": 2, "text": "Περὶ ὑδρεύσεως τῆς κοινότητος", "flagged": False},
    {"number": 3, "text": "Η απόφαση αναρτάται στο δημοτικό κατάστημα", "flagged": False},
]


@pytest.mark.parametrize(
    ("query", "pages"),
    [
        ("αποφαση", [1, 3]),  # no accents, lower case: finds the capitals
        ("αποφάσεις", [1, 3]),  # another form of the word (the catalog stems)
        ("δημοτικο αποφαση", [1, 3]),
        ("αποφαση καταστημα", [3]),  # pages with every word win
        ("υδρευσεως", [2]),  # polytonic text, typed monotonic
        ("καταστ*", [3]),
        ("αποφαση AND καταστημα", [3]),
        ("λιμάνι", []),
        ("", []),
    ],
)
def test_matching_pages(query, pages):
    assert matching_pages(PAGES, query) == pages


def test_any_word_when_no_page_has_all():
    assert matching_pages(PAGES, "υδρευσεως καταστημα") == [2, 3]
