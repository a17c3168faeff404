"""Test layers for dimos.digitization: a Plone site with the Dimos records and dimos.digitization."""

from dimos.content.testing import DIMOS_CONTENT_FIXTURE
from dimos.policy.testing import integration_and_functional
from plone.app.testing import applyProfile
from plone.app.testing import PloneSandboxLayer

import dimos.digitization


class DimosDigitizationLayer(PloneSandboxLayer):
    defaultBases = (DIMOS_CONTENT_FIXTURE,)

    def setUpZope(self, app, configurationContext):
        self.loadZCML(package=dimos.digitization)

    def setUpPloneSite(self, portal):
        applyProfile(portal, "dimos.digitization:default")


DIMOS_DIGITIZATION_FIXTURE = DimosDigitizationLayer()

DIMOS_DIGITIZATION_INTEGRATION_TESTING, DIMOS_DIGITIZATION_FUNCTIONAL_TESTING = (
    integration_and_functional(DIMOS_DIGITIZATION_FIXTURE, "DimosDigitizationLayer")
)


# Builders of scans and payloads shared by the tests.


def scan_pdf(*page_texts):
    """A real PDF with one rendered page per text (Latin letters: any font can draw them)."""
    from PIL import Image
    from PIL import ImageDraw

    import io
    import time

    pages = []
    for text in page_texts or ("page",):
        page = Image.new("L", (827, 1169), 255)  # A4 at 100 DPI
        ImageDraw.Draw(page).text((80, 100), text, fill=0)
        pages.append(page)
    out = io.BytesIO()
    fixed = time.strptime("1979-03-12", "%Y-%m-%d")  # not today's time: the same file every run
    pages[0].save(
        out,
        format="PDF",
        resolution=100.0,
        save_all=True,
        append_images=pages[1:],
        creationDate=fixed,
        modDate=fixed,
    )
    return out.getvalue()


def file_payload(data, filename):
    import base64

    return {
        "filename": filename,
        "content-type": "application/pdf",
        "encoding": "base64",
        "data": base64.b64encode(data).decode(),
    }


def page(number, text, confidence=91.5, flagged=False, script="monotonic"):
    return {
        "number": number,
        "text": text,
        "source": "ocr",
        "language": "ell",
        "script": script,
        "confidence": confidence,
        "flagged": flagged,
        "text_layer_problem": None,
    }


def scan_payload(pages=None, marker="1979-045", publish=False, **metadata):
    """The body the worker POSTs to /@digitization for a scan of len(pages) pages.

    ``marker`` goes into the PDF, so each marker is a different file (and hash).
    """
    import hashlib

    pages = pages or [
        page(1, "ΑΠΟΦΑΣΗ 45/1979 του Δημοτικού Συμβουλίου"),
        page(2, "Εγκρίνει ομόφωνα την ονοματοδοσία της πλατείας"),
    ]
    source = scan_pdf(*(f"{marker} page {p['number']}" for p in pages))
    fields = {
        "body": "Δημοτικό Συμβούλιο",
        "decision_number": 45,
        "decision_year": 1979,
        "meeting_date": "1979-03-12",
        "subject": "Ονοματοδοσία πλατείας",
        "references": [],
    }
    fields.update(metadata)
    return {
        "sha256": hashlib.sha256(source).hexdigest(),
        "filename": f"{marker}.pdf",
        "source": file_payload(source, f"{marker}.pdf"),
        "searchable_pdf": file_payload(source, f"{marker}.searchable.pdf"),
        "pages": pages,
        "metadata": fields,
        "publish": publish,
    }


def split_files(payload):
    """The multipart form of a JSON ``payload``: (the payload without the files' bytes, files).

    ``files`` is ``{part name: (filename, bytes)}``, as ``incoming.parse`` takes it.
    """
    import base64
    import copy

    payload = copy.deepcopy(payload)
    files = {}
    for name in ("source", "searchable_pdf"):
        value = payload.get(name)
        if isinstance(value, dict) and "data" in value:
            files[name] = (value["filename"], base64.b64decode(value.pop("data")))
            del value["encoding"]
    return payload, files


def council_body(portal, title="Δημοτικό Συμβούλιο", id="dimotiko-symvoulio"):
    from plone import api

    with api.env.adopt_roles(["Manager"]):
        return api.content.create(
            container=portal, type="CouncilBody", id=id, title=title, body_kind="dimotiko-symvoulio"
        )
