"""Nothing of a non-public decision leaks: not in hits, facet counts, JSON, CSV or Atom, for anyone.

The archive holds a draft, a submitted and an approved decision, each with a
word, a body, a year, a type and a category of its own; and the draft amends a
public decision. Anonymous and a Manager must see the same five public
decisions, and nothing of the three others.
"""

from pathlib import Path
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from xml.etree import ElementTree

import pytest
import requests
import sys
import transaction


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402
from test_search_data import public_titles  # noqa: E402
from test_search_data import SECRET_BODY  # noqa: E402
from test_search_data import SECRET_CATEGORY  # noqa: E402
from test_search_data import SECRET_WORD  # noqa: E402
from test_search_data import SECRET_YEAR  # noqa: E402


JSON = {"Accept": "application/json"}
ATOM = "{http://www.w3.org/2005/Atom}"
SECRET_TOKEN = "G.3.4"
USERS = {"anonymous": None, "manager": (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)}


@pytest.fixture(scope="class")
def site(functional_portal_class):
    archive = build_archive(functional_portal_class)
    transaction.commit()
    return functional_portal_class.absolute_url(), archive


def decisions(url, auth, **params):
    response = requests.get(
        f"{url}/@decisions", params={"size": "100", **params}, headers=JSON, auth=auth, timeout=60
    )
    assert response.status_code == 200, response.text
    return response.json()


def facet_values(found):
    return {(facet, v["value"]) for facet, values in found["facets"].items() for v in values}


def secret_values():
    return {
        ("body", SECRET_BODY),
        ("year", str(SECRET_YEAR)),
        ("type", SECRET_TOKEN),
        ("category", SECRET_CATEGORY),
    }


@pytest.mark.parametrize("user", USERS)
class TestNothingLeaks:
    def test_the_hidden_decisions_are_there_to_be_hidden(self, site, user):
        _, archive = site
        catalog = api.portal.get_tool("portal_catalog")
        hidden = catalog.unrestrictedSearchResults(SearchableText=SECRET_WORD)
        assert {b.review_state for b in hidden} == {"draft", "submitted", "approved"}
        assert len(archive.hidden) == 3

    def test_json_hits_and_facets(self, site, user):
        url, archive = site
        found = decisions(url, USERS[user])
        assert found["items_total"] == 5
        assert sorted(item["title"] for item in found["items"]) == public_titles(archive)
        assert SECRET_WORD not in str(found)
        assert facet_values(found) & secret_values() == set()
        assert sum(v["count"] for v in found["facets"]["body"]) == 5
        assert sum(v["count"] for v in found["facets"]["year"]) == 5

    @pytest.mark.parametrize(
        "params",
        [
            {"q": SECRET_WORD},
            {"q": "κρυφοσχεδ*"},
            {"body": SECRET_BODY},
            {"year_from": str(SECRET_YEAR), "year_to": str(SECRET_YEAR)},
            {"date_from": "2022-01-01", "date_to": "2022-12-31"},
            {"type": SECRET_TOKEN},
            {"category": SECRET_CATEGORY},
        ],
    )
    def test_searching_for_them_finds_nothing(self, site, user, params):
        url, _ = site
        found = decisions(url, USERS[user], **params)
        assert found["items_total"] == 0 and found["items"] == []
        for facet, values in found["facets"].items():
            for value in values:
                # only a value the query itself picked, with nothing counted
                if (facet, value["value"]) in secret_values():
                    assert value["selected"] and value["count"] == 0

    def test_a_draft_amendment_does_not_make_its_target_amended(self, site, user):
        url, _ = site
        found = decisions(url, USERS[user], amended="1")
        assert [item["title"] for item in found["items"]] == ["Έγκριση προϋπολογισμού 2024"]
        everything = decisions(url, USERS[user])
        assert everything["facets"]["amended"][0]["count"] == 1

    def test_csv(self, site, user):
        url, archive = site
        response = requests.get(f"{url}/decisions.csv", auth=USERS[user], timeout=60)
        assert response.status_code == 200
        text = response.content.decode("utf-8-sig")
        rows = text.splitlines()[1:]
        assert len(rows) == 5
        assert SECRET_WORD not in text and SECRET_CATEGORY not in text
        secret = requests.get(
            f"{url}/decisions.csv", params={"q": SECRET_WORD}, auth=USERS[user], timeout=60
        )
        assert secret.content.decode("utf-8-sig").splitlines()[1:] == []

    def test_atom(self, site, user):
        url, archive = site
        response = requests.get(f"{url}/decisions.atom", auth=USERS[user], timeout=60)
        feed = ElementTree.fromstring(response.content)
        titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
        assert len(titles) == 5
        assert SECRET_WORD not in response.text and SECRET_CATEGORY not in response.text
        assert sorted(title.split(" — ", 1)[1] for title in titles) == public_titles(archive)
