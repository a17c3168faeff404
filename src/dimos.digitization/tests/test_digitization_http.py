"""POST and GET /@digitization over HTTP, as the workers call them, and @search naming the page.

The requests and responses are saved as the API documentation's examples.
"""

from datetime import date
from dimos.digitization.account import ensure_service_password
from dimos.digitization.client import SiteClient
from dimos.digitization.payload import file_parts
from dimos.digitization.payload import to_payload
from dimos.digitization.pipeline.model import DecisionMetadata
from dimos.digitization.pipeline.model import DocumentResult
from dimos.digitization.pipeline.model import PageResult
from dimos.digitization.testing import council_body
from dimos.digitization.testing import page
from dimos.digitization.testing import scan_payload
from dimos.digitization.testing import scan_pdf
from dimos.digitization.testing import split_files
from dimos.policy.testing import save_http_example
from plone import api

import hashlib
import json
import os
import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}
ACCEPT = {"Accept": "application/json"}  # requests writes the multipart Content-Type


@pytest.fixture
def site(functional_portal, tmp_path):
    council_body(functional_portal)
    service = ensure_service_password(tmp_path / "digitizer-password")
    api.user.create(email="m@example.org", username="member", password="member-pass-1")
    transaction.commit()
    return functional_portal.absolute_url(), (service.user, service.password)


def call(method, url, auth=None, example=None, **kw):
    headers = ACCEPT if "files" in kw else JSON
    headers = {**headers, **kw.pop("headers", {})}
    response = requests.request(method, url, headers=headers, auth=auth, timeout=60, **kw)
    if example:
        # The scan's bytes would fill pages: the example shows them cut short.
        save_http_example(example, _shortened(response))
    return response


def _shortened(response):
    request = response.request
    body = request.body
    if request.headers.get("Content-Type", "").startswith("multipart/form-data"):
        request.body, request.headers["Content-Type"] = _readable_multipart(
            body, request.headers["Content-Type"]
        )
    elif body and b'"data"' in (body if isinstance(body, bytes) else body.encode()):
        data = json.loads(body)
        for key in ("source", "searchable_pdf"):
            if isinstance(data.get(key), dict):
                data[key]["data"] = data[key]["data"][:24] + "..."
        request.body = json.dumps(data, ensure_ascii=False).encode()
    return response


def _readable_multipart(body, content_type):
    """The multipart body with its file parts cut short, its JSON indented, a fixed boundary."""
    kind, boundary = content_type.split("; boundary=")
    parts = []
    for chunk in body.split(b"--" + boundary.encode())[1:-1]:
        head, content = chunk.removeprefix(b"\r\n").removesuffix(b"\r\n").split(b"\r\n\r\n", 1)
        head = head.decode("utf-8").replace("\r\n", "\n")
        if "filename=" in head:
            text = f"{content[:8].decode('ascii', 'replace')}... ({len(content)} bytes)"
        else:
            text = json.dumps(json.loads(content), ensure_ascii=False, indent=2)
        parts.append(f"--example-boundary\n{head}\n\n{text}\n")
    return ("".join(parts) + "--example-boundary--").encode(), f"{kind}; boundary=example-boundary"


def multipart(payload):
    """requests' ``files`` for a JSON ``payload``: the JSON part and the files as they are."""
    form, files = split_files(payload)
    parts = {"payload": (None, json.dumps(form), "application/json")}
    for name, (filename, data) in files.items():
        parts[name] = (filename, data, "application/pdf")
    return parts


def stored_as(sha256):
    """What the site keeps of the record of ``sha256``."""
    transaction.begin()
    (brain,) = api.content.find(source_sha256=sha256, unrestricted=True)
    record = brain._unrestrictedGetObject()
    files = {
        name: (field.filename, field.contentType, field.data)
        for name, field in (("source", record.source_scan), ("searchable", record.searchable_pdf))
    }
    return {
        "UID": brain.UID,
        "files": files,
        "fields": [
            getattr(record, name)
            for name in ("title", "ocr_pages", "page_count", "review_pages", "digitization_status")
        ],
        "number": record.number_label(),
        "state": api.content.get_state(record),
    }


def test_worker_creates_then_updates_then_reads(site):
    url, digitizer = site
    payload = scan_payload(publish=True)
    created = call("POST", f"{url}/@digitization", digitizer, "digitization-post", json=payload)
    assert created.status_code == 201, created.text
    result = created.json()
    assert result["created"] is True
    assert result["review_state"] == "published"
    assert result["digitization_status"] == "ocr-done"
    assert result["number_label"] == "45/1979"
    assert created.headers["Location"] == result["@id"]

    again = call("POST", f"{url}/@digitization", digitizer, json=payload)
    assert again.status_code == 200
    assert again.json()["UID"] == result["UID"] and again.json()["created"] is False

    read = call("GET", f"{url}/@digitization/{payload['sha256']}", digitizer, "digitization-get")
    assert read.status_code == 200
    assert read.json()["UID"] == result["UID"]
    unknown = call("GET", f"{url}/@digitization/{'0' * 64}", digitizer, "digitization-get-unknown")
    assert unknown.status_code == 404
    assert unknown.json()["messages"]["en"] == "No result is stored for this file."


def test_refusals_answer_in_greek_and_english(site):
    url, digitizer = site
    response = call(
        "POST",
        f"{url}/@digitization",
        digitizer,
        "digitization-post-unknown-body",
        json=scan_payload(body="Δημοτική Κοινότητα"),
    )
    assert response.status_code == 400
    error = response.json()
    assert error["type"] == "unknown-body"
    assert error["message"].startswith("Άγνωστο όργανο «Δημοτική Κοινότητα»")
    assert error["messages"]["en"].startswith("Unknown body")
    bad = scan_payload()
    bad["metadata"]["meeting_date"] = "12/3/1979"
    response = call("POST", f"{url}/@digitization", digitizer, json=bad)
    assert response.status_code == 400 and response.json()["type"] == "bad-date"
    response = call("POST", f"{url}/@digitization", digitizer, data="{not json")
    assert response.status_code == 400
    transaction.begin()
    assert len(api.content.find(portal_type="CouncilDecision", unrestricted=True)) == 0


def test_needs_review_stays_private_and_says_why(site):
    url, digitizer = site
    pages = [
        page(1, "ΑΠΟΦΑΣΗ 45/1979 ΠΕΡΙ ΥΔΡΕΥΣΕΩΣ"),
        page(2, "ἀπόφασις δυσανάγνωστος", confidence=38.2, flagged=True, script="polytonic"),
    ]
    response = call(
        "POST",
        f"{url}/@digitization",
        digitizer,
        "digitization-post-needs-review",
        json=scan_payload(pages=pages, publish=True, decision_number=None),
    )
    assert response.status_code == 201
    result = response.json()
    assert result["review_state"] == "private" or result["review_state"] == "draft"
    assert result["digitization_status"] == "needs-review"
    assert result["number_label"] == ""
    assert result["review_pages"] == [2]
    assert {note["code"] for note in result["notes"]} == {"no-number", "flagged-pages"}
    # the public neither sees it nor finds it
    assert requests.get(result["@id"], headers=JSON, timeout=30).status_code == 401
    found = requests.get(
        f"{url}/@search", params={"SearchableText": "υδρευσεως"}, headers=JSON, timeout=30
    )
    assert found.json()["items_total"] == 0


@pytest.mark.parametrize("who", ["anonymous", "member", "admin-of-nothing"])
def test_only_the_digitizer_may_store(site, who):
    url, _ = site
    auth = {
        "anonymous": None,
        "member": ("member", "member-pass-1"),
        "admin-of-nothing": ("digitizer", "wrong password"),
    }[who]
    for method, path in (("POST", "@digitization"), ("GET", f"@digitization/{'0' * 64}")):
        response = call(method, f"{url}/{path}", auth, json=scan_payload())
        assert response.status_code in (401, 403), response.text
    transaction.begin()
    assert len(api.content.find(portal_type="CouncilDecision", unrestricted=True)) == 0


def test_search_without_accents_names_the_page(site):
    url, digitizer = site
    pages = [
        page(1, "ΑΠΟΦΑΣΗ 45/1979 του Δημοτικού Συμβουλίου"),
        page(2, "Η ονοματοδοσία της ΠΛΑΤΕΙΑΣ Ελευθερίας"),
        page(3, "Η απόφαση να αναρτηθεί στο κατάστημα"),
    ]
    response = call(
        "POST", f"{url}/@digitization", digitizer, json=scan_payload(pages=pages, publish=True)
    )
    assert response.json()["review_state"] == "published"

    def search(text, example=None):
        return call("GET", f"{url}/@search", None, example, params={"SearchableText": text})

    found = search("πλατειας ελευθεριας", "digitization-search").json()
    assert found["items_total"] == 1
    assert found["items"][0]["scan_pages"] == [2]
    assert search("αποφαση").json()["items"][0]["scan_pages"] == [1, 3]
    assert search("ΑΝΑΡΤΗΘΕΙ").json()["items"][0]["scan_pages"] == [3]
    assert search("καταστ*").json()["items"][0]["scan_pages"] == [3]
    # other results and queries without words are left as plone.restapi makes them
    listing = call("GET", f"{url}/@search", None, params={"portal_type": "CouncilDecision"})
    assert "scan_pages" not in listing.json()["items"][0]


def test_concurrent_posts_of_one_file_make_one_record(site):
    from concurrent.futures import ThreadPoolExecutor

    url, digitizer = site
    payload = scan_payload(marker="concurrent")
    with ThreadPoolExecutor(4) as pool:
        responses = list(
            pool.map(
                lambda _: call("POST", f"{url}/@digitization", digitizer, json=payload), range(4)
            )
        )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], [
        r.text for r in responses
    ]
    assert len({r.json()["UID"] for r in responses}) == 1
    transaction.begin()
    assert len(api.content.find(portal_type="CouncilDecision", unrestricted=True)) == 1


def test_multipart_stores_what_json_stores(site):
    url, digitizer = site
    payload = scan_payload(publish=True)
    created = call(
        "POST",
        f"{url}/@digitization",
        digitizer,
        "digitization-post-multipart",
        files=multipart(payload),
    )
    assert created.status_code == 201, created.text
    assert created.json()["review_state"] == "published"
    kept = stored_as(payload["sha256"])
    _, files = split_files(payload)
    assert kept["files"]["source"] == ("1979-045.pdf", "application/pdf", files["source"][1])
    assert kept["files"]["searchable"][0] == "1979-045.searchable.pdf"
    assert kept["number"] == "45/1979"
    # the same result again as JSON: the same record, every field as the multipart left it
    again = call("POST", f"{url}/@digitization", digitizer, json=payload)
    assert again.status_code == 200 and again.json()["UID"] == kept["UID"]
    assert stored_as(payload["sha256"]) == kept


def test_multipart_with_a_wrong_or_missing_file_part_is_refused(site):
    url, digitizer = site
    payload = scan_payload()
    without_source = multipart(payload)
    del without_source["source"]
    response = call(
        "POST",
        f"{url}/@digitization",
        digitizer,
        "digitization-post-multipart-no-source",
        files=without_source,
    )
    assert response.status_code == 400
    assert response.json()["messages"] == {
        "el": "Λείπει το αρχείο source.",
        "en": "The file source is missing.",
    }
    other = multipart(payload)
    other["source"] = ("1979-045.pdf", scan_pdf("another scan"), "application/pdf")
    response = call("POST", f"{url}/@digitization", digitizer, files=other)
    assert response.status_code == 400 and response.json()["type"] == "sha256-mismatch"
    assert response.json()["messages"]["el"] == "Το sha256 δεν αντιστοιχεί στο αρχείο source."
    not_a_file = multipart(payload)
    not_a_file["source"] = (None, b"%PDF-1.4 text field", "application/pdf")
    response = call("POST", f"{url}/@digitization", digitizer, files=not_a_file)
    assert response.status_code == 400
    assert response.json()["messages"]["en"] == "The part source must be one file."
    no_payload = multipart(payload)
    del no_payload["payload"]
    response = call("POST", f"{url}/@digitization", digitizer, files=no_payload)
    assert response.status_code == 400
    assert response.json()["messages"]["en"] == "The body is not a JSON object."
    transaction.begin()
    assert len(api.content.find(portal_type="CouncilDecision", unrestricted=True)) == 0


def test_a_page_of_another_site_may_not_store(site):
    """A multipart POST needs no preflight: a browser would send it from any page (CSRF)."""
    url, digitizer = site
    payload = scan_payload()
    for body in ({"files": multipart(payload)}, {"json": payload}):
        response = call(
            "POST",
            f"{url}/@digitization",
            digitizer,
            headers={"Origin": "https://elsewhere.example"},
            **body,
        )
        assert response.status_code == 403
        assert response.json()["type"] == "cross-site"
        assert response.json()["messages"]["en"].startswith("A request from another site")
    transaction.begin()
    assert len(api.content.find(portal_type="CouncilDecision", unrestricted=True)) == 0
    origin = url.split("/plone")[0]  # the site's own pages may
    response = call(
        "POST", f"{url}/@digitization", digitizer, headers={"Origin": origin}, json=payload
    )
    assert response.status_code == 201, response.text


def test_a_20_mb_scan_goes_through_multipart(site):
    url, digitizer = site
    scan = b"%PDF-1.4\n" + os.urandom(20 * 2**20)
    payload = scan_payload()
    payload["sha256"] = hashlib.sha256(scan).hexdigest()
    parts = multipart(payload)
    parts["source"] = ("big.pdf", scan, "application/pdf")
    response = call("POST", f"{url}/@digitization", digitizer, files=parts)
    assert response.status_code == 201, response.text
    kept = stored_as(payload["sha256"])
    assert kept["files"]["source"][2] == scan


def test_the_workers_client_sends_multipart(site, tmp_path):
    url, (user, password) = site
    source = tmp_path / "1979-046.pdf"
    source.write_bytes(scan_pdf("1979-046 page 1"))
    searchable = tmp_path / "searchable.pdf"
    searchable.write_bytes(scan_pdf("1979-046 searchable"))
    sha256 = hashlib.sha256(source.read_bytes()).hexdigest()
    result = DocumentResult(
        sha256,
        source,
        "pdf",
        (PageResult(1, "ΑΠΟΦΑΣΗ 46/1979", "ocr", "ell", "monotonic", 90.0, False),),
        searchable,
        DecisionMetadata(46, 1979, date(1979, 3, 12), "Δημοτικό Συμβούλιο", "Ύδρευση"),
        tmp_path,
    )
    client = SiteClient(url, user, password)
    stored = client.store(to_payload(result), file_parts(result))
    assert stored["created"] is True and stored["number_label"] == "46/1979"
    assert client.lookup(sha256)["UID"] == stored["UID"]
    kept = stored_as(sha256)
    assert kept["files"]["source"] == ("1979-046.pdf", "application/pdf", source.read_bytes())
    assert kept["files"]["searchable"] == (
        "1979-046.searchable.pdf",
        "application/pdf",
        searchable.read_bytes(),
    )
