"""Reading the services' requests: JSON objects, text fields, files in base64, path parts."""

from dimos.signing.services.errors import RequestError
from plone.restapi.deserializer import json_body

import base64
import binascii


def require_json(request):
    """Refuse a body that is not ``Content-Type: application/json``.

    The staff services change things and do without plone.protect's token,
    as API clients send none. What protects them from another site's page is
    this: a browser posts a form (urlencoded, multipart, text/plain) anywhere
    without asking, but JSON only after a CORS preflight the site does not grant.
    """
    content_type = (request.getHeader("Content-Type") or "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise RequestError(
            "not-json",
            "Στείλτε το αίτημα ως JSON (Content-Type: application/json).",
            "Send the request as JSON (Content-Type: application/json).",
            status=415,
        )


def json_object(request):
    """The JSON body, a dict (``{}`` when empty)."""
    try:
        return json_body(request)
    except Exception:  # DeserializationError, or a body that is not text
        raise RequestError(
            "bad-request",
            "Το σώμα του αιτήματος δεν είναι αντικείμενο JSON.",
            "The request body is not a JSON object.",
        ) from None


def text(body, name, required=True):
    """The string field ``name`` of ``body``, as sent ("" when optional and missing)."""
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise RequestError(
                "missing-field",
                f"Λείπει το πεδίο «{name}».",
                f"The field “{name}” is missing.",
            )
        return ""
    if not isinstance(value, str):
        raise RequestError(
            "bad-request",
            f"Το πεδίο «{name}» πρέπει να είναι κείμενο.",
            f"The field “{name}” must be text.",
        )
    return value


def base64_file(value, name="file"):
    """(filename, bytes) of ``{"data": <base64>, "filename": ...}``."""
    if not isinstance(value, dict) or not isinstance(value.get("data"), str):
        raise RequestError(
            "bad-request",
            f'Το πεδίο «{name}» πρέπει να είναι {{"data": <base64>, "filename": ...}}.',
            f'The field “{name}” must be {{"data": <base64>, "filename": ...}}.',
        )
    try:
        data = base64.b64decode(value["data"], validate=True)
    except (binascii.Error, ValueError):
        raise RequestError(
            "bad-base64",
            f"Τα δεδομένα του «{name}» δεν είναι έγκυρο base64.",
            f"The data of “{name}” is not valid base64.",
        ) from None
    filename = value.get("filename")
    return (filename if isinstance(filename, str) else "") or f"{name}.pdf", data
