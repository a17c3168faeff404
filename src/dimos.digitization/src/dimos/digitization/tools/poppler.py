"""poppler-utils: pdftoppm, pdftotext, pdfimages.

Each call is one short process; failures become OcrFailed with the program's
last error line.
"""

from dimos.digitization.tools import process
from pathlib import Path


TIMEOUT = 600


def run(program, args, timeout=TIMEOUT, binary=False):
    """Run a poppler program; its stdout (bytes when ``binary``), OcrFailed on failure."""
    out = process.run([program, *args], timeout)
    return out if binary else out.decode("utf-8", "replace")


def render_grey(pdf, number, dpi=300):
    """Page ``number`` (1-based) of ``pdf`` as a grey PGM image (bytes).

    PGM on stdout rather than ``-jpeg``: pdftoppm 22 writes its JPEGs as RGB
    even with ``-gray``.
    """
    return run(
        "pdftoppm",
        ["-f", number, "-l", number, "-r", dpi, "-gray", "-singlefile", pdf],
        binary=True,
    )


def page_images(pdf, number):
    """The images drawn on page ``number``: dicts of pdfimages' listing.

    Keys: width, height, color, comp, bpc, enc, x_ppi, y_ppi (ints where numeric).
    """
    listing = run("pdfimages", ["-list", "-f", number, "-l", number, pdf])
    images = []
    for line in listing.splitlines()[2:]:
        cells = line.split()
        if len(cells) < 14 or cells[2] != "image":
            continue
        images.append(
            {
                "width": int(cells[3]),
                "height": int(cells[4]),
                "color": cells[5],
                "comp": int(cells[6]),
                "bpc": int(cells[7]),
                "enc": cells[8],
                "x_ppi": int(cells[12]),
                "y_ppi": int(cells[13]),
            }
        )
    return images


def extract_jpeg(pdf, number, prefix):
    """Copy the JPEG data of page ``number``'s images out unchanged: ``<prefix>-000.jpg``, …"""
    run("pdfimages", ["-j", "-f", number, "-l", number, pdf, prefix])
    return sorted(Path(prefix).parent.glob(f"{Path(prefix).name}-*.jpg"))
