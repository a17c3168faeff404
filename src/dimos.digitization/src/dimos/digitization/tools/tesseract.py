"""tesseract, one process per call with ``OMP_THREAD_LIMIT=1``.

Parallelism comes from running one such process per core (one worker process
per core), never from tesseract's own OpenMP threads: on a busy machine those
cost more than they gain.

The command line is called directly rather than through pytesseract, whose
``run_tesseract`` builds the same command but cannot give the child its own
environment; the file is passed by path, so a JPEG page goes into the PDF
renderer as it is (no re-encoding).
"""

from dimos.digitization.pipeline.model import OcrFailed
from dimos.digitization.tools import process
from pathlib import Path

import os
import re


TIMEOUT = 600  # seconds for one page; a page that takes longer is broken, not slow


def _environment():
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


def run(args, timeout=TIMEOUT):
    """Run ``tesseract <args>``; return its stdout, raise OcrFailed on failure."""
    out = process.run(["tesseract", *args], timeout, env=_environment())
    return out.decode("utf-8", "replace")


def recognize(image, outbase, language, formats=("txt", "hocr", "pdf"), psm=3):
    """One recognition pass writing ``<outbase>.<format>`` for every format.

    Returns {format: Path}.
    """
    outbase = Path(outbase)
    run([image, outbase, "-l", language, "--psm", str(psm), *formats])
    return {fmt: outbase.with_name(f"{outbase.name}.{fmt}") for fmt in formats}


def orientation(image):
    """tesseract's OSD on ``image``: (clockwise degrees to turn it upright, confidence).

    (0, 0.0) when there is too little text to tell.
    """
    try:
        out = run([image, "-", "--psm", "0"])
    except OcrFailed:
        # "Too few characters. Skipping this page": nothing to turn.
        return 0, 0.0
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    confidence = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate:
        return 0, 0.0
    return int(rotate.group(1)) % 360, float(confidence.group(1)) if confidence else 0.0
