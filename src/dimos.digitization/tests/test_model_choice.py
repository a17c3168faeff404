"""The per-page model choice is no worse than the best single model (a small subset).

The full figures come from ``benchmarks/ocr_models.py``; here 4 polytonic pages
(read as a pre-1982 document would be: every model tried, the best kept) and 3
modern Diavgeia pages (read as a 2016 document: ``ell`` unless the first
reading looks polytonic).
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dimos.digitization.pipeline import ocr
from dimos.digitization.pipeline.model import Options
from dimos.digitization.pipeline.raster import render_pdf_page
from dimos.digitization.testing_ocr import polytonic_pages
from dimos.digitization.testing_ocr import score_page
from dimos.digitization.testing_ocr import text_layer_lines
from dimos.digitization.testing_scans import DIAVGEIA

import pytest


POLYTONIC_PAGES = (
    "bsb10234118_0024",
    "bsb10234118_0042",
    "Wecklein1894_0087",
    "sophoclesplaysa05campgoog_0336",
)
MODERN_FOLDERS = ("Award", "BalanceAccount", "Appointment")
MODELS = ("ell", "grc", "ell+grc")

pytestmark = [pytest.mark.ocr, pytest.mark.slow]


def _read_all(pages, tmp_path, hint):
    """read_page on each (name, image, truth); [(page result, workdir, truth)]."""

    def read(item):
        number, (name, image, truth) = item
        workdir = tmp_path / name.replace("/", "-")
        return ocr.read_page(image, workdir, number, Options(), polytonic_hint=hint), workdir, truth

    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(read, enumerate(pages, start=1)))


def _cer(scores):
    return sum(s["errors"] for s in scores) / sum(s["chars"] for s in scores)


def _hocr(workdir, number, language, kept):
    suffix_language = None if language == kept else language
    return ocr.artefact(workdir, number, "hocr", suffix_language).read_text(encoding="utf-8")


def test_polytonic_choice_no_worse_than_best_model(tmp_path):
    pages = [page for page in polytonic_pages() if page[0] in POLYTONIC_PAGES]
    assert len(pages) == 4
    per_model, chosen = {model: [] for model in MODELS}, []
    for result, workdir, truth in _read_all(pages, tmp_path, hint=True):
        assert result.script == "polytonic"
        for model in MODELS:
            per_model[model].append(
                score_page(truth, _hocr(workdir, result.number, model, result.language))
            )
        chosen.append(
            score_page(truth, _hocr(workdir, result.number, result.language, result.language))
        )
    best = min(_cer(scores) for scores in per_model.values())
    assert _cer(chosen) <= best


def test_modern_choice_no_worse_than_ell(tmp_path):
    pages = []
    for folder in MODERN_FOLDERS:
        pdf = next((DIAVGEIA / folder).glob("*.pdf"))
        image = render_pdf_page(pdf, 1, tmp_path / f"{folder}.jpg", dpi=300)
        pages.append((folder, image, text_layer_lines(pdf)))
    results = _read_all(pages, tmp_path, hint=False)
    languages = Counter(result.language for result, _, _ in results)
    assert languages == {"ell": 3}  # no modern page was mistaken for a polytonic one
    assert all(result.script == "monotonic" for result, _, _ in results)
