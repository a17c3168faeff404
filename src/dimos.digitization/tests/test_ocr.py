"""read_page: one tesseract pass per model gives text, hOCR and a page PDF; the model is chosen.

Real pages, cut to a few lines each so a pass takes about a second.
"""

from dimos.digitization.pipeline import ocr
from dimos.digitization.pipeline.model import Options
from dimos.digitization.pipeline.raster import render_pdf_page
from dimos.digitization.testing_scans import DIAVGEIA
from dimos.digitization.testing_scans import OCR_GREEK
from PIL import Image

import pytest
import subprocess


SERVICE_CHANGE = next((DIAVGEIA / "ServiceChange").glob("*.pdf"))
LOBECK = OCR_GREEK / "gt4histcomment" / "bsb10234118" / "imgs" / "bsb10234118_0017.png"


@pytest.fixture(scope="module")
def modern(tmp_path_factory):
    """The top third of a real decision's first page, 300 DPI grey JPEG."""
    folder = tmp_path_factory.mktemp("modern")
    page = render_pdf_page(SERVICE_CHANGE, 1, folder / "full.jpg", dpi=300)
    with Image.open(page) as image:
        image.crop((0, 0, image.width, image.height // 3)).save(
            folder / "top.jpg", quality=80, dpi=(300, 300)
        )
    return folder / "top.jpg"


@pytest.fixture(scope="module")
def polytonic(tmp_path_factory):
    """A third of a page of Lobeck's 1835 commentary (all polytonic Greek)."""
    out = tmp_path_factory.mktemp("polytonic") / "lobeck.png"
    with Image.open(LOBECK) as image:
        image.crop((0, image.height // 3, image.width, image.height * 2 // 3)).save(out)
    return out


def test_hocr_words_and_polytonic_marks():
    hocr = (
        "<span class='ocrx_word' id='word_1_1' title='bbox 10 20 110 60; x_wconf 91'>"
        "Δήμος</span> <span class='ocrx_word' id='word_1_2' title='bbox 120 20 200 60; "
        "x_wconf 45'><strong>ἀρχῇ</strong></span>"
    )
    assert ocr.hocr_words(hocr) == [
        ("Δήμος", 91.0, (10, 20, 110, 60)),
        ("ἀρχῇ", 45.0, (120, 20, 200, 60)),
    ]
    reading = ocr.reading_from("ell", "", hocr)
    assert reading.confidence == 68.0
    assert reading.polytonic_share == 0.5
    assert not ocr.is_polytonic("Απόφαση") and ocr.is_polytonic("ἀρχῇ")


@pytest.mark.ocr
def test_modern_page_read_once_with_ell(modern, tmp_path):
    page = ocr.read_page(modern, tmp_path, 1, Options())
    assert (page.language, page.script, page.source) == ("ell", "monotonic", "ocr")
    # The crop holds a signature stamp in Latin letters, which ell reads badly.
    assert page.confidence > 60
    assert "ΑΠΟΦΑΣΗ" in page.text and "ΔΗΜΑΡΧΟΣ" in page.text
    # One pass, three artefacts; no other model was tried.
    assert sorted(path.name for path in (tmp_path / "ocr").iterdir()) == [
        "page-0001.hocr",
        "page-0001.pdf",
        "page-0001.txt",
    ]
    assert page.hocr == "ocr/page-0001.hocr"
    # The page PDF is searchable: its invisible text layer holds the words.
    layer = subprocess.run(
        ["pdftotext", str(tmp_path / "ocr" / "page-0001.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "ΔΗΜΑΡΧΟΣ" in layer


@pytest.mark.ocr
def test_polytonic_page_tries_the_polytonic_models(polytonic, tmp_path):
    page = ocr.read_page(polytonic, tmp_path, 3, Options(), polytonic_hint=True)
    assert page.script == "polytonic"
    assert page.language in ("ell", "grc", "ell+grc")
    names = {path.name for path in (tmp_path / "ocr").iterdir()}
    assert {"page-0003.txt", "page-0003.hocr", "page-0003.pdf"} <= names
    # The two models not kept left their readings beside the kept one.
    others = {"ell", "grc", "ell-grc"} - {page.language.replace("+", "-")}
    assert {f"page-0003.{model}.txt" for model in others} <= names
    assert any(ocr.is_polytonic(word) for word in page.text.split())


@pytest.mark.ocr
def test_low_confidence_is_flagged(modern, tmp_path):
    page = ocr.read_page(modern, tmp_path, 1, Options(review_below=99.5))
    assert page.flagged


def test_stand_in_runs_no_ocr(modern, tmp_path):
    page = ocr.read_page(modern, tmp_path, 2, Options(engine="stand-in"))
    assert (page.text, page.confidence, page.flagged) == ("", 100.0, False)
    pdf = tmp_path / "ocr" / "page-0002.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert not (tmp_path / "ocr" / "page-0002.hocr").exists()
