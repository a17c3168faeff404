"""A DocumentResult as the body of ``POST /@digitization`` (docs/digitization.md).

Plain Python, no Zope: the worker builds the body, the Plone endpoint reads it.
The body is multipart: ``to_payload`` is its JSON part, ``file_parts`` names
the files sent as they are, beside it (no base64, and no file read here).
What the operator's manifest says about a file wins over what the pipeline read
from the text; empty manifest fields leave the text's reading in place.
"""

from dataclasses import replace
from datetime import date


CONTENT_TYPES = {
    "pdf": "application/pdf",
    "tiff": "image/tiff",
    "png": "image/png",
    "jpeg": "image/jpeg",
}
MANIFEST_FIELDS = ("body", "decision_number", "decision_year", "meeting_date", "subject")


def file_parts(result):
    """The files of the request by part name: ``(filename, path, content type)``."""
    return {
        "source": (
            result.source.name,
            result.source,
            CONTENT_TYPES.get(result.kind, "application/octet-stream"),
        ),
        "searchable_pdf": (
            f"{result.source.stem}.searchable.pdf",
            result.searchable_pdf,
            "application/pdf",
        ),
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
    """The JSON part of ``POST /@digitization``: a dict ready for ``json.dumps``.

    ``source`` and ``searchable_pdf`` give the files' names and types; their
    bytes go in the parts of the same names (``file_parts``).
    """
    files = {
        name: {"filename": filename, "content-type": content_type}
        for name, (filename, _, content_type) in file_parts(result).items()
    }
    return {
        "sha256": result.sha256,
        "filename": result.source.name,
        **files,
        "pages": [page_field(page) for page in result.pages],
        "metadata": metadata_field(merged_metadata(result.metadata, manifest)),
        "publish": bool(publish),
    }
