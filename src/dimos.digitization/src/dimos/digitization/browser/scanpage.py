"""@@scan-page?n=3: one page of a digitized decision as a PNG, for the clerk's review.

Rendered from the searchable PDF (or the original scan) with poppler's
``pdftoppm`` at 100 DPI: enough to read beside the text, small to send.
An image scan (TIFF, PNG, JPEG) is scaled with Pillow.
"""

from pathlib import Path
from PIL import Image
from Products.Five.browser import BrowserView
from zExceptions import NotFound

import io
import subprocess
import tempfile


DPI = 100
IMAGE_WIDTH = 850  # pixels: an A4 page at about 100 DPI


def render_pdf_page(pdf, number, dpi=DPI):
    """PNG bytes of page ``number`` (1-based) of the PDF file ``pdf``."""
    with tempfile.TemporaryDirectory(prefix="dimos-scan-page-") as folder:
        out = Path(folder) / "page"
        subprocess.run(
            ["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(dpi), "-gray"]
            + ["-png", "-singlefile", str(pdf), str(out)],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return out.with_suffix(".png").read_bytes()


def render_image_page(data, number, width=IMAGE_WIDTH):
    """PNG bytes of frame ``number`` of an image scan (a multi-page TIFF has several)."""
    with Image.open(io.BytesIO(data)) as image:
        image.seek(number - 1)
        page = image.convert("L")
        page.thumbnail((width, width * 2))
        out = io.BytesIO()
        page.save(out, format="PNG")
        return out.getvalue()


def render_page(record, number):
    """PNG bytes of a page of ``record``'s scan."""
    pdf = record.searchable_pdf
    source = record.source_scan
    if pdf is None and source is not None and source.contentType == "application/pdf":
        pdf = source
    if pdf is not None:
        with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
            with pdf.open() as blob:
                copy.write(blob.read())
            copy.flush()
            return render_pdf_page(copy.name, number)
    if source is not None:
        return render_image_page(source.data, number)
    raise NotFound("no scan")


class ScanPage(BrowserView):
    def __call__(self):
        try:
            number = int(self.request.form.get("n", "1"))
        except ValueError:
            raise NotFound("n") from None
        if not 1 <= number <= (self.context.page_count or 0):
            raise NotFound(str(number))
        try:
            png = render_page(self.context, number)
        except (subprocess.SubprocessError, OSError, EOFError) as error:
            raise NotFound(str(number)) from error
        response = self.request.response
        response.setHeader("Content-Type", "image/png")
        response.setHeader("Cache-Control", "private, max-age=3600")
        return png
