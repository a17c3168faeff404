"""Sample files for the digitization tests: small real PDFs and images, good and broken.

Plain Python (Pillow, qpdf); no Plone. Shared by the test modules, which
cannot import each other.
"""

from pathlib import Path
from PIL import Image
from PIL import ImageDraw

import csv
import struct
import subprocess
import zlib


REPO = Path(__file__).resolve().parents[5]
SHARED = REPO.parent / "shared"
DIAVGEIA = SHARED / "eval" / "decisions" / "diavgeia-samples"
OCR_GREEK = SHARED / "eval" / "ocr-greek"


def page_image(size=(1240, 1754), mode="L"):
    """A white page with a few dark "lines of text"."""
    image = Image.new(mode, size, "white")
    draw = ImageDraw.Draw(image)
    width, height = size
    for row in range(8):
        top = height // 10 + row * height // 12
        draw.rectangle(
            (width // 10, top, width * 8 // 10, top + max(1, height // 80)), fill="black"
        )
    return image


def make_image(path, kind="png", size=(1240, 1754), dpi=150, pages=1):
    """Save a page image as PNG, JPEG or (multi-page) TIFF; ``dpi=None`` writes no resolution."""
    path = Path(path)
    options = {"dpi": (dpi, dpi)} if dpi else {}
    images = [page_image(size) for _ in range(pages)]
    if kind == "tiff":
        images[0].save(
            path, "TIFF", save_all=True, append_images=images[1:], compression="tiff_lzw", **options
        )
    elif kind == "jpeg":
        # Without dpi Pillow still writes a JFIF header with density 1:1 (no unit).
        images[0].save(path, "JPEG", quality=70, **options)
    else:
        images[0].save(path, "PNG", **options)
    return path


def make_pdf(path, pages=1, page_mm=(210.0, 297.0), resolution=15):
    """An image-only PDF (like a scan without OCR) with pages of ``page_mm``; a few KB."""
    path = Path(path)
    pixels = tuple(round(mm / 25.4 * resolution) for mm in page_mm)
    images = [page_image(pixels) for _ in range(pages)]
    images[0].save(path, "PDF", resolution=resolution, save_all=True, append_images=images[1:])
    return path


def encrypt_pdf(source, out, password="secret"):
    """A copy of ``source`` that needs ``password`` to open (qpdf, AES-256)."""
    subprocess.run(
        ["qpdf", "--encrypt", password, password + "-owner", "256", "--", str(source), str(out)],
        check=True,
    )
    return Path(out)


def truncate(path, out, keep=0.5):
    """A copy of ``path`` cut after ``keep`` (share) of its bytes."""
    data = Path(path).read_bytes()
    Path(out).write_bytes(data[: max(1, int(len(data) * keep))])
    return Path(out)


def huge_png(path, width=30000, height=30000):
    """A PNG whose header claims ``width`` × ``height`` pixels but holds one tiny IDAT.

    Opening it must not decode it: decoding would need gigabytes.
    """

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * 64)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data)
    Path(path).write_bytes(png + chunk(b"IEND", b""))
    return Path(path)


def diavgeia_manifest():
    """The rows of the Diavgeia samples' manifest.tsv, each with its ``pdf`` path added."""
    with open(DIAVGEIA / "manifest.tsv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream, delimiter="\t"))
    for row in rows:
        row["pdf"] = DIAVGEIA / row["folder"] / f"{row['ada']}.pdf"
    return rows
