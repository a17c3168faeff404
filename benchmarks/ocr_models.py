"""Which tesseract model reads which page best: ell, grc, ell+grc and the pipeline's choice.

Two sets, every page read once by every model (cached under
var/bench/ocr_models/, so re-running only re-scores):

- polytonic: the 28 page images of ../shared/eval/ocr-greek/gt4histcomment
  (19th-century commentaries). The truth is the line ground truth of
  ``<dir>_training.tsv`` put in reading order by its line boxes. The
  transcriptions do not cover every region of every page (see SOURCE.md), so
  only OCR words whose centre falls inside a ground-truth line box are scored.
- modern: page 1 of each Diavgeia PDF whose text layer the manifest calls ok,
  rendered at 300 DPI grey (JPEG q80, as the pipeline does); the truth is the
  text layer (``pdftotext -bbox-layout``), scored the same way.

Both sides are put in the same reading order (bands by line centre, then x),
so the CER is line-aligned; word recall is order-free. "folded" means NFD,
combining marks dropped, lower case, final sigma as sigma; µ/∆/Ω look-alikes
are normalized on both sides. The choice is ``ocr.looks_polytonic`` and
``ocr.choose``, exactly what ``read_page`` runs, with the document's year as
the polytonic hint (before 1982: polytonic set yes, modern set no); "choice,
no hint" shows the detection from the first reading alone.

Run: ``bin/zopepy benchmarks/ocr_models.py [--jobs 2] [--verbose]``.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dimos.digitization.pipeline import ocr
from dimos.digitization.pipeline.raster import render_pdf_page
from dimos.digitization.testing_ocr import polytonic_pages
from dimos.digitization.testing_ocr import score_page
from dimos.digitization.testing_ocr import text_layer_lines
from dimos.digitization.tools import tesseract
from pathlib import Path

import argparse
import csv
import time


REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "eval"
MODERN = SHARED / "decisions" / "diavgeia-samples"
CACHE = REPO / "var" / "bench" / "ocr_models"
MODELS = ("ell", "grc", "ell+grc")


def modern_pages():
    pages = []
    with open(MODERN / "manifest.tsv", encoding="utf-8") as manifest:
        rows = [row for row in csv.DictReader(manifest, delimiter="\t")]
    for row in rows:
        pdf = MODERN / row["folder"] / f"{row['ada']}.pdf"
        if not row["text_layer"].startswith("ok") or not pdf.exists():
            continue
        image = CACHE / "modern" / f"{row['ada']}-1.jpg"
        if not image.exists():
            image.parent.mkdir(parents=True, exist_ok=True)
            render_pdf_page(pdf, 1, image, dpi=300, quality=80)
        pages.append((f"{row['folder']}/{row['ada']}", image, text_layer_lines(pdf)))
    return pages


def read(image, kind, model):
    """(text, hocr, seconds) of ``model`` on ``image``, cached."""
    base = CACHE / kind / "ocr" / f"{Path(image).stem}.{model.replace('+', '-')}"
    base.parent.mkdir(parents=True, exist_ok=True)
    seconds_file = base.with_suffix(base.suffix + ".seconds")
    if not seconds_file.exists():
        started = time.perf_counter()
        tesseract.recognize(image, base, model, ("txt", "hocr"))
        seconds_file.write_text(f"{time.perf_counter() - started:.3f}")
    return (
        base.with_suffix(base.suffix + ".txt").read_text(encoding="utf-8"),
        base.with_suffix(base.suffix + ".hocr").read_text(encoding="utf-8"),
        float(seconds_file.read_text()),
    )


def evaluate(kind, pages, jobs, hint):
    with ThreadPoolExecutor(jobs) as pool:
        futures = {
            (name, model): pool.submit(read, image, kind, model)
            for name, image, _ in pages
            for model in MODELS
        }
    rows = {}
    for name, _, truth in pages:
        readings, scores = {}, {}
        for model in MODELS:
            text, hocr, seconds = futures[(name, model)].result()
            readings[model] = ocr.reading_from(model, text, hocr)
            scores[model] = score_page(truth, hocr) | {"seconds": seconds}
        rows[name] = (readings, scores)
    return rows


def choice(readings, hint):
    first = readings["ell"]
    if hint or ocr.looks_polytonic(first):
        return ocr.choose([readings[model] for model in MODELS]).language
    return "ell"


def summary(label, picked):
    """One table row from [(scores, seconds)] of the pages."""
    total = Counter()
    for scores, seconds in picked:
        total.update({k: v for k, v in scores.items() if k != "seconds"})
        total["seconds"] += seconds
    return (
        f"{label:<22} {total['errors'] / total['chars']:7.4f} "
        f"{total['errors_folded'] / total['chars_folded']:7.4f} "
        f"{total['hits'] / total['words']:7.4f} {total['seconds'] / len(picked):7.2f}"
    )


def report(kind, rows, hint, verbose):
    print(f"\n{kind}: {len(rows)} pages")
    print(f"{'model':<22} {'CER':>7} {'CERfold':>7} {'recall':>7} {'s/page':>7}")
    for model in MODELS:
        picked = [(scores[model], scores[model]["seconds"]) for _, scores in rows.values()]
        print(summary(model, picked))
    for label, with_hint in (("choice", hint), ("choice, no hint", False)):
        picked, chosen = [], Counter()
        for readings, scores in rows.values():
            model = choice(readings, with_hint)
            chosen[model] += 1
            tried = MODELS if with_hint or ocr.looks_polytonic(readings["ell"]) else ("ell",)
            picked.append((scores[model], sum(scores[m]["seconds"] for m in tried)))
        print(summary(label, picked), dict(chosen))
    if verbose:
        for name, (readings, scores) in rows.items():
            cells = " ".join(
                f"{m}:{scores[m]['errors_folded'] / max(1, scores[m]['chars_folded']):.3f}"
                f"/c{readings[m].confidence:.0f}/p{readings[m].polytonic_share:.2f}"
                for m in MODELS
            )
            print(f"  {name:<40} {cells} -> {choice(readings, hint)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--set", choices=("polytonic", "modern", "both"), default="both")
    args = parser.parse_args()
    if args.set in ("polytonic", "both"):
        rows = evaluate("polytonic", polytonic_pages(), args.jobs, True)
        report("polytonic (gt4histcomment)", rows, True, args.verbose)
    if args.set in ("modern", "both"):
        rows = evaluate("modern", modern_pages(), args.jobs, False)
        report("modern (Diavgeia page 1, 300 DPI)", rows, False, args.verbose)


if __name__ == "__main__":
    main()
