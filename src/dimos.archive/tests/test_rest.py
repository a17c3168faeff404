"""GET /@decisions over HTTP, for anyone: the archive's search as JSON (saved as the API's examples)."""

from dimos.policy.testing import save_http_example
from pathlib import Path
from urllib.parse import parse_qsl
from urllib.parse import urlsplit

import pytest
import requests
import sys
import transaction


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402
from test_search_data import DEFAULT_BODY  # noqa: E402


JSON = {"Accept": "application/json"}


@pytest.fixture(scope="class")
def site(functional_portal_class):
    archive = build_archive(functional_portal_class)
    transaction.commit()
    return functional_portal_class.absolute_url(), archive


def get(url, example=None, headers=JSON, **params):
    response = requests.get(f"{url}/@decisions", params=params, headers=headers, timeout=60)
    if example:
        save_http_example(example, response)
    return response


def query_of(link):
    return dict(parse_qsl(urlsplit(link).query))


class TestDecisionsJSON:
    def test_a_search_without_accents(self, site):
        url, archive = site
        response = get(url, "archive-decisions-get", q="αποφαση", body=DEFAULT_BODY, size="2")
        assert response.status_code == 200, response.text
        found = response.json()
        assert found["items_total"] == 3
        assert (found["page"], found["size"], len(found["items"])) == (1, 2, 2)
        hit = found["items"][0]
        assert set(hit) >= {
            "@id",
            "uid",
            "title",
            "number",
            "decision_number",
            "decision_year",
            "decision_date",
            "body",
            "decision_type",
            "categories",
            "ada",
            "digitized",
            "snippet",
            "pages",
            "pdf",
            "permalink",
        }
        assert all("<mark>" in item["snippet"] for item in found["items"])
        assert set(found["facets"]) == {"body", "year", "type", "category", "origin", "amended"}
        body = found["facets"]["body"]
        assert {
            "value": DEFAULT_BODY,
            "label": "Δημοτικό Συμβούλιο",
            "count": 3,
            "selected": True,
        } in body
        assert {
            "value": "dimotiki-epitropi",
            "label": "Δημοτική Επιτροπή",
            "count": 1,
            "selected": False,
        } in body

    def test_the_batching_links(self, site):
        url, _ = site
        found = get(url, q="αποφαση", size="2", page="2").json()
        batching = found["batching"]
        assert query_of(found["@id"]) == {"q": "αποφαση", "size": "2", "page": "2"}
        assert batching["@id"] == found["@id"]
        assert query_of(batching["first"]) == {"q": "αποφαση", "size": "2"}
        assert query_of(batching["prev"]) == {"q": "αποφαση", "size": "2"}
        assert batching["next"] is None and batching["last"] == batching["@id"]
        following = requests.get(batching["first"], headers=JSON, timeout=60).json()
        assert following["page"] == 1 and query_of(following["batching"]["next"])["page"] == "2"

    def test_a_scanned_decision_names_its_pages(self, site):
        url, archive = site
        (hit,) = get(url, q="ΑΝΑΡΤΗΘΕΙ").json()["items"]
        assert hit["digitized"] is True and hit["pages"] == [3]
        assert hit["number"] == "45/1979"
        assert hit["permalink"].endswith("/decisions/1979/45")
        assert "<mark>αναρτηθεί</mark>" in hit["snippet"]

    def test_a_bad_parameter_is_a_400_in_the_visitors_language(self, site):
        url, _ = site
        response = get(url, "archive-decisions-bad-date", date_from="12/03/2024")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["type"] == "BadRequest"
        assert error["message"] == error["message_el"]
        assert "ΕΕΕΕ-ΜΜ-ΗΗ" in error["message_el"] and "YYYY-MM-DD" in error["message_en"]
        english = get(url, headers={**JSON, "Accept-Language": "en"}, page="zero")
        assert english.status_code == 400
        assert english.json()["error"]["message"].startswith("The page number “zero”")
        chosen = requests.get(
            f"{url}/@decisions",
            params={"size": "1000"},
            headers={**JSON, "Accept-Language": "en"},
            cookies={"I18N_LANGUAGE": "el"},
            timeout=60,
        )
        assert chosen.json()["error"]["message"].startswith("Το πλήθος ανά σελίδα")
