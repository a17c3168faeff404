"""@search over HTTP: anonymous visitors find published content in any Greek form."""

from plone import api

import requests
import transaction


def add(portal, type_, id_, title, publish=True):
    with api.env.adopt_roles(["Manager"]):
        obj = api.content.create(container=portal, type=type_, id=id_, title=title)
        if publish:
            api.content.transition(obj, to_state="published")
    transaction.commit()


def anonymous_search(portal, text):
    response = requests.get(
        f"{portal.absolute_url()}/@search",
        params={"SearchableText": text},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    return response.json()


def test_anonymous_search_finds_published_only(functional_portal):
    add(functional_portal, "Document", "public", "Απόφαση Δημοτικού Συμβουλίου 12/2026")
    add(functional_portal, "Document", "draft", "Σχέδιο απόφασης του Δημάρχου", publish=False)

    items = anonymous_search(functional_portal, "ΑΠΟΦΑΣΕΙΣ")["items"]

    assert [item["@id"].rsplit("/", 1)[-1] for item in items] == ["public"]
    assert items[0]["title"] == "Απόφαση Δημοτικού Συμβουλίου 12/2026"


def test_anonymous_search_unaccented_lowercase(functional_portal):
    add(functional_portal, "News Item", "news", "Ο Δήμος ανακοινώνει")
    assert anonymous_search(functional_portal, "δημος")["items_total"] == 1
