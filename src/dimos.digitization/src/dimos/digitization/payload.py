"""A DocumentResult as the JSON body of ``POST /@digitization`` (docs/digitization.md).

Plain Python, no Zope: the worker builds the body, the Plone endpoint reads it.
What the operator's manifest says about a file wins over what the pipeline read
from the text; empty manifest fields leave the text's reading in place.
"""

from dataclasses import replace
from datetime import date

import base64


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
MANIFEST_FIELDS = ("body", "decision_number", "decision_year", "meeting_date", "subject")


def file_field(path, filename, content_type):
    """One file of the payload: name, type and base64 content."""
    return {
        "filename": filename,
        "content-type": content_type,
        "encoding": "base64",
        "data": base64.b64encode(path.read_bytes()).decode("ascii"),
    }


def page_field(page):
    return {
        "number": page.number,
        "text": page.text,
        "source": page.source,
        "language": page.language,
        "script": page.script,
        "confidence": page.confidence,
        "flagged": page.flagged,
        "text_layer_problem": page.text_layer_problem,
    }


def merged_metadata(metadata, manifest):
    """The pipeline's metadata with every field the manifest gives put over it."""
    if manifest is None:
        return metadata
    given = {}
    for name in MANIFEST_FIELDS:
        value = getattr(manifest, name)
        if value not in (None, ""):
            given[name] = value
    return replace(metadata, **given)


def metadata_field(metadata):
    meeting = metadata.meeting_date
    return {
        "body": metadata.body,
        "decision_number": metadata.decision_number,
        "decision_year": metadata.decision_year,
        "meeting_date": meeting.isoformat() if isinstance(meeting, date) else meeting,
        "subject": metadata.subject,
        "references": [
            {"number": ref.number, "year": ref.year, "relation": ref.relation}
            for ref in metadata.references
        ],
    }


def to_payload(result, manifest=None, publish=True):
    """The body for ``POST /@digitization``: a dict ready for ``json.dumps``."""
    name = result.source.name
    stem = result.source.stem
    return {
        "sha256": result.sha256,
        "filename": name,
        "source": file_field(
            result.source, name, CONTENT_TYPES.get(result.kind, "application/octet-stream")
        ),
        "searchable_pdf": file_field(
            result.searchable_pdf, f"{stem}.searchable.pdf", "application/pdf"
        ),
        "pages": [page_field(page) for page in result.pages],
        "metadata": metadata_field(merged_metadata(result.metadata, manifest)),
        "publish": bool(publish),
    }
