"""POST /@digitization: a worker stores the result of one scanned file.

The body is either one JSON object with the files in base64, or
``multipart/form-data``: a part ``payload`` (that JSON without the files'
``data``) and the files as binary parts ``source`` and ``searchable_pdf``.
Zope has parsed a multipart body before the service runs: each file part is
a ``FileUpload`` over a temporary file (parts over ``FORM_MEMFILE_LIMIT``,
4 KB, are spooled to disk), read here once, whole.
"""

from dimos.digitization.incoming import bad
from dimos.digitization.incoming import StoreError
from dimos.digitization.store import create_or_update
from dimos.digitization.store import summary
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.deserializer import json_body
from plone.restapi.services import Service
from zope.interface import alsoProvides
from ZPublisher.HTTPRequest import FileUpload

import json
import transaction


FILE_PARTS = ("source", "searchable_pdf")


class DigitizationPost(Service):
    def reply(self):
        # Workers send no CSRF token; check_origin refuses what a browser sends from elsewhere.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            check_origin(self.request)
            stored = create_or_update(*read_body(self.request))
        except StoreError as error:
            transaction.abort()  # nothing of a refused result is kept
            self.request.response.setStatus(error.status)
            return error.payload()
        self.request.response.setStatus(201 if stored.created else 200)
        if stored.created:
            self.request.response.setHeader("Location", stored.record.absolute_url())
        return summary(stored.record, stored.created, stored.notes)


def check_origin(request):
    """Refuse a request a browser sends from another site's page.

    A multipart (or text/plain) POST is a "simple" request that any page can
    make a browser send, with its cookies or cached Basic credentials, without
    asking first. Browsers say where it comes from in ``Origin``; workers send
    no ``Origin``.
    """
    origin = request.getHeader("Origin")
    if origin and origin.rstrip("/") != request["SERVER_URL"]:
        raise StoreError(
            "cross-site",
            f"Αίτημα από άλλον ιστότοπο ({origin}): δεν γίνεται δεκτό.",
            f"A request from another site ({origin}) is not accepted.",
            status=403,
        )


def read_body(request):
    """(payload, files) for ``create_or_update``: files is None for a JSON body."""
    content_type = request.getHeader("Content-Type") or ""
    if not content_type.lower().startswith("multipart/form-data"):
        try:
            return json_body(request), None
        except Exception:
            return None, None
    form = request.form
    payload = form.get("payload")
    if isinstance(payload, FileUpload):  # sent with a filename
        payload = read_part(payload)
    try:
        payload = json.loads(payload)
    except (TypeError, ValueError):
        payload = None
    files = {}
    for name in FILE_PARTS:
        if name in form:
            part = form[name]
            if not isinstance(part, FileUpload):
                raise bad(
                    f"Το μέρος {name} πρέπει να είναι ένα αρχείο.",
                    f"The part {name} must be one file.",
                )
            files[name] = (part.filename, read_part(part))
    return payload, files


def read_part(upload):
    upload.seek(0)
    return upload.read()
