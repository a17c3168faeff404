"""rasterize: only the pages that need OCR, grey JPEG at the options' DPI; images stay as they are."""

from dimos.digitization.pipeline.model import Options
from dimos.digitization.pipeline.preflight import preflight
from dimos.digitization.pipeline.raster import rasterize
from dimos.digitization.testing_scans import DIAVGEIA
from dimos.digitization.testing_scans import make_image
from PIL import Image

import hashlib


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
