"""upright: a real decision page turned by a quarter or half turn and skewed comes back straight.

The page is rendered at 150 DPI (the profile and OSD work on downscaled
copies anyway), so each OSD call stays well under a second.
"""

from dimos.digitization.pipeline.preprocess import measure
from dimos.digitization.pipeline.preprocess import upright
from dimos.digitization.pipeline.raster import render_pdf_page
from dimos.digitization.testing_scans import DIAVGEIA
from PIL import Image

import pytest


SERVICE_CHANGE = next((DIAVGEIA / "ServiceChange").glob("*.pdf"))


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    out = tmp_path_factory.mktemp("page") / "page.jpg"
    return render_pdf_page(SERVICE_CHANGE, 1, out, dpi=150)


def _scan(page, out, turn, skew):
    """The page turned clockwise by ``turn`` and tilted counter-clockwise by ``skew``."""
    with Image.open(page) as image:
        turned = image.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=255)
        turned.rotate(-turn, expand=True).save(out, quality=85, dpi=(150, 150))
    return out


def _residual(path):
    with Image.open(path) as image:
        return measure(image)


def test_straight_page_is_not_rewritten(page, tmp_path):
    assert upright(page, tmp_path) == (page, 0, 0.0)
    assert not (tmp_path / "pages").exists()


@pytest.mark.parametrize("skew", [2.0, -3.5])
def test_skew_is_measured_and_corrected(page, tmp_path, skew):
    scan = _scan(page, tmp_path / "scan.jpg", 0, skew)
    out, rotation, corrected = upright(scan, tmp_path)
    assert out == tmp_path / "pages" / "scan.upright.jpg"
    assert rotation == 0
    assert abs(corrected - skew) <= 0.3
    assert abs(_residual(out)) <= 0.3


@pytest.mark.ocr
@pytest.mark.parametrize("turn, skew", [(90, 2.5), (270, -3.0), (180, 4.0)])
def test_turned_pages_come_back_upright(page, tmp_path, turn, skew):
    scan = _scan(page, tmp_path / "scan.jpg", turn, skew)
    # The orchestrator asks for OSD when a first reading is poor.
    out, rotation, corrected = upright(scan, tmp_path, osd=True)
    assert rotation == (360 - turn) % 360
    assert abs(corrected - skew) <= 0.3
    with Image.open(out) as image, Image.open(page) as original:
        # Upright: the portrait page again, its size kept (a turned page would be landscape).
        assert image.size == original.size
    assert abs(_residual(out)) <= 0.3
