"""The body of POST /@digitization, built from a pipeline result (docs/digitization.md)."""

from datetime import date
from dimos.digitization.payload import file_parts
from dimos.digitization.payload import to_payload
from dimos.digitization.pipeline.model import DecisionMetadata
from dimos.digitization.pipeline.model import DocumentResult
from dimos.digitization.pipeline.model import ManifestEntry
from dimos.digitization.pipeline.model import PageResult
from dimos.digitization.pipeline.model import Reference

import json


def result(tmp_path, kind="pdf", name="1979-045.pdf"):
    source = tmp_path / name
    source.write_bytes(b"%PDF-1.4 original scan \x00\xff")
    searchable = tmp_path / "searchable.pdf"
    searchable.write_bytes(b"%PDF-1.4 searchable")
    pages = (
        PageResult(1, "ΑΠΟΦΑΣΗ 45/1979", "ocr", "ell", "monotonic", 91.5, False),
        PageResult(
            2, "Ὁ Δήμαρχος", "ocr", "grc", "polytonic", 55.0, True, text_layer_problem="empty"
        ),
    )
    metadata = DecisionMetadata(
        decision_number=45,
        decision_year=1979,
        meeting_date=date(1979, 3, 12),
        body="Δημοτικό Συμβούλιο",
        subject="Ύδρευση",
        references=(Reference(12, 1978, "amends"),),
    )
    return DocumentResult("ab" * 32, source, kind, pages, searchable, metadata, tmp_path)


def test_payload_names_the_files_pages_and_metadata(tmp_path):
    built = result(tmp_path)
    payload = to_payload(built)
    json.dumps(payload)  # ready for the wire
    assert payload["sha256"] == "ab" * 32
    assert payload["filename"] == "1979-045.pdf"
    assert payload["publish"] is True
    # the files' bytes are not in the JSON: they travel as parts beside it, unencoded
    assert payload["source"] == {"filename": "1979-045.pdf", "content-type": "application/pdf"}
    assert payload["searchable_pdf"] == {
        "filename": "1979-045.searchable.pdf",
        "content-type": "application/pdf",
    }
    assert file_parts(built) == {
        "source": ("1979-045.pdf", built.source, "application/pdf"),
        "searchable_pdf": ("1979-045.searchable.pdf", built.searchable_pdf, "application/pdf"),
    }
    assert payload["pages"][1] == {
        "number": 2,
        "text": "Ὁ Δήμαρχος",
        "source": "ocr",
        "language": "grc",
        "script": "polytonic",
        "confidence": 55.0,
        "flagged": True,
        "text_layer_problem": "empty",
    }
    assert payload["metadata"] == {
        "body": "Δημοτικό Συμβούλιο",
        "decision_number": 45,
        "decision_year": 1979,
        "meeting_date": "1979-03-12",
        "subject": "Ύδρευση",
        "references": [{"number": 12, "year": 1978, "relation": "amends"}],
    }


def test_manifest_wins_over_the_text_where_it_says_something(tmp_path):
    manifest = ManifestEntry(
        file="1979-045.pdf",
        body="Δημοτική Επιτροπή",
        decision_number=46,
        meeting_date=date(1979, 3, 13),
    )
    payload = to_payload(result(tmp_path), manifest, publish=False)
    metadata = payload["metadata"]
    assert metadata["body"] == "Δημοτική Επιτροπή"
    assert metadata["decision_number"] == 46
    assert metadata["meeting_date"] == "1979-03-13"
    # what the manifest leaves empty stays as read from the text
    assert metadata["decision_year"] == 1979 and metadata["subject"] == "Ύδρευση"
    assert payload["publish"] is False


def test_images_keep_their_content_type(tmp_path):
    built = result(tmp_path, kind="tiff", name="scan.tif")
    payload = to_payload(built)
    assert payload["source"]["content-type"] == "image/tiff"
    assert payload["searchable_pdf"]["filename"] == "scan.searchable.pdf"
    assert file_parts(built)["source"] == ("scan.tif", built.source, "image/tiff")
