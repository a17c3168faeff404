"""Decisions from the paper archive: their number is read, never invented; their vote is in the scan."""

from dimos.content.testing import add_decision
from dimos.content.testing import council
from dimos.content.testing import run
from plone import api
from plone.namedfile.file import NamedBlobFile

import pytest


pytestmark = pytest.mark.portal(roles=["Manager"])

PAGES = [{"number": 1, "text": "ΑΠΟΦΑΣΗ 45/1979 Εγκρίνει ομόφωνα", "flagged": False}]


def transitions(record):
    wftool = api.portal.get_tool("portal_workflow")
    return {transition["id"] for transition in wftool.getTransitionsFor(record)}


def scanned(portal, **fields):
    values = {"digitization_status": "ocr-done", "decision_number": 45, "decision_year": 1979}
    values.update(fields)
    return add_decision(council(portal), title="Ονοματοδοσία πλατείας", **values)


def test_a_scan_without_a_number_gets_none(portal):
    record = scanned(portal, digitization_status="needs-review", decision_number=None)
    assert record.decision_number is None
    assert record.body().number_book("decisions").last(1979) == 0
    born_digital = add_decision(record.meeting() or record.aq_parent, title="Νέα απόφαση")
    assert born_digital.decision_number == 1  # born-digital decisions are still numbered


def test_a_scan_keeps_the_number_read_from_it(portal):
    record = scanned(portal)
    assert record.number_label() == "45/1979"


def test_digitized_approved_without_structured_vote_and_published_with_its_pages(portal):
    record = run(scanned(portal, ocr_pages=PAGES), "submit")
    assert "approve" in transitions(record)  # the vote is in the scanned text
    run(record, "approve")
    assert "publish" in transitions(record)
    run(record, "publish")
    assert api.content.get_state(record) == "published"


def test_a_searchable_pdf_is_enough_to_publish(portal):
    pdf = NamedBlobFile(b"%PDF-1.4\n%%EOF\n", filename="s.pdf", contentType="application/pdf")
    record = run(scanned(portal, searchable_pdf=pdf), "submit", "approve")
    assert "publish" in transitions(record)


@pytest.mark.parametrize("status", ["needs-review", "scanned", "failed", "born-digital"])
def test_not_yet_trusted_scans_need_the_vote(portal, status):
    record = run(scanned(portal, digitization_status=status, ocr_pages=PAGES), "submit")
    assert "approve" not in transitions(record)


def test_no_number_no_publication(portal):
    record = scanned(portal, digitization_status="reviewed", decision_number=None, ocr_pages=PAGES)
    run(record, "submit", "approve")
    assert "publish" not in transitions(record)


def test_page_texts_are_the_ocr_text_and_are_searchable(portal):
    record = scanned(portal, ocr_pages=PAGES, ocr_text=None)
    assert record.scanned_text() == "ΑΠΟΦΑΣΗ 45/1979 Εγκρίνει ομόφωνα"
    assert [b.UID for b in api.content.find(SearchableText="ομοφωνα")] == [record.UID()]
