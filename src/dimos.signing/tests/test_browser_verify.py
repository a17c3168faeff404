"""Public verification in Classic UI: by upload, by the QR code's link, for anyone."""

from dimos.signing.browser.verify import _validity
from dimos.signing.plan import request_signatures
from dimos.signing.plan import sign_document
from dimos.signing.testing import PASSWORD
from dimos.signing.testing import permit as make_permit
from dimos.signing.testing import secretary_and_mayor
from dimos.signing.testing import use_pki
from dimos.signing.testing_pki import blank_pdf
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.testing.zope import Browser
from zope.i18n import translate

import io
import pytest
import transaction


@pytest.fixture
def signed(functional_portal, pki):
    """A permit's PDF signed by the secretary, then the mayor; (portal, document, pdf)."""
    portal = functional_portal
    use_pki(pki)
    secretary_and_mayor(pki)
    permit = make_permit(portal)
    document = request_signatures(
        "Άδεια 12/2026",
        blank_pdf(),
        "adeia.pdf",
        [("secretary", None), ("mayor", None)],
        record=permit,
        actor="clerk",
    )
    sign_document(document, "secretary", PASSWORD)
    sign_document(document, "mayor", PASSWORD)
    transaction.commit()
    return portal, document, document.file.data


def visitor(app, auth=None):
    browser = Browser(app)
    browser.handleErrors = False
    if auth:
        browser.addHeader("Authorization", f"Basic {auth[0]}:{auth[1]}")
    return browser


def upload(browser, portal, data, filename="adeia.pdf"):
    browser.open(f"{portal.absolute_url()}/@@verify")
    browser.getControl(name="file").add_file(io.BytesIO(data), "application/pdf", filename)
    browser.getControl(name="form.buttons.verify").click()
    return browser.contents


def flip_one_byte(pdf):
    """The PDF with one digit of its first page's size changed: inside every signed range."""
    at = pdf.index(b"595")
    return pdf[:at] + b"596" + pdf[at + 3 :]


def test_an_uploaded_copy_is_intact_with_both_signers(functional_app, signed):
    portal, document, pdf = signed
    page = upload(visitor(functional_app), portal, pdf)
    assert "Ακέραιο: το έγγραφο δεν έχει αλλάξει από τότε που υπογράφηκε." in page
    assert "Υπογραφή 1: Μαρία Παπαδοπούλου" in page
    assert "Υπογραφή 2: Γιώργος Νικολάου" in page
    assert page.count("Αξιόπιστη: το πιστοποιητικό εκδόθηκε") == 2
    assert page.count("(χρονοσήμανση από αρχή χρονοσήμανσης, TSA)") == 2
    assert "Γενική Γραμματέας" in page and "Δήμαρχος" in page
    assert "Το αρχείο είναι ίδιο με το αντίγραφο που φυλάσσεται στο αρχείο του δήμου." in page
    assert 'id="archive-record"' not in page  # anonymous may not see the permit
    assert 'role="status"' in page and "<h1" in page and 'for="verify-file"' in page


def test_the_record_is_linked_for_whoever_may_see_it(functional_app, signed):
    portal, document, pdf = signed
    page = upload(visitor(functional_app, (SITE_OWNER_NAME, SITE_OWNER_PASSWORD)), portal, pdf)
    record = page.split('id="archive-record"')[1].split("</p>")[0]
    assert (
        "Άδεια κατάληψης κοινόχρηστου χώρου" in record
        and f"{portal.absolute_url()}/permit" in record
    )


def test_the_qr_link_verifies_the_archive_copy_for_anyone(functional_app, signed):
    portal, document, pdf = signed
    browser = visitor(functional_app)
    browser.open(f"{portal.absolute_url()}/verify/{document.UID()}")
    assert "Ακέραιο" in browser.contents
    assert "Μαρία Παπαδοπούλου" in browser.contents and "Γιώργος Νικολάου" in browser.contents
    assert "φυλάσσεται στο αρχείο του δήμου" in browser.contents


def test_a_copy_with_one_byte_changed_is_modified(functional_app, signed):
    portal, document, pdf = signed
    page = upload(visitor(functional_app), portal, flip_one_byte(pdf))
    assert "Τροποποιημένο: το έγγραφο άλλαξε μετά την υπογραφή του." in page
    assert "Ακέραιο:" not in page
    assert "Άλλαξε μετά από αυτή την υπογραφή" in page
    assert "Δεν υπάρχει ίδιο αντίγραφο αυτού του αρχείου στο αρχείο του δήμου." in page


def test_an_unknown_link_and_a_file_that_is_not_a_pdf(functional_app, signed):
    portal, document, pdf = signed
    browser = visitor(functional_app)
    browser.raiseHttpErrors = False
    browser.open(f"{portal.absolute_url()}/verify/0123456789abcdef0123456789abcdef")
    assert browser.headers["status"].startswith("404")
    assert "Δεν υπάρχει τέτοιο έγγραφο στο αρχείο" in browser.contents
    assert 'id="verify-form"' in browser.contents  # the upload is offered instead

    page = upload(visitor(functional_app), portal, b"GIF89a not a pdf", "photo.pdf")
    assert "Το αρχείο δεν είναι PDF: ελέγχονται μόνο έγγραφα PDF." in page
    assert 'id="verify-signature' not in page


def test_an_expired_certificate_is_not_a_forged_signature(integration):
    signature = {
        "certificate": {"not_after": "2025-06-30T12:00:00+00:00"},
        "certificate_expired": True,
        "timestamp": "2025-03-02T10:15:00+00:00",
        "signed_at": "2025-03-02T10:14:58+02:00",
    }
    state, message = _validity(signature)
    assert state == "expired-later"
    assert translate(message, target_language="el") == (
        "Το πιστοποιητικό έχει λήξει από τις 30/06/2025· "
        "η υπογραφή έγινε όταν ήταν σε ισχύ και δεν είναι πλαστή."
    )
    state, _message = _validity(dict(signature, timestamp="2025-07-01T09:00:00+00:00"))
    assert state == "expired"
