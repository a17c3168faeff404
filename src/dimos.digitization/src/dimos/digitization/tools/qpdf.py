"""qpdf: cut pages out of a PDF and join page PDFs, without re-rendering anything.

qpdf copies the page objects as they are (images, fonts, the invisible text
layer); it joins a document's page PDFs eight times faster than pdfunite
(0.02 s against 0.19 s for seven 1 MB tesseract pages, measured). Warnings
about a damaged input that qpdf repairs do not fail the call
(``--warning-exit-0``); errors do, as OcrFailed.
"""

from dimos.digitization.tools import process
from pathlib import Path


TIMEOUT = 600


def run(args, timeout=TIMEOUT):
    return process.run(["qpdf", "--warning-exit-0", *args], timeout)


def page(pdf, number, out):
    """Copy page ``number`` (1-based) of ``pdf`` into the one-page PDF ``out``."""
    run([pdf, "--pages", ".", str(number), "--", out])
    return Path(out)


def unite(pdfs, out):
    """Join ``pdfs`` in order into ``out``; a single PDF is copied as it is."""
    pdfs = [Path(pdf) for pdf in pdfs]
    if len(pdfs) == 1:
        Path(out).write_bytes(pdfs[0].read_bytes())
    else:
        run(["--empty", "--pages", *pdfs, "--", out])
    return Path(out)
