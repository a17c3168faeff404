"""Preprocess: turn a page upright and straighten it.

Deskew is a projection-profile search in numpy: the ink pixels of a
binarized, downscaled copy are projected on the vertical axis at each
candidate angle; text lines are sharpest (largest sum of squared row counts)
at the angle that makes them horizontal. A coarse 0.5° search over ±5° is
refined to 0.1°. It costs about 0.05 s a page.

Orientation (0/90/180/270) is tesseract's OSD, which costs about half a
recognition pass (0.5-1 s a page, measured), too much to pay on every page
of an archive scanned the right way up. Profiles cannot stand in for it:
the dark borders of book scans and the rules of tables make a page's
column profile as sharp as its row profile. So OSD runs only when asked
(``osd=True``): the orchestrator asks when a page's first reading is poor,
which is what a sideways or upside-down page gives (mean confidence 29
against 77 for the same page upright).

The image is rewritten (``pages/page-0001.upright.jpg``) only when it has to be
turned or its skew exceeds ``MIN_SKEW``; otherwise the input path comes back.
"""

from dimos.digitization.tools import tesseract
from pathlib import Path
from PIL import Image

import numpy


MAX_SKEW = 5.0
# Degrees. Below this the page is not rewritten: tesseract's own line finding
# copes (on the benchmark's scans, turned up to ±1.5°, word recall and CER were
# the same with and without deskew), and turning plus re-encoding a 300 DPI page
# costs 0.1-0.2 s, a tenth of the page's OCR.
MIN_SKEW = 1.0
PROFILE_WIDTH = 800  # pixels of the downscaled copy the profile is measured on
OSD_WIDTH = 1240  # about 150 DPI for an A4 page: OSD is as right there, and faster
# OSD's own confidence is low on Greek capitals (0.6 for an upside-down decision
# heading it turned correctly); its answer is checked by reading the page again
# and keeping the better reading (``run``), so any answer is taken.
OSD_MIN_CONFIDENCE = 0.0


def ink_points(image):
    """(x, y) of the dark pixels of a downscaled copy, centred on the page."""
    scale = PROFILE_WIDTH / max(image.width, image.height)
    small = image.convert("L")
    if scale < 1:
        small = small.resize(
            (max(1, round(image.width * scale)), max(1, round(image.height * scale))),
            Image.Resampling.BOX,
        )
    pixels = numpy.asarray(small, dtype=numpy.uint8)
    threshold = min(160, int(pixels.mean()) - 30)
    ys, xs = numpy.nonzero(pixels < threshold)
    return xs - pixels.shape[1] / 2.0, ys - pixels.shape[0] / 2.0


def _sharpness(xs, ys, angles):
    """Sum of squared row counts of the ink projected at each angle (degrees)."""
    scores = []
    for angle in angles:
        theta = numpy.radians(angle)
        rows = numpy.round(ys * numpy.cos(theta) - xs * numpy.sin(theta)).astype(numpy.int64)
        counts = numpy.bincount(rows - rows.min())
        scores.append(float(numpy.dot(counts, counts)))
    return numpy.array(scores)


def _best_angle(xs, ys):
    coarse = numpy.arange(-MAX_SKEW, MAX_SKEW + 0.01, 0.5)
    scores = _sharpness(xs, ys, coarse)
    centre = coarse[int(scores.argmax())]
    fine = numpy.arange(centre - 0.5, centre + 0.51, 0.1)
    fine_scores = _sharpness(xs, ys, fine)
    best = int(fine_scores.argmax())
    return round(float(fine[best]), 1), float(fine_scores[best])


def measure(image):
    """The tilt of the text lines in degrees, counter-clockwise as seen on the page.

    Turning the image by ``-skew`` (PIL's counter-clockwise convention) straightens it.
    """
    xs, ys = ink_points(image)
    if len(xs) < 100:
        return 0.0
    # The profile's angle turns the ink clockwise; the page's skew is the opposite.
    return -_best_angle(xs, ys)[0] + 0.0


def upright(page, workdir, osd=False):
    """(path of the upright page, clockwise rotation applied, skew corrected).

    ``osd`` asks tesseract's OSD for the page's orientation first.
    """
    page = Path(page)
    rotation = 0
    if osd:
        with Image.open(page) as opened:
            rotation = _osd_on(opened.convert("L"), workdir, page)
    skew = measure(_small_copy(page, rotation))
    if rotation == 0 and abs(skew) <= MIN_SKEW:
        return page, 0, 0.0
    skew = skew if abs(skew) > MIN_SKEW else 0.0
    out = Path(workdir) / "pages" / f"{page.stem}.upright.jpg"
    out.parent.mkdir(parents=True, exist_ok=True)
    with Image.open(page) as opened:
        _turn(opened.convert("L"), rotation, skew).save(out, quality=80, dpi=_dpi(page))
    return out, rotation, skew


def _small_copy(page, rotation):
    """A grey copy about PROFILE_WIDTH wide, turned by ``rotation``, cheaply decoded.

    A JPEG is decoded straight at 1/2, 1/4 or 1/8 scale (``draft``): the profile
    needs no more, and a full decode of a 300 DPI page costs more than the search.
    """
    with Image.open(page) as opened:
        opened.draft("L", (PROFILE_WIDTH, PROFILE_WIDTH))
        image = opened.convert("L")
    return image.rotate(-rotation, expand=True) if rotation else image


def _osd_on(image, workdir, page):
    probe = Path(workdir) / "pages" / f"{page.stem}.osd.png"
    probe.parent.mkdir(parents=True, exist_ok=True)
    scale = min(1.0, OSD_WIDTH / image.width)
    size = (round(image.width * scale), round(image.height * scale))
    image.resize(size, Image.Resampling.BOX).save(probe)
    try:
        rotate, confidence = tesseract.orientation(probe)
    finally:
        probe.unlink()
    return rotate if confidence >= OSD_MIN_CONFIDENCE else 0


def _turn(image, rotation, skew):
    """Turn clockwise by ``rotation`` (a quarter turn), then by ``-skew`` degrees."""
    turned = image.rotate(-rotation, expand=True) if rotation else image
    if skew:
        # Same canvas: the corners cut off are margin, and the page keeps its size.
        # Bilinear: 0.08 s for an A4 page at 300 DPI against 0.21 s bicubic.
        turned = turned.rotate(-skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return turned


def _dpi(page):
    with Image.open(page) as image:
        dpi = image.info.get("dpi") or (300, 300)
    return tuple(round(float(value)) for value in dpi)
