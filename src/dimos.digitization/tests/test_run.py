"""process: a whole document through the pipeline, on real Diavgeia PDFs."""

from dimos.digitization.pipeline.model import Job
from dimos.digitization.pipeline.raster import render_pdf_page
from dimos.digitization.pipeline.run import process
from dimos.digitization.testing_scans import DIAVGEIA
from PIL import Image

import hashlib
import json
import pytest
import subprocess


SERVICE_CHANGE = next((DIAVGEIA / "ServiceChange").glob("*.pdf"))  # 1 page, good text layer
GARBLED = next((DIAVGEIA / "OtherDecisions").glob("*.pdf"))  # 1 page, broken glyph map


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pdf_text(pdf, page):
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_good_text_layer_is_kept_without_ocr(tmp_path):
    result = process(Job(source=SERVICE_CHANGE, workdir=tmp_path / "work"))
    [page] = result.pages
    assert (page.source, page.confidence, page.flagged) == ("text-layer", None, False)
    assert "ΑΥΤΟΔΙΚΑΙΗΣ" in page.text
    # Nothing was rendered or read; the searchable PDF is the original (signature intact).
    assert not (tmp_path / "work" / "pages").exists()
    assert not (tmp_path / "work" / "ocr").exists()
    assert result.searchable_pdf.read_bytes() == SERVICE_CHANGE.read_bytes()


@pytest.mark.ocr
def test_mixed_document_ocrs_only_the_garbled_page(tmp_path):
    source = tmp_path / "mixed.pdf"
    subprocess.run(["pdfunite", str(SERVICE_CHANGE), str(GARBLED), str(source)], check=True)
    before = _digest(source)
    workdir = tmp_path / "work"
    result = process(Job(source=source, workdir=workdir))
    assert _digest(source) == before  # the original is only read
    first, second = result.pages
    assert first.source == "text-layer" and first.text_layer_problem is None
    assert second.source == "ocr" and second.text_layer_problem is not None
    assert second.language == "ell" and second.script == "monotonic"
    assert "Αναγνώριση" in second.text or "ΑΝΑΓΝΩΡΙΣΗ" in second.text
    # Only the page that needed OCR was rasterized.
    assert [path.name for path in (workdir / "pages").iterdir()] == ["page-0002.jpg"]
    # Searchable PDF: the original page 1, the OCR'd page 2 with its invisible text.
    assert "ΑΥΤΟΔΙΚΑΙΗΣ" in _pdf_text(result.searchable_pdf, 1)
    assert "Αναγνώριση" in _pdf_text(result.searchable_pdf, 2)
    stored = json.loads((workdir / "result.json").read_text(encoding="utf-8"))
    assert stored["sha256"] == before
    assert stored["searchable_pdf"] == "searchable.pdf"
    assert [page["source"] for page in stored["pages"]] == ["text-layer", "ocr"]
    assert stored["pages"][1]["hocr"] == "ocr/page-0002.hocr"


@pytest.mark.ocr
def test_upside_down_scan_is_turned_and_read(tmp_path):
    page = render_pdf_page(SERVICE_CHANGE, 1, tmp_path / "page.jpg", dpi=300)
    scan = tmp_path / "scan.jpg"
    with Image.open(page) as image:
        top = image.crop((0, 0, image.width, image.height // 3))
        top.rotate(180).save(scan, quality=85, dpi=(300, 300))
    before = _digest(scan)
    result = process(Job(source=scan, workdir=tmp_path / "work"))
    [read] = result.pages
    assert read.rotation == 180
    assert read.confidence > 60  # upside down it read at 27
    assert "ΑΠΟΦΑΣΗ" in read.text and "ΔΗΜΑΡΧΟΣ" in read.text
    assert _digest(scan) == before
