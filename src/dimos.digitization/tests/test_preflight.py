"""Preflight: accept PDF/TIFF/PNG/JPEG by content, reject every broken or unfit file with a reason."""

from dimos.digitization.pipeline.model import Limits
from dimos.digitization.pipeline.model import Rejected
from dimos.digitization.pipeline.preflight import preflight
from dimos.digitization.pipeline.preflight import sha256
from dimos.digitization.testing_scans import DIAVGEIA
from dimos.digitization.testing_scans import encrypt_pdf
from dimos.digitization.testing_scans import huge_png
from dimos.digitization.testing_scans import make_image
from dimos.digitization.testing_scans import make_pdf
from dimos.digitization.testing_scans import truncate

import hashlib
import json
import pytest
import resource


def rejected(path, **options):
    with pytest.raises(Rejected) as info:
        preflight(path, **options)
    error = info.value
    assert error.message_el and error.message_en
    assert path.name in error.message_en
    return error


def test_pdf_accepted_with_pages_sizes_hash_and_json(tmp_path):
    pdf = make_pdf(tmp_path / "decision.pdf", pages=3, page_mm=(210, 297))
    result = preflight(pdf, workdir=tmp_path / "work")
    assert (result.kind, result.page_count, result.dpi) == ("pdf", 3, None)
    assert result.size == pdf.stat().st_size
    assert result.sha256 == hashlib.sha256(pdf.read_bytes()).hexdigest()
    for width, height in result.page_sizes_mm:
        assert width == pytest.approx(210, abs=2) and height == pytest.approx(297, abs=2)
    saved = json.loads((tmp_path / "work" / "preflight.json").read_text("utf-8"))
    assert saved["sha256"] == result.sha256 and saved["page_count"] == 3


def test_real_diavgeia_pdf(tmp_path):
    pdf = DIAVGEIA / "Opinion" / "6ΓΖΚΟΡΡΕ-ΖΞΚ.pdf"
    result = preflight(pdf)
    assert (result.kind, result.page_count) == ("pdf", 6)
    assert result.page_sizes_mm[0] == pytest.approx((209.0, 297.1), abs=1)


def test_format_found_by_content_not_name(tmp_path):
    png = make_image(tmp_path / "scan.png", "png", dpi=300)
    disguised = tmp_path / "scan.pdf"
    png.rename(disguised)
    assert preflight(disguised).kind == "png"
    word = tmp_path / "letter.pdf"
    word.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # a .docx named .pdf
    assert rejected(word).code == "unsupported-format"


@pytest.mark.parametrize("kind", ["png", "jpeg", "tiff"])
def test_images_accepted_with_dpi_and_size(tmp_path, kind):
    image = make_image(tmp_path / f"scan.{kind}", kind, size=(2480, 3508), dpi=300)
    result = preflight(image)
    assert (result.kind, result.page_count, result.dpi) == (kind, 1, (300,))
    assert result.page_sizes_mm[0] == pytest.approx((210, 297), abs=1)


def test_multipage_tiff(tmp_path):
    tiff = make_image(tmp_path / "book.tif", "tiff", size=(1240, 1754), dpi=150, pages=3)
    result = preflight(tiff)
    assert (result.page_count, result.dpi) == (3, (150, 150, 150))


def test_empty(tmp_path):
    (tmp_path / "zero.pdf").write_bytes(b"")
    assert rejected(tmp_path / "zero.pdf").code == "empty"


def test_truncated_pdf(tmp_path):
    pdf = make_pdf(tmp_path / "whole.pdf", pages=2)
    assert rejected(truncate(pdf, tmp_path / "cut.pdf", 0.7)).code == "truncated"


@pytest.mark.parametrize("kind", ["png", "jpeg", "tiff"])
def test_truncated_images(tmp_path, kind):
    image = make_image(tmp_path / f"whole.{kind}", kind, dpi=300, pages=1)
    error = rejected(truncate(image, tmp_path / f"cut.{kind}", 0.6))
    assert error.code == "truncated"


def test_truncated_multipage_tiff(tmp_path):
    tiff = make_image(tmp_path / "whole.tif", "tiff", dpi=300, pages=3)
    assert rejected(truncate(tiff, tmp_path / "cut.tif", 0.9)).code == "truncated"


def test_corrupt_pdf_and_image(tmp_path):
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4\nnot a pdf at all\n%%EOF\n")
    assert rejected(tmp_path / "bad.pdf").code == "corrupt"
    (tmp_path / "bad.jpg").write_bytes(b"\xff\xd8\xff" + b"noise" * 50)
    assert rejected(tmp_path / "bad.jpg").code == "corrupt"


def test_password_protected_pdf(tmp_path):
    pdf = encrypt_pdf(make_pdf(tmp_path / "plain.pdf"), tmp_path / "locked.pdf")
    error = rejected(pdf)
    assert error.code == "encrypted"
    assert "κωδικό" in error.message_el and "password" in error.message_en


def test_low_dpi_declared(tmp_path):
    error = rejected(make_image(tmp_path / "fax.png", "png", size=(827, 1169), dpi=100))
    assert error.code == "low-dpi"
    assert "100 DPI" in error.message_en and "declares" in error.message_en


@pytest.mark.parametrize("kind", ["png", "jpeg"])
def test_low_dpi_estimated_as_a4_when_not_declared(tmp_path, kind):
    error = rejected(make_image(tmp_path / f"photo.{kind}", kind, size=(800, 1131), dpi=None))
    assert error.code == "low-dpi"
    assert "A4" in error.message_en and "A4" in error.message_el
    assert "97 DPI" in error.message_en  # 1131 px over 297 mm


def test_undeclared_dpi_large_enough_is_accepted(tmp_path):
    result = preflight(make_image(tmp_path / "a4.png", "png", size=(2480, 3508), dpi=None))
    assert result.dpi == (300,)


def test_page_too_large_in_mm_either_orientation(tmp_path):
    assert preflight(make_pdf(tmp_path / "a0.pdf", page_mm=(1189, 841))).page_count == 1
    big = make_pdf(tmp_path / "map.pdf", page_mm=(1000, 1400))
    assert rejected(big).code == "page-too-large"
    poster = make_image(tmp_path / "poster.png", "png", size=(3000, 6000), dpi=100)
    assert rejected(poster, limits=Limits(min_dpi=50)).code == "page-too-large"


def test_too_many_pixels(tmp_path):
    image = make_image(tmp_path / "scan.png", "png", dpi=300)
    assert rejected(image, limits=Limits(max_pixels=1_000_000)).code == "page-too-large"


def test_decompression_bomb_rejected_without_decoding(tmp_path):
    bomb = huge_png(tmp_path / "bomb.png", 30000, 30000)  # 900 million pixels, 100 bytes
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    error = rejected(bomb)
    assert error.code == "page-too-large"
    assert "900,000,000" in error.message_en
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 100_000  # decoding would need 900 MB


def test_too_many_pages(tmp_path):
    pdf = make_pdf(tmp_path / "long.pdf", pages=3)
    assert rejected(pdf, limits=Limits(max_pages=2)).code == "too-many-pages"
    tiff = make_image(tmp_path / "long.tif", "tiff", pages=3)
    assert rejected(tiff, limits=Limits(max_pages=2)).code == "too-many-pages"


def test_missing_file_is_rejected_not_crashed(tmp_path):
    assert rejected(tmp_path / "gone.pdf").code == "unreadable"


def test_sha256_streams_large_files(tmp_path):
    big = tmp_path / "big.bin"
    with open(big, "wb") as stream:
        for _ in range(5):
            stream.write(b"x" * (1 << 20) + b"y")
    assert sha256(big) == hashlib.sha256(big.read_bytes()).hexdigest()
