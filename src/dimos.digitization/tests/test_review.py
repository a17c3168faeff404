"""The clerk's review in Plone: the list, the page images beside their texts, saving."""

from dimos.digitization.store import create_or_update
from dimos.digitization.testing import council_body
from dimos.digitization.testing import page
from dimos.digitization.testing import scan_payload
from PIL import Image
from plone import api
from plone.testing.zope import Browser

import io
import pytest
import transaction


PASSWORD = "clerk-password-1"


@pytest.fixture
def flagged(functional_portal):
    council_body(functional_portal)
    api.user.create(email="c@example.org", username="clerk", password=PASSWORD)
    api.group.add_user(groupname="dimotologio", username="clerk")  # RecordsClerk
    api.user.create(email="m@example.org", username="member", password=PASSWORD)
    pages = [
        page(1, "ΑΠΟΦΑΣΗ 45/1979"),
        page(2, "Εγκρίνει την ονοματοδοσία"),
        page(3, "Τ0 Δημοτ1κό Συμβ0ύλιο", confidence=42.0, flagged=True),
    ]
    record = create_or_update(scan_payload(pages=pages, publish=True)).record
    transaction.commit()
    return record


def browser_as(app, username):
    browser = Browser(app)
    browser.handleErrors = False
    browser.addHeader("Authorization", f"Basic {username}:{PASSWORD}")
    return browser


def test_clerk_reviews_a_flagged_page(functional_app, functional_portal, flagged):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{functional_portal.absolute_url()}/@@digitization-review")
    assert "Ψηφιοποιημένες αποφάσεις για έλεγχο" in browser.contents
    assert "Ονοματοδοσία πλατείας" in browser.contents and "75.0" in browser.contents  # mean
    browser.getLink("Έλεγχος").click()
    assert browser.url.endswith("/@@review-scan")
    assert "@@scan-page?n=3" in browser.contents
    assert "@@scan-page?n=2" not in browser.contents  # only the flagged page
    textarea = browser.getControl(name="page-3")
    assert textarea.value == "Τ0 Δημοτ1κό Συμβ0ύλιο"
    textarea.value = "Το Δημοτικό Συμβούλιο"
    browser.getControl(name="form.buttons.save").click()
    assert browser.url.endswith("/@@digitization-review")
    assert "Καμία ψηφιοποιημένη απόφαση δεν χρειάζεται έλεγχο." in browser.contents

    transaction.begin()
    record = api.content.get(UID=api.content.get_uuid(flagged))
    assert record.digitization_status == "reviewed"
    assert record.review_pages == []
    assert record.ocr_pages[2]["text"] == "Το Δημοτικό Συμβούλιο"
    assert record.ocr_pages[2]["source"] == "review" and record.ocr_pages[2]["confidence"] == 42.0
    assert not any(p["flagged"] for p in record.ocr_pages)
    assert record.ocr_pages[1]["text"] == "Εγκρίνει την ονοματοδοσία"  # untouched
    assert (
        len(
            api.content.find(
                SearchableText="συμβουλιο", portal_type="CouncilDecision", unrestricted=True
            )
        )
        == 1
    )
    # reviewed, numbered and with text: the secretary may now approve and publish it
    with api.env.adopt_roles(["Manager"]):
        for transition in ("submit", "approve", "publish"):
            api.content.transition(obj=record, transition=transition)
    assert api.content.get_state(record) == "published"


def test_scan_page_renders_the_page_as_png(functional_app, flagged):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{flagged.absolute_url()}/@@scan-page?n=3")
    assert browser.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(browser.contents))
    assert image.format == "PNG"
    assert 800 <= image.width <= 850  # A4 at 100 DPI


def test_members_may_not_review(functional_app, functional_portal, flagged):
    urls = (
        f"{functional_portal.absolute_url()}/@@digitization-review",
        f"{flagged.absolute_url()}/@@review-scan",
        f"{flagged.absolute_url()}/@@scan-page?n=3",
    )
    browser = browser_as(functional_app, "member")
    browser.handleErrors = True
    browser.raiseHttpErrors = False
    for url in urls:
        browser.open(url)
        assert "Ψηφιοποιημένες αποφάσεις" not in browser.contents
        assert "page-3" not in browser.contents
        assert browser.headers["Content-Type"] != "image/png"
        assert browser.url.endswith(
            "/insufficient-privileges"
        )  # Plone's answer to a 401 for a member
