"""POST /@verify: anyone uploads a PDF and learns whether its signatures hold.

The PDF comes as the ``file`` part of ``multipart/form-data`` (a form on a
page) or as JSON ``{"file": {"data": <base64>, "filename": ...}}``. The
answer is always the verification report (200), whatever the file is: a file
that is not a PDF gets ``"status": "not-pdf"``. Only a request without a
file is refused (400).
"""

from dimos.signing.core.errors import SigningError
from dimos.signing.services.body import base64_file
from dimos.signing.services.body import json_object
from dimos.signing.services.errors import refusal
from dimos.signing.services.errors import RequestError
from dimos.signing.verification import verify_bytes
from plone.protect.interfaces import IDisableCSRFProtection
from plone.restapi.services import Service
from zope.interface import alsoProvides
from ZPublisher.HTTPRequest import FileUpload


class VerifyPost(Service):
    def reply(self):
        # Anyone may verify, from any page, and nothing is written.
        alsoProvides(self.request, IDisableCSRFProtection)
        try:
            data = uploaded_file(self.request)
        except SigningError as error:
            return refusal(self.request, error)
        return verify_bytes(data)


def uploaded_file(request):
    """The bytes of the file to verify, from a multipart part or a JSON body."""
    content_type = (request.getHeader("Content-Type") or "").lower()
    if content_type.startswith("multipart/form-data"):
        upload = request.form.get("file")
        if isinstance(upload, FileUpload):
            upload.seek(0)
            return upload.read()
    else:
        body = json_object(request)
        if body.get("file") is not None:
            return base64_file(body["file"])[1]
    raise RequestError(
        "no-file",
        "Επισυνάψτε το PDF προς επαλήθευση (πεδίο «file»).",
        "Attach the PDF to verify (field “file”).",
    )
