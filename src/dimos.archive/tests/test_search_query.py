"""ArchiveQuery: the archive's URL parameters, checked, and shareable query strings (no site needed)."""

from datetime import date
from dimos.archive.query import ArchiveQuery
from dimos.archive.query import QueryError
from urllib.parse import parse_qsl

import pytest


def test_no_parameters_is_everything_newest_first():
    query = ArchiveQuery.from_form({})
    assert query == ArchiveQuery()
    assert (query.page, query.size, query.order) == (1, 20, "date")
    assert query.url_params() == ""


def test_every_parameter_is_read():
    query = ArchiveQuery.from_form(
        {
            "q": " αποφαση ",
            "body": ["dimotiko-symvoulio", "dimotiki-epitropi", "dimotiko-symvoulio"],
            "year_from": "1979",
            "year_to": "2024",
            "date_from": "1979-01-01",
            "date_to": "2024-12-31",
            "type": ["Β.1.1", "A.2"],  # the Greek code or its ASCII token
            "category": "Οικονομικά",
            "origin": "digitized",
            "amended": "1",
            "sort": "date-asc",
            "page": "3",
            "size": "50",
        }
    )
    assert query == ArchiveQuery(
        q="αποφαση",
        body=("dimotiko-symvoulio", "dimotiki-epitropi"),
        year_from=1979,
        year_to=2024,
        date_from=date(1979, 1, 1),
        date_to=date(2024, 12, 31),
        type=("B.1.1", "A.2"),
        category=("Οικονομικά",),
        origin="digitized",
        amended=True,
        sort="date-asc",
        page=3,
        size=50,
    )


def test_relevance_is_the_default_order_with_a_text_only():
    assert ArchiveQuery.from_form({"q": "πλατεία"}).order == "relevance"
    assert ArchiveQuery.from_form({"sort": "relevance"}).order == "date"
    assert ArchiveQuery.from_form({"q": "πλατεία", "sort": "date"}).order == "date"


@pytest.mark.parametrize(
    ("form", "greek", "english"),
    [
        ({"year_from": "19x9"}, "Το έτος «19x9» δεν είναι έγκυρο", "The year “19x9” is not valid"),
        ({"year_to": "1700"}, "από 1800 έως 2200", "from 1800 to 2200"),
        ({"year_from": "2024", "year_to": "1979"}, "Έτη: η αρχή (2024)", "the start (2024)"),
        ({"date_from": "12/03/2024"}, "ΕΕΕΕ-ΜΜ-ΗΗ", "YYYY-MM-DD"),
        ({"date_to": "2024-02-30"}, "«2024-02-30»", "“2024-02-30”"),
        ({"date_from": "2024-03-02", "date_to": "2024-03-01"}, "Ημερομηνίες", "Dates"),
        ({"page": "0"}, "Ο αριθμός σελίδας «0»", "The page number “0”"),
        ({"page": "-1"}, "Ο αριθμός σελίδας", "The page number"),
        ({"page": "zwei"}, "Ο αριθμός σελίδας", "page number"),
        ({"size": "101"}, "Το πλήθος ανά σελίδα «101»", "from 1 to 100"),
        ({"sort": "title"}, "Η ταξινόμηση «title» δεν υπάρχει", "relevance, date, date-asc"),
        ({"origin": "paper"}, "Η προέλευση «paper»", "digital, digitized"),
        ({"amended": "yes"}, "μόνο την τιμή 1", "only the value 1"),
        ({"type": "Χ.9"}, "τύπους της Διαύγειας", "not one of Diavgeia's types"),
        ({"q": "λέξη " * 100}, "πολύ μεγάλο", "too long"),
        ({"q": "δήμος α*"}, "τουλάχιστον 3 γράμματα πριν από το * («α*»)", "at least 3 letters"),
        ({"q": "*"}, "τουλάχιστον 3 γράμματα", "before the *"),
    ],
)
def test_a_bad_parameter_is_refused_in_greek_and_english(form, greek, english):
    with pytest.raises(QueryError) as refused:
        ArchiveQuery.from_form(form)
    assert greek in refused.value.message_el
    assert english in refused.value.message_en
    assert refused.value.message("en") == refused.value.message_en
    assert refused.value.message("el") == refused.value.message_el


def test_the_query_string_is_stable_and_leaves_defaults_out():
    form = {
        "size": "50",
        "category": ["Οικονομικά", "Καθαριότητα"],
        "q": "πλατεία",
        "body": "dimotiko-symvoulio",
        "page": "2",
        "amended": "1",
        "sort": "relevance",
    }
    query = ArchiveQuery.from_form(form)
    params = query.url_params()
    assert parse_qsl(params) == [
        ("q", "πλατεία"),
        ("body", "dimotiko-symvoulio"),
        ("category", "Οικονομικά"),
        ("category", "Καθαριότητα"),
        ("amended", "1"),
        ("sort", "relevance"),
        ("page", "2"),
        ("size", "50"),
    ]
    # the same query read back from its own string
    assert ArchiveQuery.from_form(_form(params)) == query


def test_changing_a_filter_goes_back_to_page_one():
    query = ArchiveQuery.from_form({"q": "πλατεία", "page": "4"})
    assert dict(parse_qsl(query.url_params(page=5))) == {"q": "πλατεία", "page": "5"}
    assert dict(parse_qsl(query.url_params(origin="digitized"))) == {
        "q": "πλατεία",
        "origin": "digitized",
    }
    assert dict(parse_qsl(query.url_params(sort="date"))) == {"q": "πλατεία", "sort": "date"}
    assert dict(parse_qsl(query.url_params(q=""))) == {}


def test_facet_values_are_toggled():
    query = ArchiveQuery.from_form({"body": "ds", "year_from": "1979", "year_to": "1979"})
    assert query.is_selected("year", 1979) and query.is_selected("body", "ds")
    assert parse_qsl(query.toggled("body", "de")) == [
        ("body", "ds"),
        ("body", "de"),
        ("year_from", "1979"),
        ("year_to", "1979"),
    ]
    assert parse_qsl(query.toggled("body", "ds")) == [("year_from", "1979"), ("year_to", "1979")]
    assert parse_qsl(query.toggled("year", "1979")) == [("body", "ds")]
    assert ("year_from", "2024") in parse_qsl(query.toggled("year", "2024"))
    assert ("amended", "1") in parse_qsl(query.toggled("amended", "1"))
    assert ("origin", "digital") in parse_qsl(query.toggled("origin", "digital"))


def _form(params):
    form = {}
    for name, value in parse_qsl(params):
        form.setdefault(name, []).append(value)
    return form
