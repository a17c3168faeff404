"""decisions.atom: an Atom 1.0 feed of the newest public decisions, by publication date."""

from DateTime import DateTime
from dimos.archive.feed import entry_id
from dimos.policy.testing import save_http_example
from pathlib import Path
from plone import api
from xml.etree import ElementTree

import copy
import pytest
import re
import requests
import sys
import transaction
import uuid


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402


ATOM = "{http://www.w3.org/2005/Atom}"
URN = re.compile(r"urn:uuid:[0-9a-f-]{36}")


@pytest.fixture(scope="class")
def site(functional_portal_class):
    archive = build_archive(functional_portal_class)
    # published one after the other, a day apart: the square last
    order = (archive.scanned, archive.budget, archive.cleaning, archive.amendment, archive.square)
    for days, decision in enumerate(order):
        decision.setEffectiveDate(DateTime("2026/01/01 10:00 GMT+2") + days)
        decision.reindexObject(idxs=["effective", "effectiveRange"])
    transaction.commit()
    return functional_portal_class.absolute_url(), archive


def with_fixed_ids(response):
    """A copy of ``response`` whose entry ids do not change from run to run (for the docs)."""
    shown = copy.copy(response)
    shown._content = URN.sub(
        "urn:uuid:01234567-89ab-cdef-0123-456789abcdef", response.text
    ).encode()
    return shown


def text(element, tag):
    return element.findtext(f"{ATOM}{tag}")


class TestFeed:
    def test_the_newest_public_decisions(self, site):
        url, archive = site
        response = requests.get(f"{url}/decisions.atom", timeout=60)
        save_http_example("archive-decisions-atom", with_fixed_ids(response))
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "application/atom+xml;charset=utf-8"
        feed = ElementTree.fromstring(response.content)
        assert feed.tag == f"{ATOM}feed"
        assert text(feed, "id") == f"{url}/decisions.atom"
        assert text(feed, "title").startswith("Αποφάσεις — ")
        assert text(feed, "updated")
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links == {"self": f"{url}/decisions.atom", "alternate": f"{url}/decisions"}
        entries = feed.findall(f"{ATOM}entry")
        square = archive.square
        assert [text(entry, "title") for entry in entries] == [
            f"{square.number_label()} — Ονοματοδοσία πλατείας",
            f"{archive.amendment.number_label()} — Τροποποίηση του προϋπολογισμού 2024",
            f"{archive.cleaning.number_label()} — Ανάθεση υπηρεσιών καθαριότητας",
            f"{archive.budget.number_label()} — Έγκριση προϋπολογισμού 2024",
            "45/1979 — Ονοματοδοσία πλατείας Ελευθερίας (1979)",
        ]
        first = entries[0]
        assert text(first, "id") == uuid.UUID(square.UID()).urn
        assert first.find(f"{ATOM}link").get("href") == square.absolute_url()
        assert text(first, "summary") == "Ονοματοδοσία πλατείας"
        assert first.find(f"{ATOM}author").findtext(f"{ATOM}name") == "Δημοτικό Συμβούλιο"
        assert text(first, "published").startswith("2026-01-05T10:00:00")
        assert text(first, "updated") == square.modified().ISO8601()
        assert [c.get("term") for c in first.findall(f"{ATOM}category")] == ["Πολεοδομία"]
        assert entries[2].find(f"{ATOM}author").findtext(f"{ATOM}name") == "Δημοτική Επιτροπή"

    def test_at_most_fifty(self, site):
        url, archive = site
        with api.env.adopt_roles(["Manager"]):
            for _ in range(60):
                decision = api.content.copy(source=archive.square, target=archive.square.aq_parent)
                for transition in ("submit", "approve", "publish"):
                    api.content.transition(obj=decision, transition=transition)
        transaction.commit()
        feed = ElementTree.fromstring(requests.get(f"{url}/decisions.atom", timeout=60).content)
        assert len(feed.findall(f"{ATOM}entry")) == 50


def test_an_entry_id_is_its_uid_as_a_urn():
    assert entry_id("0123456789abcdef0123456789abcdef") == (
        "urn:uuid:01234567-89ab-cdef-0123-456789abcdef"
    )
    assert entry_id("not-a-uuid") == "urn:dimos:decision:not-a-uuid"
