"""store.create_or_update: a scan's result becomes one CouncilDecision, whatever happens."""

from dimos.digitization.incoming import parse
from dimos.digitization.incoming import StoreError
from dimos.digitization.store import create_or_update
from dimos.digitization.testing import council_body
from dimos.digitization.testing import page
from dimos.digitization.testing import scan_payload
from dimos.digitization.testing import split_files
from plone import api

import copy
import pytest


def uid(record):
    return api.content.get_uuid(record)


def decisions():
    catalog = api.portal.get_tool("portal_catalog")
    return catalog.unrestrictedSearchResults(portal_type="CouncilDecision")


@pytest.fixture
def body(portal):
    return council_body(portal)


def test_creates_a_private_decision_with_pages_files_and_number(body):
    payload = scan_payload()
    stored = create_or_update(payload)
    record = stored.record
    assert stored.created
    assert record.aq_parent.getPhysicalPath() == body.getPhysicalPath()
    assert record.Title() == "Ονοματοδοσία πλατείας"
    assert record.number_label() == "45/1979"
    assert str(record.decision_date) == "1979-03-12"
    assert record.source_sha256 == payload["sha256"]
    assert record.source_scan.data.startswith(b"%PDF-")
    assert record.searchable_pdf.filename == "1979-045.searchable.pdf"
    assert record.page_count == 2
    assert [p["number"] for p in record.ocr_pages] == [1, 2]
    assert record.ocr_confidence == 91.5
    assert record.script == "monotonic"
    assert record.digitization_status == "ocr-done"
    assert record.review_pages == []
    assert api.content.get_state(record) == "draft"  # publish was not asked
    # the text is kept once, per page; the decision's text is the pages'
    assert record.ocr_text is None
    assert "ονοματοδοσία" in record.scanned_text()
    brains = api.content.find(source_sha256=payload["sha256"])
    assert [b.UID for b in brains] == [api.content.get_uuid(record)]
    assert brains[0].digitization_status == "ocr-done"


def test_the_id_comes_from_the_title_and_two_titles_alike_get_two_ids(body):
    first = create_or_update(scan_payload()).record
    second = create_or_update(scan_payload(marker="1979-046", decision_number=46)).record
    assert first.getId() == "onomatodosia-plateias"
    assert second.getId() == "onomatodosia-plateias-1"


def test_same_file_again_updates_the_same_record(body):
    payload = scan_payload()
    first = create_or_update(payload).record
    assert len(api.content.find(SearchableText="ομόφωνα")) == 1
    again = copy.deepcopy(payload)
    again["pages"] = [page(1, "ΑΠΟΦΑΣΗ 45/1979 διορθωμένη"), page(2, "Δεύτερη ανάγνωση")]
    second = create_or_update(again)
    assert not second.created
    assert uid(second.record) == uid(first)
    assert len(decisions()) == 1
    assert [p["text"] for p in first.ocr_pages] == [
        "ΑΠΟΦΑΣΗ 45/1979 διορθωμένη",
        "Δεύτερη ανάγνωση",
    ]
    assert len(api.content.find(SearchableText="ανάγνωση")) == 1
    assert len(api.content.find(SearchableText="ομόφωνα")) == 0  # the old page text is gone


def test_publish_without_flags_publishes_in_the_same_call(body):
    record = create_or_update(scan_payload(publish=True)).record
    assert api.content.get_state(record) == "published"
    assert record.digitization_status == "ocr-done"


def test_a_flagged_page_keeps_it_private_for_review(body):
    pages = [page(1, "ΑΠΟΦΑΣΗ 45/1979"), page(2, "δυσανάγνωστο", confidence=41.0, flagged=True)]
    stored = create_or_update(scan_payload(pages=pages, publish=True))
    record = stored.record
    assert api.content.get_state(record) == "draft"
    assert record.digitization_status == "needs-review"
    assert record.review_pages == [2]
    assert [code for code, *_ in stored.notes] == ["flagged-pages"]


def test_no_number_read_no_number_invented(body):
    stored = create_or_update(
        scan_payload(publish=True, decision_number=None, decision_year=None, meeting_date=None)
    )
    record = stored.record
    assert record.decision_number is None
    assert record.number_label() == ""
    assert record.digitization_status == "needs-review"
    assert api.content.get_state(record) == "draft"
    assert [code for code, *_ in stored.notes] == ["no-number"]
    # the council's book gave no number away either
    assert body.number_book("decisions").last(1979) == 0


def test_body_found_by_title_without_accents_or_case(body):
    record = create_or_update(scan_payload(body="ΔΗΜΟΤΙΚΟ  ΣΥΜΒΟΥΛΙΟ")).record
    assert record.aq_parent.getPhysicalPath() == body.getPhysicalPath()
    record = create_or_update(
        scan_payload(marker="other", body="dimotiko-symvoulio", decision_number=46)
    ).record
    assert record.aq_parent.getPhysicalPath() == body.getPhysicalPath()


def test_unknown_body_lists_the_known_ones(body):
    with pytest.raises(StoreError) as refused:
        create_or_update(scan_payload(body="Δημοτική Επιτροπή"))
    assert refused.value.code == "unknown-body"
    assert "«Δημοτικό Συμβούλιο» (dimotiko-symvoulio)" in refused.value.message_el
    assert "Known bodies" in refused.value.message_en
    assert len(decisions()) == 0


def test_number_taken_by_another_decision(body):
    create_or_update(scan_payload())
    with pytest.raises(StoreError) as refused:
        create_or_update(scan_payload(marker="another-file", subject="Άλλο θέμα"))
    assert refused.value.code == "number-taken"
    assert (
        "45/1979" in refused.value.message_el
        and "Ονοματοδοσία πλατείας" in refused.value.message_el
    )
    assert len(decisions()) == 1


def test_references_become_relations_when_the_decision_exists(body):
    older = create_or_update(
        scan_payload(marker="1978-012", decision_number=12, decision_year=1978, subject="Παλαιά")
    ).record
    record = create_or_update(
        scan_payload(
            references=[
                {"number": 12, "year": 1978, "relation": "amends"},
                {"number": 99, "year": 1970, "relation": "repeals"},  # not in the archive (yet)
                {"number": 12, "year": 1978, "relation": "refers"},
            ]
        )
    ).record
    assert [uid(relation.to_object) for relation in record.amends] == [uid(older)]
    assert record.repeals == []
    amending = api.relation.get(target=older, relationship="amends")
    assert [uid(relation.from_object) for relation in amending] == [uid(record)]


def test_clerks_work_is_not_overwritten(body):
    payload = scan_payload(publish=True)
    record = create_or_update(payload).record
    changed = copy.deepcopy(payload)
    changed["pages"] = [page(1, "κάτι άλλο"), page(2, "κάτι άλλο")]
    stored = create_or_update(changed)
    assert uid(stored.record) == uid(record) and not stored.created
    assert record.ocr_pages[0]["text"].startswith("ΑΠΟΦΑΣΗ")  # published: left as it was


def _without(key):
    def change(payload):
        del payload[key]

    return change


def _set(path, value):
    def change(payload):
        target = payload
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


BAD = {
    "missing-sha256": _without("sha256"),
    "sha256-not-hex": _set(["sha256"], "xyz"),
    "sha256-of-another-file": _set(["sha256"], "0" * 64),
    "bad-base64": _set(["source", "data"], "not base64 !!"),
    "source-not-a-scan": _set(["source", "data"], "aGVsbG8gd29ybGQ="),
    "searchable-not-a-pdf": _set(["searchable_pdf", "data"], "iVBORw0KGgoAAAAA"),
    "no-pages": _set(["pages"], []),
    "pages-not-a-list": _set(["pages"], "1,2"),
    "page-numbers-out-of-order": _set(["pages", 0, "number"], 3),
    "page-without-text": _set(["pages", 1, "text"], None),
    "confidence-over-100": _set(["pages", 0, "confidence"], 180),
    "flagged-not-boolean": _set(["pages", 0, "flagged"], "yes"),
    "bad-meeting-date": _set(["metadata", "meeting_date"], "12/03/1979"),
    "bad-year": _set(["metadata", "decision_year"], 79),
    "no-body": _set(["metadata", "body"], ""),
    "bad-reference": _set(["metadata", "references"], [{"number": "12"}]),
    "publish-not-boolean": _set(["publish"], "yes"),
}


@pytest.mark.parametrize("change", BAD.values(), ids=BAD.keys())
def test_bad_payload_is_refused_with_nothing_created(body, change):
    payload = scan_payload()
    change(payload)
    with pytest.raises(StoreError) as refused:
        create_or_update(payload)
    error = refused.value.payload()
    assert error["message"] == error["messages"]["el"]
    assert error["messages"]["en"] and error["messages"]["el"] != error["messages"]["en"]
    assert refused.value.status == 400
    assert len(decisions()) == 0


def test_not_a_json_object_is_refused(body):
    with pytest.raises(StoreError):
        create_or_update(None)


def test_multipart_files_are_read_and_stored_as_the_json_ones(body):
    payload = scan_payload()
    form, files = split_files(payload)
    assert "data" not in form["source"] and "data" not in form["searchable_pdf"]
    assert parse(form, files) == parse(payload)
    stored = create_or_update(form, files)
    record = stored.record
    assert stored.created
    assert record.source_scan.data == files["source"][1]
    assert record.source_scan.filename == "1979-045.pdf"
    assert record.searchable_pdf.filename == "1979-045.searchable.pdf"
    again = create_or_update(payload)  # the same file as JSON: the same record
    assert not again.created and uid(again.record) == uid(record)
    assert len(decisions()) == 1


def test_a_part_without_a_name_in_the_payload_keeps_its_own(body):
    form, files = split_files(scan_payload())
    del form["source"], form["searchable_pdf"]
    files["source"] = ("scan.pdf", files["source"][1])
    incoming = parse(form, files)
    assert incoming.source.filename == "scan.pdf"
    assert incoming.searchable_pdf.filename == "1979-045.searchable.pdf"
    del files["searchable_pdf"]
    assert parse(form, files).searchable_pdf is None  # neither named nor sent


def _part(name, data):
    def change(form, files):
        files[name] = (files.get(name, ("x.pdf",))[0], data)

    return change


def _no_part(name):
    def change(form, files):
        del files[name]

    return change


BAD_MULTIPART = {
    "no-source-part": (_no_part("source"), "bad-payload"),
    "searchable-named-not-sent": (_no_part("searchable_pdf"), "bad-payload"),
    "source-part-of-another-file": (_part("source", b"%PDF-1.4 another"), "sha256-mismatch"),
    "source-part-empty": (_part("source", b""), "unsupported-format"),
    "searchable-part-not-a-pdf": (_part("searchable_pdf", b"\x89PNG\r\n\x1a\n.."), "not-pdf"),
    "bad-date-beside-good-parts": (
        lambda form, files: form["metadata"].update(meeting_date="12/03/1979"),
        "bad-date",
    ),
}


@pytest.mark.parametrize("change, code", BAD_MULTIPART.values(), ids=BAD_MULTIPART.keys())
def test_bad_multipart_is_refused_with_nothing_created(body, change, code):
    form, files = split_files(scan_payload())
    change(form, files)
    with pytest.raises(StoreError) as refused:
        create_or_update(form, files)
    error = refused.value.payload()
    assert error["type"] == code
    assert error["message"] == error["messages"]["el"]
    assert error["messages"]["en"] and error["messages"]["el"] != error["messages"]["en"]
    assert len(decisions()) == 0
