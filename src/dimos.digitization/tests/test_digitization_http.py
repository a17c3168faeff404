"""POST and GET /@digitization over HTTP, as the workers call them, and @search naming the page.

The requests and responses are saved as the API documentation's examples.
"""

from dimos.digitization.account import ensure_service_password
from dimos.digitization.testing import council_body
from dimos.digitization.testing import page
from dimos.digitization.testing import scan_payload
from dimos.policy.testing import save_http_example
from plone import api

import pytest
import requests
import transaction


JSON = {"Accept": "application/json", "Content-Type": "application/json"}


@pytest.fixture
def site(functional_portal, tmp_path):
    council_body(functional_portal)
    service = ensure_service_password(tmp_path / "digitizer-password")
    api.user.create(email="m@example.org", username="member", password="member-pass-1")
    transaction.commit()
    return functional_portal.absolute_url(), (service.user, service.password)


def call(method, url, auth=None, example=None, **kw):
    response = requests.request(method, url, headers=JSON, auth=auth, timeout=60, **kw)
    if example:
        # The scan's base64 data would fill pages: the example shows it cut short.
        save_http_example(example, _shortened(response))
    return response


def _shortened(response):
    body = response.request.body
    if body and b'"data"' in (body if isinstance(body, bytes) else body.encode()):
        import json

        data = json.loads(body)
        for key in ("source", "searchable_pdf"):
            if isinstance(data.get(key), dict):
                data[key]["data"] = data[key]["data"][:24] + "..."
        response.request.body = json.dumps(data, ensure_ascii=False).encode()
    return response


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
