from dimos.content.testing import add_decision
from dimos.content.testing import council
from dimos.policy.testing import save_http_example
from dimos.signing.testing import DIMOS_SIGNING_FUNCTIONAL_TESTING
from dimos.signing.testing import DIMOS_SIGNING_INTEGRATION_TESTING
from dimos.signing.testing import employee
from dimos.signing.testing import register_signer
from dimos.signing.testing import use_pki
from dimos.signing.testing_pki import start_pki
from io import BytesIO
from PIL import Image
from plone import api
from plone.app.testing import setRoles
from plone.namedfile.file import NamedBlobFile
from pytest_plone import fixtures_factory
from types import SimpleNamespace

import copy
import json
import pytest
import re
import requests
import subprocess
import transaction


globals().update(
    fixtures_factory(
        (
            (DIMOS_SIGNING_FUNCTIONAL_TESTING, "functional"),
            (DIMOS_SIGNING_INTEGRATION_TESTING, "integration"),
        )
    )
)


@pytest.fixture(scope="session")
def pki():
    """One test PKI (CAs, signers, CRL, OCSP, TSA on 127.0.0.1) for the whole session."""
    with start_pki() as pki:
        yield pki


@pytest.fixture(scope="session")
def nssdir(pki, tmp_path_factory):
    """An NSS database trusting the test root, for pdfsig."""
    folder = tmp_path_factory.mktemp("nss")
    (folder / "root.pem").write_bytes(pki.root_pem())
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        ["certutil", "-A", "-d", f"sql:{folder}", "-n", "dimos-test-root", "-t", "CT,C,C"]
        + ["-i", str(folder / "root.pem")],
        check=True,
    )
    return folder


@pytest.fixture(scope="session")
def pdfsig_says(nssdir, tmp_path_factory):
    """poppler's pdfsig on PDF bytes, trusting the test root: what it prints."""
    folder = tmp_path_factory.mktemp("pdfsig")

    def pdfsig_says(data):
        path = folder / "checked.pdf"
        path.write_bytes(data)
        done = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{nssdir}", str(path)], capture_output=True, text=True
        )
        return done.stdout

    return pdfsig_says


def a_pdf(pages=1):
    """A PDF of white A4 pages, as a scan would be."""
    images = [Image.new("L", (595, 842), 255) for _ in range(pages)]
    out = BytesIO()
    images[0].save(out, "PDF", resolution=72, save_all=True, append_images=images[1:])
    return out.getvalue()


@pytest.fixture
def signing_site(functional_portal, pki):
    """The test PKI trusted; secretary and mayor registered; a clerk; a decision with its PDF.

    Users' passwords are their userid twice (``testing.employee``).
    """
    portal = functional_portal
    use_pki(pki)
    register_signer(pki, "secretary", "secretary", "Γενική Γραμματέας", "Μαρία Παπαδοπούλου")
    register_signer(pki, "mayor", "mayor", "Δήμαρχος", "Γιώργος Νικολάου")
    employee("clerk", "Ελένη Γραμματείας")
    setRoles(portal, "clerk", ["Member", "CouncilSecretary"])
    employee("member", "Απλός Χρήστης")
    pdf = a_pdf()
    with api.env.adopt_roles(["Manager"]):
        decision = add_decision(
            council(portal),
            "Έγκριση προϋπολογισμού 2026",
            searchable_pdf=NamedBlobFile(
                pdf, filename="apofasi-12-2026.pdf", contentType="application/pdf"
            ),
        )
    transaction.commit()
    return SimpleNamespace(portal=portal, url=portal.absolute_url(), decision=decision, pdf=pdf)


# --- HTTP calls to the functional layer's server, saved as the API's examples ---

JSON = {"Accept": "application/json", "Content-Type": "application/json"}

# Values of the test PKI that change on every run (hashes, serials, dates relative
# to today), replaced so that a saved example only changes when the API does.
_RUN_VALUES = (
    (re.compile(r"\b[0-9a-f]{64}\b"), "0123456789abcdef" * 4),
    (re.compile(r'"serial": "[0-9a-f]+"'), '"serial": "1f2e3d4c5b6a"'),
    (re.compile(r"\b\d\d/\d\d/\d{4}\b"), "02/03/2026"),
    (re.compile(r"\b\d{4}-\d\d-\d\d\b"), "2026-03-02"),
)


_PEM = re.compile(r"(-----BEGIN CERTIFICATE-----)\n(.{12}).+?(-----END CERTIFICATE-----)", re.S)


@pytest.fixture(scope="session")
def call():
    """``call(method, url, auth, example=None, secrets=(), **requests_kw)``: a response.

    With ``example``, the request and response are saved as
    docs/http-examples/<example>.req/.resp, base64 files and multipart
    bodies shortened, ``secrets`` (passwords, PINs) masked.
    """

    def call(method, url, auth=None, example=None, secrets=(), headers=JSON, **kw):
        response = requests.request(method, url, headers=headers, auth=auth, timeout=120, **kw)
        if example:
            save_http_example(example, _for_docs(response), secrets)
        return response

    return call


def _for_docs(response):
    """A copy of ``response`` (and its request) as the documentation shows it."""
    request = response.request.copy()
    body = request.body
    if isinstance(body, str):
        body = body.encode("utf-8")
    if body and (request.headers.get("Content-Type") or "").startswith("multipart/"):
        request.body = _multipart_outline(body)
    elif body:
        request.body = json.dumps(_shortened(json.loads(body)), ensure_ascii=False)
    text = response.content.decode("utf-8")
    for pattern, replacement in _RUN_VALUES:
        text = pattern.sub(replacement, text)
    shown = copy.copy(response)
    shown.request = request
    shown._content = text.encode("utf-8")
    return shown


def _shortened(value):
    """The JSON with each file's base64 ``data`` and each PEM certificate cut short."""
    if isinstance(value, str):
        return _PEM.sub(r"\1\n\2...\n\3", value)
    if isinstance(value, dict):
        return {
            key: item[:24] + "..." if key == "data" and isinstance(item, str) else _shortened(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_shortened(item) for item in value]
    return value


def _multipart_outline(body):
    """A multipart body as text, each part's content left out."""
    boundary = body.split(b"\r\n", 1)[0]
    parts = []
    for part in body.split(boundary)[1:-1]:
        head = part.strip(b"\r\n").partition(b"\r\n\r\n")[0]
        parts.append(f"{boundary.decode()}\r\n{head.decode()}\r\n\r\n<the file's bytes>")
    return "\r\n".join([*parts, f"{boundary.decode()}--"])
