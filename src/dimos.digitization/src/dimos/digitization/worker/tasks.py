"""The one task: a file in, a record in the site out. Thin: the pipeline does the work.

Arguments travel as JSON: ``manifest`` is a ManifestEntry as a dict (dates ISO),
``options`` an Options as a dict (``wire_options``). The task never raises for
a file's own problems: it answers a small summary the ingest records.
"""

from dataclasses import asdict
from datetime import date
from dimos.digitization.client import SiteClient
from dimos.digitization.client import SiteError
from dimos.digitization.client import var_folder
from dimos.digitization.payload import file_parts
from dimos.digitization.payload import to_payload
from dimos.digitization.pipeline.model import Job
from dimos.digitization.pipeline.model import Limits
from dimos.digitization.pipeline.model import ManifestEntry
from dimos.digitization.pipeline.model import Options
from dimos.digitization.pipeline.model import PipelineError
from dimos.digitization.pipeline.model import Rejected
from dimos.digitization.worker.app import app
from pathlib import Path

import hashlib
import logging
import shutil
import time


logger = logging.getLogger("dimos.digitization.worker")


def wire_options(options):
    return asdict(options)


def options_from_wire(data):
    if not data:
        return Options()
    data = dict(data)
    limits = dict(data.pop("limits", None) or {})
    if "max_page_mm" in limits:
        limits["max_page_mm"] = tuple(limits["max_page_mm"])
    if "polytonic_languages" in data:
        data["polytonic_languages"] = tuple(data["polytonic_languages"])
    return Options(limits=Limits(**limits), **data)


def wire_manifest(entry):
    if entry is None:
        return None
    data = asdict(entry)
    if data["meeting_date"] is not None:
        data["meeting_date"] = data["meeting_date"].isoformat()
    return data


def manifest_from_wire(data):
    if not data:
        return None
    data = dict(data)
    if data.get("meeting_date"):
        data["meeting_date"] = date.fromisoformat(data["meeting_date"])
    return ManifestEntry(**data)


def file_sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def summary(status, sha256, started, **fields):
    return {
        "status": status,
        "sha256": sha256,
        "url": None,
        "pages": 0,
        "flagged": [],
        "seconds": round(time.monotonic() - started, 2),
        "code": None,
        "messages": None,
        **fields,
    }


def messages(error):
    return {"el": error.message_el, "en": error.message_en}


def digitize_file(source, manifest, options, publish, workroot, sha256=None, force=False):
    """Run the pipeline on ``source`` and store the result in the site; a summary dict."""
    from dimos.digitization.pipeline import run  # the pipeline's tools load on first use

    started = time.monotonic()
    source = Path(source)
    sha256 = sha256 or file_sha256(source)
    client = SiteClient.from_env()
    known = None if force else client.lookup(sha256)
    if known is not None:
        return summary("already", sha256, started, url=known.get("@id"))
    entry = manifest_from_wire(manifest)
    workdir = Path(workroot) / sha256
    job = Job(source=source, workdir=workdir, manifest=entry, options=options_from_wire(options))
    try:
        result = run.process(job)
        sent = time.monotonic()
        stored = client.store(to_payload(result, entry, publish=publish), file_parts(result))
        store_seconds = round(time.monotonic() - sent, 2)
    except Rejected as error:
        return summary("quarantined", sha256, started, code=error.code, messages=messages(error))
    except (PipelineError, SiteError) as error:
        logger.warning("%s failed, work folder kept: %s (%s)", source, workdir, error)
        return summary("failed", sha256, started, code=error.code, messages=messages(error))
    shutil.rmtree(workdir, ignore_errors=True)
    return summary(
        "stored",
        sha256,
        started,
        url=stored.get("@id"),
        pages=len(result.pages),
        flagged=list(result.flagged_pages),
        review_state=stored.get("review_state"),
        pipeline_seconds=result.seconds,
        store_seconds=store_seconds,
    )


@app.task(name="dimos.digitization.digitize")
def digitize(
    source, manifest=None, options=None, publish=True, workroot=None, sha256=None, force=False
):
    workroot = workroot or str(var_folder() / "digitization" / "work")
    return digitize_file(source, manifest, options, publish, workroot, sha256=sha256, force=force)
