"""rasterize: only the pages that need OCR, grey JPEG at the options' DPI; images stay as they are."""

from dimos.digitization.pipeline.model import Options
from dimos.digitization.pipeline.preflight import preflight
from dimos.digitization.pipeline.raster import rasterize
from dimos.digitization.scansim import jpegs_to_pdf
from dimos.digitization.testing_scans import DIAVGEIA
from dimos.digitization.testing_scans import make_image
from PIL import Image

import hashlib
import io


AWARD = next((DIAVGEIA / "Award").glob("*.pdf"))  # 3 pages, A4


def test_pdf_pages_rendered_grey_jpeg_only_those_asked(tmp_path):
    checked = preflight(AWARD)
    images = rasterize(checked, tmp_path, Options(dpi=150), pages=[2])
    assert images == [tmp_path / "pages" / "page-0002.jpg"]
    assert sorted(path.name for path in (tmp_path / "pages").iterdir()) == ["page-0002.jpg"]
    with Image.open(images[0]) as image:
        assert image.format == "JPEG"
        assert image.mode == "L"
        # A4 at 150 DPI: 1240 x 1754 pixels.
        assert abs(image.width - 1240) <= 2 and abs(image.height - 1754) <= 2


def test_single_images_are_read_where_they_are(tmp_path):
    png = make_image(tmp_path / "scan.png", "png", dpi=300)
    before = hashlib.sha256(png.read_bytes()).hexdigest()
    assert rasterize(preflight(png), tmp_path / "work", Options()) == [png]
    assert hashlib.sha256(png.read_bytes()).hexdigest() == before
    assert not (tmp_path / "work" / "pages").exists() or not any(
        (tmp_path / "work" / "pages").iterdir()
    )


def test_tiff_frames_are_written_one_per_page(tmp_path):
    tiff = make_image(tmp_path / "scan.tif", "tiff", dpi=300, pages=3)
    images = rasterize(preflight(tiff), tmp_path / "work", Options())
    assert [path.name for path in images] == ["page-0001.jpg", "page-0002.jpg", "page-0003.jpg"]
    with Image.open(images[2]) as image:
        assert image.mode == "L"
        assert round(image.info["dpi"][0]) == 300


def test_a_scanned_pdf_page_gives_its_own_jpeg_unchanged(tmp_path):
    """No render and no second JPEG loss; only the JFIF header learns the DPI."""
    scans = []
    for number, dpi in enumerate((300, 200), 1):
        image = Image.new("L", (round(8.27 * dpi), round(11.69 * dpi)), 255)
        out = io.BytesIO()
        # Without a JFIF density, as some scanners write it.
        image.save(out, "JPEG", quality=70, dpi=(0, 0) if number == 2 else (dpi, dpi))
        scans.append(out.getvalue())
    pdf = jpegs_to_pdf(scans[:1], tmp_path / "a.pdf", dpi=300)
    pdf_200 = jpegs_to_pdf(scans[1:], tmp_path / "b.pdf", dpi=200)
    for source, data, dpi in ((pdf, scans[0], 300), (pdf_200, scans[1], 200)):
        (page,) = rasterize(preflight(source), tmp_path / source.stem, Options())
        copied = page.read_bytes()
        assert copied[20:] == data[20:]  # the compressed image itself is the scanner's
        with Image.open(page) as image:
            assert image.info["dpi"] == (dpi, dpi)


def test_a_pdf_page_with_more_than_a_scan_is_rendered(tmp_path):
    """A born-digital page (text and a small logo) is rendered, not extracted."""
    (page,) = rasterize(preflight(AWARD), tmp_path, Options(dpi=100), pages=[1])
    with Image.open(page) as image:
        assert abs(image.width - 827) <= 2  # A4 at 100 DPI: the render, not the logo
