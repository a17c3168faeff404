"""The clerk's review in Plone: the list, the page images beside their texts, saving."""

from dimos.content.content.council_body import DECISIONS_BOOK
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


@pytest.fixture
def unnumbered(functional_portal, flagged):
    """A decision whose number and date were not read; 45/1979 belongs to ``flagged``."""
    pages = [
        page(1, "ΑΠΟΦΑΣΗ ;;/1979", confidence=38.0, flagged=True),
        page(2, "Εγκρίνει την αγορά οικοπέδου"),
    ]
    payload = scan_payload(
        pages=pages,
        marker="1979-x",
        decision_number=None,
        meeting_date=None,
        subject="Αγορά οικοπέδου",
    )
    record = create_or_update(payload).record
    transaction.commit()
    return record


def fresh(record):
    transaction.begin()
    return api.content.get(UID=api.content.get_uuid(record))


def number_holder(record, number, year=1979):
    return record.body().number_book(DECISIONS_BOOK).holder(year, number)


def test_clerk_enters_the_missing_number(functional_app, functional_portal, unnumbered):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{functional_portal.absolute_url()}/@@digitization-review")
    row = browser.contents.split("Αγορά οικοπέδου")[1].split("</tr>")[0]
    assert "χωρίς αριθμό" in row
    browser.open(f"{unnumbered.absolute_url()}/@@review-scan")
    assert browser.getControl(name="decision-year").value == "1979"  # read from the scan
    browser.getControl(name="decision-number").value = "46"
    browser.getControl(name="decision-date").value = "1979-04-02"
    browser.getControl(name="page-1").value = "ΑΠΟΦΑΣΗ 46/1979"
    browser.getControl(name="form.buttons.save").click()
    assert browser.url.endswith("/@@digitization-review")
    assert "η απόφαση πήρε τον αριθμό 46/1979" in browser.contents

    record = fresh(unnumbered)
    assert (record.decision_number, record.decision_year) == (46, 1979)
    assert record.decision_date.isoformat() == "1979-04-02"
    assert record.digitization_status == "reviewed"
    assert record.ocr_pages[0]["text"] == "ΑΠΟΦΑΣΗ 46/1979"
    assert number_holder(record, 46) == api.content.get_uuid(record)  # claimed in the book
    assert api.content.find(decision_number=46, decision_year=1979, unrestricted=True)
    with api.env.adopt_roles(["Manager"]):
        for transition in ("submit", "approve", "publish"):
            api.content.transition(obj=record, transition=transition)
    assert api.content.get_state(record) == "published"


def test_a_taken_number_is_refused(functional_app, unnumbered, flagged):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{unnumbered.absolute_url()}/@@review-scan")
    browser.getControl(name="decision-number").value = "45"
    browser.getControl(name="page-1").value = "ΑΠΟΦΑΣΗ 45/1979"
    browser.getControl(name="form.buttons.save").click()
    assert browser.url.endswith("/@@review-scan")
    assert "Δεν αποθηκεύτηκε τίποτα" in browser.contents
    error = browser.contents.split('id="decision-number-error"')[1].split("</div>")[0]
    assert "Η απόφαση 45/1979 του οργάνου υπάρχει ήδη" in error
    assert "Ονοματοδοσία πλατείας" in error  # the holder
    assert browser.getControl(name="decision-number").value == "45"  # kept as typed
    assert browser.getControl(name="page-1").value == "ΑΠΟΦΑΣΗ 45/1979"

    record = fresh(unnumbered)
    assert record.decision_number is None
    assert record.digitization_status == "needs-review"
    assert record.review_pages == [1] and record.ocr_pages[0]["flagged"]
    assert record.ocr_pages[0]["text"] == "ΑΠΟΦΑΣΗ ;;/1979"
    assert number_holder(record, 45) == api.content.get_uuid(flagged)

    english = browser_as(functional_app, "clerk")
    english.addHeader("Cookie", "I18N_LANGUAGE=en")
    english.open(f"{unnumbered.absolute_url()}/@@review-scan")
    english.getControl(name="decision-number").value = "45"
    english.getControl(name="form.buttons.save").click()
    assert "Decision 45/1979 of this body exists already" in english.contents


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("decision-number", "-3", "ακέραιο από 1 έως 999999"),
        ("decision-number", "σαράντα", "ακέραιο από 1 έως 999999"),
        ("decision-number", "0", "ακέραιο από 1 έως 999999"),
        ("decision-year", "79", "τέσσερα ψηφία"),
        ("decision-date", "31/02/1979", "ημέρα/μήνας/έτος"),
    ],
)
def test_a_wrong_entry_is_refused(functional_app, unnumbered, field, typed, message):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{unnumbered.absolute_url()}/@@review-scan")
    browser.getControl(name="decision-number").value = "46"
    browser.getControl(name=field).value = typed
    browser.getControl(name="form.buttons.save").click()
    error = browser.contents.split(f'id="{field}-error"')[1].split("</div>")[0]
    assert message in error
    assert browser.getControl(name=field).value == typed
    record = fresh(unnumbered)
    assert record.decision_number is None and record.digitization_status == "needs-review"
    assert number_holder(record, 46) is None


def test_saved_without_a_number_it_stays_to_review(functional_app, functional_portal, unnumbered):
    browser = browser_as(functional_app, "clerk")
    browser.open(f"{unnumbered.absolute_url()}/@@review-scan")
    browser.getControl(name="page-1").value = "ΑΠΟΦΑΣΗ ../1979"
    browser.getControl(name="form.buttons.save").click()
    assert "η απόφαση χρειάζεται ακόμη αριθμό" in browser.contents
    assert "χωρίς αριθμό" in browser.contents  # still listed
    record = fresh(unnumbered)
    assert record.digitization_status == "needs-review" and record.review_pages == []
    assert record.ocr_pages[0]["text"] == "ΑΠΟΦΑΣΗ ../1979"
    browser.open(f"{unnumbered.absolute_url()}/@@review-scan")  # no page left, the number asked
    assert browser.getControl(name="decision-number").value == ""
