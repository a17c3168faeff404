"""The orchestrator: one document from the scan to its result, in the job's work folder.

preflight → for each page: keep its text layer (PDF) or OCR it (rasterize →
upright → read) → normalize → searchable PDF → metadata → ``result.json``.

Pages run one after another in this process; parallelism is across
documents (one worker process per core). The original file is only read.
"""

from dataclasses import asdict
from dataclasses import replace
from datetime import date
from dimos.digitization.pipeline import metadata
from dimos.digitization.pipeline import ocr
from dimos.digitization.pipeline.model import DocumentResult
from dimos.digitization.pipeline.model import MONOTONIC
from dimos.digitization.pipeline.model import PageResult
from dimos.digitization.pipeline.model import POLYTONIC
from dimos.digitization.pipeline.model import TEXT_LAYER
from dimos.digitization.pipeline.normalize import normalize_text
from dimos.digitization.pipeline.preflight import preflight
from dimos.digitization.pipeline.preprocess import upright
from dimos.digitization.pipeline.raster import rasterize
from dimos.digitization.pipeline.searchable import assemble
from dimos.digitization.pipeline.searchable import original_page
from dimos.digitization.pipeline.textlayer import assess
from dimos.digitization.pipeline.textlayer import page_texts
from pathlib import Path

import json
import shutil
import time


def process(job):
    """Digitize ``job.source`` into ``job.workdir``; the DocumentResult is also ``result.json``."""
    started = time.perf_counter()
    workdir = Path(job.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    checked = preflight(job.source, job.options.limits, workdir)
    hint = _early(job.manifest, job.options)
    if checked.kind == "pdf":
        pages, page_pdfs = _pdf_pages(checked, job, workdir, hint)
    else:
        pages, page_pdfs = _image_pages(checked, job, workdir, hint)
    searchable = workdir / "searchable.pdf"
    if all(page.source == TEXT_LAYER for page in pages):
        shutil.copyfile(checked.path, searchable)  # keeps a digital signature intact
    else:
        assemble(page_pdfs, searchable)
    found = metadata.extract("\n\n".join(page.text for page in pages), job.manifest, workdir)
    result = DocumentResult(
        sha256=checked.sha256,
        source=checked.path,
        kind=checked.kind,
        pages=tuple(pages),
        searchable_pdf=searchable,
        metadata=found,
        workdir=workdir,
        seconds=round(time.perf_counter() - started, 3),
    )
    write_result(result)
    return result


def _early(manifest, options):
    """Is the document known to predate monotonic Greek (the manifest's year or date)?"""
    if manifest is None:
        return False
    year = manifest.decision_year or (manifest.meeting_date.year if manifest.meeting_date else None)
    return bool(year) and year < options.polytonic_before_year


def _early_text(text, options):
    year = metadata.extract(text, None).decision_year
    return bool(year) and year < options.polytonic_before_year


def _pdf_pages(checked, job, workdir, hint):
    texts = page_texts(checked.path, workdir)
    texts += [""] * (checked.page_count - len(texts))
    pages, pdfs = [], []
    for number in range(1, checked.page_count + 1):
        quality = assess(texts[number - 1])
        if quality.usable:
            pages.append(_text_layer_page(number, texts[number - 1]))
            pdfs.append(original_page(checked.path, number, workdir))
            continue
        image = rasterize(checked, workdir, job.options, pages=[number])[0]
        page = _ocr_page(image, workdir, number, job.options, hint)
        pages.append(replace(page, text_layer_problem=quality.problem))
        pdfs.append(ocr.artefact(workdir, number, "pdf"))
        hint = hint or (number == 1 and _early_text(page.text, job.options))
    return pages, pdfs


def _image_pages(checked, job, workdir, hint):
    pages, pdfs = [], []
    for number, image in enumerate(rasterize(checked, workdir, job.options), start=1):
        pages.append(_ocr_page(image, workdir, number, job.options, hint))
        pdfs.append(ocr.artefact(workdir, number, "pdf"))
        hint = hint or (number == 1 and _early_text(pages[0].text, job.options))
    return pages, pdfs


def _text_layer_page(number, text):
    text = normalize_text(text)
    return PageResult(
        number=number,
        text=text,
        source=TEXT_LAYER,
        language=None,
        script=POLYTONIC if any(ocr.is_polytonic(word) for word in text.split()) else MONOTONIC,
        confidence=None,
        flagged=False,
    )


def _ocr_page(image, workdir, number, options, hint):
    """Upright the page, read it; a page that reads badly is checked for being upside down."""
    if options.engine == "stand-in":
        return ocr.read_page(image, workdir, number, options, hint)
    straight, rotation, skew = upright(image, workdir)
    page = replace(
        ocr.read_page(straight, workdir, number, options, hint), rotation=rotation, skew=skew
    )
    if page.flagged and rotation == 0:
        # Only tesseract's OSD (half a reading's cost) tells an upside-down page: ask it here.
        turned, rotation, skew = upright(image, workdir, osd=True)
        if rotation:
            page = _better(page, turned, workdir, options, hint, rotation, skew)
    return replace(page, text=normalize_text(page.text))


def _better(first, turned, workdir, options, hint, rotation, skew):
    """Read the turned page too; keep whichever reads better (and its artefacts)."""
    aside = {}
    for suffix in ocr.FORMATS:
        path = ocr.artefact(workdir, first.number, suffix)
        aside[path] = path.with_name(f"{path.stem}.unturned.{suffix}")
        path.replace(aside[path])
    second = ocr.read_page(turned, workdir, first.number, options, hint)
    if second.confidence > first.confidence:
        return replace(second, rotation=rotation, skew=skew)
    for path, kept in aside.items():
        kept.replace(path)
    return first


def write_result(result):
    """``result.json`` in the work folder: the whole DocumentResult, artefact paths relative."""
    data = asdict(result)
    data["source"] = str(result.source)
    data["searchable_pdf"] = str(Path(result.searchable_pdf).relative_to(result.workdir))
    data["workdir"] = "."
    _write_json(data, Path(result.workdir) / "result.json")


def _write_json(data, out):
    """Write ``out`` whole or not at all: a killed worker leaves no half file."""
    partial = out.with_name(f"{out.name}.partial")
    partial.write_text(
        json.dumps(data, ensure_ascii=False, indent=1, default=_plain), encoding="utf-8"
    )
    partial.replace(out)


def _plain(value):
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
