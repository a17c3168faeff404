"""Rasterize: the pages that need OCR, as grey images tesseract reads as they are.

PDF pages are rendered by ``pdftoppm`` (through ``tools.poppler``) at
``options.dpi``, grey, and encoded as JPEG by Pillow: ``pages/page-0001.jpg``.
pdftoppm is called directly rather than through pdf2image's
``convert_from_path``: that one starts a ``pdfinfo`` process before every
render, and its JPEG path (pdftoppm's ``-jpeg``) comes out RGB even for grey
pages; the render is the same poppler code, and the grey PGM through a pipe
plus Pillow's encoder costs the same as pdftoppm writing the JPEG itself.

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
            render_pdf_page(
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
