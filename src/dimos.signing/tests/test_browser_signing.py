"""Signing in Classic UI: a clerk asks, the secretary then the mayor sign, in their lists."""

from dimos.signing.plan import plan_of
from dimos.signing.plan import request_signatures
from dimos.signing.testing import PASSWORD
from dimos.signing.testing import permit as make_permit
from dimos.signing.testing import secretary_and_mayor
from dimos.signing.testing import use_pki
from dimos.signing.testing_pki import blank_pdf
from plone import api
from plone.app.testing import SITE_OWNER_NAME
from plone.app.testing import SITE_OWNER_PASSWORD
from plone.namedfile.file import NamedBlobFile
from plone.testing.zope import Browser

import hashlib
import io
import pytest
import transaction


CLERK_PASSWORD = "clerk-password-1"


@pytest.fixture
def site(functional_portal, pki):
    """Two signers with certificates, a clerk of the records office and a permit."""
    portal = functional_portal
    use_pki(pki)
    secretary_and_mayor(pki)
    api.user.create(
        email="clerk@example.org",
        username="clerk",
        password=CLERK_PASSWORD,
        properties={"fullname": "Ελένη Υπαλλήλου"},
    )
    api.group.add_user(groupname="dimotologio", username="clerk")  # RecordsClerk
    permit = make_permit(portal)
    transaction.commit()
    return portal, permit


def browser_as(app, userid, password=None):
    browser = Browser(app)
    browser.handleErrors = False
    if userid is not None:
        password = password or userid * 2  # testing.employee's passwords
        browser.addHeader("Authorization", f"Basic {userid}:{password}")
    return browser


def fresh(obj):
    """``obj`` as the last request left it (whoever the browser's user was)."""
    transaction.begin()
    brains = api.content.find(UID=api.content.get_uuid(obj), unrestricted=True)
    return brains[0]._unrestrictedGetObject()


def request_form(app, record):
    """A clerk's browser on the record's request form, reached by the record's action."""
    admin = browser_as(app, SITE_OWNER_NAME, SITE_OWNER_PASSWORD)
    admin.open(record.absolute_url())
    link = admin.getLink("Αίτημα υπογραφών")  # an action of every record
    assert link.url.startswith(f"{record.absolute_url()}/@@request-signatures")
    clerk = browser_as(app, "clerk", CLERK_PASSWORD)
    clerk.open(link.url)
    return clerk


def sha(data):
    return hashlib.sha256(data).hexdigest()


def test_clerk_requests_secretary_then_mayor_and_both_sign(functional_app, site):
    portal, permit = site
    clerk = request_form(functional_app, permit)
    assert "Αίτημα υπογραφών" in clerk.contents
    assert clerk.getControl(name="title").value == "Άδεια κατάληψης κοινόχρηστου χώρου"
    clerk.getControl(name="pdf").add_file(io.BytesIO(blank_pdf()), "application/pdf", "a.pdf")
    clerk.getControl(name="signer-1").value = ["secretary"]
    clerk.getControl(name="signer-2").value = ["mayor"]
    clerk.getControl(name="form.buttons.request").click()
    assert clerk.url.endswith("/@@sign")
    assert "περιμένει την υπογραφή του/της Μαρία Παπαδοπούλου" in clerk.contents
    assert 'id="sign-form"' not in clerk.contents  # the clerk does not sign

    # the secretary's list; the mayor's is empty until she has signed
    secretary = browser_as(functional_app, "secretary")
    mayor = browser_as(functional_app, "mayor")
    secretary.open(portal.absolute_url())
    assert secretary.getLink("Προς υπογραφή").url.endswith("/@@to-sign")  # a user action
    mayor.open(f"{portal.absolute_url()}/@@to-sign")
    assert "Κανένα έγγραφο δεν περιμένει την υπογραφή σας." in mayor.contents
    secretary.open(f"{portal.absolute_url()}/@@to-sign")
    assert "Προς υπογραφή" in secretary.contents
    row = secretary.contents.split('id="to-sign"')[1]
    assert "Άδεια κατάληψης κοινόχρηστου χώρου" in row and "Ελένη Υπαλλήλου" in row
    secretary.getLink(url="/@@sign").click()
    assert "Κωδικός του πιστοποιητικού σας (αρχείο PKCS#12)" in secretary.contents
    document = fresh(permit).aq_parent["signed-documents"].objectValues()[0]
    before = sha(document.file.data)

    secretary.getControl(name="secret").value = "wrong"
    secretary.getControl(name="form.buttons.sign").click()
    assert "Λάθος κωδικός για το πιστοποιητικό PKCS#12." in secretary.contents
    assert "Δεν υπογράφηκε." in secretary.contents
    document = fresh(document)
    assert sha(document.file.data) == before and document.signers == []
    assert plan_of(document).awaiting() == "secretary"

    secretary.getControl(name="secret").value = PASSWORD
    secretary.getControl(name="form.buttons.sign").click()
    assert "Η υπογραφή σας προστέθηκε στο έγγραφο." in secretary.contents
    assert "Αναμένεται η υπογραφή του/της Γιώργος Νικολάου." in secretary.contents
    assert 'id="sign-form"' not in secretary.contents

    mayor.open(f"{portal.absolute_url()}/@@to-sign")
    mayor.getLink(url="/@@sign").click()
    mayor.getControl(name="secret").value = PASSWORD
    mayor.getControl(name="form.buttons.sign").click()
    assert "Υπογράφηκε από όλους τους υπογράφοντες." in mayor.contents
    plan = mayor.contents.split('id="plan"')[1].split("</ol>")[0]
    assert plan.count("Υπογράφηκε") == 2

    document = fresh(document)
    assert plan_of(document).status == "signed"
    assert [s["role"] for s in document.signers] == ["Γενική Γραμματέας", "Δήμαρχος"]
    assert fresh(permit).signed_pdf.data == document.file.data


def test_a_refused_request_creates_nothing(functional_app, site):
    portal, permit = site
    clerk = browser_as(functional_app, "clerk", CLERK_PASSWORD)
    clerk.open(f"{portal.absolute_url()}/@@request-signatures")
    clerk.getControl(name="title").value = "Βεβαίωση μόνιμης κατοικίας"
    clerk.getControl(name="pdf").add_file(io.BytesIO(b"GIF89a"), "application/pdf", "x.pdf")
    clerk.getControl(name="signer-1").value = ["mayor"]
    clerk.getControl(name="form.buttons.request").click()
    assert "Δεν δημιουργήθηκε τίποτα." in clerk.contents
    assert "Το αρχείο δεν είναι PDF· υπογράφονται μόνο έγγραφα PDF." in clerk.contents
    assert clerk.getControl(name="title").value == "Βεβαίωση μόνιμης κατοικίας"  # kept
    clerk.getControl(name="pdf").add_file(io.BytesIO(blank_pdf()), "application/pdf", "b.pdf")
    clerk.getControl(name="signer-1").value = [""]
    clerk.getControl(name="form.buttons.request").click()
    assert "Ορίστε τουλάχιστον έναν υπογράφοντα." in clerk.contents
    transaction.begin()
    assert not api.content.find(portal_type="SignedDocument", unrestricted=True)


def test_the_signer_turn_and_anonymous_visitors(functional_app, site):
    portal, permit = site
    document = request_signatures(
        "Άδεια 12/2026", blank_pdf(), "a.pdf", [("secretary", None), ("mayor", None)]
    )
    transaction.commit()
    mayor = browser_as(functional_app, "mayor")
    mayor.open(f"{document.absolute_url()}/@@sign")
    assert "Πριν από εσάς υπογράφει ο/η Μαρία Παπαδοπούλου" in mayor.contents
    assert 'id="sign-form"' not in mayor.contents

    anonymous = browser_as(functional_app, None)
    anonymous.handleErrors = True
    anonymous.raiseHttpErrors = False
    anonymous.open(f"{portal.absolute_url()}/@@to-sign")
    assert "login" in anonymous.url
    assert "Προς υπογραφή" not in anonymous.contents
    anonymous.open(f"{portal.absolute_url()}/@@request-signatures")
    assert "login" in anonymous.url


def test_the_record_pdf_may_be_sent_for_signature(functional_app, site):
    portal, permit = site
    pdf = blank_pdf()
    permit.signed_pdf = NamedBlobFile(pdf, filename="adeia-12.pdf")
    transaction.commit()
    clerk = request_form(functional_app, permit)
    assert "Το υπογεγραμμένο PDF της εγγραφής" in clerk.contents
    assert "searchable_pdf" not in clerk.contents  # a permit has none
    clerk.getControl(name="source").value = ["signed_pdf"]
    clerk.getControl(name="signer-1").value = ["mayor"]
    clerk.getControl(name="role-1").value = "Ο Δήμαρχος"
    clerk.getControl(name="form.buttons.request").click()
    assert clerk.url.endswith("/@@sign")
    transaction.begin()
    (brain,) = api.content.find(portal_type="SignedDocument", unrestricted=True)
    document = brain._unrestrictedGetObject()
    assert document.file.data == pdf and document.file.filename == "adeia-12.pdf"
    assert [(s["userid"], s["role"]) for s in plan_of(document).steps] == [("mayor", "Ο Δήμαρχος")]
