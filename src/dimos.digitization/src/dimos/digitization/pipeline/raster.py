"""Rasterize: the pages that need OCR, as grey images tesseract reads as they are.

PDF pages are rendered by ``pdftoppm`` (through ``tools.poppler``) at
``options.dpi``, grey, and encoded as JPEG by Pillow: ``pages/page-0001.jpg``.
pdftoppm is called directly rather than through pdf2image's
``convert_from_path``: that one starts a ``pdfinfo`` process before every
render, and its JPEG path (pdftoppm's ``-jpeg``) comes out RGB even for grey
pages; the render is the same poppler code, and the grey PGM through a pipe
plus Pillow's encoder costs the same as pdftoppm writing the JPEG itself.

A page that is one scanned JPEG covering the page (what scanners and
img2pdf write) is not rendered at all: ``pdfimages -j`` copies the JPEG out
as it is (no render, no second JPEG loss; 0.01 s against 0.2 s), and its
resolution is written into the JFIF header so tesseract knows the DPI.

Image files are never rewritten: a PNG, JPEG or single-frame TIFF is read by
tesseract where it is. Only the frames of a multi-frame TIFF are written out
(1-bit frames losslessly as PNG, others as grey JPEG).
"""

from dimos.digitization.tools import poppler
from pathlib import Path
from PIL import Image

import io


def page_name(number, suffix=".jpg"):
    return f"page-{number:04d}{suffix}"


def rasterize(preflight, workdir, options, pages=None):
    """Images of the pages ``pages`` (1-based; all when None), in that order."""
    numbers = list(pages) if pages is not None else list(range(1, preflight.page_count + 1))
    folder = Path(workdir) / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    if preflight.kind == "pdf":
        return [
            scan_image(preflight, number, folder)
            or render_pdf_page(
                preflight.path,
                number,
                folder / page_name(number),
                dpi=options.dpi,
                quality=options.jpeg_quality,
            )
            for number in numbers
        ]
    if preflight.page_count == 1:
        return [Path(preflight.path) for number in numbers]
    return [_tiff_frame(preflight, number, folder, options) for number in numbers]


def render_pdf_page(pdf, number, out, dpi=300, quality=80):
    """Page ``number`` of ``pdf`` as a grey JPEG at ``out`` (tagged with its DPI)."""
    with Image.open(io.BytesIO(poppler.render_grey(pdf, number, dpi))) as image:
        image.save(out, "JPEG", quality=quality, dpi=(dpi, dpi))
    return Path(out)


def scan_image(preflight, number, folder, min_dpi=150):
    """The page's own scanned JPEG, when the page is exactly one such image; else None."""
    images = poppler.page_images(preflight.path, number)
    if len(images) != 1:
        return None
    image = images[0]
    if image["enc"] != "jpeg" or image["comp"] not in (1, 3) or image["bpc"] != 8:
        return None
    if min(image["x_ppi"], image["y_ppi"]) < min_dpi or image["x_ppi"] != image["y_ppi"]:
        return None
    if not _covers_page(image, preflight, number):
        return None
    prefix = folder / f"page-{number:04d}.scan"
    extracted = poppler.extract_jpeg(preflight.path, number, prefix)
    if len(extracted) != 1:
        return None
    out = folder / page_name(number)
    out.write_bytes(with_jfif_density(extracted[0].read_bytes(), image["x_ppi"]))
    extracted[0].unlink()
    return out


def _covers_page(image, preflight, number):
    """The image, at its resolution, is the page's size (within 3%), upright."""
    if len(preflight.page_sizes_mm) < number:
        return False
    width_mm, height_mm = preflight.page_sizes_mm[number - 1]
    image_w = image["width"] / image["x_ppi"] * 25.4
    image_h = image["height"] / image["y_ppi"] * 25.4
    return abs(image_w - width_mm) <= 0.03 * width_mm and abs(image_h - height_mm) <= (
        0.03 * height_mm
    )


def with_jfif_density(data, dpi):
    """JPEG bytes whose JFIF header says ``dpi`` (an APP0 segment is added if missing)."""
    density = bytes([1]) + dpi.to_bytes(2, "big") * 2
    if data[2:4] == b"\xff\xe0" and data[6:11] == b"JFIF\x00":
        return data[:13] + density + data[18:]
    app0 = b"\xff\xe0\x00\x10JFIF\x00\x01\x01" + density + b"\x00\x00"
    return data[:2] + app0 + data[2:]


def _tiff_frame(preflight, number, folder, options):
    with Image.open(preflight.path) as image:
        image.seek(number - 1)
        dpi = image.info.get("dpi") or (preflight.dpi or (options.dpi, options.dpi))
        if image.mode == "1":
            out = folder / page_name(number, ".png")
            image.save(out, dpi=tuple(round(value) for value in dpi))
        else:
            out = folder / page_name(number)
            image.convert("L").save(
                out, quality=options.jpeg_quality, dpi=tuple(round(v) for v in dpi)
            )
    return out
