"""Scoring OCR against ground truth, for benchmarks/ocr_models.py and the model-choice test.

Both sides are put in the same reading order (bands by line centre, then x),
so the CER is line-aligned; only OCR words inside a truth line's box count
(the polytonic ground truth does not cover every region of a page). Word
recall is order-free. "Folded" text: NFD, combining marks dropped, lower
case, final sigma as sigma; µ/∆/Ω look-alikes normalized on both sides.
"""

from collections import Counter
from dimos.digitization.evaluation import edit_distance
from dimos.digitization.pipeline import ocr
from dimos.digitization.pipeline.normalize import normalize_text
from dimos.digitization.testing_scans import OCR_GREEK
from dimos.digitization.tools import poppler

import csv
import html
import re
import statistics
import unicodedata


POLYTONIC = OCR_GREEK / "gt4histcomment"


def polytonic_pages():
    """[(name, image, truth items)] with truth items [(text, (x1, y1, x2, y2))]."""
    pages = []
    for folder in sorted(path for path in POLYTONIC.iterdir() if path.is_dir()):
        lines = {}
        with open(folder / f"{folder.name}_training.tsv", encoding="utf-8") as tsv:
            for row in csv.reader(tsv, delimiter="\t", quoting=csv.QUOTE_NONE):
                if len(row) >= 3:
                    box = tuple(int(value) for value in row[1].split())
                    lines.setdefault(row[0], []).append((row[2], box))
        for image in sorted((folder / "imgs").glob("*.png")):
            pages.append((image.stem, image, lines.get(image.name, [])))
    return pages


def text_layer_lines(pdf, dpi=300):
    out = poppler.run("pdftotext", ["-f", 1, "-l", 1, "-bbox-layout", pdf, "-"])
    page = out.split("</page>")[0]
    items = []
    for line in re.findall(r"<line [^>]*>(.*?)</line>", page, re.S):
        words = re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            line,
        )
        if words:
            x1 = min(float(w[0]) for w in words)
            y1 = min(float(w[1]) for w in words)
            x2 = max(float(w[2]) for w in words)
            y2 = max(float(w[3]) for w in words)
            text = " ".join(html.unescape(w[4]) for w in words)
            box = tuple(round(value * dpi / 72) for value in (x1, y1, x2, y2))
            items.append((text, box))
    return items


def inside(box, regions, margin=10):
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return any(
        r[0] - margin <= cx <= r[2] + margin and r[1] - margin <= cy <= r[3] + margin
        for r in regions
    )


def reading_order(items):
    """Text of [(text, box)] in bands by vertical centre, each band left to right."""
    if not items:
        return ""
    height = statistics.median(box[3] - box[1] for _, box in items) or 1
    items = sorted(items, key=lambda item: (item[1][1] + item[1][3]) / 2)
    bands, current, centre = [], [], None
    for text, box in items:
        middle = (box[1] + box[3]) / 2
        if current and abs(middle - centre) > height / 2:
            bands.append(current)
            current = []
        current.append((text, box))
        centre = statistics.mean((b[1] + b[3]) / 2 for _, b in current)
    bands.append(current)
    return "\n".join(" ".join(t for t, _ in sorted(band, key=lambda i: i[1][0])) for band in bands)


def plain(text):
    return " ".join(unicodedata.normalize("NFC", normalize_text(text)).split())


def fold(text):
    decomposed = unicodedata.normalize("NFD", normalize_text(text))
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return " ".join(bare.lower().replace("ς", "σ").split())


def word_hits(truth, text):
    truth_words = Counter(fold(truth).split())
    found = Counter(fold(text).split())
    return sum((truth_words & found).values()), sum(truth_words.values())


def score_page(truth_items, hocr):
    regions = [box for _, box in truth_items]
    words = [(text, box) for text, _, box in ocr.hocr_words(hocr) if inside(box, regions)]
    truth = reading_order(truth_items)
    text = reading_order(words)
    hits, total = word_hits(truth, text)
    return {
        "errors": edit_distance(plain(text), plain(truth)),
        "chars": len(plain(truth)),
        "errors_folded": edit_distance(fold(text), fold(truth)),
        "chars_folded": len(fold(truth)),
        "hits": hits,
        "words": total,
    }
