"""OCR: one tesseract pass per model gives a page's text, hOCR and PDF together.

Every page is read with ``options.language`` (``ell``). A page that looks
polytonic (the document predates ``options.polytonic_before_year``, or the
first reading holds polytonic letters or reads badly) is also read with each
of ``options.polytonic_languages``; the reading that scores best is kept (see
``score``, tuned on ``benchmarks/ocr_models.py``). Artefacts:
``ocr/page-0001.{txt,hocr,pdf}`` for the kept reading, ``ocr/page-0001.<model>.*``
for the others.
"""

from dataclasses import dataclass
from dimos.digitization.pipeline.model import MONOTONIC
from dimos.digitization.pipeline.model import OCR
from dimos.digitization.pipeline.model import PageResult
from dimos.digitization.pipeline.model import POLYTONIC
from dimos.digitization.tools import tesseract
from pathlib import Path
from PIL import Image

import html
import re
import unicodedata


FORMATS = ("txt", "hocr", "pdf")
WORD = re.compile(
    r"<span class=['\"]ocrx_word['\"][^>]*?title=['\"]([^'\"]*)['\"][^>]*>(.*?)</span>", re.S
)
CONFIDENCE = re.compile(r"x_wconf (\d+)")
TAG = re.compile(r"<[^>]+>")
# Breathings, perispomeni, iota subscript: marks monotonic Greek never uses.
POLYTONIC_MARKS = {"\u0313", "\u0314", "\u0342", "\u0345", "\u0300"}
# A page is polytonic when at least this share of its Greek words carry polytonic
# marks. Measured (benchmarks/ocr_models.py): ell puts them on 44-74% of the words
# of polytonic pages, and on a stray word or two (under 6%) of modern ones.
POLYTONIC_SHARE = 0.2


@dataclass(frozen=True)
class Reading:
    """One model's reading of a page."""

    language: str
    text: str
    confidence: float  # mean word confidence, 0..100; 0 when no word was found
    words: int
    polytonic_share: float  # share of Greek words with polytonic marks


def artefact(workdir, number, suffix, language=None):
    """``ocr/page-0001.<suffix>`` (or ``page-0001.<model>.<suffix>``) in ``workdir``."""
    middle = f".{language.replace('+', '-')}" if language else ""
    return Path(workdir) / "ocr" / f"page-{number:04d}{middle}.{suffix}"


def hocr_words(hocr):
    """[(text, confidence, (x1, y1, x2, y2))] of the words in an hOCR document."""
    words = []
    for title, inner in WORD.findall(hocr):
        text = html.unescape(TAG.sub("", inner)).strip()
        if not text:
            continue
        confidence = CONFIDENCE.search(title)
        box = tuple(int(value) for value in title.split(";")[0].split()[1:5])
        words.append((text, float(confidence.group(1)) if confidence else 0.0, box))
    return words


def is_polytonic(word):
    return any(mark in POLYTONIC_MARKS for mark in unicodedata.normalize("NFD", word))


def _is_greek(word):
    return any("\u0370" <= char <= "\u03ff" or "\u1f00" <= char <= "\u1fff" for char in word)


def reading_from(language, text, hocr):
    words = hocr_words(hocr)
    greek = [word for word, _, _ in words if _is_greek(word)]
    polytonic = sum(1 for word in greek if is_polytonic(word))
    return Reading(
        language=language,
        text=text,
        confidence=sum(conf for _, conf, _ in words) / len(words) if words else 0.0,
        words=len(words),
        polytonic_share=polytonic / len(greek) if greek else 0.0,
    )


def looks_polytonic(reading):
    """Whether a page read with the modern model should also be read with the polytonic ones."""
    return reading.polytonic_share >= POLYTONIC_SHARE


def score(reading):
    """How good a reading measures: its mean word confidence."""
    return reading.confidence


def choose(readings):
    """The reading to keep; the first (the modern model) wins ties."""
    return max(readings, key=score)


def _read(image, workdir, number, language):
    outbase = artefact(workdir, number, "x", language).with_suffix("")
    paths = tesseract.recognize(image, outbase, language, FORMATS)
    return reading_from(
        language,
        paths["txt"].read_text(encoding="utf-8"),
        paths["hocr"].read_text(encoding="utf-8"),
    )


def _keep(workdir, number, language):
    for suffix in FORMATS:
        artefact(workdir, number, suffix, language).replace(artefact(workdir, number, suffix))


def read_page(image, workdir, number, options, polytonic_hint=False):
    """Read page ``number`` from ``image``; the kept reading's artefacts are ``ocr/page-NNNN.*``."""
    artefact(workdir, number, "txt").parent.mkdir(parents=True, exist_ok=True)
    if options.engine == "stand-in":
        return _stand_in(image, workdir, number)
    readings = [_read(image, workdir, number, options.language)]
    if polytonic_hint or looks_polytonic(readings[0]):
        for language in options.polytonic_languages:
            readings.append(_read(image, workdir, number, language))
    best = choose(readings)
    _keep(workdir, number, best.language)
    polytonic = best.language == "grc" or best.polytonic_share >= POLYTONIC_SHARE
    return PageResult(
        number=number,
        text=best.text,
        source=OCR,
        language=best.language,
        script=POLYTONIC if polytonic else MONOTONIC,
        confidence=round(best.confidence, 1),
        flagged=best.words == 0 or best.confidence < options.review_below,
        hocr=str(artefact(workdir, number, "hocr").relative_to(workdir)),
    )


def _stand_in(image, workdir, number):
    """No OCR at all: an empty reading and an image-only page PDF (ingest benchmarks only)."""
    with Image.open(image) as opened:
        dpi = opened.info.get("dpi") or (300, 300)
        opened.convert("L").save(artefact(workdir, number, "pdf"), "PDF", resolution=float(dpi[0]))
    artefact(workdir, number, "txt").write_text("", encoding="utf-8")
    return PageResult(
        number=number,
        text="",
        source=OCR,
        language=None,
        script=MONOTONIC,
        confidence=100.0,
        flagged=False,
    )
