"""Filing an application with the general protocol: validate, create, number, route.

``file_application`` is what ``POST /@protocol`` calls; it is plain Python on
top of plone.api and knows nothing of HTTP. Input is validated against the
CitizenApplication schema itself, so the rules (ΑΦΜ check digit, e-mail,
phone) are the same as in the Plone form.
"""

from dimos.content import _
from dimos.content.commitlock import hold_until_commit
from dimos.content.content.citizen_application import ICitizenApplication
from dimos.content.protocol.errors import ProtocolError
from dimos.content.protocol.registry import PROTOCOL_BOOK
from dimos.content.protocol.registry import record_by_uid
from dimos.content.protocol.registry import register
from dimos.content.protocol.subscribers import TOKEN_ATTR
from dimos.content.setuphandlers import REGISTRY_ID
from dimos.content.vocabularies.data import application_kind
from dimos.policy.departments import DEPARTMENTS
from plone import api
from plone.namedfile.file import NamedBlobFile
from zope.schema import ValidationError

import base64
import binascii
import uuid


ROUTE_PERMISSION = "Dimos: Route applications"
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
MAX_ATTACHMENTS = 10
APPLICANT_FIELDS = {
    "name": "applicant_name",
    "afm": "applicant_afm",
    "email": "applicant_email",
    "phone": "applicant_phone",
}


def _text(data, key, required):
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ProtocolError(
                400,
                "MissingField",
                _("The field “${field}” is required.", mapping={"field": key}),
                field=key,
            )
        return None
    if not isinstance(value, str):
        raise ProtocolError(
            400, "WrongType", _("The field “${field}” must be text.", mapping={"field": key}), key
        )
    return value.strip()


def _validated(field_name, value, key):
    field = ICitizenApplication[field_name]
    try:
        field.validate(value)
    except ValidationError as error:
        raise ProtocolError(400, type(error).__name__, error.doc(), field=key) from None
    return value


def parse_application(data, may_route):
    """The CitizenApplication field values from a request body, or ProtocolError."""
    if not isinstance(data, dict):
        raise ProtocolError(400, "BadRequest", _("The request body must be a JSON object."))
    kind = _text(data, "kind", required=True)
    if application_kind(kind) is None:
        raise ProtocolError(
            400,
            "UnknownKind",
            _("Unknown kind of application: “${kind}”.", mapping={"kind": kind}),
            "kind",
        )
    applicant = data.get("applicant")
    if not isinstance(applicant, dict):
        raise ProtocolError(
            400, "MissingField", _("The applicant's details are required."), "applicant"
        )
    values = {
        "application_kind": kind,
        "title": _text(data, "subject", required=True),
        "request_text": _text(data, "request", required=False),
    }
    for key, field_name in APPLICANT_FIELDS.items():
        value = _text(applicant, key, required=key == "name")
        if value is not None:
            values[field_name] = _validated(field_name, value, f"applicant.{key}")
    department = _text(data, "department", required=False)
    if department is not None:
        if not may_route:
            raise ProtocolError(
                403,
                "Forbidden",
                _("Only the protocol clerk may choose the department."),
                "department",
            )
        if department not in {d.id for d in DEPARTMENTS}:
            raise ProtocolError(
                400,
                "UnknownDepartment",
                _("Unknown department: “${department}”.", mapping={"department": department}),
                "department",
            )
        values["department"] = department
    return values


def parse_attachments(items):
    """[(filename, content_type, bytes)] from base64 attachments, or ProtocolError."""
    if items is None:
        return []
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        raise ProtocolError(
            400,
            "BadAttachments",
            _(
                "Attachments must be a list of at most ${max} files.",
                mapping={"max": MAX_ATTACHMENTS},
            ),
            "attachments",
        )
    files = []
    for item in items:
        name = isinstance(item, dict) and _text(item, "filename", required=True)
        try:
            data = base64.b64decode(item.get("data") or "", validate=True)
        except (binascii.Error, ValueError):
            raise ProtocolError(
                400,
                "BadAttachments",
                _("The attachment “${name}” is not valid base64.", mapping={"name": name}),
                "attachments",
            ) from None
        if not data or len(data) > MAX_ATTACHMENT_BYTES:
            raise ProtocolError(
                400,
                "BadAttachments",
                _(
                    "The attachment “${name}” is empty or larger than 20 MB.",
                    mapping={"name": name},
                ),
                "attachments",
            )
        files.append((name, item.get("content-type") or "application/octet-stream", data))
    return files


def file_outgoing(data):
    """Register an outgoing document: a record of the site sent to someone.

    Only the protocol clerk may. The record keeps its own numbers; the
    protocol book gains an entry (a record may be sent several times).
    Returns (record, year, number, when).
    """
    portal = api.portal.get()
    if not api.user.has_permission(ROUTE_PERMISSION, obj=portal):
        raise ProtocolError(
            403, "Forbidden", _("Only the protocol clerk may register outgoing documents.")
        )
    if not isinstance(data, dict):
        raise ProtocolError(400, "BadRequest", _("The request body must be a JSON object."))
    uid = _text(data, "record", required=True)
    recipient = _text(data, "recipient", required=True)
    # The clerk registers what a department sends, whether or not they may read it.
    record = record_by_uid(uid)
    if record is None:
        raise ProtocolError(
            404,
            "NotFound",
            _("There is no record with UID “${uid}”.", mapping={"uid": uid}),
            "record",
        )
    subject = _text(data, "subject", required=False) or record.Title()
    hold_until_commit(PROTOCOL_BOOK, fresh=True)
    year, number, when = register(record, "outgoing", record.portal_type, subject, recipient)
    return record, year, number, when


def file_application(data):
    """Create, number and route an application from a request body.

    Returns (record, token). Everything is validated before anything is
    created, so a refused request changes nothing.
    """
    # Registrations wait for each other in this process instead of conflicting
    # on the registry folder, the catalog and the counter (see commitlock.py).
    hold_until_commit(PROTOCOL_BOOK, fresh=True)
    portal = api.portal.get()
    may_route = api.user.has_permission(ROUTE_PERMISSION, obj=portal)
    values = parse_application(data, may_route)
    attachments = parse_attachments(data.get("attachments"))
    registry = portal[REGISTRY_ID]
    # Citizens may file without being able to add content to the registry.
    with api.env.adopt_roles(["Manager"]):
        # An id of its own: without one plone.api creates under a temporary id and
        # renames, which the catalog logs as an error.
        record = api.content.create(
            container=registry,
            type="CitizenApplication",
            id=f"aitisi-{uuid.uuid4().hex[:12]}",
            **values,
        )
        for filename, content_type, payload in attachments:
            api.content.create(
                container=record,
                type="File",
                title=filename,
                file=NamedBlobFile(payload, contentType=content_type, filename=filename),
            )
    return record, getattr(record, TOKEN_ATTR)
