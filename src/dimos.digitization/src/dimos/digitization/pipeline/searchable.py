"""The searchable PDF: one page PDF per page, united in page order.

An OCR'd page contributes tesseract's page PDF (the page image with the
recognised text invisible above it); a page whose own text layer was kept
contributes the original page, cut out with qpdf (which also joins them).
"""

from dimos.digitization.tools import qpdf
from pathlib import Path


def original_page(pdf, number, workdir):
    """Page ``number`` of ``pdf`` as ``searchable/page-0001.pdf`` in ``workdir``."""
    out = Path(workdir) / "searchable" / f"page-{number:04d}.pdf"
    out.parent.mkdir(parents=True, exist_ok=True)
    return qpdf.page(pdf, number, out)


def assemble(page_pdfs, out):
    """Unite ``page_pdfs`` (in page order) into ``out``."""
    return qpdf.unite(page_pdfs, out)
