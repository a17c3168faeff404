"""@search over HTTP: anonymous visitors find published content in any Greek form."""

from plone import api
import requests
import transaction


def test_anonymous_search_finds_published_only(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        public = api.content.create(
            container=portal,
            type="Document",
            id="public",
            title="Απόφαση Δημοτικού Συμβουλίου 12/2026",
        )
        api.content.transition(public, to_state="published")
        api.content.create(
            container=portal,
            type="Document",
            id="draft",
            title="Σχέδιο απόφασης του Δημάρχου",
        )
    transaction.commit()

    response = requests.get(
        f"{portal.absolute_url()}/@search",
        params={"SearchableText": "ΑΠΟΦΑΣΕΙΣ"},
        headers={"Accept": "application/json"},
        timeout=30,
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    items = response.json()["items"]
    assert [item["@id"].rsplit("/", 1)[-1] for item in items] == ["public"]
    assert items[0]["title"] == "Απόφαση Δημοτικού Συμβουλίου 12/2026"


def test_anonymous_search_unaccented_lowercase(functional_portal):
    portal = functional_portal
    with api.env.adopt_roles(["Manager"]):
        doc = api.content.create(
            container=portal,
            type="News Item",
            id="news",
            title="Ο Δήμος ανακοινώνει",
        )
        api.content.transition(doc, to_state="published")
    transaction.commit()
    response = requests.get(
        f"{portal.absolute_url()}/@search",
        params={"SearchableText": "δημος"},
        headers={"Accept": "application/json"},
        timeout=30,
    )
    assert response.status_code == 200
    assert response.json()["items_total"] == 1
