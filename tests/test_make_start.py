"""End to end: what `make start` does, on a throw-away var/ and port.

Runs the buildout's real `bin/instance` (the same zope.conf and wsgi.ini,
pointed at a temporary var/ and a free port): creates the site with
scripts/create_site.py, serves it, searches it anonymously, adds a document as
admin, stops, runs the site creation again and checks that nothing was lost.
"""

from dimos.policy.testing_instance import ThrowawayInstance

import pytest
import requests
import stat


pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def instance(tmp_path_factory):
    return ThrowawayInstance(tmp_path_factory.mktemp("dimos"))


def search(url, text, auth=None):
    response = requests.get(
        f"{url}/@search",
        params={"SearchableText": text},
        headers={"Accept": "application/json"},
        auth=auth,
        timeout=30,
    )
    assert response.status_code == 200
    return {item["@id"].rsplit("/", 1)[-1] for item in response.json()["items"]}


def test_make_start_flow(instance):
    first = instance.create_site()
    password_file = instance.var / "admin-password"
    password = password_file.read_text().strip()
    assert "Created the Plone site /dimos" in first
    assert password in first  # shown once, on creation
    assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
    assert password != "admin" and len(password) >= 20

    admin = ("admin", password)
    with instance.serving():
        url = instance.url
        # anonymous, Greek in any form, published demo content only
        assert search(url, "ΠΡΟΫΠΟΛΟΓΙΣΜΟΙ") == {"proypologismos-2027"}
        # The demo's contact page, and its WiFi spot on the town hall square.
        assert search(url, "δημαρχειου") == {"epikoinonia", "plateia-dimarcheiou"}
        assert (
            requests.get(
                f"{url}/@controlpanels", timeout=30, headers={"Accept": "application/json"}
            ).status_code
            == 401
        )
        created = requests.post(
            url,
            auth=admin,
            timeout=30,
            headers={"Accept": "application/json", "Content-Type": "application/json"},
            json={"@type": "Document", "id": "draft", "title": "Σχέδιο κανονισμού κοιμητηρίων"},
        )
        assert created.status_code == 201, created.text
        assert search(url, "κοιμητηρια") == set()  # private: anonymous cannot see it
        assert search(url, "ΚΟΙΜΗΤΗΡΙΟΥ", auth=admin) == {"draft"}

    second = instance.create_site()
    assert "exists already" in second
    assert password not in second
    assert password_file.read_text().strip() == password

    with instance.serving():
        assert search(instance.url, "κοιμητήριο", auth=admin) == {"draft"}
        assert search(instance.url, "προυπολογισμος") == {"proypologismos-2027"}
