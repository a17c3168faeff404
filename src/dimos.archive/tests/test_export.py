"""decisions.csv: the metadata of every match, UTF-8 with a BOM, a Greek header, as an attachment."""

from dimos.archive import export
from dimos.archive.export import HEADER
from dimos.policy.testing import save_http_example
from pathlib import Path

import csv
import io
import pytest
import requests
import sys
import transaction


sys.path.insert(0, str(Path(__file__).parent))  # the shared builders, in test_search_data.py
from test_search_data import build_archive  # noqa: E402


@pytest.fixture(scope="class")
def site(functional_portal_class):
    archive = build_archive(functional_portal_class)
    transaction.commit()
    return functional_portal_class.absolute_url(), archive


def download(url, example=None, **params):
    response = requests.get(f"{url}/decisions.csv", params=params, timeout=60)
    if example:
        save_http_example(example, response)
    return response


def rows(response):
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


class TestCSV:
    def test_every_public_decision_newest_first(self, site):
        url, archive = site
        response = download(url)
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"] == 'attachment; filename="apofaseis.csv"'
        header, *found = rows(response)
        assert tuple(header) == HEADER
        assert header[0] == "Αριθμός" and header[6] == "ΑΔΑ"
        assert [row[7] for row in found] == [
            "Τροποποίηση του προϋπολογισμού 2024",
            "Ανάθεση υπηρεσιών καθαριότητας",
            "Έγκριση προϋπολογισμού 2024",
            "Ονοματοδοσία πλατείας",
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)",
        ]
        budget = found[2]
        assert budget == [
            str(archive.budget.decision_number),
            "2024",
            "2024-03-12",
            "Δημοτικό Συμβούλιο",
            "Β.1.1 ΕΓΚΡΙΣΗ ΠΡΟΥΠΟΛΟΓΙΣΜΟΥ",
            "Οικονομικά",
            "ΨΩΡ1ΩΛ7-ΑΒΓ",
            "Έγκριση προϋπολογισμού 2024",
            "digital",
            archive.budget.absolute_url(),
        ]
        assert found[1][5] == "Οικονομικά; Καθαριότητα"
        assert found[4][:3] == ["45", "1979", "1979-04-02"] and found[4][8] == "digitized"

    def test_the_query_of_the_page_picks_the_rows(self, site):
        url, _ = site
        response = download(url, "archive-decisions-csv", q="πλατεια", sort="date-asc")
        assert [row[7] for row in rows(response)[1:]] == [
            "Ονοματοδοσία πλατείας Ελευθερίας (1979)",
            "Ονοματοδοσία πλατείας",
        ]
        # every match, whatever the page and its size
        assert len(rows(download(url, size="1", page="2"))) == 1 + 5

    def test_written_in_chunks_in_the_same_order(self, site, monkeypatch):
        url, _ = site
        whole = rows(download(url))
        monkeypatch.setattr(export, "CHUNK", 2)
        assert rows(download(url)) == whole

    def test_a_bad_parameter_is_a_400(self, site):
        url, _ = site
        response = download(url, year_from="πέρσι")
        assert response.status_code == 400
        assert response.text.startswith("Το έτος «πέρσι» δεν είναι έγκυρο")
